import { createDebugLogger } from "./DebugLogger.js";

/** Where a client or server reports handshakes, strikes, disconnections and their reasons. */
export interface DarkRiftLogger {
  debug?(message: string): void;
  info(message: string): void;
  warn(message: string, error?: unknown): void;
  error(message: string, error?: unknown): void;
}

/**
 * The default logger of `@darkrift/server` and `@darkrift/client`: `debug` and `info` lines (handshakes,
 * strikes, normal disconnections) go to the debug namespace, printed only when it is enabled
 * (`DEBUG=darkrift:*`); `warn` and `error` (a connection dropped for a reason, a failing handler)
 * always reach `console`, prefixed `[namespace]`.
 */
export function defaultLogger(namespace: string): DarkRiftLogger {
  const debug = createDebugLogger(namespace);
  const prefix = `[${namespace}]`;
  return {
    debug: (m) => debug(m),
    info: (m) => debug(m),
    warn: (m, e) => (e === undefined ? console.warn(`${prefix} ${m}`) : console.warn(`${prefix} ${m}`, e)),
    error: (m, e) => (e === undefined ? console.error(`${prefix} ${m}`) : console.error(`${prefix} ${m}`, e)),
  };
}

/** A logger that prints everything but debug lines to `console`, prefixed `[darkrift]`. */
export const consoleLogger: DarkRiftLogger = {
  info: (m) => console.info(`[darkrift] ${m}`),
  warn: (m, e) => (e === undefined ? console.warn(`[darkrift] ${m}`) : console.warn(`[darkrift] ${m}`, e)),
  error: (m, e) => (e === undefined ? console.error(`[darkrift] ${m}`) : console.error(`[darkrift] ${m}`, e)),
};

/** A logger that discards everything. */
export const silentLogger: DarkRiftLogger = {
  info: () => {},
  warn: () => {},
  error: () => {},
};
