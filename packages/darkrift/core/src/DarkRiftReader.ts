import { DarkRiftDecodeError } from "./DarkRiftError.js";
import { checkEncoding, DEFAULT_ENCODING, type DarkRiftEncoding } from "./DarkRiftEncoding.js";
import type { DarkRiftSerializable, DarkRiftSerializableConstructor } from "./DarkRiftSerializable.js";

/** Options of {@link DarkRiftReader}. */
export interface DarkRiftReaderOptions {
  /** Encoding of strings and chars unless a call overrides it. Default `"utf16le"` (C#'s `Encoding.Unicode`). */
  encoding?: DarkRiftEncoding;
}

// ignoreBOM keeps a leading U+FEFF as data, as .NET's Encoding.GetString does.
const utf16Decoder = new TextDecoder("utf-16le", { ignoreBOM: true });
const utf8Decoder = new TextDecoder("utf-8", { ignoreBOM: true });

/** Up to this many elements a serializable array may claim more elements than bytes remain (zero-byte elements). */
const MAX_UNBACKED_SERIALIZABLES = 1024;

/** An 8-byte scratch for floats and 64-bit integers: copying the bytes costs far less than a DataView per reader. */
const scratch = new Uint8Array(8);
const scratchView = new DataView(scratch.buffer);
/** Placeholder until a reader needs its own DataView (kept a DataView so the field's type never changes). */
const NO_VIEW = new DataView(new ArrayBuffer(0));
/**
 * Float and 64-bit values are copied through the scratch, except in arrays of at least this many
 * elements, which are read through a DataView over the bytes (made once per reader: it costs about
 * as much as that many scratch copies). (Integers are always assembled from the bytes, measured as
 * fast as DataView reads.)
 */
const VIEW_MIN_ELEMENTS = 8;
/** A reader that has read this many float / 64-bit values one by one makes its DataView too. */
const VIEW_MIN_READS = 32;

