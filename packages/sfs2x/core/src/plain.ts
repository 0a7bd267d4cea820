import { checkKey, checkValue, MAX_UTF_STRING_BYTES, utf8Length } from "./checkValue.js";
import { SFSArray } from "./SFSArray.js";
import { SFSDataType } from "./SFSDataType.js";
import { SFSObject } from "./SFSObject.js";
import { DEFAULT_MAX_DEPTH, type SFSInputMap, type SFSWireType } from "./SFSValue.js";
import { SFSValueError, SFSValueErrorCode as E } from "./SFSValueError.js";

/**
 * A value with an explicit wire type, made by the {@link SFS} helpers (`SFS.int(5)`), for use
 * inside `SFSObject.from` / `SFSArray.from`. The value is checked when the container is built.
 */
export class SFSTypedValue<T extends SFSWireType = SFSWireType> {
  constructor(
    readonly type: T,
    readonly value: SFSInputMap[T],
  ) {}
}

/** A plain JS value `SFSObject.from` / `SFSArray.from` accept (see there for the inference rules). */
export type PlainInput =
  | null
  | undefined
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | Int16Array
  | Int32Array
  | BigInt64Array
  | Float32Array
  | Float64Array
  | SFSObject
  | SFSArray
  | SFSTypedValue
  | readonly PlainInput[]
  | PlainObjectInput;

/** A plain object or a string-keyed Map of {@link PlainInput}s. */
export type PlainObjectInput = { readonly [key: string]: PlainInput } | ReadonlyMap<string, PlainInput>;

const t = <T extends SFSWireType>(type: T) => (value: SFSInputMap[T]) => new SFSTypedValue(type, value);

/**
 * Type hints for `SFSObject.from` / `SFSArray.from`:
 * `SFSObject.from({ hp: SFS.short(100), ts: SFS.long(Date.now()), pos: SFS.floatArray([1, 2]) })`.
 */
export const SFS = {
  null: (): SFSTypedValue<SFSDataType.NULL> => new SFSTypedValue(SFSDataType.NULL, null),
  bool: t(SFSDataType.BOOL),
  /** Unsigned 0..255. */
  byte: t(SFSDataType.BYTE),
  short: t(SFSDataType.SHORT),
  int: t(SFSDataType.INT),
  /** number or bigint within int64. */
  long: t(SFSDataType.LONG),
  float: t(SFSDataType.FLOAT),
  double: t(SFSDataType.DOUBLE),
  utfString: t(SFSDataType.UTF_STRING),
  /** Same as `utfString`. */
  string: t(SFSDataType.UTF_STRING),
  text: t(SFSDataType.TEXT),
  boolArray: t(SFSDataType.BOOL_ARRAY),
  byteArray: t(SFSDataType.BYTE_ARRAY),
  shortArray: t(SFSDataType.SHORT_ARRAY),
  intArray: t(SFSDataType.INT_ARRAY),
  longArray: t(SFSDataType.LONG_ARRAY),
  floatArray: t(SFSDataType.FLOAT_ARRAY),
  doubleArray: t(SFSDataType.DOUBLE_ARRAY),
  utfStringArray: t(SFSDataType.UTF_STRING_ARRAY),
  /** Same as `utfStringArray`. */
  stringArray: t(SFSDataType.UTF_STRING_ARRAY),
  /** An SFS_ARRAY built from plain values (same as a plain array). */
  array: (items: readonly PlainInput[]): SFSTypedValue<SFSDataType.SFS_ARRAY> =>
    new SFSTypedValue(SFSDataType.SFS_ARRAY, fromPlainArray(items)),
  /** An SFS_OBJECT built from plain values (same as a plain object). */
  object: (entries: PlainObjectInput): SFSTypedValue<SFSDataType.SFS_OBJECT> =>
    new SFSTypedValue(SFSDataType.SFS_OBJECT, fromPlainObject(entries)),
  /** Any wire type, chosen at run time. */
  typed: <T extends SFSWireType>(type: T, value: SFSInputMap[T]): SFSTypedValue<T> => new SFSTypedValue(type, value),
} as const;

