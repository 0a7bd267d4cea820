import { ByteReader, int16At, int32At, int64At, utf8At } from "./ByteReader.js";
import { SFSArray } from "./SFSArray.js";
import { SFSCodecError, SFSCodecErrorCode } from "./SFSCodecError.js";
import { SFSDataType } from "./SFSDataType.js";
import { SFSObject } from "./SFSObject.js";
import { DEFAULT_MAX_DEPTH, type SFSDecodeOptions } from "./SFSValue.js";

/** Resolved options, passed down the recursion. */
interface Ctx {
  maxDepth: number;
  copy: boolean;
}

const DEFAULT_CTX: Ctx = { maxDepth: DEFAULT_MAX_DEPTH, copy: false };

function ctxOf(options?: SFSDecodeOptions): Ctx {
  if (options === undefined) return DEFAULT_CTX;
  return { maxDepth: options.maxDepth ?? DEFAULT_MAX_DEPTH, copy: options.copyByteArrays === true };
}

// Keys repeat from message to message, so short ones are cached by content: a hit costs a hash
// and a compare instead of a new string, and equal keys become the same string (fast ===).
const KC_SIZE = 4096;
const KC_MAX = 16;
const kcStr: string[] = new Array<string>(KC_SIZE).fill("");
const kcLen = new Uint8Array(KC_SIZE);
const kcBytes = new Uint8Array(KC_SIZE * KC_MAX);

/** A 32-bit hash of the last key `readKey` returned, or -1 when it has none (uncached keys). */
let lastKeyHash = -1;

function readKey(bytes: Uint8Array, p: number, n: number): string {
  if (n === 0 || n > KC_MAX) {
    lastKeyHash = -1;
    return utf8At(bytes, p, n);
  }
  // Hash the length and three bytes (first, middle, last): the compare below checks them all.
  let h = Math.imul(n ^ (bytes[p]! << 8) ^ (bytes[p + (n >> 1)]! << 16) ^ (bytes[p + n - 1]! << 24), 0x9e3779b1);
  h ^= h >>> 15;
  const slot = (h ^ (h >>> 12)) & (KC_SIZE - 1);
  lastKeyHash = h;
  const base = slot * KC_MAX;
  if (kcLen[slot] === n) {
    let i = 0;
    while (i < n && kcBytes[base + i] === bytes[p + i]) i++;
    if (i === n) return kcStr[slot]!;
  }
  const s = utf8At(bytes, p, n);
  kcLen[slot] = n;
  for (let i = 0; i < n; i++) kcBytes[base + i] = bytes[p + i]!;
  kcStr[slot] = s;
  return s;
}

/** Objects with more entries than this get a Map index while decoding (duplicate keys: last wins). */
const LINEAR_DEDUPE_MAX = 32;

const C = SFSCodecErrorCode;

function fail(r: ByteReader, code: SFSCodecErrorCode, message: string, at: number): never {
  throw new SFSCodecError(code, message, at - r.begin);
}

/**
 * Reads one SFSObject (type byte 0x12, count, entries) at the reader's position and leaves
 * the cursor after it. Throws {@link SFSCodecError} with the offset of the bad field.
 */
export function readSFSObject(reader: ByteReader, options?: SFSDecodeOptions): SFSObject {
  const ctx = ctxOf(options);
  readRootType(reader, SFSDataType.SFS_OBJECT, "SFSObject", ctx);
  return readObjectBody(reader, 1, ctx);
}

/** Reads one SFSArray (type byte 0x11, count, elements) at the reader's position. */
export function readSFSArray(reader: ByteReader, options?: SFSDecodeOptions): SFSArray {
  const ctx = ctxOf(options);
  readRootType(reader, SFSDataType.SFS_ARRAY, "SFSArray", ctx);
  return readArrayBody(reader, 1, ctx);
}

function readRootType(r: ByteReader, expected: number, name: string, ctx: Ctx): void {
  const at = r.pos;
  if (!(ctx.maxDepth >= 1)) fail(r, C.DEPTH_EXCEEDED, `maxDepth ${ctx.maxDepth} admits no container`, at);
  if (r.end - at < 3) fail(r, C.TRUNCATED, `an ${name} needs at least 3 bytes, got ${r.end - at}`, at);
  const t = r.bytes[at]!;
  if (t !== expected) fail(r, C.WRONG_ROOT_TYPE, `expected ${name} type ${expected}, found type byte ${t}`, at);
  r.pos = at + 1;
}

/** Reads a signed int16 count/length, rejecting negatives, and checks `n * minBytes` bytes remain. */
function readCount16(r: ByteReader, minBytes: number, what: string): number {
  const at = r.pos;
  if (at + 2 > r.end) fail(r, C.TRUNCATED, `${what} count needs 2 bytes`, at);
  const n = int16At(r.bytes, at);
  if (n < 0) fail(r, C.NEGATIVE_LENGTH, `negative ${what} count ${n}`, at);
  r.pos = at + 2;
  if (n * minBytes > r.end - r.pos) {
    fail(r, C.TRUNCATED, `${what} of ${n} needs at least ${n * minBytes} bytes but only ${r.end - r.pos} remain`, at);
  }
  return n;
}

