import { silentLogger } from "@sfs2x/protocol";

/** A quiet logger for tests that provoke errors on purpose. */
export const quiet = silentLogger;

/** Resolves when `predicate` holds, polling (no timing assertions: the test timeout bounds it). */
export async function until(predicate: () => boolean, stepMs = 5): Promise<void> {
  while (!predicate()) await new Promise((r) => setTimeout(r, stepMs));
}

/** A promise with its resolver, for events. */
export function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}
