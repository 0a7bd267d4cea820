/** The `code` values of {@link SFSCodecError}: why a decode failed. */
export const SFSCodecErrorCode = {
  /** The input ends before a value, length or count that it announces. */
  TRUNCATED: "TRUNCATED",
  /** A type byte outside 0..20. */
  UNKNOWN_TYPE: "UNKNOWN_TYPE",
  /** Type 19 (CLASS): serialized Java/C# classes, not supported on the wire. */
  UNSUPPORTED_TYPE: "UNSUPPORTED_TYPE",
  /** A negative count or length (every SFS2X decoder rejects them). */
  NEGATIVE_LENGTH: "NEGATIVE_LENGTH",
  /** A BOOL byte other than 0 or 1. */
  INVALID_BOOL: "INVALID_BOOL",
  /** An SFSObject key longer than 255 bytes. */
  KEY_TOO_LONG: "KEY_TOO_LONG",
  /** Containers nested deeper than the `maxDepth` option. */
  DEPTH_EXCEEDED: "DEPTH_EXCEEDED",
  /** The root is not the expected container (0x12 for an SFSObject, 0x11 for an SFSArray). */
  WRONG_ROOT_TYPE: "WRONG_ROOT_TYPE",
  /** Bytes after the root container while `allowTrailingBytes` is false. */
  TRAILING_BYTES: "TRAILING_BYTES",
} as const;

/** One of the {@link SFSCodecErrorCode} strings. */
export type SFSCodecErrorCode = (typeof SFSCodecErrorCode)[keyof typeof SFSCodecErrorCode];

/**
 * A decode failure: the input bytes are not a valid SFS2X encoding (or break a limit).
 * `offset` is the byte position (relative to the start of the decoded range) where the bad
 * field starts.
 */
export class SFSCodecError extends Error {
  override readonly name = "SFSCodecError";
  constructor(
    readonly code: SFSCodecErrorCode,
    message: string,
    readonly offset: number,
    options?: { cause?: unknown },
  ) {
    super(`${message} (at byte ${offset})`, options);
  }
}