function readObjectBody(r: ByteReader, depth: number, ctx: Ctx): SFSObject {
  // Every entry is at least 3 bytes: int16 key length + type byte.
  const n = readCount16(r, 3, "SFSObject entry");
  const obj = new SFSObject();
  const indexed = n > LINEAR_DEDUPE_MAX;
  // Arrays of the announced size (n is bounded by the bytes left): growing empty ones by push
  // allocates about 17 slots each on the first entry, which costs more than the entry.
  const keys: string[] = indexed ? obj._keys : new Array<string>(n);
  const types: number[] = indexed ? obj._types : new Array<number>(n);
  const values: unknown[] = indexed ? obj._values : new Array<unknown>(n);
  let m = 0;
  if (indexed) obj._index = new Map();
  else {
    obj._keys = keys;
    obj._types = types;
    obj._values = values;
  }
  const bytes = r.bytes;
  // Keys seen so far, as one bit of their hash each: a key whose bit is clear is new, so the
  // duplicate scan only runs on (rare) bit collisions.
  let seen = 0;
  for (let i = 0; i < n; i++) {
    const at = r.pos;
    if (at + 2 > r.end) fail(r, C.TRUNCATED, "key length needs 2 bytes", at);
    const klen = (bytes[at]! << 8) | bytes[at + 1]!;
    if (klen > 255) {
      fail(r, klen >= 0x8000 ? C.NEGATIVE_LENGTH : C.KEY_TOO_LONG, `key length ${klen > 0x7fff ? klen - 0x10000 : klen} is outside 0..255`, at);
    }
    if (at + 2 + klen > r.end) fail(r, C.TRUNCATED, `key of ${klen} bytes runs past the end`, at);
    const key = readKey(bytes, at + 2, klen);
    const tAt = at + 2 + klen;
    if (tAt >= r.end) fail(r, C.TRUNCATED, "missing type byte", tAt);
    const type = bytes[tAt]!;
    r.pos = tAt + 1;
    const value = readValue(r, type, tAt, depth, ctx);
    if (indexed) {
      obj._set(key, type, value);
      continue;
    }
    const bit = lastKeyHash === -1 ? -1 : 1 << (lastKeyHash & 31);
    let j = m;
    if ((seen & bit) !== 0) {
      j = 0;
      while (j < m && keys[j] !== key) j++;
    }
    seen |= bit;
    if (j === m) keys[m++] = key;
    types[j] = type;
    values[j] = value;
  }
  if (!indexed && m < n) {
    // Duplicate keys (last one wins) left slots unused.
    keys.length = m;
    types.length = m;
    values.length = m;
  }
  return obj;
}

function readArrayBody(r: ByteReader, depth: number, ctx: Ctx): SFSArray {
  const n = readCount16(r, 1, "SFSArray element");
  const arr = new SFSArray();
  const types = arr._types;
  const values = arr._values;
  const bytes = r.bytes;
  for (let i = 0; i < n; i++) {
    const tAt = r.pos;
    if (tAt >= r.end) fail(r, C.TRUNCATED, "missing type byte", tAt);
    const type = bytes[tAt]!;
    r.pos = tAt + 1;
    values.push(readValue(r, type, tAt, depth, ctx));
    types.push(type);
  }
  return arr;
}

