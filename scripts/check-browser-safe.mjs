// Fails when a browser-facing source tree imports a Node built-in or uses Buffer.
// Files named *.node.ts (or under a node/ folder) are Node-only by convention and skipped.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { builtinModules } from "node:module";
import { join } from "node:path";

const roots = process.argv.slice(2);
const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
const problems = [];
const walk = (dir) => {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) {
      if (entry !== "node") walk(path);
      continue;
    }
    if (!/\.(ts|mts|js|mjs)$/.test(entry) || /\.node\.(ts|mts|js|mjs)$/.test(entry)) continue;
    const text = readFileSync(path, "utf8");
    for (const match of text.matchAll(/(?:from|import)\s*\(?\s*["']([^"']+)["']/g)) {
      if (builtins.has(match[1]) || match[1].startsWith("node:")) problems.push(`${path}: imports ${match[1]}`);
    }
    if (/\bBuffer\./.test(text) || /\bnew Buffer\b/.test(text)) problems.push(`${path}: uses Buffer`);
  }
};
for (const root of roots) walk(root);
if (problems.length) {
  console.error("Browser-facing code must not depend on Node built-ins:\n" + problems.join("\n"));
  process.exit(1);
}
