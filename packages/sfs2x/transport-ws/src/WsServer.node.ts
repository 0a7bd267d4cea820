import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from "node:http";
import { createServer as createHttpsServer, type Server as HttpsServer, type ServerOptions as HttpsServerOptions } from "node:https";
import type { AddressInfo, Socket } from "node:net";
import type { Duplex } from "node:stream";
import { WebSocketServer, type WebSocket } from "ws";
import { TransportServerBase, formatAddress, listenError, type TransportAddress, type TransportServerOptions } from "@sfs2x/protocol";
import { WsConnection } from "./WsConnection.node.js";
import { DEFAULT_WS_PATH, DEFAULT_WS_PORT, DEFAULT_WSS_PORT, type WsConnectionOptions } from "./WsOptions.js";

/** Options of {@link WsServer}. */
export interface WsServerOptions extends TransportServerOptions, WsConnectionOptions {
  /**
   * Serve `wss://`: `node:https` server options, e.g. `{ key, cert }` (PEM) or `{ secureContext }`.
   * Ignored with `server`.
   */
  tls?: HttpsServerOptions;
  /**
   * Attach to an existing `http`/`https` server instead of creating one (`host`/`port` are then
   * ignored and `listen()` does not bind: the owner of the server does). Only upgrade requests
   * for `path` are taken; other requests stay with the server's own handlers, so e.g.
   * `POST /BlueBox/CryptoManager` can be served on the same port.
   */
  server?: HttpServer | HttpsServer;
  /**
   * Largest WebSocket message accepted, in bytes; bigger ones are refused by `ws` while they
   * arrive (close 1009), before being buffered whole. Default `maxMessageSize + 5` (the largest
   * packet header), fixed when the server is created.
   */
  maxPayload?: number;
}

const HTTP_404 = "HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: 10\r\n\r\nNot Found\n";
const HTTP_400 = "HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n";
const HTTP_408 = "HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Length: 0\r\n\r\n";
const HTTP_503 = "HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n";

/**
 * An SFS2X WebSocket server (the {@link TransportServer} of `@sfs2x/transport-ws`): `ws://` or,
 * with `tls`, `wss://`, on its own HTTP server or attached to yours (`server`). It accepts
 * WebSocket upgrades on `path` (default `/BlueBox/websocket`, the official JS client's) and
 * answers 404 to anything else it owns.
 *
 * ```ts
 * const server = new WsServer({ port: 0 });
 * server.onConnection((conn) => conn.onMessage((m) => void conn.send(m))); // echo
 * await server.listen();
 * // ws://127.0.0.1:<server.address.port>/BlueBox/websocket
 * ```
 */
export class WsServer extends TransportServerBase<WsConnection, WsServerOptions> {
  private readonly wss: WebSocketServer;
  private readonly path: string;
  private http: HttpServer | HttpsServer | undefined = undefined;
  private own = false;
  private bound: TransportAddress | undefined = undefined;
  private readonly onUpgradeBound = (req: IncomingMessage, socket: Duplex, head: Buffer): void => this.onUpgrade(req, socket, head);

  constructor(options: WsServerOptions = {}) {
    super(options, "sfs2x:transport-ws");
    this.path = options.path ?? DEFAULT_WS_PATH;
    const max = options.maxPayload ?? (options.maxMessageSize ?? 500_000) + 5;
    this.wss = new WebSocketServer({
      noServer: true,
      perMessageDeflate: false,
      clientTracking: false,
      maxPayload: Number.isFinite(max) ? Math.min(max, 0x7fffffff) : 0,
    });
  }

  /** The bound address (port 0 resolved) once listening. With `server`: that server's address. */
  get address(): TransportAddress | undefined {
    if (!this.own && this.http !== undefined) {
      const a = this.http.address();
      return a !== null && typeof a === "object" ? { host: a.address, port: a.port } : undefined;
    }
    return this.bound;
  }

  /** True when the server speaks TLS (`wss://`). */
  get secure(): boolean {
    const s = this.options.server;
    return s !== undefined ? "setSecureContext" in s : this.options.tls !== undefined;
  }

  /** The WebSocket path served. */
  get websocketPath(): string {
    return this.path;
  }

