import { DEFAULT_CONNECT_TIMEOUT_MS, TransportError, TransportErrorCode } from "@sfs2x/protocol";
import { BrowserWsConnection, type BrowserWsOptions, type WebSocketLike } from "./BrowserWsConnection.js";
import { wsUrl } from "./wsUrl.js";

/** A `WebSocket` constructor (the browser's, or e.g. the `ws` package's for tests). */
export type WebSocketConstructor = new (url: string) => WebSocketLike & {
  addEventListener(type: "open" | "error" | "close", listener: (event: unknown) => void): void;
  removeEventListener(type: "open" | "error" | "close", listener: (event: unknown) => void): void;
};

/** Options of {@link connectBrowserWs}. */
export interface BrowserWsClientOptions extends BrowserWsOptions {
  /** The WebSocket implementation. Default `globalThis.WebSocket`. */
  WebSocket?: WebSocketConstructor;
}

/**
 * Connects to an SFS2X WebSocket endpoint with the browser's `WebSocket`: `ws://host:port[/path]`
 * or `wss://…` (no path: `/BlueBox/websocket`). TLS trust is the browser's. Rejects with
 * `TransportError` `CONNECT_FAILED` (browsers do not say why) or `TIMEOUT`.
 *
 * ```ts
 * import { connectBrowserWs } from "@sfs2x/transport-ws/browser";
 * const conn = await connectBrowserWs("wss://example.com:8443");
 * ```
 */
export function connectBrowserWs(target: string | URL, options: BrowserWsClientOptions = {}): Promise<BrowserWsConnection> {
  let url: URL;
  try {
    url = wsUrl(target);
  } catch (e) {
    return Promise.reject(e);
  }
  const Ctor = options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (Ctor === undefined) {
    return Promise.reject(new TransportError(TransportErrorCode.CONNECT_FAILED, "no WebSocket implementation: pass options.WebSocket"));
  }
  const href = url.href;
  const timeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  return new Promise<BrowserWsConnection>((resolve, reject) => {
    let ws: InstanceType<WebSocketConstructor>;
    try {
      ws = new Ctor(href);
      ws.binaryType = "arraybuffer";
    } catch (e) {
      reject(new TransportError(TransportErrorCode.CONNECT_FAILED, `could not connect to ${href}: ${String(e)}`, { cause: e }));
      return;
    }
    let done = false;
    const cleanup = (): void => {
      done = true;
      if (timer !== undefined) clearTimeout(timer);
      ws.removeEventListener("open", onOpen);
      ws.removeEventListener("error", onFail);
      ws.removeEventListener("close", onFail);
    };
    const fail = (error: Error): void => {
      if (done) return;
      cleanup();
      try {
        ws.close();
      } catch {
        // not open yet
      }
      reject(error);
    };
    const onFail = (): void => fail(new TransportError(TransportErrorCode.CONNECT_FAILED, `could not connect to ${href}`));
    const onOpen = (): void => {
      if (done) return;
      cleanup();
      resolve(new BrowserWsConnection(ws, url.host, options));
    };
    const timer =
      timeoutMs > 0
        ? setTimeout(() => fail(new TransportError(TransportErrorCode.TIMEOUT, `connecting to ${href} took more than ${timeoutMs} ms`)), timeoutMs)
        : undefined;
    ws.addEventListener("open", onOpen);
    ws.addEventListener("error", onFail);
    ws.addEventListener("close", onFail);
  });
}
