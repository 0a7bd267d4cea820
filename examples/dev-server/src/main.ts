/**
 * The SFS2X dev server from the command line (see README.md):
 *
 *   pnpm dev-server [--ws-port 8080] [--tcp-port 9933] [--host 127.0.0.1]
 *
 * Port 0 picks a free port; the bound ports are printed as `listening ws://…` / `listening tcp://…`.
 * SIGINT (Ctrl-C) or SIGTERM closes every session and both listeners, then the process exits 0.
 */
import { parseArgs } from "node:util";
import { DEFAULT_HOST, DEFAULT_TCP_PORT, DEFAULT_WS_PORT, DEV_ROOM, DEV_ZONE, PING_COMMAND, createDevServer, type DevServer } from "./DevServer.js";

const USAGE = `usage: pnpm dev-server [--ws-port ${DEFAULT_WS_PORT}] [--tcp-port ${DEFAULT_TCP_PORT}] [--host ${DEFAULT_HOST}]
  --ws-port   WebSocket port, the official JS client's transport (0: any free port)
  --tcp-port  TCP port, the Java/C#/C++ clients' transport (0: any free port)
  --host      interface to bind; ${DEFAULT_HOST} by default (this machine only), 0.0.0.0 for every interface`;

/** How long a shutdown may take before the process gives up waiting. */
const SHUTDOWN_GRACE_MS = 10_000;

function fail(message: string): never {
  console.error(`dev-server: ${message}\n${USAGE}`);
  process.exit(2);
}

function portArg(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535) fail(`--${name} must be a port number 0..65535, got ${JSON.stringify(value)}`);
  return n;
}

let args: { "ws-port"?: string; "tcp-port"?: string; host?: string; help?: boolean };
try {
  args = parseArgs({
    options: {
      "ws-port": { type: "string" },
      "tcp-port": { type: "string" },
      host: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  }).values;
} catch (e) {
  fail((e as Error).message);
}
if (args.help === true) {
  console.log(USAGE);
  process.exit(0);
}

const time = (): string => new Date().toISOString().slice(11, 23);
const log = (line: string): void => console.log(`${time()} ${line}`);

let dev: DevServer;
try {
  dev = await createDevServer({
    host: args.host ?? DEFAULT_HOST,
    wsPort: portArg("ws-port", args["ws-port"], DEFAULT_WS_PORT),
    tcpPort: portArg("tcp-port", args["tcp-port"], DEFAULT_TCP_PORT),
    log,
  }).listen();
} catch (e) {
  console.error(`dev-server: cannot start: ${(e as Error).message}`);
  process.exit(1);
}

// Stable lines (no timestamp) that scripts and tests read the bound ports from.
console.log(`listening ${dev.wsUrl}`);
console.log(`listening ${dev.tcpUrl}`);
console.log(
  `SFS2X dev server: zone "${DEV_ZONE}" (guests allowed), room "${DEV_ROOM}", extension "${PING_COMMAND}". ` +
    `Official JS client: new SFS2X.SmartFox({ host: "${dev.ws.host}", port: ${dev.ws.port}, zone: "${DEV_ZONE}" }). Ctrl-C stops.`,
);

let stopping = false;
async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log(`${signal}: closing ${dev.server.sessions.size} session(s) and the listeners`);
  const watchdog = setTimeout(() => {
    console.error("dev-server: shutdown did not finish in time; exiting");
    process.exit(1);
  }, SHUTDOWN_GRACE_MS);
  watchdog.unref();
  await dev.close();
  log("stopped");
  // Nothing is left on the event loop: the process ends on its own, with code 0.
}
// `on`, not `once`: Ctrl-C reaches this process from the terminal and again through tsx, and a
// repeated signal must not kill it half way through the shutdown (the watchdog bounds it).
process.on("SIGINT", () => void stop("SIGINT"));
process.on("SIGTERM", () => void stop("SIGTERM"));
