import type { ConnectionOptions, TlsOptions } from "node:tls";
import type { TransportOptions, TransportServerOptions } from "@sfs2x/protocol";

export { DEFAULT_CLOSE_TIMEOUT_MS, type HighWaterMarkPolicy } from "@sfs2x/protocol";

/**
 * Options of one TCP connection (client or server side): the shared `TransportOptions`, which
 * include `highWaterMarkPolicy` (see `HighWaterMarkPolicy`) and `closeTimeoutMs` (how long
 * `close()` waits for the buffered bytes to flush and the peer to close its side before
 * destroying the socket).
 */
export interface TcpConnectionOptions extends TransportOptions {}

/** TLS settings of a client: the `node:tls` connect options (`ca`, `servername`, `rejectUnauthorized`, client `cert`/`key`...). */
export type TcpClientTlsOptions = Omit<ConnectionOptions, "host" | "port" | "path" | "socket">;

/** Options of {@link connectTcp}. */
export interface TcpClientOptions extends TcpConnectionOptions {
  /** Connect over TLS: `true` for the system CAs, or `node:tls` options (`ca`, `servername`, `rejectUnauthorized`...). */
  tls?: boolean | TcpClientTlsOptions;
}

/** Options of {@link TcpServer}. */
export interface TcpServerOptions extends TransportServerOptions, TcpConnectionOptions {
  /**
   * Serve TLS: `node:tls` server options, e.g. `{ key, cert }` (PEM) or `{ secureContext }`.
   * The TLS handshake must finish within `firstPacketTimeoutMs` (when set).
   */
  tls?: TlsOptions;
  /** Largest number of simultaneous connections (further ones are refused at once). Default unlimited. */
  maxConnections?: number;
}

/** Default TCP port of SFS2X. */
export const DEFAULT_TCP_PORT = 9933;
