/** Where a demo part prints what each side does: `log("server", "listening on …")`. */
export type Log = (side: string, text: string) => void;

/** Prints `side  text` lines, the side padded so the two columns line up. */
export const consoleLog: Log = (side, text) => console.log(`${side.padEnd(7)} ${text}`);

/** Rejects with a clear message when `promise` takes longer than `ms` (a demo must never hang). */
export function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
