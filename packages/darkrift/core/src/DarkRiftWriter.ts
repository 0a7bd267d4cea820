import { DarkRiftEncodeError } from "./DarkRiftError.js";
import { checkEncoding, DEFAULT_ENCODING, type DarkRiftEncoding } from "./DarkRiftEncoding.js";
import type { DarkRiftSerializable } from "./DarkRiftSerializable.js";

/** Options of {@link DarkRiftWriter}. */
export interface DarkRiftWriterOptions {
  /** Encoding of strings and chars unless a call overrides it. Default `"utf16le"` (C#'s `Encoding.Unicode`). */
  encoding?: DarkRiftEncoding;
  /** Initial buffer size in bytes (the buffer doubles as needed). Default 256. */
  initialCapacity?: number;
}

const utf8Encoder = new TextEncoder();
const TWO_32 = 4294967296;

// BigInt stores: one BigInt64Array store and two uint32 stores cost a quarter of DataView.setBigInt64
// (V8 11 does not inline the latter). The halves are read in host byte order.
const big = new BigInt64Array(1);
const bigView = new DataView(big.buffer);
const HOST_LE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const BIG_HI = HOST_LE ? 4 : 0;
const BIG_LO = HOST_LE ? 0 : 4;

const describe = (v: unknown): string =>
  typeof v === "string" ? JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v) : typeof v === "bigint" ? `${v}n` : String(v);

function outOfRange(type: string, value: unknown, index?: number): DarkRiftEncodeError {
  const where = index === undefined ? "" : ` at index ${index}`;
  return new DarkRiftEncodeError("OUT_OF_RANGE", `${describe(value)}${where} is not a valid ${type}`);
}

function badValue(type: string, value: unknown, index?: number): DarkRiftEncodeError {
  const where = index === undefined ? "" : ` at index ${index}`;
  return new DarkRiftEncodeError("BAD_VALUE", `${describe(value)}${where} is not a valid ${type}`);
}

/** An array whose length changed while it was written (only accessors or proxies can do that). */
function changedLength(type: string): DarkRiftEncodeError {
  return new DarkRiftEncodeError("BAD_VALUE", `the ${type} array changed length while being written`);
}

function lengthOf(values: ArrayLike<unknown>, type: string): number {
  const n = values == null ? undefined : values.length;
  if (typeof n !== "number" || !(n >= 0) || n > 0x7fffffff) throw badValue(`${type} array`, values);
  return n;
}

/**
 * Serialises values into DarkRift 2's wire format, byte for byte like C#'s `DarkRiftWriter`:
 * big-endian numbers, int32 count prefixes, strings as a byte count plus the encoded bytes
 * (UTF-16LE by default), bool arrays bit-packed MSB-first, chars written like 1-char strings.
 *
 * One growable buffer (doubling) with one cached `DataView`. Every write validates its value
 * first and throws {@link DarkRiftEncodeError} without writing anything if it is out of range.
 *
 * ```ts
 * const w = new DarkRiftWriter();
 * w.writeInt32s([1, 2, 3, -1]);
 * w.toBytes(); // 00000004 00000001 00000002 00000003 ffffffff
 * ```
 */
export class DarkRiftWriter {
  // `declare` (no class-field definition): each field's first store is its real value, so V8 tracks
  // its type (a DataView, a Uint8Array) and optimised code skips re-checking it on every access.
  private declare buf: Uint8Array;
  private declare view: DataView;
  private declare pos: number;
  private declare enc: DarkRiftEncoding;

  constructor(options: DarkRiftWriterOptions = {}) {
    this.enc = checkEncoding(options.encoding ?? DEFAULT_ENCODING);
    const cap = options.initialCapacity ?? 256;
    this.buf = new Uint8Array(cap > 0 ? Math.min(cap, 1 << 30) : 16);
    this.view = new DataView(this.buf.buffer);
    this.pos = 0;
  }

  /** Default encoding of strings and chars written by this writer. */
  get encoding(): DarkRiftEncoding {
    return this.enc;
  }
  set encoding(e: DarkRiftEncoding) {
    this.enc = checkEncoding(e);
  }

  /** Number of bytes written so far. */
  get length(): number {
    return this.pos;
  }

  /**
   * The written bytes as a view of the writer's buffer (no copy). The view stays valid until the
   * next write or {@link reset}; `slice()` it to keep it beyond that.
   */
  toBytes(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }

  /** Forgets everything written, keeping the buffer for reuse. */
  reset(): this {
    this.pos = 0;
    return this;
  }

