import { ByteWriter, writeInt64At } from "./ByteWriter.js";
import { MAX_COUNT, MAX_KEY_BYTES, MAX_UTF_STRING_BYTES, normalizeLong } from "./checkValue.js";
import type { SFSArray } from "./SFSArray.js";
import { SFSDataType, sfsDataTypeName } from "./SFSDataType.js";
import type { SFSObject } from "./SFSObject.js";
import { DEFAULT_MAX_DEPTH, type SFSEncodeOptions } from "./SFSValue.js";
import { SFSValueError, SFSValueErrorCode as E } from "./SFSValueError.js";

/**
 * Writes `obj` (type byte 0x12, count, entries) at the writer's position.
 * Throws {@link SFSValueError} when something does not fit the wire format; the writer then
 * holds a partial encoding.
 */
export function writeSFSObject(writer: ByteWriter, obj: SFSObject, options?: SFSEncodeOptions): void {
  writeObject(writer, obj, 1, options?.maxDepth ?? DEFAULT_MAX_DEPTH);
}

/** Writes `arr` (type byte 0x11, count, elements) at the writer's position. */
export function writeSFSArray(writer: ByteWriter, arr: SFSArray, options?: SFSEncodeOptions): void {
  writeArray(writer, arr, 1, options?.maxDepth ?? DEFAULT_MAX_DEPTH);
}

// toBinary() writes into a shared slab and returns a view of its region, so encoding a small
// message allocates no buffer; the next message continues after the previous one.
const SLAB_SIZE = 8192;
const SLAB_MAX_KEEP = 65536;
const slab = new ByteWriter(SLAB_SIZE);

function encodeWith<T>(write: (w: ByteWriter, v: T, depth: number, maxDepth: number) => void, value: T, options?: SFSEncodeOptions): Uint8Array {
  const w = slab;
  if (w.buf.length - w.pos < 256 || w.buf.length > SLAB_MAX_KEEP) {
    w.buf = new Uint8Array(SLAB_SIZE);
    w.view = new DataView(w.buf.buffer);
    w.pos = 0;
  }
  w.start = w.pos;
  try {
    write(w, value, 1, options?.maxDepth ?? DEFAULT_MAX_DEPTH);
  } catch (e) {
    w.pos = w.start;
    throw e;
  }
  const out = w.buf.subarray(w.start, w.pos);
  w.start = w.pos;
  return out;
}

/** @internal `obj.toBinary()`. */
export function encodeSFSObject(obj: SFSObject, options?: SFSEncodeOptions): Uint8Array {
  return encodeWith(writeObject, obj, options);
}

/** @internal `arr.toBinary()`. */
export function encodeSFSArray(arr: SFSArray, options?: SFSEncodeOptions): Uint8Array {
  return encodeWith(writeArray, arr, options);
}

function tooDeep(maxDepth: number): never {
  throw new SFSValueError(E.DEPTH_EXCEEDED, `containers nest deeper than maxDepth ${maxDepth} (or contain themselves)`);
}

function tooMany(type: number, n: number): never {
  throw new SFSValueError(E.COUNT_TOO_LARGE, `${sfsDataTypeName(type)} of ${n} elements is over the 32767 limit`);
}

function badElement(type: number, v: unknown): never {
  const shown = typeof v === "bigint" ? `${v}n` : typeof v === "string" ? JSON.stringify(v.slice(0, 40)) : String(v);
  throw new SFSValueError(E.INVALID_VALUE, `${sfsDataTypeName(type)} element ${shown} does not fit the type`);
}

/** Type byte + int16 count, in one bounds check. */
function writeHeader(w: ByteWriter, type: number, n: number): void {
  if (n > MAX_COUNT) tooMany(type, n);
  if (w.pos + 3 > w.buf.length) w.grow(3);
  const b = w.buf;
  const p = w.pos;
  b[p] = type;
  b[p + 1] = n >> 8;
  b[p + 2] = n;
  w.pos = p + 3;
}

