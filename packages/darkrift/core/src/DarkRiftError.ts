/**
 * Base class of every error raised by the DarkRift packages. Higher floors
 * (`@darkrift/protocol`, client, server, app) subclass it with their own codes.
 */
export class DarkRiftError extends Error {
  /** A stable, machine-readable code such as `"END_OF_DATA"` or `"OUT_OF_RANGE"`. */
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Codes of {@link DarkRiftDecodeError}. */
export type DarkRiftDecodeErrorCode =
  /** Fewer bytes remain than the value needs (C#: `EndOfStreamException`). */
  | "END_OF_DATA"
  /** An int32 count prefix is negative. */
  | "NEGATIVE_COUNT"
  /** An int32 count prefix asks for more elements than the remaining bytes can hold. */
  | "COUNT_EXCEEDS_DATA"
  /** A char did not decode to exactly one UTF-16 code unit. */
  | "BAD_CHAR"
  /** `reader.position` was set outside `0..length`. */
  | "BAD_POSITION";

/**
 * Raised by {@link DarkRiftReader} on malformed or truncated input. Always raised before
 * anything is allocated from the offending count, and `offset` is the byte position
 * (within the reader's bytes) where the bad value starts.
 */
export class DarkRiftDecodeError extends DarkRiftError {
  declare readonly code: DarkRiftDecodeErrorCode;
  /** Byte offset (within the reader's bytes) of the value that failed to decode. */
  readonly offset: number;

  constructor(code: DarkRiftDecodeErrorCode, message: string, offset: number, options?: { cause?: unknown }) {
    super(code, `${message} (at byte ${offset})`, options);
    this.offset = offset;
  }
}

/** Codes of {@link DarkRiftEncodeError}. */
export type DarkRiftEncodeErrorCode =
  /** A number is not an integer of the target type's range (or not a number at all). */
  | "OUT_OF_RANGE"
  /** A value has the wrong JS type (e.g. a number where a string is expected). */
  | "BAD_VALUE";

/**
 * Raised by {@link DarkRiftWriter} (and {@link DarkRiftMessage}) when a value cannot be
 * represented on the wire, e.g. `writeByte(256)` or a tag above 65535. A failed write
 * leaves the writer exactly as it was before the call.
 */
export class DarkRiftEncodeError extends DarkRiftError {
  declare readonly code: DarkRiftEncodeErrorCode;
}