function readValue(r: ByteReader, type: number, tAt: number, depth: number, ctx: Ctx): unknown {
  const p = r.pos;
  const left = r.end - p;
  switch (type) {
    case SFSDataType.NULL:
      return null;
    case SFSDataType.BOOL: {
      if (left < 1) break;
      const b = r.bytes[p]!;
      if (b > 1) fail(r, C.INVALID_BOOL, `BOOL byte ${b} is not 0 or 1`, p);
      r.pos = p + 1;
      return b === 1;
    }
    case SFSDataType.BYTE:
      if (left < 1) break;
      r.pos = p + 1;
      return r.bytes[p];
    case SFSDataType.SHORT:
      if (left < 2) break;
      r.pos = p + 2;
      return int16At(r.bytes, p);
    case SFSDataType.INT:
      if (left < 4) break;
      r.pos = p + 4;
      return int32At(r.bytes, p);
    case SFSDataType.LONG:
      if (left < 8) break;
      r.pos = p + 8;
      return int64At(r.bytes, p);
    case SFSDataType.FLOAT:
      if (left < 4) break;
      r.pos = p + 4;
      return r.view.getFloat32(p);
    case SFSDataType.DOUBLE:
      if (left < 8) break;
      r.pos = p + 8;
      return r.view.getFloat64(p);
    case SFSDataType.UTF_STRING:
      return readString16(r);
    case SFSDataType.TEXT: {
      if (left < 4) break;
      const n = int32At(r.bytes, p);
      if (n < 0) fail(r, C.NEGATIVE_LENGTH, `negative TEXT length ${n}`, p);
      if (n > left - 4) fail(r, C.TRUNCATED, `TEXT of ${n} bytes but only ${left - 4} remain`, p);
      r.pos = p + 4;
      return r.readUtf8(n);
    }
    case SFSDataType.SFS_OBJECT:
      if (depth >= ctx.maxDepth) fail(r, C.DEPTH_EXCEEDED, `containers nest deeper than maxDepth ${ctx.maxDepth}`, tAt);
      return readObjectBody(r, depth + 1, ctx);
    case SFSDataType.SFS_ARRAY:
      if (depth >= ctx.maxDepth) fail(r, C.DEPTH_EXCEEDED, `containers nest deeper than maxDepth ${ctx.maxDepth}`, tAt);
      return readArrayBody(r, depth + 1, ctx);
    case SFSDataType.BYTE_ARRAY: {
      if (left < 4) break;
      const n = int32At(r.bytes, p);
      if (n < 0) fail(r, C.NEGATIVE_LENGTH, `negative BYTE_ARRAY length ${n}`, p);
      if (n > left - 4) fail(r, C.TRUNCATED, `BYTE_ARRAY of ${n} bytes but only ${left - 4} remain`, p);
      r.pos = p + 4 + n;
      const b = r.bytes;
      // A plain Uint8Array view even when the input is a subclass (a Node Buffer): the same type
      // whatever the transport, and cheaper than a subclass's subarray().
      const view = new Uint8Array(b.buffer, b.byteOffset + p + 4, n);
      if (!ctx.copy) return view;
      const copy = new Uint8Array(n);
      copy.set(view);
      return copy;
    }
    case SFSDataType.BOOL_ARRAY: {
      const n = readCount16(r, 1, "BOOL_ARRAY");
      const out: boolean[] = [];
      const bytes = r.bytes;
      let q = r.pos;
      for (let i = 0; i < n; i++, q++) {
        const b = bytes[q]!;
        if (b > 1) fail(r, C.INVALID_BOOL, `BOOL byte ${b} is not 0 or 1`, q);
        out.push(b === 1);
      }
      r.pos = q;
      return out;
    }
    case SFSDataType.SHORT_ARRAY: {
      const n = readCount16(r, 2, "SHORT_ARRAY");
      const out: number[] = [];
      const b = r.bytes;
      let q = r.pos;
      for (let i = 0; i < n; i++, q += 2) out.push(int16At(b, q));
      r.pos = q;
      return out;
    }
    case SFSDataType.INT_ARRAY: {
      const n = readCount16(r, 4, "INT_ARRAY");
      const out: number[] = [];
      const b = r.bytes;
      let q = r.pos;
      for (let i = 0; i < n; i++, q += 4) out.push(int32At(b, q));
      r.pos = q;
      return out;
    }
    case SFSDataType.LONG_ARRAY: {
      const n = readCount16(r, 8, "LONG_ARRAY");
      const out: (number | bigint)[] = [];
      const b = r.bytes;
      let q = r.pos;
      for (let i = 0; i < n; i++, q += 8) out.push(int64At(b, q));
      r.pos = q;
      return out;
    }
    case SFSDataType.FLOAT_ARRAY: {
      const n = readCount16(r, 4, "FLOAT_ARRAY");
      const out: number[] = [];
      const view = r.view;
      let q = r.pos;
      for (let i = 0; i < n; i++, q += 4) out.push(view.getFloat32(q));
      r.pos = q;
      return out;
    }
    case SFSDataType.DOUBLE_ARRAY: {
      const n = readCount16(r, 8, "DOUBLE_ARRAY");
      const out: number[] = [];
      const view = r.view;
      let q = r.pos;
      for (let i = 0; i < n; i++, q += 8) out.push(view.getFloat64(q));
      r.pos = q;
      return out;
    }
    case SFSDataType.UTF_STRING_ARRAY: {
      const n = readCount16(r, 2, "UTF_STRING_ARRAY");
      const out: string[] = [];
      for (let i = 0; i < n; i++) out.push(readString16(r));
      return out;
    }
    case SFSDataType.CLASS:
      return fail(r, C.UNSUPPORTED_TYPE, "type 19 (CLASS) is not supported", tAt);
    default:
      return fail(r, C.UNKNOWN_TYPE, `unknown SFSDataType ${type}`, tAt);
  }
  return fail(r, C.TRUNCATED, `value of type ${type} runs past the end (${left} bytes left)`, p);
}

function readString16(r: ByteReader): string {
  const p = r.pos;
  if (p + 2 > r.end) fail(r, C.TRUNCATED, "string length needs 2 bytes", p);
  const n = int16At(r.bytes, p);
  if (n < 0) fail(r, C.NEGATIVE_LENGTH, `negative UTF_STRING length ${n}`, p);
  if (n > r.end - p - 2) fail(r, C.TRUNCATED, `UTF_STRING of ${n} bytes but only ${r.end - p - 2} remain`, p);
  r.pos = p + 2;
  return r.readUtf8(n);
}
