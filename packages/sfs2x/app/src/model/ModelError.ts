/** The `code` values of {@link ModelError}. */
export const ModelErrorCode = {
  /** A required field is absent from the SFSObject (or NULL), or `undefined` when serialising. */
  MISSING_FIELD: "MISSING_FIELD",
  /** The SFSObject holds the key with another wire type than the field declares. */
  WRONG_TYPE: "WRONG_TYPE",
  /** A field's value does not fit its wire type when serialising (range, kind, length). */
  INVALID_VALUE: "INVALID_VALUE",
  /** None of the models of a union parses the params. */
  NO_MATCH: "NO_MATCH",
  /** A class used as a model has no `@field` declarations, or a declaration is malformed. */
  BAD_DEFINITION: "BAD_DEFINITION",
} as const;

/** One of the {@link ModelErrorCode} strings. */
export type ModelErrorCode = (typeof ModelErrorCode)[keyof typeof ModelErrorCode];

/**
 * A typed model could not be parsed from, or serialised to, an SFSObject. The message names the
 * model and the field (`LoginResponse.userId (key "id"): expected INT, got DOUBLE`); `path` is the
 * full location for nested models (`Outer.items[2].x`).
 */
export class ModelError extends Error {
  override readonly name = "ModelError";
  constructor(
    readonly code: ModelErrorCode,
    message: string,
    /** Name of the model class, when one is involved. */
    readonly model?: string,
    /** Property name of the field, when one is involved. */
    readonly field?: string,
    /** Path from the outermost model, e.g. `Outer.items[2].x`. */
    readonly path?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
