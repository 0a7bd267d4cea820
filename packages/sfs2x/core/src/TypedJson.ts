import { checkKey, checkValue } from "./checkValue.js";
import { SFSArray } from "./SFSArray.js";
import { SFSDataType, sfsDataTypeFromName, sfsDataTypeName, type SFSDataTypeName } from "./SFSDataType.js";
import { SFSObject } from "./SFSObject.js";
import type { SFSValue } from "./SFSValue.js";
import { SFSValueError, SFSValueErrorCode as E } from "./SFSValueError.js";

/** A JSON-safe scalar of the typed-JSON format. */
export type TypedJsonScalar = null | boolean | number | string;

/**
 * One node of the typed-JSON tree the golden vectors use: `{ "type": "INT", "value": 1 }`.
 * SFS_OBJECT values are objects of nodes, SFS_ARRAY values arrays of nodes, typed arrays arrays
 * of scalars (BYTE_ARRAY: numbers 0..255). LONGs beyond 2^53 are decimal strings; NaN and
 * ±Infinity are the strings `"NaN"`, `"Infinity"`, `"-Infinity"` (and `"-0"` is read as -0).
 */
export interface TypedJsonNode {
  type: SFSDataTypeName;
  value: TypedJsonScalar | TypedJsonScalar[] | TypedJsonNode[] | { [key: string]: TypedJsonNode };
}

/** Options of {@link toTypedJson}. */
export interface TypedJsonOptions {
  /** Write every LONG as a decimal string, as the real-server vectors do (default: only beyond 2^53). */
  longsAsStrings?: boolean;
}

function bad(message: string): never {
  throw new SFSValueError(E.INVALID_VALUE, `typed JSON: ${message}`);
}

function setOwn(out: Record<string, unknown>, k: string, v: unknown): void {
  if (k === "__proto__") Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  else out[k] = v;
}

// --- to JSON -------------------------------------------------------------------------------

function floatJson(v: number): number | string {
  return Number.isFinite(v) ? v : String(v); // "NaN", "Infinity", "-Infinity"
}

function longJson(v: number | bigint, asString: boolean): number | string {
  return asString || typeof v === "bigint" ? String(v) : v;
}

function valueJson(type: number, v: unknown, o: TypedJsonOptions): TypedJsonNode["value"] {
  switch (type) {
    case SFSDataType.LONG:
      return longJson(v as number | bigint, o.longsAsStrings === true);
    case SFSDataType.FLOAT:
    case SFSDataType.DOUBLE:
      return floatJson(v as number);
    case SFSDataType.LONG_ARRAY:
      return (v as (number | bigint)[]).map((x) => longJson(x, o.longsAsStrings === true));
    case SFSDataType.FLOAT_ARRAY:
    case SFSDataType.DOUBLE_ARRAY:
      return (v as number[]).map(floatJson);
    case SFSDataType.BYTE_ARRAY:
      return Array.from(v as Uint8Array);
    case SFSDataType.BOOL_ARRAY:
    case SFSDataType.SHORT_ARRAY:
    case SFSDataType.INT_ARRAY:
    case SFSDataType.UTF_STRING_ARRAY:
      return (v as TypedJsonScalar[]).slice();
    case SFSDataType.SFS_OBJECT: {
      const obj = v as SFSObject;
      const out: Record<string, TypedJsonNode> = {};
      for (let i = 0; i < obj._keys.length; i++) setOwn(out, obj._keys[i]!, nodeJson(obj._types[i]!, obj._values[i], o));
      return out;
    }
    case SFSDataType.SFS_ARRAY: {
      const arr = v as SFSArray;
      return arr._types.map((t, i) => nodeJson(t, arr._values[i], o));
    }
    default:
      return v as TypedJsonScalar;
  }
}

function nodeJson(type: number, v: unknown, o: TypedJsonOptions): TypedJsonNode {
  return { type: sfsDataTypeName(type)!, value: valueJson(type, v, o) };
}

/**
 * The typed-JSON tree of a container (or of one typed value): the vectors' `{ type, value }`
 * format, safe for `JSON.stringify` (apart from -0, which JSON writes as 0).
 */
