/**
 * The `reason` strings a TCP connection reports in its close info when the transport itself
 * closed it (a `close(reason)` call reports the caller's reason instead). Stable: match on them.
 */
export const CloseReason = {
  /** `close()` without a reason. */
  CLOSED: "closed",
  /** The peer closed (FIN) or reset the connection. */
  PEER_CLOSED: "peer closed",
  /** Nothing was received for `idleTimeoutMs`. */
  IDLE: "idle",
  /** Server side: no complete packet within `firstPacketTimeoutMs` of the connection. */
  FIRST_PACKET_TIMEOUT: "first packet timeout",
  /** The peer sent bytes that are not SFS2X packets, or a packet over `maxMessageSize`. */
  BAD_PACKET: "bad packet",
  /** Policy `"close"`: the send queue went over `highWaterMark` (the peer does not read). */
  SLOW_CONSUMER: "send queue over high-water mark",
  /** The server was closed. */
  SERVER_CLOSING: "server closing",
} as const;

/** One of the {@link CloseReason} strings. */
export type CloseReason = (typeof CloseReason)[keyof typeof CloseReason];