function writeObject(w: ByteWriter, obj: SFSObject, depth: number, maxDepth: number): void {
  if (depth > maxDepth) tooDeep(maxDepth);
  const keys = obj._keys;
  const types = obj._types;
  const values = obj._values;
  const n = keys.length;
  writeHeader(w, SFSDataType.SFS_OBJECT, n);
  for (let i = 0; i < n; i++) {
    const key = keys[i]!;
    const kl = key.length;
    if (w.pos + 2 + kl * 3 > w.buf.length) w.grow(2 + kl * 3);
    // Keys are almost always short ASCII: write them inline; otherwise take the UTF-8 path.
    const b = w.buf;
    const at = w.pos;
    let p = at + 2;
    let c = 0;
    for (let j = 0; j < kl && (c = key.charCodeAt(j)) < 0x80; j++) b[p++] = c;
    let len = p - at - 2;
    if (len < kl) {
      w.pos = at + 2;
      len = w.writeUtf8(key); // cannot grow: room for kl * 3 bytes was made above
      p = w.pos;
    }
    if (len > MAX_KEY_BYTES) throw new SFSValueError(E.KEY_TOO_LONG, `key of ${len} UTF-8 bytes is over the 255-byte limit`);
    b[at] = 0;
    b[at + 1] = len;
    w.pos = p;
    writeValue(w, types[i]!, values[i], depth, maxDepth);
  }
}

function writeArray(w: ByteWriter, arr: SFSArray, depth: number, maxDepth: number): void {
  if (depth > maxDepth) tooDeep(maxDepth);
  const types = arr._types;
  const values = arr._values;
  const n = types.length;
  writeHeader(w, SFSDataType.SFS_ARRAY, n);
  for (let i = 0; i < n; i++) writeValue(w, types[i]!, values[i], depth, maxDepth);
}

/** int16 byte length + UTF-8; the UTF_STRING limit is checked on the bytes actually written. */
function writeString16(w: ByteWriter, s: unknown): void {
  if (typeof s !== "string") badElement(SFSDataType.UTF_STRING, s);
  if (w.pos + 2 > w.buf.length) w.grow(2);
  const at = w.pos - w.start;
  w.pos += 2;
  const len = w.writeUtf8(s);
  if (len > MAX_UTF_STRING_BYTES) {
    throw new SFSValueError(E.STRING_TOO_LONG, `a string of ${len} UTF-8 bytes is over the 32767-byte UTF_STRING limit; use TEXT`);
  }
  const b = w.buf;
  b[w.start + at] = len >> 8;
  b[w.start + at + 1] = len;
}

function writeValue(w: ByteWriter, type: number, v: unknown, depth: number, maxDepth: number): void {
  let p: number;
  switch (type) {
    case SFSDataType.NULL:
      w.writeUint8(0);
      return;
    case SFSDataType.BOOL:
    case SFSDataType.BYTE:
      if (w.pos + 2 > w.buf.length) w.grow(2);
      p = w.pos;
      w.buf[p] = type;
      w.buf[p + 1] = v === true ? 1 : (v as number);
      w.pos = p + 2;
      return;
    case SFSDataType.SHORT:
      if (w.pos + 3 > w.buf.length) w.grow(3);
      p = w.pos;
      w.buf[p] = type;
      w.view.setInt16(p + 1, v as number);
      w.pos = p + 3;
      return;
    case SFSDataType.INT:
      if (w.pos + 5 > w.buf.length) w.grow(5);
      p = w.pos;
      w.buf[p] = type;
      w.view.setInt32(p + 1, v as number);
      w.pos = p + 5;
      return;
    case SFSDataType.LONG:
      if (w.pos + 9 > w.buf.length) w.grow(9);
      p = w.pos;
      w.buf[p] = type;
      writeInt64At(w.view, p + 1, v as number | bigint);
      w.pos = p + 9;
      return;
    case SFSDataType.FLOAT:
      if (w.pos + 5 > w.buf.length) w.grow(5);
      p = w.pos;
      w.buf[p] = type;
      w.view.setFloat32(p + 1, v as number);
      w.pos = p + 5;
      return;
    case SFSDataType.DOUBLE:
      if (w.pos + 9 > w.buf.length) w.grow(9);
      p = w.pos;
      w.buf[p] = type;
      w.view.setFloat64(p + 1, v as number);
      w.pos = p + 9;
      return;
    case SFSDataType.UTF_STRING:
      w.writeUint8(type);
      writeString16(w, v);
      return;
    case SFSDataType.TEXT: {
      if (w.pos + 5 > w.buf.length) w.grow(5);
      w.buf[w.pos] = type;
      const at = w.pos + 1 - w.start;
      w.pos += 5;
      const len = w.writeUtf8(v as string);
      w.view.setInt32(w.start + at, len);
      return;
    }
    case SFSDataType.SFS_OBJECT:
      writeObject(w, v as SFSObject, depth + 1, maxDepth);
      return;
    case SFSDataType.SFS_ARRAY:
      writeArray(w, v as SFSArray, depth + 1, maxDepth);
      return;
    case SFSDataType.BYTE_ARRAY: {
      const a = v as Uint8Array;
      if (!(a instanceof Uint8Array)) badElement(type, a);
      const n = a.length;
      if (w.pos + 5 + n > w.buf.length) w.grow(5 + n);
      p = w.pos;
      w.buf[p] = type;
      w.view.setInt32(p + 1, n);
      w.buf.set(a, p + 5);
      w.pos = p + 5 + n;
      return;
    }
    default:
      writeTypedArray(w, type, v);
  }
}

