/**
 * Loads the official SFS2X JS client (`sfs2x-api` 1.8.6) in Node, for the suites that measure it
 * beside ours. Each suite describes the part of the API it uses with its own interface.
 */

/**
 * Imports `sfs2x-api` and returns its export object, the one on which `probe` is a constructor
 * (e.g. "SFSObject", "SmartFox"). Typed by the caller: `loadOfficial<MyApi>("SmartFox")`.
 */
export async function loadOfficial<T>(probe: string): Promise<T> {
  // The official bundle is written for browsers and reads `window` when it loads.
  (globalThis as { window?: unknown }).window = globalThis;
  const m = (await import("sfs2x-api")) as unknown as Record<string, unknown>;
  // Node's CJS interop and tsx expose the bundle's exports at different depths.
  for (const c of [m, m.default, m.SFS2X, (m.default as Record<string, unknown> | undefined)?.SFS2X]) {
    if (c && typeof (c as Record<string, unknown>)[probe] === "function") return c as T;
  }
  throw new Error(`sfs2x-api: ${probe} not found`);
}
