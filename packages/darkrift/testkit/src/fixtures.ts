import { readFileSync } from "node:fs";

/**
 * A JSON fixture reader rooted at `dir` (a folder URL ending in `/`), e.g.
 * `const fixture = fixtureLoader(new URL("./fixtures/", import.meta.url))`: each package keeps its own copies.
 */
export function fixtureLoader(dir: URL): <T = any>(name: string) => T {
  return <T>(name: string): T => JSON.parse(readFileSync(new URL(name, dir), "utf8")) as T;
}