export function toTypedJson(value: SFSObject | SFSArray, options?: TypedJsonOptions): TypedJsonNode;
export function toTypedJson(value: { type: SFSDataType; value: SFSValue }, options?: TypedJsonOptions): TypedJsonNode;
export function toTypedJson(
  value: SFSObject | SFSArray | { type: SFSDataType; value: SFSValue },
  options: TypedJsonOptions = {},
): TypedJsonNode {
  if (value instanceof SFSObject) return nodeJson(SFSDataType.SFS_OBJECT, value, options);
  if (value instanceof SFSArray) return nodeJson(SFSDataType.SFS_ARRAY, value, options);
  return nodeJson(value.type, value.value, options);
}

// --- from JSON -----------------------------------------------------------------------------

function floatFrom(v: unknown): unknown {
  if (typeof v !== "string") return v;
  switch (v) {
    case "NaN":
      return NaN;
    case "Infinity":
      return Infinity;
    case "-Infinity":
      return -Infinity;
    case "-0":
      return -0;
  }
  return bad(`${JSON.stringify(v)} is not a number`);
}

function longFrom(v: unknown): unknown {
  if (typeof v !== "string") return v;
  if (!/^-?\d+$/.test(v)) bad(`${JSON.stringify(v)} is not an integer`);
  return BigInt(v);
}

function listOf(v: unknown, type: string): unknown[] {
  if (!Array.isArray(v)) bad(`${type} value must be an array`);
  return v;
}

function valueFrom(type: number, v: unknown, depth: number): unknown {
  if (depth > 64) bad("nested deeper than 64");
  switch (type) {
    case SFSDataType.LONG:
      return longFrom(v);
    case SFSDataType.FLOAT:
    case SFSDataType.DOUBLE:
      return floatFrom(v);
    case SFSDataType.LONG_ARRAY:
      return listOf(v, "LONG_ARRAY").map(longFrom);
    case SFSDataType.FLOAT_ARRAY:
    case SFSDataType.DOUBLE_ARRAY:
      return listOf(v, "FLOAT/DOUBLE_ARRAY").map(floatFrom);
    case SFSDataType.SFS_OBJECT: {
      if (v === null || typeof v !== "object" || Array.isArray(v)) bad("SFS_OBJECT value must be an object");
      const obj = new SFSObject();
      const rec = v as Record<string, unknown>;
      for (const k of Object.keys(rec)) {
        checkKey(k);
        const { type: t, value } = typedFrom(rec[k], depth + 1);
        obj._set(k, t, value);
      }
      return obj;
    }
    case SFSDataType.SFS_ARRAY: {
      const arr = new SFSArray();
      for (const node of listOf(v, "SFS_ARRAY")) {
        const { type: t, value } = typedFrom(node, depth + 1);
        arr._types.push(t);
        arr._values.push(value);
      }
      return arr;
    }
    default:
      return v;
  }
}

function typedFrom(node: unknown, depth: number): { type: SFSDataType; value: SFSValue } {
  if (node === null || typeof node !== "object" || !("type" in node) || !("value" in node)) bad("a node is { type, value }");
  const n = node as { type: unknown; value: unknown };
  const type = typeof n.type === "string" ? sfsDataTypeFromName(n.type) : undefined;
  if (type === undefined) bad(`unknown type ${JSON.stringify(n.type)}`);
  const value = checkValue(type, valueFrom(type, n.value, depth), `typed JSON ${n.type}`) as SFSValue;
  return { type, value };
}

/**
 * Builds the container (or typed value) a typed-JSON node describes; the inverse of
 * {@link toTypedJson}. Throws {@link SFSValueError} on a malformed node or a value that does
 * not fit its type.
 */
export function fromTypedJson(node: TypedJsonNode & { type: "SFS_OBJECT" }): SFSObject;
export function fromTypedJson(node: TypedJsonNode & { type: "SFS_ARRAY" }): SFSArray;
export function fromTypedJson(node: unknown): SFSObject | SFSArray | { type: SFSDataType; value: SFSValue };
export function fromTypedJson(node: unknown): SFSObject | SFSArray | { type: SFSDataType; value: SFSValue } {
  const typed = typedFrom(node, 1);
  if (typed.type === SFSDataType.SFS_OBJECT || typed.type === SFSDataType.SFS_ARRAY) return typed.value as SFSObject | SFSArray;
  return typed;
}
