import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const script = fileURLToPath(new URL("../scripts/check-browser-entry.mjs", import.meta.url));

describe("the browser entry", () => {
  it("reaches no Node built-in and no Node-only package", () => {
    const r = spawnSync(process.execPath, [script], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/files checked/);
  });

  it("the checker catches a Node built-in reached through a re-export (type-only imports are fine)", () => {
    const bad = fileURLToPath(new URL("./fixtures/browser-bad/entry.ts", import.meta.url));
    const r = spawnSync(process.execPath, [script, bad], { encoding: "utf8" });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("helper.ts: imports the Node built-in node:fs");
    expect(r.stderr).not.toContain("node:net");
  });

  it("exports SFSClient over the browser WebSocket and no server", async () => {
    const browser = await import("../src/browser.js");
    expect(typeof browser.SFSClient).toBe("function");
    expect("SFSServer" in browser).toBe(false);
    expect(typeof browser.SFSModel).toBe("function");
    const client = new browser.SFSClient("tcp://127.0.0.1:1", { logger: { debug() {}, info() {}, warn() {}, error() {} } });
    await expect(client.connect()).rejects.toThrow(/tcp/);
  });
});
