import { SFSArray } from "./SFSArray.js";
import { SFSDataType, sfsDataTypeName } from "./SFSDataType.js";
import { SFSObject } from "./SFSObject.js";
import { SFSValueError, SFSValueErrorCode as E } from "./SFSValueError.js";
import { utf8Length } from "./utf8Length.js";

export { utf8Length };

/** Largest UTF_STRING, in UTF-8 bytes (its length is a signed int16 on the wire). */
export const MAX_UTF_STRING_BYTES = 32767;
/** Largest SFSObject key, in UTF-8 bytes. */
export const MAX_KEY_BYTES = 255;
/** Largest count of an SFSObject, SFSArray or typed array (except BYTE_ARRAY, int32). */
export const MAX_COUNT = 32767;
/** Largest finite FLOAT magnitude (float32 max). */
export const FLOAT_MAX = 3.4028234663852886e38;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const SAFE_MIN = BigInt(Number.MIN_SAFE_INTEGER);
const SAFE_MAX = BigInt(Number.MAX_SAFE_INTEGER);
const TWO63 = 2 ** 63;

function describe(v: unknown): string {
  if (typeof v === "string") return v.length > 40 ? `a string of ${v.length} chars` : JSON.stringify(v);
  if (typeof v === "bigint") return `${v}n`;
  if (v === null || typeof v !== "object") return String(v);
  return Array.isArray(v) ? `an array` : `an object (${Object.prototype.toString.call(v)})`;
}

/**
 * @internal Where a value sits, for error messages: a string, or a function that builds it. Callers
 * on hot paths pass a function so the text is only built when an error is actually thrown.
 */
export type Where = string | (() => string);

const text = (where: Where): string => (typeof where === "string" ? where : where());

/** One lazily rendered {@link Where} for every element of an array: set `i` before each check. */
function elementsOf(where: Where): { i: number; where: () => string } {
  const at = { i: 0, where: () => `${text(where)}[${at.i}]` };
  return at;
}

function invalid(type: number, v: unknown, where: Where): never {
  throw new SFSValueError(E.INVALID_VALUE, `${text(where)}: ${describe(v)} is not a valid ${sfsDataTypeName(type) ?? type}`);
}

function range(type: number, v: unknown, where: Where, bounds: string): never {
  throw new SFSValueError(E.OUT_OF_RANGE, `${text(where)}: ${describe(v)} is outside the ${sfsDataTypeName(type)} range ${bounds}`);
}

/** @internal Throws unless `key` is a string of at most 255 UTF-8 bytes. */
export function checkKey(key: unknown): asserts key is string {
  if (typeof key !== "string") throw new SFSValueError(E.INVALID_VALUE, `SFSObject keys are strings, got ${describe(key)}`);
  if (key.length * 3 > MAX_KEY_BYTES && utf8Length(key) > MAX_KEY_BYTES) {
    throw new SFSValueError(E.KEY_TOO_LONG, `key of ${utf8Length(key)} UTF-8 bytes is over the 255-byte limit`);
  }
}

/** @internal Throws unless `s` fits a UTF_STRING. */
export function checkUtfString(s: unknown, where: Where): asserts s is string {
  if (typeof s !== "string") invalid(SFSDataType.UTF_STRING, s, where);
  if (s.length * 3 > MAX_UTF_STRING_BYTES && utf8Length(s) > MAX_UTF_STRING_BYTES) {
    throw new SFSValueError(
      E.STRING_TOO_LONG,
      `${text(where)}: a string of ${utf8Length(s)} UTF-8 bytes is over the 32767-byte UTF_STRING limit; use TEXT`,
    );
  }
}

function checkCount(type: number, n: number, where: Where): void {
  if (n > MAX_COUNT) {
    throw new SFSValueError(E.COUNT_TOO_LARGE, `${text(where)}: ${sfsDataTypeName(type)} of ${n} elements is over the 32767 limit`);
  }
}

/** @internal Validates a LONG and returns it as a number when safe, else as a bigint. */
export function normalizeLong(v: unknown, where: Where): number | bigint {
  if (typeof v === "number") {
    if (Number.isSafeInteger(v)) return v === 0 ? 0 : v;
    if (!Number.isInteger(v)) invalid(SFSDataType.LONG, v, where);
    if (v < -TWO63 || v >= TWO63) range(SFSDataType.LONG, v, where, "-2^63..2^63-1");
    return BigInt(v);
  }
  if (typeof v === "bigint") {
    if (v < INT64_MIN || v > INT64_MAX) range(SFSDataType.LONG, v, where, "-2^63..2^63-1");
    return v >= SAFE_MIN && v <= SAFE_MAX ? Number(v) : v;
  }
  return invalid(SFSDataType.LONG, v, where);
}

function isArrayLike(v: unknown): v is ArrayLike<unknown> {
  return Array.isArray(v) || ArrayBuffer.isView(v);
}

function toArray<T>(v: ArrayLike<T>): T[] {
  return Array.isArray(v) ? v : Array.from(v);
}

