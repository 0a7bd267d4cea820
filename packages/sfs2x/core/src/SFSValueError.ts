/** The `code` values of {@link SFSValueError}: why a value cannot be stored or encoded. */
export const SFSValueErrorCode = {
  /** A number outside the range of its type (BYTE 0..255, SHORT, INT, LONG int64, FLOAT). */
  OUT_OF_RANGE: "OUT_OF_RANGE",
  /** A JS value that does not fit the type at all (a string for an INT, a fraction for a SHORT...). */
  INVALID_VALUE: "INVALID_VALUE",
  /** A UTF_STRING over 32767 UTF-8 bytes (use TEXT). */
  STRING_TOO_LONG: "STRING_TOO_LONG",
  /** An SFSObject key over 255 UTF-8 bytes. */
  KEY_TOO_LONG: "KEY_TOO_LONG",
  /** An array or container with more than 32767 elements (counts are int16 on the wire). */
  COUNT_TOO_LARGE: "COUNT_TOO_LARGE",
  /** Containers nested deeper than `maxDepth` (also catches a container that contains itself). */
  DEPTH_EXCEEDED: "DEPTH_EXCEEDED",
  /** CLASS (19) or a type id outside 0..20. */
  UNSUPPORTED_TYPE: "UNSUPPORTED_TYPE",
  /** A typed getter (`getInt`...) used on an entry of another wire type. */
  TYPE_MISMATCH: "TYPE_MISMATCH",
} as const;

/** One of the {@link SFSValueErrorCode} strings. */
export type SFSValueErrorCode = (typeof SFSValueErrorCode)[keyof typeof SFSValueErrorCode];

/**
 * A value that cannot be stored in (or encoded from) an SFSObject/SFSArray: thrown by the
 * `put*` / `add*` methods, typed construction and `toBinary()`, before any byte is sent.
 */
export class SFSValueError extends Error {
  override readonly name = "SFSValueError";
  constructor(
    readonly code: SFSValueErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