  /**
   * Advanced, for code generators (e.g. `@darkrift/app`'s compiled message plans): reserves
   * `byteCount` bytes at the end, advances {@link length} past them and returns their offset.
   * Fill them through {@link dataView} / {@link buffer}, read **after** this call (it may replace
   * the buffer) and before any other write. No value checks happen on this path.
   */
  reserve(byteCount: number): number {
    if (!(byteCount >= 0) || byteCount !== Math.floor(byteCount)) throw outOfRange("byte count", byteCount);
    this.ensure(byteCount);
    const p = this.pos;
    this.pos = p + byteCount;
    return p;
  }

  /** Advanced: the DataView over the current buffer (replaced when the buffer grows). See {@link reserve}. */
  get dataView(): DataView {
    return this.view;
  }

  /** Advanced: the current buffer, written bytes first (replaced when it grows). See {@link reserve}. */
  get buffer(): Uint8Array {
    return this.buf;
  }

  private ensure(n: number): void {
    if (this.pos + n > this.buf.length) this.grow(this.pos + n);
  }

  private grow(need: number): void {
    let cap = this.buf.length * 2;
    while (cap < need) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  // ---------------------------------------------------------------- single values

  /** Writes a bool as `01` / `00`. */
  writeBoolean(value: boolean): void {
    if (typeof value !== "boolean") throw badValue("Boolean", value);
    this.ensure(1);
    this.buf[this.pos++] = value ? 1 : 0;
  }

  /** Writes an unsigned byte (0..255). */
  writeByte(value: number): void {
    if (typeof value !== "number" || (value & 0xff) !== value) throw outOfRange("Byte", value);
    this.ensure(1);
    this.buf[this.pos++] = value;
  }

  /** Writes a signed byte (-128..127). */
  writeSByte(value: number): void {
    if (typeof value !== "number" || (value << 24) >> 24 !== value) throw outOfRange("SByte", value);
    this.ensure(1);
    this.buf[this.pos++] = value;
  }

  /**
   * Writes a char (a string of exactly one UTF-16 code unit) the way C# does: like a
   * one-character string, i.e. an int32 byte count and the encoded char (`'A'` → `00000002 4100`).
   */
  writeChar(value: string, encoding: DarkRiftEncoding = this.enc): void {
    if (typeof value !== "string" || value.length !== 1) throw badValue("Char (a string of one UTF-16 code unit)", value);
    this.writeString(value, encoding);
  }

  /** Writes a big-endian int16. */
  writeInt16(value: number): void {
    if (typeof value !== "number" || (value << 16) >> 16 !== value) throw outOfRange("Int16", value);
    this.ensure(2);
    this.view.setInt16(this.pos, value);
    this.pos += 2;
  }

  /** Writes a big-endian uint16. */
  writeUInt16(value: number): void {
    if (typeof value !== "number" || (value & 0xffff) !== value) throw outOfRange("UInt16", value);
    this.ensure(2);
    this.view.setUint16(this.pos, value);
    this.pos += 2;
  }

  /** Writes a big-endian int32. */
  writeInt32(value: number): void {
    if (typeof value !== "number" || (value | 0) !== value) throw outOfRange("Int32", value);
    this.ensure(4);
    this.view.setInt32(this.pos, value);
    this.pos += 4;
  }

  /** Writes a big-endian uint32. */
  writeUInt32(value: number): void {
    if (typeof value !== "number" || value >>> 0 !== value) throw outOfRange("UInt32", value);
    this.ensure(4);
    this.view.setUint32(this.pos, value);
    this.pos += 4;
  }

  /** Writes a big-endian int64: a `bigint`, or a `number` that is a safe integer. */
  writeInt64(value: bigint | number): void {
    this.ensure(8);
    this.put64(this.pos, value, true, undefined);
    this.pos += 8;
  }

  /** Writes a big-endian uint64: a `bigint`, or a non-negative `number` that is a safe integer. */
  writeUInt64(value: bigint | number): void {
    this.ensure(8);
    this.put64(this.pos, value, false, undefined);
    this.pos += 8;
  }

  /** Validates and stores a 64-bit value at `p` (capacity already ensured). */
  private put64(p: number, value: bigint | number, signed: boolean, index: number | undefined): void {
    if (typeof value === "number") {
      if (!Number.isSafeInteger(value) || (!signed && value < 0)) throw outOfRange(signed ? "Int64" : "UInt64", value, index);
      // Split without BigInt: much faster, exact for safe integers (two's complement via floor).
      const hi = Math.floor(value / TWO_32);
      this.view.setInt32(p, hi);
      this.view.setUint32(p + 4, value - hi * TWO_32);
    } else if (typeof value === "bigint") {
      // asIntN/asUintN(64, v) === v is the range check, several times cheaper than two comparisons.
      if (signed ? BigInt.asIntN(64, value) !== value : BigInt.asUintN(64, value) !== value) {
        throw outOfRange(signed ? "Int64" : "UInt64", value, index);
      }
      big[0] = value; // the same 64 bits for int64 and uint64
      this.view.setUint32(p, bigView.getUint32(BIG_HI, HOST_LE));
      this.view.setUint32(p + 4, bigView.getUint32(BIG_LO, HOST_LE));
    } else {
      throw badValue(signed ? "Int64" : "UInt64", value, index);
    }
  }

  /** Writes a big-endian IEEE-754 binary32. NaN is written as .NET does (`ffc00000`). */
  writeSingle(value: number): void {
    if (typeof value !== "number") throw badValue("Single", value);
    this.ensure(4);
    if (value !== value) this.view.setUint32(this.pos, 0xffc00000);
    else this.view.setFloat32(this.pos, value);
    this.pos += 4;
  }

  /** Writes a big-endian IEEE-754 binary64. NaN is written as .NET does (`fff8000000000000`). */
  writeDouble(value: number): void {
    if (typeof value !== "number") throw badValue("Double", value);
    this.ensure(8);
    if (value !== value) {
      this.view.setUint32(this.pos, 0xfff80000);
      this.view.setUint32(this.pos + 4, 0);
    } else {
      this.view.setFloat64(this.pos, value);
    }
    this.pos += 8;
  }

  /**
   * Writes a string: an int32 **byte** count, then the encoded bytes (no terminator, no BOM).
   * Unpaired surrogates are written as U+FFFD (`?` in ASCII), as .NET's encoders do.
   */
  writeString(value: string, encoding: DarkRiftEncoding = this.enc): void {
    if (typeof value !== "string") throw badValue("String", value);
    const n = value.length;
    const start = this.pos;
    let p = start + 4;
    if (encoding === "utf16le") {
      this.ensure(4 + 2 * n);
      const b = this.buf;
      for (let i = 0; i < n; i++) {
        let c = value.charCodeAt(i);
        if ((c & 0xf800) === 0xd800) {
          const d = c <= 0xdbff && i + 1 < n ? value.charCodeAt(i + 1) : 0;
          if ((d & 0xfc00) === 0xdc00) {
            b[p] = c;
            b[p + 1] = c >>> 8;
            p += 2;
            c = d;
            i++;
          } else {
            c = 0xfffd;
          }
        }
        b[p] = c; // Uint8Array stores the low byte
        b[p + 1] = c >>> 8;
        p += 2;
      }
    } else if (encoding === "utf8") {
      this.ensure(4 + 3 * n); // a UTF-16 code unit never takes more than 3 UTF-8 bytes
      const b = this.buf;
      let i = 0;
      for (; i < n; i++) {
        const c = value.charCodeAt(i);
        if (c >= 0x80) break;
        b[p++] = c;
      }
      // TextEncoder replaces lone surrogates with U+FFFD, like .NET's UTF8Encoding.
      if (i < n) p += utf8Encoder.encodeInto(i === 0 ? value : value.slice(i), b.subarray(p)).written;
    } else if (encoding === "ascii") {
      this.ensure(4 + n);
      const b = this.buf;
      for (let i = 0; i < n; i++) {
        const c = value.charCodeAt(i);
        if (c < 0x80) {
          b[p++] = c;
        } else {
          // .NET's ASCII encoder substitutes '?' once per unencodable character (a surrogate pair is one).
          if (c >= 0xd800 && c <= 0xdbff && i + 1 < n && (value.charCodeAt(i + 1) & 0xfc00) === 0xdc00) i++;
          b[p++] = 0x3f;
        }
      }
    } else {
      checkEncoding(encoding);
    }
    this.view.setInt32(start, p - start - 4);
    this.pos = p;
  }

  // ---------------------------------------------------------------- arrays

  /** Writes a bool array: int32 element count, then the bits packed MSB-first (`[T,F,T]` → `00000003 a0`). */
  writeBooleans(values: ArrayLike<boolean>): void {
    const n = lengthOf(values, "Boolean");
    this.ensure(4 + ((n + 7) >>> 3));
    const b = this.buf;
    let p = this.pos + 4;
    let acc = 0;
    for (let i = 0; i < n; i++) {
      const v = values[i];
      if (typeof v !== "boolean") throw badValue("Boolean", v, i);
      if (v) acc |= 0x80 >>> (i & 7);
      if ((i & 7) === 7) {
        b[p++] = acc;
        acc = 0;
      }
    }
    if (n & 7) b[p++] = acc;
    if (values.length !== n) throw changedLength("Boolean");
    this.view.setInt32(this.pos, n);
    this.pos = p;
  }

  /**
   * Writes a byte array: int32 count, then the bytes. Takes a `Uint8Array` (copied as is) or
   * any array of numbers 0..255.
   */
  writeBytes(values: Uint8Array | ArrayLike<number>): void {
    const n = lengthOf(values, "Byte");
    this.ensure(4 + n);
    if (values instanceof Uint8Array) {
      this.buf.set(values, this.pos + 4);
    } else {
      const b = this.buf;
      const p = this.pos + 4;
      for (let i = 0; i < n; i++) {
        const v = values[i];
        if (typeof v !== "number" || (v & 0xff) !== v) throw outOfRange("Byte", v, i);
        b[p + i] = v;
      }
    }
    if (values.length !== n) throw changedLength("Byte");
    this.view.setInt32(this.pos, n);
    this.pos += 4 + n;
  }

  /** Writes an sbyte array: int32 count, then one byte each (two's complement). */
  writeSBytes(values: ArrayLike<number>): void {
    const n = lengthOf(values, "SByte");
    this.ensure(4 + n);
    const b = this.buf;
    const p = this.pos + 4;
    for (let i = 0; i < n; i++) {
      const v = values[i];
      if (typeof v !== "number" || (v << 24) >> 24 !== v) throw outOfRange("SByte", v, i);
      b[p + i] = v;
    }
    if (values.length !== n) throw changedLength("SByte");
    this.view.setInt32(this.pos, n);
    this.pos += 4 + n;
  }

  /** Writes a char array. A char[] is identical to a string on the wire (byte count + encoded chars). */
  writeChars(value: string, encoding: DarkRiftEncoding = this.enc): void {
    this.writeString(value, encoding);
  }

  /** Writes an int16 array: int32 count, then each value big-endian. */
  writeInt16s(values: ArrayLike<number>): void {
    const n = lengthOf(values, "Int16");
    this.ensure(4 + 2 * n);
    const view = this.view;
    let p = this.pos + 4;
    for (let i = 0; i < n; i++, p += 2) {
      const v = values[i];
      if (typeof v !== "number" || (v << 16) >> 16 !== v) throw outOfRange("Int16", v, i);
      view.setInt16(p, v);
    }
    if (values.length !== n) throw changedLength("Int16");
    view.setInt32(this.pos, n);
    this.pos = p;
  }

  /** Writes a uint16 array: int32 count, then each value big-endian. */
  writeUInt16s(values: ArrayLike<number>): void {
    const n = lengthOf(values, "UInt16");
    this.ensure(4 + 2 * n);
    const view = this.view;
    let p = this.pos + 4;
    for (let i = 0; i < n; i++, p += 2) {
      const v = values[i];
      if (typeof v !== "number" || (v & 0xffff) !== v) throw outOfRange("UInt16", v, i);
      view.setUint16(p, v);
    }
    if (values.length !== n) throw changedLength("UInt16");
    view.setInt32(this.pos, n);
    this.pos = p;
  }

  /** Writes an int32 array: int32 count, then each value big-endian. */
  writeInt32s(values: ArrayLike<number>): void {
    const n = lengthOf(values, "Int32");
    this.ensure(4 + 4 * n);
    const view = this.view;
    let p = this.pos + 4;
    for (let i = 0; i < n; i++, p += 4) {
      const v = values[i];
      if (typeof v !== "number" || (v | 0) !== v) throw outOfRange("Int32", v, i);
      view.setInt32(p, v);
    }
    if (values.length !== n) throw changedLength("Int32");
    view.setInt32(this.pos, n);
    this.pos = p;
  }

  /** Writes a uint32 array: int32 count, then each value big-endian. */
  writeUInt32s(values: ArrayLike<number>): void {
    const n = lengthOf(values, "UInt32");
    this.ensure(4 + 4 * n);
    const view = this.view;
    let p = this.pos + 4;
    for (let i = 0; i < n; i++, p += 4) {
      const v = values[i];
      if (typeof v !== "number" || v >>> 0 !== v) throw outOfRange("UInt32", v, i);
      view.setUint32(p, v);
    }
    if (values.length !== n) throw changedLength("UInt32");
    view.setInt32(this.pos, n);
    this.pos = p;
  }

  /** Writes an int64 array (`bigint`s, or safe-integer `number`s): int32 count, then each value big-endian. */
  writeInt64s(values: ArrayLike<bigint | number>): void {
    const n = lengthOf(values, "Int64");
    this.ensure(4 + 8 * n);
    let p = this.pos + 4;
    for (let i = 0; i < n; i++, p += 8) this.put64(p, values[i]!, true, i);
    if (values.length !== n) throw changedLength("Int64");
    this.view.setInt32(this.pos, n);
    this.pos = p;
  }

  /** Writes a uint64 array (`bigint`s, or non-negative safe-integer `number`s): int32 count, then each value big-endian. */
  writeUInt64s(values: ArrayLike<bigint | number>): void {
    const n = lengthOf(values, "UInt64");
    this.ensure(4 + 8 * n);
    let p = this.pos + 4;
    for (let i = 0; i < n; i++, p += 8) this.put64(p, values[i]!, false, i);
    if (values.length !== n) throw changedLength("UInt64");
    this.view.setInt32(this.pos, n);
    this.pos = p;
  }

  /** Writes a float array: int32 count, then each value as big-endian binary32 (NaN as `ffc00000`). */
  writeSingles(values: ArrayLike<number>): void {
    const n = lengthOf(values, "Single");
    this.ensure(4 + 4 * n);
    const view = this.view;
    let p = this.pos + 4;
    for (let i = 0; i < n; i++, p += 4) {
      const v = values[i];
      if (typeof v !== "number") throw badValue("Single", v, i);
      if (v !== v) view.setUint32(p, 0xffc00000);
      else view.setFloat32(p, v);
    }
    if (values.length !== n) throw changedLength("Single");
    view.setInt32(this.pos, n);
    this.pos = p;
  }

  /** Writes a double array: int32 count, then each value as big-endian binary64 (NaN as `fff8000000000000`). */
  writeDoubles(values: ArrayLike<number>): void {
    const n = lengthOf(values, "Double");
    this.ensure(4 + 8 * n);
    const view = this.view;
    let p = this.pos + 4;
    for (let i = 0; i < n; i++, p += 8) {
      const v = values[i];
      if (typeof v !== "number") throw badValue("Double", v, i);
      if (v !== v) {
        view.setUint32(p, 0xfff80000);
        view.setUint32(p + 4, 0);
      } else {
        view.setFloat64(p, v);
      }
    }
    if (values.length !== n) throw changedLength("Double");
    view.setInt32(this.pos, n);
    this.pos = p;
  }

  /** Writes a string array: int32 element count, then each string with its own byte count. */
  writeStrings(values: ArrayLike<string>, encoding: DarkRiftEncoding = this.enc): void {
    const n = lengthOf(values, "String");
    const start = this.pos;
    this.writeInt32(n);
    try {
      for (let i = 0; i < n; i++) {
        const v = values[i]!;
        if (typeof v !== "string") throw badValue("String", v, i);
        this.writeString(v, encoding);
      }
    } catch (e) {
      this.pos = start;
      throw e;
    }
  }

  // ---------------------------------------------------------------- raw and serializables

  /** Writes bytes as they are, with **no** prefix (C#'s `WriteRaw`); read them back with `readRaw(length)`. */
  writeRaw(bytes: Uint8Array, offset = 0, length: number = bytes.length - offset): void {
    if (!(bytes instanceof Uint8Array)) throw badValue("Uint8Array", bytes);
    if (!Number.isInteger(offset) || !Number.isInteger(length) || offset < 0 || length < 0 || offset + length > bytes.length) {
      throw new DarkRiftEncodeError("OUT_OF_RANGE", `writeRaw: offset ${offset} + length ${length} exceeds ${bytes.length} bytes`);
    }
    this.ensure(length);
    this.buf.set(bytes.subarray(offset, offset + length), this.pos);
    this.pos += length;
  }

  /**
   * Writes a serializable object: exactly the bytes its `serialize` writes (no framing).
   * If `serialize` throws, everything it wrote is discarded.
   */
  writeSerializable(value: DarkRiftSerializable): void {
    const start = this.pos;
    try {
      value.serialize(this);
    } catch (e) {
      this.pos = start;
      throw e;
    }
  }

  /** Writes an array of serializables: int32 element count, then each element's bytes (no per-element length). */
  writeSerializables(values: ArrayLike<DarkRiftSerializable>): void {
    const n = lengthOf(values, "serializable");
    const start = this.pos;
    this.writeInt32(n);
    try {
      for (let i = 0; i < n; i++) values[i]!.serialize(this);
    } catch (e) {
      this.pos = start;
      throw e;
    }
  }
}
