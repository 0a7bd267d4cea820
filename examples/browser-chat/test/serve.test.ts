// `pnpm example:browser-chat` as a process: it bundles, serves the page and the dev server on the
// ports it prints, and stops cleanly on SIGTERM; a bad flag is an error, not a hang.
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));
const dirs: string[] = [];

afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/** Runs src/node/serve.ts as `pnpm serve` does (tsx against the packages' sources). */
function serve(args: string[]) {
  const child = spawn(process.execPath, ["--conditions=@source", "--import", "tsx", "src/node/serve.ts", ...args], {
    cwd: root,
    env: { ...process.env, TSX_TSCONFIG_PATH: join(root, "tsconfig.run.json") },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (d: Buffer) => (output += d));
  child.stderr.on("data", (d: Buffer) => (output += d));
  const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
  // Never leave a server behind, whatever the test does.
  const guard = setTimeout(() => child.kill("SIGKILL"), 25_000);
  void exited.then(() => clearTimeout(guard));
  return { child, exited, output: () => output };
}

describe("serve (pnpm example:browser-chat)", () => {
  it("serves the page and the dev server on the printed ports, stops on SIGTERM with exit 0", async () => {
    const out = await mkdtemp(join(tmpdir(), "browser-chat-serve-"));
    dirs.push(out);
    const run = serve(["--http-port", "0", "--ws-port", "0", "--tcp-port", "0", "--out-dir", out]);
    await expect.poll(() => /chat page: (\S+)/.exec(run.output())?.[1], { timeout: 20_000 }).toBeDefined();
    const pageUrl = /chat page: (\S+)/.exec(run.output())![1]!;
    const wsUrl = /SFS2X dev server: (ws:\/\/\S+) /.exec(run.output())![1]!;
    expect(new URL(pageUrl).searchParams.get("url")).toBe(wsUrl);
    expect(run.output()).toMatch(/bundled the page: [\d.]+ kB \(\d+ bytes\), gzip [\d.]+ kB/);

    const page = await fetch(pageUrl);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<script type="module" src="./chat.js"></script>');
    const script = await fetch(new URL("/chat.js", pageUrl));
    expect(script.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect((await script.arrayBuffer()).byteLength).toBeGreaterThan(10_000);
    const official = await fetch(new URL("/vendor/sfs2x-api.js", pageUrl));
    expect(official.status).toBe(200);
    await official.arrayBuffer();

    run.child.kill("SIGTERM");
    expect(await run.exited).toBe(0);
    expect(run.output()).toContain("SIGTERM: stopping");
    await expect(fetch(pageUrl)).rejects.toThrow(); // nothing listens any more
  }, 30_000);

  it("refuses a bad port with a message and exit 1", async () => {
    const run = serve(["--http-port", "http"]);
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain("example:browser-chat: --http-port: not a port: http");
  }, 30_000);
});
