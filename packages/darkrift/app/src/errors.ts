import { DarkRiftDecodeError, DarkRiftError, type DarkRiftMessage } from "@darkrift/core";

/** Codes of {@link MessageDefinitionError}. */
export type MessageDefinitionErrorCode =
  | "BAD_TAG"
  | "BAD_FIELD_TYPE"
  | "BAD_FIELD"
  | "DUPLICATE_FIELD"
  | "OPTIONAL_NOT_LAST"
  | "NO_TAG"
  | "NOT_DECORATED"
  | "UNKNOWN_FIELD"
  | "DUPLICATE_TAG"
  | "DUPLICATE_HANDLER"
  /** The decorators were compiled as standard (TC39) decorators: `experimentalDecorators` is off. */
  | "NEEDS_EXPERIMENTAL_DECORATORS";

/**
 * A typed message class, container or dispatcher is used wrongly (bad decorator arguments, a tag
 * registered twice, …). A programming error: raised at definition or registration time, never
 * because of bytes received from a peer.
 */
export class MessageDefinitionError extends DarkRiftError {
  declare readonly code: MessageDefinitionErrorCode;
  constructor(code: MessageDefinitionErrorCode, message: string) {
    super(code, message);
  }
}

/** Codes of {@link TypedMessageError}. */
export type TypedMessageErrorCode = "DECODE_FAILED" | "ENCODE_FAILED" | "TAG_MISMATCH";

/**
 * A typed message could not be read from (or written to) the wire. Names the class and the field
 * (a dotted path for nested fields, e.g. `"players.position"`); the underlying
 * `DarkRiftDecodeError` / `DarkRiftEncodeError` is the `cause`, and `offset` is its byte offset.
 */
export class TypedMessageError extends DarkRiftError {
  declare readonly code: TypedMessageErrorCode;
  /** Name of the class being read or written. */
  readonly className: string;
  /** Field path within that class (`""` when no single field is to blame). */
  readonly field: string;
  /** Byte offset of the failure within the payload, when decoding. */
  readonly offset: number | undefined;

  constructor(code: TypedMessageErrorCode, className: string, field: string, message: string, options: { cause?: unknown; offset?: number } = {}) {
    const where = field ? `${className}.${field}` : className;
    super(code, `${where}: ${message}`, { cause: options.cause });
    this.className = className;
    this.field = field;
    this.offset = options.offset ?? (options.cause instanceof DarkRiftDecodeError ? options.cause.offset : undefined);
  }
}

/**
 * `MessageContainer.convert` got a message whose tag has no registered class (or a command message,
 * which is never a user message). Catch it to fall back to the raw message, kept in `raw`.
 */
export class UnknownTagError extends DarkRiftError {
  declare readonly code: "UNKNOWN_TAG";
  /** The tag that has no class. */
  readonly tag: number;
  /** The message that could not be converted. */
  readonly raw: DarkRiftMessage;

  constructor(raw: DarkRiftMessage) {
    super("UNKNOWN_TAG", raw.isCommand ? `command ${raw.tag} is not a user message` : `no message class is registered for tag ${raw.tag}`);
    this.tag = raw.tag;
    this.raw = raw;
  }
}
