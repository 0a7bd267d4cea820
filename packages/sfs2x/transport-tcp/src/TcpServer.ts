import { createServer as createNetServer, type AddressInfo, type Server, type Socket } from "node:net";
import { createServer as createTlsServer } from "node:tls";
import { TransportServerBase, formatAddress, listenError, type TransportAddress } from "@sfs2x/protocol";
import { TcpConnection } from "./TcpConnection.js";
import { DEFAULT_TCP_PORT, type TcpServerOptions } from "./TcpOptions.js";

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
export class TcpServer extends TransportServerBase<TcpConnection, TcpServerOptions> {
  private server: Server | undefined = undefined;
  private bound: TransportAddress | undefined = undefined;

  constructor(options: TcpServerOptions = {}) {
    super(options, "sfs2x:transport-tcp");
  }

  /** The bound address (port 0 resolved) once listening. */
  get address(): TransportAddress | undefined {
    return this.bound;
  }

  /** True when the server speaks TLS. */
  get secure(): boolean {
    return this.options.tls !== undefined;
  }

  /**
   * Binds the listening socket. Rejects with `TransportError` `LISTEN_FAILED` naming the listener
   * (`cannot listen on tcp://127.0.0.1:9933: port in use …`) when it cannot bind.
   */
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
    const port = o.port ?? DEFAULT_TCP_PORT;
    const host = o.host ?? "127.0.0.1";
    return new Promise<void>((resolve, reject) => {
      const onError = (error: Error): void => {
        this.server = undefined;
        const listener = `${o.tls !== undefined ? "tcps" : "tcp"}://${formatAddress(host, port)}`;
        this.logger.error("cannot listen", { address: listener, error });
        reject(listenError(listener, error));
      };
      server.once("error", onError);
      server.listen(port, host, () => {
        server.off("error", onError);
        server.on("error", (error: Error) => this.serverError(error));
        const a = server.address() as AddressInfo;
        this.bound = { host: a.address, port: a.port };
        this.logger.info("listening", { address: formatAddress(a.address, a.port), tls: o.tls !== undefined });
        resolve();
      });
    });
  }

  protected stopAccepting(): Promise<void> {
    const server = this.server;
    if (server === undefined || !server.listening) return Promise.resolve();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private accept(socket: Socket): void {
    this.adopt(
      (hooks) => new TcpConnection(socket, this.options, "server", hooks),
      () => socket.destroy(),
    );
  }
}
