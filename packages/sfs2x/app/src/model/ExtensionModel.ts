import { SFSModel } from "./SFSModel.js";

/**
 * Base class of extension request models (client → server, controller 1). Bind it to a
 * command with `@command("name")` or `static command = "name"`; then
 * `client.callExtension(new PingRequest())` and `server.onExtension(PingRequest, handler)` need
 * no command string.
 */
export abstract class ExtensionRequest extends SFSModel {
  /** The command this request class is bound to (set by `@command` or a static field). */
  static command?: string;
}

/**
 * Base class of extension response and push models (server → client, controller 1). Its
 * `command` (optional) is the command the reply carries; without one a reply uses the request's.
 */
export abstract class ExtensionResponse extends SFSModel {
  /** The command this response class is bound to (set by `@command` or a static field). */
  static command?: string;
}
