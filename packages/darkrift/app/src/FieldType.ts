import type { DarkRiftEncoding, DarkRiftSerializable, DarkRiftSerializableConstructor } from "@darkrift/core";

/**
 * Wire type names of single values, named after the writer's methods (`"int32"` ↔ `writeInt32`),
 * with C# aliases (`"int"`, `"long"`, `"float"`, …).
 * `int64`/`uint64` fields hold `bigint`s (a safe-integer `number` is accepted on write).
 */
export type ScalarTypeName =
  | "boolean" | "bool"
  | "byte"
  | "sbyte"
  | "char"
  | "int16" | "short"
  | "uint16" | "ushort"
  | "int32" | "int"
  | "uint32" | "uint"
  | "int64" | "long"
  | "uint64" | "ulong"
  | "single" | "float"
  | "double"
  | "string";

/**
 * Wire type names: a scalar, or an array of one (`"int32[]"`). `"byte[]"` holds a `Uint8Array`,
 * `"char[]"` a `string` (identical to a string on the wire), the other arrays JS arrays.
 */
export type WireTypeName = ScalarTypeName | `${ScalarTypeName}[]`;

/** A class whose instances serialise themselves: a `TypedMessage` subclass or any `DarkRiftSerializable`. */
export type NestedClass = DarkRiftSerializableConstructor<DarkRiftSerializable>;

/**
 * What `@field` accepts: a wire type name, a nested serializable class, `[Class]` for an array of
 * them, or an arrow function returning either of the latter (for classes declared later or the
 * class itself: `@field(() => [TreeNode])`).
 */
export type FieldType = WireTypeName | NestedClass | readonly [NestedClass] | (() => NestedClass | readonly [NestedClass]);

/** Options of `@field`. */
export interface FieldOptions {
  /** Encoding of a `string`, `char`, `char[]` or `string[]` field, overriding the class's and the writer's/reader's. */
  encoding?: DarkRiftEncoding;
  /**
   * Trailing optional field: when reading, if the payload has no bytes left, the field keeps its
   * default instead of failing (older peers may not send it). Always written. Only the last fields
   * of a class may be optional.
   */
  optional?: boolean;
}

const ALIASES: Record<string, string> = {
  bool: "boolean",
  short: "int16",
  ushort: "uint16",
  int: "int32",
  uint: "uint32",
  long: "int64",
  ulong: "uint64",
  float: "single",
};

/** Writer/reader method suffix of each canonical scalar name (`writeInt32`, `readInt32s`). */
const METHOD: Record<string, string> = {
  boolean: "Boolean",
  byte: "Byte",
  sbyte: "SByte",
  char: "Char",
  int16: "Int16",
  uint16: "UInt16",
  int32: "Int32",
  uint32: "UInt32",
  int64: "Int64",
  uint64: "UInt64",
  single: "Single",
  double: "Double",
  string: "String",
};

/** A resolved wire type name. */
export interface PrimitiveWireType {
  kind: "primitive";
  /** Canonical name, e.g. `"int32[]"`. */
  name: string;
  /** Writer/reader method suffix, e.g. `"Int32s"` (so `writeInt32s` / `readInt32s`). */
  method: string;
  /** Whether an encoding applies (strings and chars). */
  textual: boolean;
}

/** Resolves a wire type name, or returns undefined if it is not one. */
export function resolveWireType(name: string): PrimitiveWireType | undefined {
  const isArray = name.endsWith("[]");
  const base = isArray ? name.slice(0, -2) : name;
  const canonical = ALIASES[base] ?? base;
  const method = Object.hasOwn(METHOD, canonical) ? METHOD[canonical] : undefined;
  if (method === undefined) return undefined;
  const textual = canonical === "string" || canonical === "char";
  // C#'s char[] is a string on the wire: writeChars/readChars; byte[] is writeBytes/readBytes.
  const arrayMethod = canonical === "char" ? "Chars" : `${method}s`;
  return { kind: "primitive", name: isArray ? `${canonical}[]` : canonical, method: isArray ? arrayMethod : method, textual };
}
