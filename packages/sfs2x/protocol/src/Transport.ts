import type { CodecOptions } from "./CodecOptions.js";
import type { Message } from "./Message.js";
import type { PreparedMessage } from "./PreparedMessage.js";
import { TransportError, TransportErrorCode } from "./TransportError.js";

/**
 * The SFS2X transport contract. Floor 2 defines it; `@sfs2x/transport-tcp` (`tcp://`) and
 * `@sfs2x/transport-ws` (`ws://`, `wss://`) implement it; `@sfs2x/app` picks one by URL scheme
 * through the factories and never touches sockets itself.
 *
 * A connection carries {@link Message}s, not bytes: the transport owns framing (one SFS packet per
 * WebSocket binary message; a `PacketDecoder` over the TCP stream), compression and encryption,
 * configured by {@link CodecOptions} that may change during the session
 * ({@link TransportConnection.setCodecOptions}).
 *
 * ## Flow-control policy (the same for every transport)
 * - `send()` encodes at once (encode errors reject it: nothing is sent), then hands the packet to
 *   the socket. Its promise resolves when the socket has accepted the bytes (written, or queued in
 *   the socket's own buffer), not when the peer has read them.
 * - The bytes accepted but not yet flushed are {@link TransportConnection.bufferedAmount}. A `send()`
 *   that would take it over `highWaterMark` is **refused** (policy `"refuse"`, the default): it
 *   rejects with `TransportError` `QUEUE_FULL` and the packet is not queued at all (never
 *   half-sent). A packet larger than `highWaterMark` is still accepted when nothing is buffered,
 *   so any packet can go. The caller chooses what to do: wait for `onDrain`, drop (state
 *   updates), or close the connection (a peer that does not read). Nothing is dropped silently.
 *   The other {@link HighWaterMarkPolicy} values make `send()` wait instead, or close the connection.
 * - `send()` on a closed or closing connection rejects with `ConnectionClosedError` (code `CLOSED`).
 * - `close()` stops accepting sends, flushes what was accepted, then closes; it resolves once the
 *   socket is closed (at most after a short transport-defined grace period if the peer does not read).
 * - Incoming: one malformed packet that leaves the stream in sync (bad zlib, bad SFSObject...)
 *   is reported through `onError` and skipped; a framing error (`PacketError.fatal`), an oversized
 *   packet or a timeout closes the connection with that error in the close info. A server drops only
 *   the offending connection and logs the reason.
 */
export interface TransportConnection {
  /** Peer address, e.g. `"127.0.0.1:50122"` (undefined when unknown, e.g. in a browser). */
  readonly remoteAddress: string | undefined;
  /** True once the connection is closing or closed: `send()` then rejects. */
  readonly closed: boolean;
  /** Bytes accepted by `send()` and not yet flushed to the network. */
  readonly bufferedAmount: number;

  /**
   * Encodes and sends one message; see the flow-control policy above. Rejects with
   * `ConnectionClosedError`, `TransportError` (`QUEUE_FULL`, `SEND_FAILED`), or the encoder's
   * `PacketError` / `SFSValueError`.
   */
  send(message: Message): Promise<void>;

  /**
   * Sends a message encoded once for many connections (a broadcast): the same contract as
   * {@link send}, but the packet comes from the {@link PreparedMessage}'s cache for this
   * connection's codec options. Optional for other implementations: fall back to
   * `send(prepared.message)` when absent. Both built-in transports implement it.
   */
  sendPrepared?(prepared: PreparedMessage): Promise<void>;

  /** Flushes what was accepted, then closes. Idempotent; `reason` goes to `onClose` listeners. */
  close(reason?: string): Promise<void>;

  /**
   * Changes codec options for the following packets, both directions: e.g. after the handshake
   * `{ compressionThreshold: ct, maxMessageSize: ms }`, after the CryptoManager exchange
   * `{ cipher: { key, iv } }` (TCP only). Throws `PacketError` `BAD_OPTIONS` on invalid values.
   */
  setCodecOptions(partial: CodecOptions): void;

