import type { TransportLogger } from "@sfs2x/protocol";

/** Where the app layer logs (a console-like object; `console` itself fits). */
export type Logger = TransportLogger;

/** The default logger: warnings and errors to the console, nothing else (nothing vanishes silently). */
export const consoleLogger: Logger = Object.freeze({
  debug() {},
  info() {},
  warn(message: string, data?: Record<string, unknown>) {
    console.warn(message, ...(data ? [data] : []));
  },
  error(message: string, data?: Record<string, unknown>) {
    console.error(message, ...(data ? [data] : []));
  },
});
