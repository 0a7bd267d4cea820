import type { ConnectionOptions, TlsOptions } from "node:tls";
import type { TransportOptions, TransportServerOptions } from "@sfs2x/protocol";

/**
 * What `send()` does when the bytes buffered for a connection would go over `highWaterMark`:
 *
 * - `"refuse"` (default, the contract of `TransportConnection`): `send()` rejects with
 *   `TransportError` `QUEUE_FULL` and the packet is not queued; `onDrain` fires once the buffer
 *   is back under the mark.
 * - `"wait"`: the packet is queued behind the congested socket and its `send()` promise resolves
 *   only when the socket has drained and taken it (await each `send()` to get back-pressure).
 *   The waiting room holds at most another `highWaterMark` bytes; past that `send()` rejects
 *   `QUEUE_FULL`, so memory stays bounded even for a caller that never awaits.
 * - `"close"`: the connection is closed at once (reason `"send queue over high-water mark"`,
 *   error `QUEUE_FULL`) and `send()` rejects with `QUEUE_FULL`: a peer that does not read is
 *   dropped, as a game server usually wants.
 *
 * A packet larger than `highWaterMark` is accepted when nothing is buffered, so any packet can go.
 */
export type HighWaterMarkPolicy = "refuse" | "wait" | "close";

/** Options of one TCP connection (client or server side). */
export interface TcpConnectionOptions extends TransportOptions {
  /** What happens above `highWaterMark`; see {@link HighWaterMarkPolicy}. Default `"refuse"`. */
  highWaterMarkPolicy?: HighWaterMarkPolicy;
  /**
   * How long `close()` waits for the buffered bytes to flush and the peer to close its side
   * before destroying the socket (ms). Default {@link DEFAULT_CLOSE_TIMEOUT_MS}.
   */
  closeTimeoutMs?: number;
}

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

/** Default grace period of `close()`: 5 s. */
export const DEFAULT_CLOSE_TIMEOUT_MS = 5_000;
/** Default TCP port of SFS2X. */
export const DEFAULT_TCP_PORT = 9933;
