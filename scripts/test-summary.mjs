// Adds up the vitest JSON reports of every package and prints one closing line:
// "tests: N passed, N failed" (", N skipped" when any). Exits non-zero if a package failed or has no report.
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const packageDirs = [];
const visit = (dir, depth) => {
  if (existsSync(join(dir, "package.json")) && existsSync(join(dir, "vitest.config.ts"))) packageDirs.push(dir);
  if (depth === 0) return;
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (entry !== "node_modules" && statSync(path).isDirectory()) visit(path, depth - 1);
  }
};
visit("packages", 2);
visit("examples", 1);

let passed = 0, failed = 0, skipped = 0;
const missing = [];
for (const dir of packageDirs) {
  const report = join(dir, ".vitest-report.json");
  if (!existsSync(report)) { missing.push(dir); continue; }
  const json = JSON.parse(readFileSync(report, "utf8"));
  passed += json.numPassedTests;
  failed += json.numFailedTests;
  skipped += json.numPendingTests + (json.numTodoTests ?? 0);
  if (json.numFailedTestSuites > 0 && json.numFailedTests === 0) failed += json.numFailedTestSuites;
}
if (missing.length) console.log(`no test report from: ${missing.join(", ")}`);
console.log(`tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(failed > 0 || missing.length > 0 ? 1 : 0);
