// The logger interface and the stock loggers are shared with the client: they live in @darkrift/core.
import { defaultLogger, type DarkRiftLogger } from "@darkrift/core";

export { consoleLogger, silentLogger, type DarkRiftLogger } from "@darkrift/core";

/** The server's default logger: debug namespace `darkrift:server` (`DEBUG=darkrift:server`), warnings to `console`. */
export const serverLogger: DarkRiftLogger = defaultLogger("darkrift:server");