// Arrays can be changed after put(), so every element is checked again here (one compare each).
function writeTypedArray(w: ByteWriter, type: number, v: unknown): void {
  const a = v as ArrayLike<unknown>;
  const n = a.length;
  writeHeader(w, type, n);
  switch (type) {
    case SFSDataType.BOOL_ARRAY: {
      w.ensure(n);
      const b = w.buf;
      let p = w.pos;
      for (let i = 0; i < n; i++) {
        const x = a[i];
        if (x !== true && x !== false) badElement(SFSDataType.BOOL, x);
        b[p++] = x ? 1 : 0;
      }
      w.pos = p;
      return;
    }
    case SFSDataType.SHORT_ARRAY: {
      w.ensure(n * 2);
      const view = w.view;
      let p = w.pos;
      for (let i = 0; i < n; i++) {
        const x = a[i] as number;
        if ((x << 16) >> 16 !== x) badElement(SFSDataType.SHORT, x);
        view.setInt16(p, x);
        p += 2;
      }
      w.pos = p;
      return;
    }
    case SFSDataType.INT_ARRAY: {
      w.ensure(n * 4);
      const view = w.view;
      let p = w.pos;
      for (let i = 0; i < n; i++) {
        const x = a[i] as number;
        if ((x | 0) !== x) badElement(SFSDataType.INT, x);
        view.setInt32(p, x);
        p += 4;
      }
      w.pos = p;
      return;
    }
    case SFSDataType.LONG_ARRAY: {
      w.ensure(n * 8);
      const view = w.view;
      let p = w.pos;
      for (let i = 0; i < n; i++) {
        let x = a[i] as number | bigint;
        if (typeof x !== "number" || !Number.isSafeInteger(x)) {
          try {
            x = normalizeLong(x, "LONG_ARRAY");
          } catch {
            badElement(SFSDataType.LONG, x);
          }
        }
        writeInt64At(view, p, x);
        p += 8;
      }
      w.pos = p;
      return;
    }
    case SFSDataType.FLOAT_ARRAY: {
      w.ensure(n * 4);
      const view = w.view;
      let p = w.pos;
      for (let i = 0; i < n; i++) {
        const x = a[i] as number;
        if (typeof x !== "number" || x > 3.4028234663852886e38 || x < -3.4028234663852886e38) {
          if (typeof x !== "number" || Number.isFinite(x)) badElement(SFSDataType.FLOAT, x);
        }
        view.setFloat32(p, x);
        p += 4;
      }
      w.pos = p;
      return;
    }
    case SFSDataType.DOUBLE_ARRAY: {
      w.ensure(n * 8);
      const view = w.view;
      let p = w.pos;
      for (let i = 0; i < n; i++) {
        const x = a[i] as number;
        if (typeof x !== "number") badElement(SFSDataType.DOUBLE, x);
        view.setFloat64(p, x);
        p += 8;
      }
      w.pos = p;
      return;
    }
    case SFSDataType.UTF_STRING_ARRAY:
      for (let i = 0; i < n; i++) writeString16(w, a[i]);
      return;
    default:
      throw new SFSValueError(E.UNSUPPORTED_TYPE, `cannot encode SFSDataType ${type}`);
  }
}
