/**
 * Runs every benchmark suite in src/suites, one after another (never in parallel: they
 * would measure each other). `pnpm bench -- <filter>` runs the suites whose file name contains the filter.
 */
import { readdirSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { join } from "node:path";

const suitesDir = fileURLToPath(new URL("./suites/", import.meta.url));
const filters = process.argv.slice(2).filter((a) => a !== "--");
const files = readdirSync(suitesDir)
  .filter((f) => /\.ts$/.test(f))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();

console.log(`# Benchmarks (node ${process.version}; ratios matter, absolute numbers depend on the machine)`);
for (const file of files) {
  const suite = (await import(pathToFileURL(join(suitesDir, file)).href)) as { default: () => Promise<void> };
  await suite.default();
}
