/**
 * The `reason` strings a connection reports in its close info when the transport itself closed
 * it (a `close(reason)` call reports the caller's reason instead). The same for every transport;
 * stable: match on them.
 */
export const CloseReason = {
  /** `close()` without a reason. */
  CLOSED: "closed",
  /** The peer closed or reset the connection (TCP FIN/RST, a WebSocket close frame or a dropped socket). */
  PEER_CLOSED: "peer closed",
  /** Nothing was received for `idleTimeoutMs`. */
  IDLE: "idle",
  /** Server side: no complete packet within `firstPacketTimeoutMs` of the connection (or the WebSocket upgrade). */
  FIRST_PACKET_TIMEOUT: "first packet timeout",
  /**
   * The peer sent bytes that are not SFS2X packets, a packet over `maxMessageSize`, or (WebSocket)
   * a text frame or a message that is not exactly one packet.
   */
  BAD_PACKET: "bad packet",
  /** Policy `"close"`: the send queue went over `highWaterMark` (the peer does not read). */
  SLOW_CONSUMER: "send queue over high-water mark",
  /** The server was closed. */
  SERVER_CLOSING: "server closing",
} as const;

/** One of the {@link CloseReason} strings. */
export type CloseReason = (typeof CloseReason)[keyof typeof CloseReason];