const i32At = (b: Uint8Array, p: number): number => (b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!;
const i16At = (b: Uint8Array, p: number): number => ((b[p]! << 24) >> 16) | b[p + 1]!;
const u16At = (b: Uint8Array, p: number): number => (b[p]! << 8) | b[p + 1]!;

function copy4(b: Uint8Array, p: number): void {
  const s = scratch;
  s[0] = b[p]!;
  s[1] = b[p + 1]!;
  s[2] = b[p + 2]!;
  s[3] = b[p + 3]!;
}

function copy8(b: Uint8Array, p: number): void {
  const s = scratch;
  s[0] = b[p]!;
  s[1] = b[p + 1]!;
  s[2] = b[p + 2]!;
  s[3] = b[p + 3]!;
  s[4] = b[p + 4]!;
  s[5] = b[p + 5]!;
  s[6] = b[p + 6]!;
  s[7] = b[p + 7]!;
}

function decodeUtf16(b: Uint8Array, start: number, end: number): string {
  // Short strings: building the string directly beats a TextDecoder call.
  if (end - start <= 64 && ((end - start) & 1) === 0) {
    let s = "";
    for (let p = start; p < end; p += 2) {
      const c = b[p]! | (b[p + 1]! << 8);
      if ((c & 0xf800) === 0xd800) return utf16Decoder.decode(b.subarray(start, end));
      s += String.fromCharCode(c);
    }
    return s;
  }
  // Invalid input (odd length, lone surrogates) decodes to U+FFFD, as in .NET.
  return utf16Decoder.decode(b.subarray(start, end));
}

function decodeUtf8(b: Uint8Array, start: number, end: number): string {
  if (end - start <= 32) {
    let s = "";
    for (let p = start; p < end; p++) {
      const c = b[p]!;
      if (c >= 0x80) return utf8Decoder.decode(b.subarray(start, end));
      s += String.fromCharCode(c);
    }
    return s;
  }
  return utf8Decoder.decode(b.subarray(start, end));
}

function decodeAscii(b: Uint8Array, start: number, end: number): string {
  let s = "";
  // .NET's ASCII decoder replaces bytes above 0x7f with '?'.
  for (let p = start; p < end; p++) s += String.fromCharCode(b[p]! < 0x80 ? b[p]! : 0x3f);
  return s;
}

/**
 * Reads DarkRift 2 wire data, mirroring C#'s `DarkRiftReader`. Every read is bounds-checked and
 * throws {@link DarkRiftDecodeError} (with the byte `offset`) on truncated or malformed input; count
 * prefixes are checked against the remaining bytes before anything is allocated. A failed read
 * leaves `position` where it was.
 *
 * ```ts
 * const r = new DarkRiftReader(bytes);
 * const items = r.readInt32s();
 * ```
 */
export class DarkRiftReader {
  // `declare` (no class-field definition): each field's first store is its real value, so V8 tracks
  // its type and optimised code skips re-checking it on every access.
  private declare readonly data: Uint8Array;
  /**
   * A DataView over `data`, made on first need: creating one costs more than reading a short
   * message, so single values and short arrays are read from the bytes directly.
   */
  private declare view: DataView;
  private declare readonly end: number;
  private declare pos: number;
  private declare enc: DarkRiftEncoding;
  /** Float / 64-bit values read through the scratch so far (see VIEW_MIN_READS). */
  private declare wideReads: number;

  constructor(bytes: Uint8Array, options?: DarkRiftReaderOptions) {
    if (!(bytes instanceof Uint8Array)) throw new TypeError("DarkRiftReader needs a Uint8Array");
    this.data = bytes;
    this.view = NO_VIEW;
    this.end = bytes.length;
    this.pos = 0;
    this.wideReads = 0;
    const encoding = options === undefined ? undefined : options.encoding;
    this.enc = encoding === undefined ? DEFAULT_ENCODING : checkEncoding(encoding);
  }

  /** Default encoding of strings and chars read by this reader. */
  get encoding(): DarkRiftEncoding {
    return this.enc;
  }
  set encoding(e: DarkRiftEncoding) {
    this.enc = checkEncoding(e);
  }

  /** Total number of bytes. */
  get length(): number {
    return this.end;
  }

  /** Current read position (settable, like C#'s `Position`). */
  get position(): number {
    return this.pos;
  }
  set position(p: number) {
    if (!Number.isInteger(p) || p < 0 || p > this.end) {
      throw new DarkRiftDecodeError("BAD_POSITION", `position ${p} is outside 0..${this.end}`, this.pos);
    }
    this.pos = p;
  }

  /** Bytes left to read. */
  get remaining(): number {
    return this.end - this.pos;
  }

  /** Advanced: the bytes being read (offset 0 is the first byte, as for {@link position}). */
  get bytes(): Uint8Array {
    return this.data;
  }

  /** Advanced: a DataView over exactly {@link bytes} (made on first use). */
  get dataView(): DataView {
    return this.view !== NO_VIEW ? this.view : this.makeView();
  }

  private makeView(): DataView {
    const b = this.data;
    this.view = new DataView(b.buffer, b.byteOffset, b.byteLength);
    return this.view;
  }

  /** The DataView for `count` float / 64-bit reads, or undefined to use the scratch. */
  private wideView(count: number): DataView | undefined {
    if (this.view !== NO_VIEW) return this.view;
    if (count >= VIEW_MIN_ELEMENTS) return this.makeView();
    this.wideReads += count;
    return this.wideReads < VIEW_MIN_READS ? undefined : this.makeView();
  }

  /**
   * Advanced, for code generators: checks that `byteCount` bytes remain, advances past them and
   * returns their offset (read them through {@link dataView} / {@link bytes}). Throws
   * `END_OF_DATA` and leaves the position unchanged otherwise.
   */
  take(byteCount: number): number {
    const p = this.pos;
    if (!(byteCount >= 0) || byteCount !== Math.floor(byteCount)) {
      throw new DarkRiftDecodeError("NEGATIVE_COUNT", `byte count ${byteCount} is not a non-negative integer`, p);
    }
    if (byteCount > this.end - p) throw this.endOfData("Raw", byteCount);
    this.pos = p + byteCount;
    return p;
  }

  private endOfData(type: string, need: number, at: number = this.pos): DarkRiftDecodeError {
    return new DarkRiftDecodeError("END_OF_DATA", `${type} needs ${need} byte(s) but only ${this.end - at} remain`, at);
  }

  /**
   * Reads an int32 count and checks it fits: `count * minElementSize` bytes must remain.
   * Rewinds and throws otherwise, so nothing is ever allocated from an unchecked count.
   */
  private readCount(type: string, minElementSize: number): number {
    const at = this.pos;
    if (at + 4 > this.end) throw this.endOfData(`${type} count`, 4);
    const n = i32At(this.data, at);
    if (n < 0) throw new DarkRiftDecodeError("NEGATIVE_COUNT", `${type} count ${n} is negative`, at);
    if (n * minElementSize > this.end - at - 4) {
      throw new DarkRiftDecodeError(
        "COUNT_EXCEEDS_DATA",
        `${type} count ${n} needs ${n * minElementSize} byte(s) but only ${this.end - at - 4} remain`,
        at,
      );
    }
    this.pos = at + 4;
    return n;
  }

  // ---------------------------------------------------------------- single values

  /** Reads a bool. As in C#, only `01` is true; every other byte value is false. */
  readBoolean(): boolean {
    if (this.pos >= this.end) throw this.endOfData("Boolean", 1);
    return this.data[this.pos++] === 1;
  }

  /** Reads an unsigned byte. */
  readByte(): number {
    if (this.pos >= this.end) throw this.endOfData("Byte", 1);
    return this.data[this.pos++]!;
  }

  /** Reads a signed byte. */
  readSByte(): number {
    if (this.pos >= this.end) throw this.endOfData("SByte", 1);
    return (this.data[this.pos++]! << 24) >> 24;
  }

  /**
   * Reads a char (written like a one-character string) and returns it as a string of one
   * UTF-16 code unit. Throws `BAD_CHAR` if the bytes decode to anything else.
   */
  readChar(encoding: DarkRiftEncoding = this.enc): string {
    const at = this.pos;
    const s = this.readString(encoding);
    if (s.length !== 1) {
      this.pos = at;
      throw new DarkRiftDecodeError("BAD_CHAR", `a char must decode to one UTF-16 code unit, got ${s.length}`, at);
    }
    return s;
  }

  /** Reads a big-endian int16. */
  readInt16(): number {
    const p = this.pos;
    if (p + 2 > this.end) throw this.endOfData("Int16", 2);
    this.pos = p + 2;
    return i16At(this.data, p);
  }

  /** Reads a big-endian uint16. */
  readUInt16(): number {
    const p = this.pos;
    if (p + 2 > this.end) throw this.endOfData("UInt16", 2);
    this.pos = p + 2;
    return u16At(this.data, p);
  }

  /** Reads a big-endian int32. */
  readInt32(): number {
    const p = this.pos;
    if (p + 4 > this.end) throw this.endOfData("Int32", 4);
    this.pos = p + 4;
    return i32At(this.data, p);
  }

  /** Reads a big-endian uint32. */
  readUInt32(): number {
    const p = this.pos;
    if (p + 4 > this.end) throw this.endOfData("UInt32", 4);
    this.pos = p + 4;
    return i32At(this.data, p) >>> 0;
  }

  /** Reads a big-endian int64 as a `bigint` (exact over the whole range). */
  readInt64(): bigint {
    const p = this.pos;
    if (p + 8 > this.end) throw this.endOfData("Int64", 8);
    this.pos = p + 8;
    const view = this.wideView(1);
    if (view !== undefined) return view.getBigInt64(p);
    copy8(this.data, p);
    return scratchView.getBigInt64(0);
  }

  /** Reads a big-endian uint64 as a `bigint` (exact over the whole range). */
  readUInt64(): bigint {
    const p = this.pos;
    if (p + 8 > this.end) throw this.endOfData("UInt64", 8);
    this.pos = p + 8;
    const view = this.wideView(1);
    if (view !== undefined) return view.getBigUint64(p);
    copy8(this.data, p);
    return scratchView.getBigUint64(0);
  }

  /** Reads a big-endian IEEE-754 binary32. */
  readSingle(): number {
    const p = this.pos;
    if (p + 4 > this.end) throw this.endOfData("Single", 4);
    this.pos = p + 4;
    const view = this.wideView(1);
    if (view !== undefined) return view.getFloat32(p);
    copy4(this.data, p);
    return scratchView.getFloat32(0);
  }

  /** Reads a big-endian IEEE-754 binary64. */
  readDouble(): number {
    const p = this.pos;
    if (p + 8 > this.end) throw this.endOfData("Double", 8);
    this.pos = p + 8;
    const view = this.wideView(1);
    if (view !== undefined) return view.getFloat64(p);
    copy8(this.data, p);
    return scratchView.getFloat64(0);
  }

  /**
   * Reads a string: an int32 byte count, then that many encoded bytes. Invalid byte sequences
   * decode to U+FFFD (`?` for ASCII) as in .NET, never to an error.
   */
  readString(encoding: DarkRiftEncoding = this.enc): string {
    const n = this.readCount("String byte", 1);
    const start = this.pos;
    this.pos = start + n;
    if (encoding === "utf16le") return decodeUtf16(this.data, start, start + n);
    if (encoding === "utf8") return decodeUtf8(this.data, start, start + n);
    if (encoding === "ascii") return decodeAscii(this.data, start, start + n);
    this.pos = start - 4;
    return checkEncoding(encoding);
  }

  // ---------------------------------------------------------------- arrays

  /** Reads a bool array: int32 element count, then the bits packed MSB-first. */
  readBooleans(): boolean[] {
    const at = this.pos;
    if (at + 4 > this.end) throw this.endOfData("Boolean count", 4);
    const n = i32At(this.data, at);
    if (n < 0) throw new DarkRiftDecodeError("NEGATIVE_COUNT", `Boolean count ${n} is negative`, at);
    const size = Math.ceil(n / 8);
    if (size > this.end - at - 4) {
      throw new DarkRiftDecodeError("COUNT_EXCEEDS_DATA", `Boolean count ${n} needs ${size} byte(s) but only ${this.end - at - 4} remain`, at);
    }
    const b = this.data;
    const p = at + 4;
    const out = new Array<boolean>(n);
    for (let i = 0; i < n; i++) out[i] = (b[p + (i >>> 3)]! & (0x80 >>> (i & 7))) !== 0;
    this.pos = p + size;
    return out;
  }

  /**
   * Reads a byte array: int32 count, then the bytes. Returns a **view** into the reader's bytes
   * (zero-copy): it shares memory with the message payload; `slice()` it to own a copy.
   */
  readBytes(): Uint8Array {
    const n = this.readCount("Byte", 1);
    const p = this.pos;
    this.pos = p + n;
    return this.data.subarray(p, p + n);
  }

  /** Reads an sbyte array: int32 count, then one byte each. */
  readSBytes(): number[] {
    const n = this.readCount("SByte", 1);
    const b = this.data;
    const p = this.pos;
    const out = new Array<number>(n);
    for (let i = 0; i < n; i++) out[i] = (b[p + i]! << 24) >> 24;
    this.pos = p + n;
    return out;
  }

  /** Reads a char array, which is identical to a string on the wire, and returns it as a string. */
  readChars(encoding: DarkRiftEncoding = this.enc): string {
    return this.readString(encoding);
  }

  /** Reads an int16 array. */
  readInt16s(): number[] {
    const n = this.readCount("Int16", 2);
    const b = this.data;
    let p = this.pos;
    const out = new Array<number>(n);
    for (let i = 0; i < n; i++, p += 2) out[i] = i16At(b, p);
    this.pos = p;
    return out;
  }

  /** Reads a uint16 array. */
  readUInt16s(): number[] {
    const n = this.readCount("UInt16", 2);
    const b = this.data;
    let p = this.pos;
    const out = new Array<number>(n);
    for (let i = 0; i < n; i++, p += 2) out[i] = u16At(b, p);
    this.pos = p;
    return out;
  }

  /** Reads an int32 array. */
  readInt32s(): number[] {
    const n = this.readCount("Int32", 4);
    const b = this.data;
    let p = this.pos;
    const out = new Array<number>(n);
    for (let i = 0; i < n; i++, p += 4) out[i] = i32At(b, p);
    this.pos = p;
    return out;
  }

  /** Reads a uint32 array. */
  readUInt32s(): number[] {
    const n = this.readCount("UInt32", 4);
    const b = this.data;
    let p = this.pos;
    const out = new Array<number>(n);
    for (let i = 0; i < n; i++, p += 4) out[i] = i32At(b, p) >>> 0;
    this.pos = p;
    return out;
  }

  /** Reads an int64 array as `bigint`s. */
  readInt64s(): bigint[] {
    const n = this.readCount("Int64", 8);
    let p = this.pos;
    const out = new Array<bigint>(n);
    const view = this.wideView(n);
    if (view !== undefined) {
      for (let i = 0; i < n; i++, p += 8) out[i] = view.getBigInt64(p);
    } else {
      const b = this.data;
      for (let i = 0; i < n; i++, p += 8) {
        copy8(b, p);
        out[i] = scratchView.getBigInt64(0);
      }
    }
    this.pos = p;
    return out;
  }

  /** Reads a uint64 array as `bigint`s. */
  readUInt64s(): bigint[] {
    const n = this.readCount("UInt64", 8);
    let p = this.pos;
    const out = new Array<bigint>(n);
    const view = this.wideView(n);
    if (view !== undefined) {
      for (let i = 0; i < n; i++, p += 8) out[i] = view.getBigUint64(p);
    } else {
      const b = this.data;
      for (let i = 0; i < n; i++, p += 8) {
        copy8(b, p);
        out[i] = scratchView.getBigUint64(0);
      }
    }
    this.pos = p;
    return out;
  }

  /** Reads a float array. */
  readSingles(): number[] {
    const n = this.readCount("Single", 4);
    let p = this.pos;
    const out = new Array<number>(n);
    const view = this.wideView(n);
    if (view !== undefined) {
      for (let i = 0; i < n; i++, p += 4) out[i] = view.getFloat32(p);
    } else {
      const b = this.data;
      for (let i = 0; i < n; i++, p += 4) {
        copy4(b, p);
        out[i] = scratchView.getFloat32(0);
      }
    }
    this.pos = p;
    return out;
  }

  /** Reads a double array. */
  readDoubles(): number[] {
    const n = this.readCount("Double", 8);
    let p = this.pos;
    const out = new Array<number>(n);
    const view = this.wideView(n);
    if (view !== undefined) {
      for (let i = 0; i < n; i++, p += 8) out[i] = view.getFloat64(p);
    } else {
      const b = this.data;
      for (let i = 0; i < n; i++, p += 8) {
        copy8(b, p);
        out[i] = scratchView.getFloat64(0);
      }
    }
    this.pos = p;
    return out;
  }

  /** Reads a string array: int32 element count, then each string with its own byte count. */
  readStrings(encoding: DarkRiftEncoding = this.enc): string[] {
    const at = this.pos;
    const n = this.readCount("String", 4); // every string takes at least its 4-byte prefix
    const out = new Array<string>(n);
    try {
      for (let i = 0; i < n; i++) out[i] = this.readString(encoding);
    } catch (e) {
      this.pos = at;
      throw e;
    }
    return out;
  }

  // ---------------------------------------------------------------- raw and serializables

  /**
   * Reads `length` bytes with no prefix (C#'s `ReadRaw`). Returns a **view** into the reader's
   * bytes (zero-copy); `slice()` it to own a copy.
   */
  readRaw(length: number): Uint8Array {
    const p = this.pos;
    if (!Number.isInteger(length) || length < 0) {
      throw new DarkRiftDecodeError("NEGATIVE_COUNT", `raw length ${length} is not a non-negative integer`, p);
    }
    if (length > this.end - p) throw this.endOfData("Raw", length);
    this.pos = p + length;
    return this.data.subarray(p, p + length);
  }

  /**
   * Creates a `Ctor` and lets it read itself (`deserialize`). If that throws, `position`
   * is restored and the error propagates.
   */
  readSerializable<T extends DarkRiftSerializable>(Ctor: DarkRiftSerializableConstructor<T>): T {
    const at = this.pos;
    try {
      const value = new Ctor();
      value.deserialize(this);
      return value;
    } catch (e) {
      this.pos = at;
      throw e;
    }
  }

  /**
   * Reads an array of serializables: int32 element count, then each element. The count may not
   * exceed the remaining bytes (each element is assumed to take at least one byte), except that up
   * to 1024 elements are always allowed, for types that serialise to nothing.
   */
  readSerializables<T extends DarkRiftSerializable>(Ctor: DarkRiftSerializableConstructor<T>): T[] {
    const at = this.pos;
    if (at + 4 > this.end) throw this.endOfData("Serializable count", 4);
    const n = i32At(this.data, at);
    if (n < 0) throw new DarkRiftDecodeError("NEGATIVE_COUNT", `Serializable count ${n} is negative`, at);
    if (n > MAX_UNBACKED_SERIALIZABLES && n > this.end - at - 4) {
      throw new DarkRiftDecodeError("COUNT_EXCEEDS_DATA", `Serializable count ${n} exceeds the ${this.end - at - 4} byte(s) remaining`, at);
    }
    this.pos = at + 4;
    const out: T[] = [];
    try {
      for (let i = 0; i < n; i++) {
        const value = new Ctor();
        value.deserialize(this);
        out.push(value);
      }
    } catch (e) {
      this.pos = at;
      throw e;
    }
    return out;
  }
}
