import { defaultLogger, type DarkRiftLogger } from "@darkrift/core";

/** The client's default logger: debug namespace `darkrift:client` (`DEBUG=darkrift:client`). */
export const clientLogger: DarkRiftLogger = defaultLogger("darkrift:client");
