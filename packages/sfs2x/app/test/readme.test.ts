/**
 * Runs every ```ts block of README.md as a complete program, each in its own Node process (tsx,
 * this package's tsconfig for the decorators, sources through the "@source" condition), and
 * checks each `console.log(...); // expected` line against what it printed.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));
const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
// Inside test/ so the package tsconfig (experimentalDecorators) applies to the snippets.
const dir = fileURLToPath(new URL("./readme-run/", import.meta.url));
mkdirSync(dir, { recursive: true });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function expectedLines(source: string): string[] {
  const out: string[] = [];
  for (const line of source.split("\n")) {
    const m = /console\.log\(.*\);\s*\/\/ (.*)$/.exec(line);
    if (m) out.push(m[1]!.trim());
  }
  return out;
}

describe("README examples", () => {
  it("has examples", () => {
    expect(blocks.length).toBeGreaterThanOrEqual(4);
  });

  it.each(blocks.map((b, i) => [i, b] as const))("block %i runs and prints what it says", (i, source) => {
    const file = `${dir}block${i}.ts`;
    writeFileSync(file, source);
    const r = spawnSync(process.execPath, ["--conditions=@source", "--import", "tsx", file], { cwd: root, encoding: "utf8", timeout: 60_000 });
    expect(r.stderr.replace(/^npm warn.*\n/gm, "")).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout.trimEnd().split("\n")).toEqual(expectedLines(source));
  });
});
