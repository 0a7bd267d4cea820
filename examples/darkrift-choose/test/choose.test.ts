import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const dir = fileURLToPath(new URL("..", import.meta.url));
const node = (script: string, args: string[]): ChildProcess =>
  spawn(process.execPath, ["--conditions=@source", "--import", "tsx", script, ...args], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });

function run(script: string, args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const p = node(script, args);
    let out = "";
    p.stdout!.on("data", (d: Buffer) => (out += d.toString()));
    p.stderr!.on("data", (d: Buffer) => (out += d.toString()));
    p.on("close", (code) => resolve({ code, out }));
  });
}

describe("choose-number example (processes on loopback)", () => {
  let server: ChildProcess;
  let port = 0;

  beforeAll(async () => {
    server = node("server.ts", ["--host", "127.0.0.1", "--port", "0"]);
    port = await new Promise<number>((resolve, reject) => {
      let out = "";
      server.stdout!.on("data", (d: Buffer) => {
        out += d.toString();
        const m = /TCP (\d+), UDP (\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      server.on("close", (code) => reject(new Error(`server exited with ${code}: ${out}`)));
    });
  });

  afterAll(() => {
    server?.kill("SIGTERM");
  });

  it("plays 3 rounds over TCP and exits 0", async () => {
    const { code, out } = await run("client.ts", ["--host", "127.0.0.1", "--port", String(port), "--rounds", "3"]);
    expect(code).toBe(0);
    expect(out.match(/round \d: the server chose -?\d+/g)).toHaveLength(3);
  });

  it("plays over UDP and exits 0", async () => {
    const { code, out } = await run("client.ts", ["--host", "127.0.0.1", "--port", String(port), "--rounds", "2", "--unreliable"]);
    expect(code).toBe(0);
    expect(out).toContain("(UDP)");
    expect(out.match(/round \d: the server chose/g)).toHaveLength(2);
  });

  it("exits non-zero when nobody answers", async () => {
    const { code, out } = await run("client.ts", ["--host", "127.0.0.1", "--port", "1", "--rounds", "1"]);
    expect(code).toBe(1);
    expect(out).toContain("choose-client failed");
  });
});
