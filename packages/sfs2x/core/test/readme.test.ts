/**
 * Runs every ```ts block of README.md and checks each `console.log(...); // expected` line
 * against what it printed (formatted as Node's console.log does), so the README stays true.
 */
import { readFileSync } from "node:fs";
import { format } from "node:util";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import * as lib from "../src/index.js";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);

const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => (...a: unknown[]) => Promise<void>;

function prepare(source: string): { js: string; expected: string[] } {
  const expected: string[] = [];
  for (const line of source.split("\n")) {
    const m = /console\.log\(.*\);\s*\/\/ (.*)$/.exec(line);
    if (m) expected.push(m[1]!.trim());
  }
  // Bind the package import to the sources under test.
  const body = source.replace(/import \{([^}]*)\} from "@sfs2x\/core";/g, "const {$1} = lib;");
  const js = ts.transpileModule(body, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext } }).outputText;
  return { js, expected };
}

describe("README examples", () => {
  it("has examples", () => {
    expect(blocks.length).toBeGreaterThanOrEqual(5);
  });

  it.each(blocks.map((b, i) => [i, b] as const))("block %i runs and prints what it says", async (_i, source) => {
    const { js, expected } = prepare(source);
    const printed: string[] = [];
    const fakeConsole = { log: (...args: unknown[]) => printed.push(format(...args)) };
    await new AsyncFunction("lib", "console", js)(lib, fakeConsole);
    expect(printed).toEqual(expected);
  });
});
