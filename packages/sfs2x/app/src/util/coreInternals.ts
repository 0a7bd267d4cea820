import { FLOAT_MAX, MAX_UTF_STRING_BYTES, SFSArray, SFSDataType, SFSObject } from "@sfs2x/core";

// The hot paths (models, message envelopes) read and write SFSObject entries through the core's
// `@internal` members, skipping the per-call validation message the public `put` builds. Every
// value stored here has passed the same checks as `put` (or goes through `put` itself), so the
// containers stay exactly as the public API would leave them. This file is the only place that
// knows those members.

interface Internals {
  _find(key: string): number;
  _set(key: string, type: number, value: unknown): void;
  _keys: string[];
  _types: number[];
  _values: unknown[];
}

/**
 * An SFSObject over ready arrays (same length, keys unique, values already valid for their
 * types): no growth of the default empty arrays, one allocation per array. The arrays become
 * the object's own: the caller must not keep them.
 */
export function makeObject(keys: string[], types: number[], values: unknown[]): SFSObject {
  const obj = new SFSObject();
  const o = obj as unknown as Internals;
  o._keys = keys;
  o._types = types;
  o._values = values;
  return obj;
}

const SLOW: unique symbol = Symbol("slow");

/**
 * The stored form of `v` when it is a valid value of a scalar/container `type` that can skip the
 * public `put`, or `SLOW` when the public `put` must decide (arrays, edge cases, errors).
 */
function fast(type: number, v: unknown): unknown {
  switch (type) {
    case SFSDataType.BOOL:
      return typeof v === "boolean" ? v : SLOW;
    case SFSDataType.BYTE:
      return typeof v === "number" && (v & 255) === v ? v | 0 : SLOW;
    case SFSDataType.SHORT:
      return typeof v === "number" && (v << 16) >> 16 === v ? v | 0 : SLOW;
    case SFSDataType.INT:
      return typeof v === "number" && (v | 0) === v ? v | 0 : SLOW;
    case SFSDataType.LONG:
      return typeof v === "number" && Number.isSafeInteger(v) ? (v === 0 ? 0 : v) : SLOW;
    case SFSDataType.FLOAT:
      return typeof v === "number" && v <= FLOAT_MAX && v >= -FLOAT_MAX ? v : SLOW;
    case SFSDataType.DOUBLE:
      return typeof v === "number" ? v : SLOW;
    case SFSDataType.UTF_STRING:
      // 3 UTF-8 bytes per UTF-16 unit at most: short strings need no byte count.
      return typeof v === "string" && v.length * 3 <= MAX_UTF_STRING_BYTES ? v : SLOW;
    case SFSDataType.TEXT:
      return typeof v === "string" ? v : SLOW;
    case SFSDataType.SFS_OBJECT:
      return v instanceof SFSObject ? v : SLOW;
    case SFSDataType.SFS_ARRAY:
      return v instanceof SFSArray ? v : SLOW;
    default:
      return SLOW;
  }
}

/**
 * The stored form of `value` for `type` as the public `put` would store it (throws the same
 * `SFSValueError`), without building its message unless it fails.
 */
export function checked(key: string, type: number, value: unknown): unknown {
  const v = fast(type, value);
  if (v !== SLOW) return v;
  // The slow path: let the public API validate (and normalise) through a scratch object.
  const scratch = new SFSObject().put(key, type as never, value as never);
  return (scratch as unknown as Internals)._values[0];
}

/** Stores `value` under `key` as `type`: the same result (and errors) as `obj.put(key, type, value)`, faster. */
export function putFast(obj: SFSObject, key: string, type: number, value: unknown): void {
  const v = fast(type, value);
  if (v === SLOW) obj.put(key, type as never, value as never);
  else (obj as unknown as Internals)._set(key, type, v);
}

/** Position of `key` in `obj`, or -1. */
export function findEntry(obj: SFSObject, key: string): number {
  return (obj as unknown as Internals)._find(key);
}

/** Wire type of the entry at position `i`. */
export function typeAt(obj: SFSObject, i: number): number {
  return (obj as unknown as Internals)._types[i]!;
}

/** Value of the entry at position `i`. */
export function valueAt(obj: SFSObject, i: number): unknown {
  return (obj as unknown as Internals)._values[i];
}
