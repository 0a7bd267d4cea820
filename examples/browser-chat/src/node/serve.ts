/**
 * Serves the chat page on localhost: bundles it, starts the SFS2X dev server (in process) and a
 * static file server for the page, and prints the address to open.
 *
 *   npx -y pnpm@10.34.8 example:browser-chat                  (from the repository root)
 *   … -- --http-port 8000 --ws-port 8080 --tcp-port 9933 --host 127.0.0.1 --out-dir dist --open
 *
 * Port 0 picks a free port (the bound ones are printed). Ctrl-C (or SIGTERM) stops everything.
 */
import { spawn } from "node:child_process";
import { parseArgs } from "node:util";
import { formatSize } from "./build.js";
import { serveChat } from "./serveChat.js";

const port = (text: string, flag: string): number => {
  const n = Number(text);
  if (text === "" || !Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`--${flag}: not a port: ${text}`);
  return n;
};

/** Opens `url` in the desktop's browser, when there is one (best effort). */
function openInBrowser(url: string): void {
  const [cmd, args] =
    process.platform === "darwin" ? ["open", [url]] : process.platform === "win32" ? ["cmd", ["/c", "start", "", url]] : ["xdg-open", [url]];
  const child = spawn(cmd, args, { stdio: "ignore", detached: true });
  child.on("error", () => console.log(`(could not start a browser: open ${url} yourself)`));
  child.unref();
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      host: { type: "string", default: "127.0.0.1" },
      "http-port": { type: "string", default: "8000" },
      "ws-port": { type: "string", default: "8080" },
      "tcp-port": { type: "string", default: "9933" },
      "out-dir": { type: "string" },
      open: { type: "boolean", default: false },
    },
  });
  const chat = await serveChat({
    host: values.host,
    httpPort: port(values["http-port"], "http-port"),
    wsPort: port(values["ws-port"], "ws-port"),
    tcpPort: port(values["tcp-port"], "tcp-port"),
    ...(values["out-dir"] === undefined ? {} : { outDir: values["out-dir"] }),
  });
  console.log(`bundled the page: ${formatSize(chat.bundle.rawBytes)}, gzip ${formatSize(chat.bundle.gzipBytes)}`);
  console.log(`SFS2X dev server: ${chat.sfs.wsUrl} (WebSocket), ${chat.sfs.tcpUrl} (TCP); zone BasicExamples, room The Lobby`);
  console.log(`chat page: ${chat.pageUrl}`);
  console.log("Ctrl-C stops both.");
  if (values.open) openInBrowser(chat.pageUrl);

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping`);
    void chat.close().then(() => process.exit(0));
    setTimeout(() => process.exit(1), 5000).unref(); // never hang on the way out
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

main().catch((error: Error) => {
  console.error(`example:browser-chat: ${error.message}`);
  process.exit(1);
});