  /** Each decoded incoming message, in order. Returns a function that removes the listener. */
  onMessage(listener: (message: Message) => void): () => void;
  /** Once, when the connection has closed, for whatever reason (`error` set when it failed). */
  onClose(listener: (info: CloseInfo) => void): () => void;
  /** Non-fatal problems (a skipped bad packet, a failed write); fatal ones also close. */
  onError(listener: (error: Error) => void): () => void;
  /** When `bufferedAmount` has fallen back under `highWaterMark` after a refused or queued send. */
  onDrain(listener: () => void): () => void;
}

/** Why a connection closed. */
export interface CloseInfo {
  /** Human-readable reason: the one given to `close()`, or what the transport saw ("peer closed", "idle timeout"...). */
  reason: string;
  /** The error that caused the close, if any (a `PacketError`, a `TransportError` `TIMEOUT`, a socket error). */
  error?: Error;
}

/** The address a server actually bound. */
export interface TransportAddress {
  host: string;
  port: number;
}

/** A listening transport endpoint that yields one {@link TransportConnection} per client. */
export interface TransportServer {
  /** Binds and starts accepting. Rejects when the address cannot be bound. */
  listen(): Promise<void>;
  /** The bound address (port 0 resolved) once listening; undefined before. */
  readonly address: TransportAddress | undefined;
  /** The open connections. */
  readonly connections: ReadonlySet<TransportConnection>;
  /** Each accepted connection; attach listeners synchronously in the callback to miss nothing. */
  onConnection(listener: (connection: TransportConnection) => void): () => void;
  /** Errors of the server, or of one connection (`connection` set) which the server then drops. */
  onError(listener: (error: Error, connection?: TransportConnection) => void): () => void;
  /** Stops accepting, closes every connection, resolves when all are closed. */
  close(): Promise<void>;
}

/** Where transports report what they do (a console-like object; `console` itself fits). */
export interface TransportLogger {
  debug(message: string, data?: Record<string, unknown>): void;
  info(message: string, data?: Record<string, unknown>): void;
  warn(message: string, data?: Record<string, unknown>): void;
  error(message: string, data?: Record<string, unknown>): void;
}

/** A logger that discards everything (the default). */
export const silentLogger: TransportLogger = Object.freeze({
  debug() {},
  info() {},
  warn() {},
  error() {},
});

/**
 * What `send()` does when the bytes buffered for a connection would go over `highWaterMark`:
 *
 * - `"refuse"` (default, the contract of `TransportConnection`): `send()` rejects with
 *   `TransportError` `QUEUE_FULL` and the packet is not queued; `onDrain` fires once the buffer
 *   is back under the mark.
 * - `"wait"`: the packet waits in order behind the congested socket and its `send()` promise
 *   resolves when the socket takes it (await each `send()` to get back-pressure). The waiting
 *   room holds at most another `highWaterMark` bytes; past that `send()` rejects `QUEUE_FULL`,
 *   so memory stays bounded even for a caller that never awaits.
 * - `"close"`: the connection is closed at once (reason `"send queue over high-water mark"`,
 *   error `QUEUE_FULL`) and `send()` rejects with `QUEUE_FULL`: a peer that does not read is
 *   dropped, as a game server usually wants.
 *
 * A packet larger than `highWaterMark` is accepted when nothing is buffered, so any packet can go.
 */
export type HighWaterMarkPolicy = "refuse" | "wait" | "close";

