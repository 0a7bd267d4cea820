/**
 * Internal command codes (the tag of a message with flags 0x80). Only `Configure` is used on the
 * bichannel client/server path; `Identify` exists in C# but is never sent there.
 */
export const CommandCode = {
  /** Server → client: the payload is the client's uint16 ID. */
  Configure: 0,
  /** Not used by the bichannel client/server path. */
  Identify: 1,
} as const;

/** One of the {@link CommandCode} values. */
export type CommandCode = (typeof CommandCode)[keyof typeof CommandCode];
