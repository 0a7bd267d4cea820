import { DarkRiftError } from "@darkrift/core";

/** Codes of {@link FrameError}. */
export type FrameErrorCode =
  /** A message body is shorter than its header (3 bytes, or 5 with the ping flag). Strike weight 5. */
  | "HEADER_TOO_SHORT"
  /** A TCP length prefix is at or above the decoder's `maxBodyLength`. Strike weight 10. */
  | "BODY_TOO_LONG"
  /** A TCP length prefix of 0: C# reads it as a closed socket. Fatal. */
  | "EMPTY_BODY"
  /** A negative TCP length prefix. Fatal. */
  | "NEGATIVE_LENGTH"
  /** A datagram is larger than a UDP payload can be (65507 bytes over IPv4). */
  | "DATAGRAM_TOO_LONG"
  /** The decoder already failed and refuses further input. */
  | "DECODER_FAILED";

/**
 * A malformed TCP frame or UDP datagram. `offset` is the byte position where the bad frame
 * starts: within the whole TCP stream for {@link FrameDecoder}, within the bytes for the
 * single-buffer decoders. `strikeWeight` is the weight a C# DarkRift server gives the
 * violation; a `fatal` error leaves the stream unusable.
 */
export class FrameError extends DarkRiftError {
  declare readonly code: FrameErrorCode;
  /** Byte position of the offending frame (stream offset for a {@link FrameDecoder}). */
  readonly offset: number;
  /** Strike weight a C# server gives this violation (0 when the protocol defines none). */
  readonly strikeWeight: number;
  /** True when the stream cannot continue after this error. */
  readonly fatal: boolean;

  constructor(
    code: FrameErrorCode,
    message: string,
    offset: number,
    options: { strikeWeight?: number; fatal?: boolean; cause?: unknown } = {},
  ) {
    super(code, `${message} (at byte ${offset})`, options.cause === undefined ? undefined : { cause: options.cause });
    this.offset = offset;
    this.strikeWeight = options.strikeWeight ?? 0;
    this.fatal = options.fatal ?? false;
  }
}
