import type { TransportOptions } from "@sfs2x/protocol";

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
 * - `"close"`: the connection is dropped at once (reason `"send queue over high-water mark"`,
 *   error `QUEUE_FULL`) and `send()` rejects with `QUEUE_FULL`.
 *
 * A packet larger than `highWaterMark` is accepted when nothing is buffered, so any packet can go.
 */
export type HighWaterMarkPolicy = "refuse" | "wait" | "close";

/** Options of one WebSocket connection (any side, Node or browser). */
export interface WsConnectionOptions extends TransportOptions {
  /** What happens above `highWaterMark`; see {@link HighWaterMarkPolicy}. Default `"refuse"`. */
  highWaterMarkPolicy?: HighWaterMarkPolicy;
  /**
   * How long `close()` waits for the closing handshake before dropping the socket (ms).
   * Default {@link DEFAULT_CLOSE_TIMEOUT_MS}.
   */
  closeTimeoutMs?: number;
}

/**
 * The `reason` strings a WebSocket connection reports in its close info when the transport
 * itself closed it (a `close(reason)` call reports the caller's reason instead). Stable: match on them.
 */
export const CloseReason = {
  /** `close()` without a reason. */
  CLOSED: "closed",
  /** The peer closed the WebSocket (see `closeCode`) or the socket went away. */
  PEER_CLOSED: "peer closed",
  /** Nothing was received for `idleTimeoutMs`. */
  IDLE: "idle",
  /** Server side: no complete packet within `firstPacketTimeoutMs` of the upgrade. */
  FIRST_PACKET_TIMEOUT: "first packet timeout",
  /** A text frame, a message that is not one whole SFS2X packet, or one over `maxMessageSize`. */
  BAD_PACKET: "bad packet",
  /** Policy `"close"`: the send queue went over `highWaterMark` (the peer does not read). */
  SLOW_CONSUMER: "send queue over high-water mark",
  /** The server was closed. */
  SERVER_CLOSING: "server closing",
} as const;

/** One of the {@link CloseReason} strings. */
export type CloseReason = (typeof CloseReason)[keyof typeof CloseReason];

/** The path the official JS client always uses. */
export const DEFAULT_WS_PATH = "/BlueBox/websocket";
/** SFS2X's default WebSocket port. */
export const DEFAULT_WS_PORT = 8080;
/** SFS2X's default secure WebSocket port. */
export const DEFAULT_WSS_PORT = 8443;
/** Default grace period of `close()`: 5 s. */
export const DEFAULT_CLOSE_TIMEOUT_MS = 5_000;
