// Fails when the browser entry (src/browser.ts, the `browser` condition and `./client` subpath)
// can reach a Node built-in, `Buffer`, or a Node-only package through its imports.
// Walks the import graph of the sources (type-only imports are erased by TypeScript: skipped).
import { existsSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const entry = process.argv[2] ?? join(root, "src", "browser.ts");
/** Packages the browser entry may import (each checks its own sources for browser safety). */
const allowed = new Set(["@sfs2x/core", "@sfs2x/protocol", "@sfs2x/transport-ws/browser", "reflect-metadata", "node-forge/lib/md5.js"]);
const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

const problems = [];
const seen = new Set();
const queue = [entry];
const importRe = /(?:^|[;\n])\s*(import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s+)?["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;

function resolveLocal(from, spec) {
  const base = join(dirname(from), spec.replace(/\.js$/, ""));
  for (const candidate of [`${base}.ts`, join(base, "index.ts")]) if (existsSync(candidate)) return candidate;
  return undefined;
}

while (queue.length) {
  const file = queue.pop();
  if (seen.has(file)) continue;
  seen.add(file);
  const text = readFileSync(file, "utf8");
  const shown = relative(root, file);
  if (/\bBuffer\.|\bnew Buffer\b/.test(text)) problems.push(`${shown}: uses Buffer`);
  for (const m of text.matchAll(importRe)) {
    const typeOnly = m[2] !== undefined;
    const spec = m[3] ?? m[4];
    if (typeOnly) continue;
    if (spec.startsWith(".")) {
      const target = resolveLocal(file, spec);
      if (target === undefined) problems.push(`${shown}: cannot resolve ${spec}`);
      else queue.push(target);
    } else if (builtins.has(spec) || spec.startsWith("node:")) {
      problems.push(`${shown}: imports the Node built-in ${spec}`);
    } else if (!allowed.has(spec)) {
      problems.push(`${shown}: imports ${spec}, which is not on the browser-safe list`);
    }
  }
}

if (problems.length) {
  console.error("The browser entry of @sfs2x/app must not reach Node-only code:\n" + problems.join("\n"));
  process.exit(1);
}
console.log(`browser entry: ${seen.size} files checked, no Node built-ins, no Node-only packages`);