/** Options shared by every transport: the codec options plus limits and timeouts. */
export interface TransportOptions extends CodecOptions {
  /** Send-queue limit in bytes (see the flow-control policy). Default {@link DEFAULT_HIGH_WATER_MARK}. */
  highWaterMark?: number;
  /** What happens above `highWaterMark`; see {@link HighWaterMarkPolicy}. Default `"refuse"`. */
  highWaterMarkPolicy?: HighWaterMarkPolicy;
  /**
   * How long `close()` waits for the buffered bytes to flush and the peer to close its side
   * (TCP FIN, WebSocket closing handshake) before dropping the socket (ms). Default
   * {@link DEFAULT_CLOSE_TIMEOUT_MS}.
   */
  closeTimeoutMs?: number;
  /**
   * Close the connection when nothing has been received for this long (ms). `0` disables.
   * Default 0 for clients; servers should set it (SFS2X drops idle users after 300 s).
   */
  idleTimeoutMs?: number;
  /**
   * Server side: close a connection whose first complete packet has not arrived within this
   * long (ms); `0` disables. Default {@link DEFAULT_FIRST_PACKET_TIMEOUT_MS}.
   */
  firstPacketTimeoutMs?: number;
  /** Client side: give up connecting after this long (ms). Default {@link DEFAULT_CONNECT_TIMEOUT_MS}. */
  connectTimeoutMs?: number;
  /** Where to log connection events and dropped connections. Default {@link silentLogger}. */
  logger?: TransportLogger;
}

/** Default send-queue limit: 4 MiB. */
export const DEFAULT_HIGH_WATER_MARK = 4 * 1024 * 1024;
/** Default first-packet timeout: 30 s, SFS2X's `sessionMaxIdleTime` for sessions that never log in. */
export const DEFAULT_FIRST_PACKET_TIMEOUT_MS = 30_000;
/** Default connect timeout: 10 s. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
/** Default grace period of `close()`: 5 s. */
export const DEFAULT_CLOSE_TIMEOUT_MS = 5_000;

/** Server options: where to listen, plus the shared ones. */
export interface TransportServerOptions extends TransportOptions {
  /** Interface to bind (default `"127.0.0.1"`; `"0.0.0.0"` for every IPv4 interface). */
  host?: string;
  /** Port (default per transport; `0` for any free port, see `address`). */
  port?: number;
  /** WebSocket path (default `"/BlueBox/websocket"`, the one the official JS client uses). */
  path?: string;
}

/** Opens client connections for some URL schemes (e.g. `["tcp"]`, `["ws", "wss"]`). */
export interface TransportClientFactory {
  /** Schemes without the colon, lower case. */
  readonly schemes: readonly string[];
  /** Connects to `url` (e.g. `tcp://127.0.0.1:9933`, `ws://host:8080/BlueBox/websocket`). */
  connect(url: string | URL, options?: TransportOptions): Promise<TransportConnection>;
}

/** Creates servers for some URL schemes. */
export interface TransportServerFactory {
  readonly schemes: readonly string[];
  /** Creates (does not start) a server; `listen()` binds it. */
  createServer(options?: TransportServerOptions): TransportServer;
}

/**
 * Picks the factory that handles `url`'s scheme. Throws `TransportError` `UNSUPPORTED_SCHEME`
 * (naming the schemes on offer) when none does.
 */
export function selectTransport<F extends { readonly schemes: readonly string[] }>(url: string | URL, factories: readonly F[]): F {
  let scheme: string;
  try {
    scheme = (typeof url === "string" ? new URL(url) : url).protocol.replace(/:$/, "").toLowerCase();
  } catch (e) {
    throw new TransportError(TransportErrorCode.UNSUPPORTED_SCHEME, `not a URL: ${String(url)}`, { cause: e });
  }
  const found = factories.find((f) => f.schemes.includes(scheme));
  if (found === undefined) {
    const known = factories.flatMap((f) => f.schemes).map((s) => `${s}://`);
    throw new TransportError(
      TransportErrorCode.UNSUPPORTED_SCHEME,
      `no transport for ${scheme}:// (available: ${known.length ? known.join(", ") : "none"})`,
    );
  }
  return found;
}
