import { createServer as createNetServer, type AddressInfo, type Server, type Socket } from "node:net";
import { createServer as createTlsServer } from "node:tls";
import {
  DEFAULT_FIRST_PACKET_TIMEOUT_MS,
  TypedEmitter,
  silentLogger,
  type TransportAddress,
  type TransportLogger,
  type TransportServer,
} from "@sfs2x/protocol";
import { CloseReason } from "./CloseReason.js";
import { TcpConnection, formatAddress } from "./TcpConnection.js";
import { DEFAULT_TCP_PORT, type TcpServerOptions } from "./TcpOptions.js";

interface Events {
  connection: [TcpConnection];
  error: [Error, TcpConnection | undefined];
}

/**
 * An SFS2X TCP server (the {@link TransportServer} of `@sfs2x/transport-tcp`), optionally over TLS.
 *
 * ```ts
 * const server = new TcpServer({ host: "127.0.0.1", port: 0 });
 * server.onConnection((conn) => conn.onMessage((m) => void conn.send(m))); // echo
 * await server.listen();
 * console.log(server.address); // { host: "127.0.0.1", port: 41234 }
 * ```
 *
 * A connection that sends bytes that are not SFS2X packets, a size field over `maxMessageSize`,
 * nothing within `firstPacketTimeoutMs`, or nothing for `idleTimeoutMs`, is closed on its own:
 * the error goes to `onError(error, connection)` and the logger, and everyone else keeps being served.
 */
export class TcpServer implements TransportServer {
  private readonly options: TcpServerOptions;
  private readonly logger: TransportLogger;
  private readonly events: TypedEmitter<Events>;
  private readonly conns = new Set<TcpConnection>();
  private server: Server | undefined = undefined;
  private bound: TransportAddress | undefined = undefined;
  private closing: Promise<void> | undefined = undefined;

  constructor(options: TcpServerOptions = {}) {
    this.options = { ...options, firstPacketTimeoutMs: options.firstPacketTimeoutMs ?? DEFAULT_FIRST_PACKET_TIMEOUT_MS };
    this.logger = options.logger ?? silentLogger;
    this.events = new TypedEmitter<Events>((error, event) => this.logger.error(`a ${String(event)} listener threw`, { error }));
  }

  /** The bound address (port 0 resolved) once listening. */
  get address(): TransportAddress | undefined {
    return this.bound;
  }

  /** True when the server speaks TLS. */
  get secure(): boolean {
    return this.options.tls !== undefined;
  }

  get connections(): ReadonlySet<TcpConnection> {
    return this.conns;
  }

  listen(): Promise<void> {
    if (this.server !== undefined) return Promise.reject(new Error("TcpServer.listen() was already called"));
    const o = this.options;
    const server: Server =
      o.tls !== undefined
        ? createTlsServer(
            { handshakeTimeout: o.firstPacketTimeoutMs || 120_000, ...o.tls },
            (socket) => this.accept(socket),
          )
        : createNetServer({ noDelay: true }, (socket) => this.accept(socket));
    if (o.maxConnections !== undefined) server.maxConnections = o.maxConnections;
    if (o.tls !== undefined) {
      // One client failing its TLS handshake concerns that client only.
      server.on("tlsClientError", (error: Error, socket: Socket) => {
        this.logger.warn("TLS handshake failed", { remoteAddress: formatAddress(socket.remoteAddress, socket.remotePort), error });
      });
    }
    this.server = server;
    return new Promise<void>((resolve, reject) => {
      const onError = (error: Error): void => {
        this.server = undefined;
        reject(error);
      };
      server.once("error", onError);
      server.listen(o.port ?? DEFAULT_TCP_PORT, o.host ?? "127.0.0.1", () => {
        server.off("error", onError);
        server.on("error", (error: Error) => {
          this.logger.error("server error", { error });
          this.events.emit("error", error, undefined);
        });
        const a = server.address() as AddressInfo;
        this.bound = { host: a.address, port: a.port };
        this.logger.info("listening", { address: formatAddress(a.address, a.port), tls: o.tls !== undefined });
        resolve();
      });
    });
  }

  onConnection(listener: (connection: TcpConnection) => void): () => void {
    return this.events.on("connection", listener);
  }

  onError(listener: (error: Error, connection?: TcpConnection) => void): () => void {
    return this.events.on("error", listener);
  }

  /** Stops accepting, closes every connection (flushing what was accepted), resolves when all are closed. */
  close(): Promise<void> {
    if (this.closing !== undefined) return this.closing;
    const server = this.server;
    const stopped =
      server === undefined || !server.listening
        ? Promise.resolve()
        : new Promise<void>((resolve) => server.close(() => resolve()));
    const closes = [...this.conns].map((c) => c.close(CloseReason.SERVER_CLOSING));
    this.closing = Promise.all([stopped, ...closes]).then(() => {
      this.logger.info("closed", {});
    });
    return this.closing;
  }

  private accept(socket: Socket): void {
    if (this.closing !== undefined) {
      socket.destroy();
      return;
    }
    let conn: TcpConnection;
    try {
      conn = new TcpConnection(socket, this.options, "server", {
        onDrop: (error) => this.events.emit("error", error, conn),
      });
    } catch (error) {
      socket.destroy();
      this.logger.error("could not set up a connection", { error });
      return;
    }
    this.conns.add(conn);
    conn.onClose(() => this.conns.delete(conn));
    this.logger.debug("connection", { remoteAddress: conn.remoteAddress });
    this.events.emit("connection", conn);
  }
}
