import { TransportError, TransportErrorCode } from "@sfs2x/protocol";
import { DEFAULT_WS_PATH } from "./WsOptions.js";

/**
 * @internal Checks a `ws://` / `wss://` URL and fills in the default path
 * (`/BlueBox/websocket`) when it has none. Throws `TransportError`.
 */
export function wsUrl(target: string | URL): URL {
  let url: URL;
  try {
    url = new URL(typeof target === "string" ? target : target.href);
  } catch (e) {
    throw new TransportError(TransportErrorCode.CONNECT_FAILED, `not a URL: ${String(target)} (expected ws://host:port[/path])`, { cause: e });
  }
  if (url.protocol !== "ws:" && url.protocol !== "wss:") {
    throw new TransportError(TransportErrorCode.UNSUPPORTED_SCHEME, `${url.protocol}// is not ws:// or wss:// (${url.href})`);
  }
  if (url.hostname === "") throw new TransportError(TransportErrorCode.CONNECT_FAILED, `${url.href} has no host`);
  if (url.pathname === "" || url.pathname === "/") url.pathname = DEFAULT_WS_PATH;
  return url;
}
