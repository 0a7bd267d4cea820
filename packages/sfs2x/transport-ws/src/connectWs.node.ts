import type { ClientRequest, IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import type { ConnectionOptions } from "node:tls";
import { WebSocket } from "ws";
import { DEFAULT_CONNECT_TIMEOUT_MS, TransportError, TransportErrorCode } from "@sfs2x/protocol";
import { WsConnection } from "./WsConnection.node.js";
import type { WsConnectionOptions } from "./WsOptions.js";
import { wsUrl } from "./wsUrl.js";

/** TLS settings of a `wss://` client: `ca`, `rejectUnauthorized`, `servername`, client `cert`/`key`... */
export type WsClientTlsOptions = Pick<ConnectionOptions, "ca" | "cert" | "key" | "pfx" | "passphrase" | "rejectUnauthorized" | "servername" | "checkServerIdentity" | "minVersion">;

/** Options of {@link connectWs}. */
export interface WsClientOptions extends WsConnectionOptions {
  /** TLS settings for `wss://` (e.g. `{ ca: pem }` for a self-signed server certificate). */
  tls?: WsClientTlsOptions;
  /** Extra HTTP headers of the upgrade request. */
  headers?: Record<string, string>;
  /** Largest incoming WebSocket message (bytes). Default `maxMessageSize + 5`, fixed at connect time. */
  maxPayload?: number;
}

/**
 * Connects to an SFS2X WebSocket endpoint from Node: `ws://host:port[/path]` or `wss://…`
 * (no path: `/BlueBox/websocket`). Resolves with the open connection; rejects with
 * `TransportError` `CONNECT_FAILED` (refused, TLS failure, an HTTP answer instead of the upgrade;
 * `cause` holds the underlying error) or `TIMEOUT` after `connectTimeoutMs`.
 *
 * ```ts
 * const conn = await connectWs("ws://127.0.0.1:8080");
 * conn.onMessage((m) => console.log(m.controller, m.action));
 * ```
 */
export function connectWs(target: string | URL, options: WsClientOptions = {}): Promise<WsConnection> {
  let url: URL;
  try {
    url = wsUrl(target);
  } catch (e) {
    return Promise.reject(e);
  }
  const timeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const max = options.maxPayload ?? (options.maxMessageSize ?? 500_000) + 5;
  const shown = url.href;
  return new Promise<WsConnection>((resolve, reject) => {
    const ws = new WebSocket(url, {
      perMessageDeflate: false,
      maxPayload: Number.isFinite(max) ? Math.min(max, 0x7fffffff) : 0,
      ...(options.headers ? { headers: options.headers } : {}),
      ...(options.tls ?? {}),
    });
    let socket: Socket | undefined;
    let done = false;
    const fail = (error: Error): void => {
      if (done) return;
      done = true;
      if (timer !== undefined) clearTimeout(timer);
      ws.terminate();
      reject(error);
    };
    const timer =
      timeoutMs > 0
        ? setTimeout(() => fail(new TransportError(TransportErrorCode.TIMEOUT, `connecting to ${shown} took more than ${timeoutMs} ms`)), timeoutMs)
        : undefined;
    ws.on("upgrade", (res: IncomingMessage) => (socket = res.socket as Socket));
    ws.on("unexpected-response", (req: ClientRequest, res: IncomingMessage) => {
      req.destroy();
      fail(new TransportError(TransportErrorCode.CONNECT_FAILED, `could not connect to ${shown}: HTTP ${res.statusCode} instead of the WebSocket upgrade`));
    });
    const onError = (e: Error): void =>
      fail(new TransportError(TransportErrorCode.CONNECT_FAILED, `could not connect to ${shown}: ${e.message}`, { cause: e }));
    ws.on("error", onError);
    ws.once("open", () => {
      if (done) return;
      done = true;
      if (timer !== undefined) clearTimeout(timer);
      ws.off("error", onError);
      try {
        if (socket === undefined) throw new Error("no socket under the WebSocket");
        resolve(new WsConnection(ws, socket, options, "client"));
      } catch (e) {
        ws.terminate();
        reject(e);
      }
    });
  });
}
