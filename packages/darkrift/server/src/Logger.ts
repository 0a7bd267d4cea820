/** Where a server reports connections, disconnections and their reasons. */
export interface DarkRiftLogger {
  debug?(message: string): void;
  info(message: string): void;
  warn(message: string, error?: unknown): void;
  error(message: string, error?: unknown): void;
}

/** The default logger: `console`, prefixed, without debug output. */
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
