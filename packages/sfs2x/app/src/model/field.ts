import { MAX_KEY_BYTES, SFSDataType, sfsDataTypeName, utf8Length, type SFSWireType } from "@sfs2x/core";
import { addOwnField, type FieldOptions, type ModelRef } from "./metadata.js";
import { ModelError, ModelErrorCode } from "./ModelError.js";

/** Names a field may not take: members of `SFSModel` or of every object. */
const RESERVED = new Set(["toSFSObject", "constructor", "__proto__", "prototype"]);

/** A property decorator (TypeScript `experimentalDecorators`). */
export type FieldDecorator = (target: object, property: string | symbol) => void;

function bad(message: string): never {
  throw new ModelError(ModelErrorCode.BAD_DEFINITION, message);
}

/**
 * Declares a model field: the SFSObject `key` and its wire `type`, always explicit.
 *
 * ```ts
 * class Player extends SFSModel {
 *   @field("id", SFSDataType.INT) id = 0;
 *   @field("name", SFSDataType.UTF_STRING) name = "";
 *   @field("pos", SFSDataType.SFS_OBJECT, { model: Vec2 }) pos = new Vec2();
 *   @field("inv", SFSDataType.SFS_ARRAY, { model: Item }) inventory: Item[] = [];
 *   @field("note", SFSDataType.UTF_STRING, { optional: true }) note?: string;
 * }
 * ```
 *
 * The typed shorthands (`@int("id")`, `@utfString("name")`, `@model("pos", Vec2)`, ...) do the same.
 */
export function field(key: string, type: SFSWireType, options: FieldOptions = {}): FieldDecorator {
  if (typeof key !== "string") bad(`a field key must be a string, got ${typeof key}`);
  if (utf8Length(key) > MAX_KEY_BYTES) bad(`field key "${key.slice(0, 20)}…" is over ${MAX_KEY_BYTES} UTF-8 bytes`);
  if (sfsDataTypeName(type) === undefined || type === (SFSDataType.CLASS as number)) bad(`unknown or unsupported wire type ${String(type)}`);
  const model = options.model;
  if (model !== undefined) {
    if (typeof model !== "function") bad(`the model of field "${key}" must be a class or a thunk returning one`);
    if (type !== SFSDataType.SFS_OBJECT && type !== SFSDataType.SFS_ARRAY) {
      bad(`field "${key}": a model applies only to SFS_OBJECT and SFS_ARRAY fields, not ${sfsDataTypeName(type)}`);
    }
  }
  return (target, property) => {
    if (isStandardDecoratorContext(property)) bad(STANDARD_DECORATORS);
    if (typeof property !== "string") bad(`field "${key}" needs a string property name, not a symbol`);
    if (typeof target === "function") bad(`static member ${property} cannot be a model field`);
    if (RESERVED.has(property)) bad(`"${property}" is reserved and cannot be a model field`);
    addOwnField(target, { property, key, type, optional: options.optional === true, model });
  };
}

/** @internal The message when TC39 standard decorators call a legacy decorator. */
export const STANDARD_DECORATORS =
  'these decorators need TypeScript\'s "experimentalDecorators": true (tsconfig.json, also read by tsx/esbuild/vite); standard (TC39) decorators were used';

/** @internal True when a decorator got a TC39 decorator context instead of a property key. */
export function isStandardDecoratorContext(v: unknown): boolean {
  return v !== null && typeof v === "object" && typeof (v as { kind?: unknown }).kind === "string";
}

const typed =
  (type: SFSWireType) =>
  (key: string, options?: Omit<FieldOptions, "model">): FieldDecorator =>
    field(key, type, options);

/** BOOL field (`boolean`). */
export const bool = typed(SFSDataType.BOOL);
/** BYTE field (`number`, unsigned 0..255 as the official JS client). */
export const byte = typed(SFSDataType.BYTE);
/** SHORT field (`number`, int16). */
export const short = typed(SFSDataType.SHORT);
/** INT field (`number`, int32). */
export const int = typed(SFSDataType.INT);
/** LONG field (`number | bigint`; parsed as a number when safe, else a bigint). */
export const long = typed(SFSDataType.LONG);
/** FLOAT field (`number`, rounded to float32 on the wire). */
export const float = typed(SFSDataType.FLOAT);
/** DOUBLE field (`number`). */
export const double = typed(SFSDataType.DOUBLE);
/** UTF_STRING field (`string`, at most 32767 UTF-8 bytes). */
export const utfString = typed(SFSDataType.UTF_STRING);
/** TEXT field (`string`, int32 length). */
export const text = typed(SFSDataType.TEXT);
/** BOOL_ARRAY field (`boolean[]`). */
export const boolArray = typed(SFSDataType.BOOL_ARRAY);
/** BYTE_ARRAY field (`Uint8Array`). */
export const byteArray = typed(SFSDataType.BYTE_ARRAY);
/** SHORT_ARRAY field (`number[]`). */
export const shortArray = typed(SFSDataType.SHORT_ARRAY);
/** INT_ARRAY field (`number[]`). */
export const intArray = typed(SFSDataType.INT_ARRAY);
/** LONG_ARRAY field (`(number | bigint)[]`). */
export const longArray = typed(SFSDataType.LONG_ARRAY);
/** FLOAT_ARRAY field (`number[]`). */
export const floatArray = typed(SFSDataType.FLOAT_ARRAY);
/** DOUBLE_ARRAY field (`number[]`). */
export const doubleArray = typed(SFSDataType.DOUBLE_ARRAY);
/** UTF_STRING_ARRAY field (`string[]`). */
export const utfStringArray = typed(SFSDataType.UTF_STRING_ARRAY);
/** Raw SFS_OBJECT field (an `SFSObject`; for a typed one use {@link model}). */
export const sfsObject = typed(SFSDataType.SFS_OBJECT);
/** Raw SFS_ARRAY field (an `SFSArray`; for a list of models use {@link modelArray}). */
export const sfsArray = typed(SFSDataType.SFS_ARRAY);

/** A nested model, an SFS_OBJECT on the wire: `@model("pos", Vec2) pos = new Vec2()`. */
export function model(key: string, cls: ModelRef, options?: Omit<FieldOptions, "model">): FieldDecorator {
  return field(key, SFSDataType.SFS_OBJECT, { ...options, model: cls });
}

/** A list of models, an SFS_ARRAY of SFS_OBJECTs on the wire: `@modelArray("items", Item) items: Item[] = []`. */
export function modelArray(key: string, cls: ModelRef, options?: Omit<FieldOptions, "model">): FieldDecorator {
  return field(key, SFSDataType.SFS_ARRAY, { ...options, model: cls });
}
