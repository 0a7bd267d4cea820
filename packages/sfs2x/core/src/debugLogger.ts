/** A console-like logger (the shape of `TransportLogger` in `@sfs2x/protocol`; `console` fits). */
export interface DebugLogger {
  debug(message: string, data?: Record<string, unknown>): void;
  info(message: string, data?: Record<string, unknown>): void;
  warn(message: string, data?: Record<string, unknown>): void;
  error(message: string, data?: Record<string, unknown>): void;
}

const noop = (): void => {};
/** What a disabled namespace gets: one shared object whose methods do nothing (no cost when off). */
const OFF: DebugLogger = Object.freeze({ debug: noop, info: noop, warn: noop, error: noop });

/**
 * True when `namespace` is enabled by `spec`, a `DEBUG`-style list: names separated by commas or
 * spaces, `*` matching any run of characters, a leading `-` excluding (`sfs2x:*,-sfs2x:app`).
 */
export function debugEnabled(namespace: string, spec: string | undefined): boolean {
  if (spec === undefined || spec === "") return false;
  let on = false;
  for (const raw of spec.split(/[\s,]+/)) {
    if (raw === "") continue;
    const skip = raw.startsWith("-");
    const pattern = skip ? raw.slice(1) : raw;
    const re = new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`);
    if (re.test(namespace)) {
      if (skip) return false;
      on = true;
    }
  }
  return on;
}

let spec: string | undefined | null = null; // null: not read yet

/** `DEBUG` from the environment (Node), else `localStorage.debug` (browsers); read once. */
function currentSpec(): string | undefined {
  if (spec === null) {
    const g = globalThis as { process?: { env?: Record<string, string | undefined> }; localStorage?: { getItem(k: string): string | null } };
    let s = g.process?.env?.DEBUG;
    if (s === undefined) {
      try {
        s = g.localStorage?.getItem("debug") ?? undefined;
      } catch {
        s = undefined; // storage access can throw (privacy settings, sandboxed frames)
      }
    }
    spec = s;
  }
  return spec;
}

const loggers = new Map<string, DebugLogger>();

/**
 * A logger for one namespace (`"sfs2x:transport-tcp"`), on when `DEBUG` (Node) or
 * `localStorage.debug` (browsers) names it, e.g. `DEBUG=sfs2x:*` or
 * `DEBUG=sfs2x:app,sfs2x:transport-ws`. The setting is read once, at the first call; a disabled
 * namespace gets a shared no-op logger, so logging costs nothing when off. Lines go to
 * `console.debug` / `console.info` / `console.warn` / `console.error`, prefixed with the namespace.
 * Browser-safe.
 *
 * ```ts
 * const log = createDebugLogger("sfs2x:app");
 * log.warn("session dropped", { reason: "idle" }); // printed when DEBUG=sfs2x:*
 * ```
 *
 * `spec` overrides the environment (for tests).
 */
export function createDebugLogger(namespace: string, spec?: string): DebugLogger {
  if (spec !== undefined) return debugEnabled(namespace, spec) ? consoleFor(namespace) : OFF;
  let logger = loggers.get(namespace);
  if (logger === undefined) {
    logger = debugEnabled(namespace, currentSpec()) ? consoleFor(namespace) : OFF;
    loggers.set(namespace, logger);
  }
  return logger;
}

function consoleFor(namespace: string): DebugLogger {
  const line =
    (write: (...args: unknown[]) => void) =>
    (message: string, data?: Record<string, unknown>): void => {
      if (data === undefined) write(`${namespace} ${message}`);
      else write(`${namespace} ${message}`, data);
    };
  return Object.freeze({
    debug: line((...a) => console.debug(...a)),
    info: line((...a) => console.info(...a)),
    warn: line((...a) => console.warn(...a)),
    error: line((...a) => console.error(...a)),
  });
}