  /**
   * Binds the HTTP server (not with `server`: its owner binds it). Rejects with `TransportError`
   * `LISTEN_FAILED` naming the listener (`cannot listen on ws://127.0.0.1:8080: port in use …`).
   */
  listen(): Promise<void> {
    if (this.http !== undefined) return Promise.reject(new Error("WsServer.listen() was already called"));
    const o = this.options;
    if (o.server !== undefined) {
      this.http = o.server;
      o.server.on("upgrade", this.onUpgradeBound);
      return Promise.resolve();
    }
    const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
      const wsPath = pathOf(req.url) === this.path;
      res.writeHead(wsPath ? 426 : 404, { "Content-Type": "text/plain", Connection: "close", ...(wsPath ? { Upgrade: "websocket" } : {}) });
      res.end(wsPath ? "WebSocket upgrade required\n" : "Not Found\n");
    };
    // A socket that never completes its upgrade request gets the first-packet timeout too (408).
    const fpt = o.firstPacketTimeoutMs ?? 0;
    const timeouts =
      fpt > 0 ? { headersTimeout: fpt, requestTimeout: Math.max(fpt, 300_000), connectionsCheckingInterval: Math.max(50, Math.min(30_000, Math.floor(fpt / 2))) } : {};
    const http = o.tls !== undefined ? createHttpsServer({ ...timeouts, ...o.tls }, onRequest) : createHttpServer(timeouts, onRequest);
    http.on("upgrade", this.onUpgradeBound);
    http.on("clientError", (error: Error & { code?: string }, socket: Duplex) => {
      this.logger.debug("bad HTTP request", { error });
      reject(socket, error.code === "ERR_HTTP_REQUEST_TIMEOUT" ? HTTP_408 : HTTP_400);
    });
    if (o.tls !== undefined) {
      http.on("tlsClientError", (error: Error, socket: Socket) => {
        this.logger.warn("TLS handshake failed", { remoteAddress: formatAddress(socket.remoteAddress, socket.remotePort), error });
      });
    }
    this.http = http;
    this.own = true;
    const port = o.port ?? (o.tls !== undefined ? DEFAULT_WSS_PORT : DEFAULT_WS_PORT);
    const host = o.host ?? "127.0.0.1";
    return new Promise<void>((resolve, reject) => {
      const onError = (error: Error): void => {
        this.http = undefined;
        const listener = `${o.tls !== undefined ? "wss" : "ws"}://${formatAddress(host, port)}`;
        this.logger.error("cannot listen", { address: listener, error });
        reject(listenError(listener, error));
      };
      http.once("error", onError);
      http.listen(port, host, () => {
        http.off("error", onError);
        http.on("error", (error: Error) => this.serverError(error));
        const a = http.address() as AddressInfo;
        this.bound = { host: a.address, port: a.port };
        this.logger.info("listening", { address: formatAddress(a.address, a.port), path: this.path, tls: o.tls !== undefined });
        resolve();
      });
    });
  }

  /**
   * Stops accepting, closes every connection (flushing what was accepted), resolves when all
   * are closed. An attached `server` is left running (only this server's upgrade handler is removed).
   */
  override close(): Promise<void> {
    return super.close();
  }

  /**
   * Stops accepting upgrades. An attached `server` is left running (only this server's upgrade
   * handler is removed); an own one stops listening.
   */
  protected stopAccepting(): Promise<void> {
    const http = this.http;
    let stopped: Promise<void> = Promise.resolve();
    if (http !== undefined) {
      http.off("upgrade", this.onUpgradeBound);
      if (this.own && http.listening) {
        stopped = new Promise<void>((resolve) => http.close(() => resolve()));
        http.closeIdleConnections();
      }
    }
    return stopped.then(() => this.wss.close());
  }

  private onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (pathOf(req.url) !== this.path) {
      // Another upgrade handler on a shared server may want it; on our own server nobody does.
      if (this.own || (this.http?.listenerCount("upgrade") ?? 0) <= 1) reject(socket, HTTP_404);
      return;
    }
    if (this.isClosing) {
      reject(socket, HTTP_503);
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws: WebSocket) => this.accept(ws, req.socket as Socket));
  }

  private accept(ws: WebSocket, socket: Socket): void {
    this.adopt(
      (hooks) => new WsConnection(ws, socket, this.options, "server", hooks),
      () => ws.terminate(),
    );
  }
}

function pathOf(url: string | undefined): string {
  if (url === undefined) return "";
  const q = url.indexOf("?");
  return q < 0 ? url : url.slice(0, q);
}

function reject(socket: Duplex, response: string): void {
  socket.on("error", () => {});
  if (socket.writable) socket.end(response);
  else socket.destroy();
}