/**
 * @internal Validates `value` for wire type `type` and returns the form stored in a container
 * (LONGs become numbers when safe; typed arrays become plain arrays; number lists become a
 * `Uint8Array` for BYTE_ARRAY). Throws {@link SFSValueError}.
 */
export function checkValue(type: number, value: unknown, where: Where): unknown {
  switch (type) {
    case SFSDataType.NULL:
      if (value !== null && value !== undefined) invalid(type, value, where);
      return null;
    case SFSDataType.BOOL:
      if (typeof value !== "boolean") invalid(type, value, where);
      return value;
    case SFSDataType.BYTE:
      if (typeof value !== "number" || !Number.isInteger(value)) invalid(type, value, where);
      if (value < 0 || value > 255) range(type, value, where, "0..255");
      return value | 0;
    case SFSDataType.SHORT:
      if (typeof value !== "number" || !Number.isInteger(value)) invalid(type, value, where);
      if (value < -32768 || value > 32767) range(type, value, where, "-32768..32767");
      return value | 0;
    case SFSDataType.INT:
      if (typeof value !== "number" || !Number.isInteger(value)) invalid(type, value, where);
      if (value < -2147483648 || value > 2147483647) range(type, value, where, "-2^31..2^31-1");
      return value | 0;
    case SFSDataType.LONG:
      return normalizeLong(value, where);
    case SFSDataType.FLOAT:
      if (typeof value !== "number") invalid(type, value, where);
      if (value > FLOAT_MAX || value < -FLOAT_MAX) {
        if (Number.isFinite(value)) range(type, value, where, "±3.4028234663852886e38");
      }
      return value;
    case SFSDataType.DOUBLE:
      if (typeof value !== "number") invalid(type, value, where);
      return value;
    case SFSDataType.UTF_STRING:
      checkUtfString(value, where);
      return value;
    case SFSDataType.TEXT:
      if (typeof value !== "string") invalid(type, value, where);
      return value;
    case SFSDataType.BOOL_ARRAY: {
      if (!isArrayLike(value)) invalid(type, value, where);
      checkCount(type, value.length, where);
      for (let i = 0; i < value.length; i++) {
        if (typeof value[i] !== "boolean") invalid(SFSDataType.BOOL, value[i], `${text(where)}[${i}]`);
      }
      return toArray(value);
    }
    case SFSDataType.BYTE_ARRAY: {
      if (value instanceof Uint8Array) return value;
      if (!isArrayLike(value)) invalid(type, value, where);
      const out = new Uint8Array(value.length);
      const at = elementsOf(where);
      for (let i = 0; i < value.length; i++) {
        at.i = i;
        out[i] = checkValue(SFSDataType.BYTE, value[i], at.where) as number;
      }
      return out;
    }
    case SFSDataType.SHORT_ARRAY:
    case SFSDataType.INT_ARRAY:
    case SFSDataType.FLOAT_ARRAY:
    case SFSDataType.DOUBLE_ARRAY: {
      if (!isArrayLike(value)) invalid(type, value, where);
      checkCount(type, value.length, where);
      const elem = type - 8; // SHORT_ARRAY 11 -> SHORT 3, ... DOUBLE_ARRAY 15 -> DOUBLE 7
      let arr = toArray(value);
      const at = elementsOf(where);
      for (let i = 0; i < arr.length; i++) {
        const v = arr[i];
        at.i = i;
        const n = checkValue(elem, v, at.where);
        if (!Object.is(n, v)) {
          // -0 in an integer array: store 0 so the value reads back as it decodes (copy, never
          // touching the caller's array).
          if (arr === value) arr = arr.slice();
          arr[i] = n;
        }
      }
      return arr;
    }
    case SFSDataType.LONG_ARRAY: {
      if (!isArrayLike(value)) invalid(type, value, where);
      checkCount(type, value.length, where);
      let out: unknown[] | undefined;
      const at = elementsOf(where);
      for (let i = 0; i < value.length; i++) {
        const v = value[i];
        at.i = i;
        const n = normalizeLong(v, at.where);
        if (n !== v && out === undefined) out = Array.prototype.slice.call(value, 0, i);
        if (out !== undefined) out.push(n);
      }
      return out ?? toArray(value);
    }
    case SFSDataType.UTF_STRING_ARRAY: {
      if (!isArrayLike(value)) invalid(type, value, where);
      checkCount(type, value.length, where);
      const at = elementsOf(where);
      for (let i = 0; i < value.length; i++) {
        at.i = i;
        checkUtfString(value[i], at.where);
      }
      return toArray(value);
    }
    case SFSDataType.SFS_ARRAY:
      if (!(value instanceof SFSArray)) invalid(type, value, where);
      return value;
    case SFSDataType.SFS_OBJECT:
      if (!(value instanceof SFSObject)) invalid(type, value, where);
      return value;
    case SFSDataType.CLASS:
      throw new SFSValueError(E.UNSUPPORTED_TYPE, `${text(where)}: CLASS (19) values are not supported on the wire`);
    default:
      throw new SFSValueError(E.UNSUPPORTED_TYPE, `${text(where)}: unknown SFSDataType ${String(type)}`);
  }
}
