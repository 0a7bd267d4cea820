import { createDebugLogger } from "@sfs2x/core";
import type { TransportLogger } from "@sfs2x/protocol";

/** Where the app layer logs (a console-like object; `console` itself fits). */
export type Logger = TransportLogger;

/**
 * The default logger: warnings and errors to the console (nothing vanishes silently); debug and
 * info lines to the `sfs2x:app` debug namespace, printed when `DEBUG=sfs2x:app` (or `sfs2x:*`;
 * `localStorage.debug` in browsers) is set.
 */
export const consoleLogger: Logger = Object.freeze({
  debug(message: string, data?: Record<string, unknown>) {
    createDebugLogger("sfs2x:app").debug(message, data);
  },
  info(message: string, data?: Record<string, unknown>) {
    createDebugLogger("sfs2x:app").info(message, data);
  },
  warn(message: string, data?: Record<string, unknown>) {
    console.warn(message, ...(data ? [data] : []));
  },
  error(message: string, data?: Record<string, unknown>) {
    console.error(message, ...(data ? [data] : []));
  },
});