function isPlainObject(v: object): boolean {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** Chooses the wire type of a plain value and stores it with `set`; returns false for `undefined`. */
function infer(v: unknown, where: string, depth: number, set: (type: number, value: unknown) => void): boolean {
  switch (typeof v) {
    case "undefined":
      return false;
    case "boolean":
      set(SFSDataType.BOOL, v);
      return true;
    case "number":
      if ((v | 0) === v && !Object.is(v, -0)) set(SFSDataType.INT, v);
      else set(SFSDataType.DOUBLE, v);
      return true;
    case "bigint":
      set(SFSDataType.LONG, checkValue(SFSDataType.LONG, v, where));
      return true;
    case "string":
      // Strings too long for UTF_STRING switch to TEXT on their own.
      set(v.length * 3 > MAX_UTF_STRING_BYTES && utf8Length(v) > MAX_UTF_STRING_BYTES ? SFSDataType.TEXT : SFSDataType.UTF_STRING, v);
      return true;
  }
  if (v === null) {
    set(SFSDataType.NULL, null);
    return true;
  }
  if (typeof v !== "object") {
    throw new SFSValueError(E.INVALID_VALUE, `${where}: cannot send a ${typeof v}`);
  }
  if (v instanceof SFSTypedValue) set(v.type, checkValue(v.type, v.value, where));
  else if (v instanceof SFSObject) set(SFSDataType.SFS_OBJECT, v);
  else if (v instanceof SFSArray) set(SFSDataType.SFS_ARRAY, v);
  else if (v instanceof Uint8Array) set(SFSDataType.BYTE_ARRAY, v);
  else if (v instanceof Int16Array) set(SFSDataType.SHORT_ARRAY, checkValue(SFSDataType.SHORT_ARRAY, v, where));
  else if (v instanceof Int32Array) set(SFSDataType.INT_ARRAY, checkValue(SFSDataType.INT_ARRAY, v, where));
  else if (v instanceof BigInt64Array) set(SFSDataType.LONG_ARRAY, checkValue(SFSDataType.LONG_ARRAY, v, where));
  else if (v instanceof Float32Array) set(SFSDataType.FLOAT_ARRAY, checkValue(SFSDataType.FLOAT_ARRAY, v, where));
  else if (v instanceof Float64Array) set(SFSDataType.DOUBLE_ARRAY, checkValue(SFSDataType.DOUBLE_ARRAY, v, where));
  else if (Array.isArray(v)) set(SFSDataType.SFS_ARRAY, arrayFrom(v, where, depth + 1));
  else if (v instanceof Map || isPlainObject(v)) set(SFSDataType.SFS_OBJECT, objectFrom(v as PlainObjectInput, where, depth + 1));
  else {
    throw new SFSValueError(
      E.INVALID_VALUE,
      `${where}: cannot infer a wire type for ${Object.prototype.toString.call(v)}; wrap it in an SFS.<type>() hint`,
    );
  }
  return true;
}

function checkDepth(depth: number, where: string): void {
  if (depth > DEFAULT_MAX_DEPTH) {
    throw new SFSValueError(E.DEPTH_EXCEEDED, `${where}: nested deeper than ${DEFAULT_MAX_DEPTH} (or contains itself)`);
  }
}

function objectFrom(plain: PlainObjectInput, where: string, depth: number): SFSObject {
  checkDepth(depth, where);
  const obj = new SFSObject();
  const add = (key: unknown, value: unknown): void => {
    checkKey(key);
    infer(value, `${where}.${key}`, depth, (type, v) => obj._set(key, type, v));
  };
  if (plain instanceof Map) for (const [k, v] of plain) add(k, v);
  else {
    const rec = plain as Record<string, unknown>;
    for (const k of Object.keys(rec)) add(k, rec[k]);
  }
  return obj;
}

function arrayFrom(plain: readonly unknown[], where: string, depth: number): SFSArray {
  checkDepth(depth, where);
  const arr = new SFSArray();
  for (let i = 0; i < plain.length; i++) {
    const stored = infer(plain[i], `${where}[${i}]`, depth, (type, v) => {
      arr._types.push(type);
      arr._values.push(v);
    });
    if (!stored) arr.addNull(); // like JSON: undefined inside an array becomes null
  }
  return arr;
}

/** @internal `SFSObject.from`. */
export function fromPlainObject(plain: PlainObjectInput): SFSObject {
  return objectFrom(plain, "root", 1);
}

/** @internal `SFSArray.from`. */
export function fromPlainArray(plain: readonly unknown[]): SFSArray {
  return arrayFrom(plain, "root", 1);
}

function plainValue(type: number, v: unknown): unknown {
  if (type === SFSDataType.SFS_OBJECT) return toPlainObject(v as SFSObject);
  if (type === SFSDataType.SFS_ARRAY) return toPlainArray(v as SFSArray);
  return v;
}

/** @internal `SFSObject.toPlain`. */
export function toPlainObject(o: SFSObject): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const keys = o._keys;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    const v = plainValue(o._types[i]!, o._values[i]);
    // "__proto__" must become an own data property, never a prototype write.
    if (k === "__proto__") Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
    else out[k] = v;
  }
  return out;
}

/** @internal `SFSArray.toPlain`. */
export function toPlainArray(a: SFSArray): unknown[] {
  const out: unknown[] = [];
  for (let i = 0; i < a._types.length; i++) out.push(plainValue(a._types[i]!, a._values[i]));
  return out;
}
