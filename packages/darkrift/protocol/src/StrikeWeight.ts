/**
 * Strike weights a C# DarkRift server gives protocol violations (spec §4 "Strikes"). A client
 * whose total reaches the server's `maxStrikes` is disconnected.
 */
export const StrikeWeight = {
  /** A client sent a command message (flags 0x80); the message is dropped. */
  CommandFromClient: 5,
  /** A message too short for its header (3 bytes, 5 for pings); the message is dropped. */
  HeaderTooShort: 5,
  /** A TCP length prefix at or above `maxTcpBodyLength`; the body is not buffered. */
  BodyTooLong: 10,
  /** A ping acknowledgement whose code matches no outstanding ping; the message is still delivered. */
  UnknownPingAcknowledgement: 1,
} as const;

/** Names of the {@link StrikeWeight} entries. */
export type StrikeReason = keyof typeof StrikeWeight;
