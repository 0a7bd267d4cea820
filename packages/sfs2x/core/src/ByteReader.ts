import { SFSCodecError, SFSCodecErrorCode } from "./SFSCodecError.js";

const decoder = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true });
const TWO32 = 4294967296;

/**
 * A big-endian reader with a cursor and bounds checks over `bytes[start, end)`.
 * Reading past `end` throws {@link SFSCodecError} `TRUNCATED`; offsets in errors and
 * `position` are relative to `start`.
 */
export class ByteReader {
  /** @internal */
  readonly bytes: Uint8Array;
  /** @internal DataView over the whole of `bytes`, made on first use (see {@link view}). */
  private _view: DataView | undefined = undefined;
  /** @internal Absolute cursor into `bytes`. */
  pos: number;
  /** @internal Absolute start of the range. */
  readonly begin: number;
  /** @internal Absolute end of the range (exclusive). */
  readonly end: number;

  /**
   * @param bytes - the input; it is read in place, never copied.
   * @param start - first byte to read (default 0).
   * @param end - one past the last byte to read (default `bytes.length`).
   */
  constructor(bytes: Uint8Array, start = 0, end = bytes.length) {
    if (!(start >= 0 && start <= end && end <= bytes.length)) {
      throw new RangeError(`ByteReader range [${start}, ${end}) is outside 0..${bytes.length}`);
    }
    this.bytes = bytes;
    this.pos = start;
    this.begin = start;
    this.end = end;
  }

  /**
   * @internal A DataView over the whole of `bytes`, made on the first float: constructing one costs
   * about as much as decoding a small message (measured ~100 ns), and integers read just as fast
   * from the bytes, so input without floats never pays for it.
   */
  get view(): DataView {
    return (this._view ??= new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength));
  }

  /** Cursor position, relative to `start`. */
  get position(): number {
    return this.pos - this.begin;
  }

  set position(p: number) {
    if (!(p >= 0 && p <= this.end - this.begin)) throw new RangeError(`position ${p} out of range`);
    this.pos = this.begin + p;
  }

  /** Bytes left to read. */
  get remaining(): number {
    return this.end - this.pos;
  }

  /** Throws `TRUNCATED` unless `n` more bytes are available. `what` names the field for the message. */
  need(n: number, what = "value"): void {
    if (this.pos + n > this.end) {
      throw new SFSCodecError(
        SFSCodecErrorCode.TRUNCATED,
        `${what} needs ${n} bytes but only ${this.end - this.pos} remain`,
        this.pos - this.begin,
      );
    }
  }

  /** Reads one unsigned byte. */
  readUint8(): number {
    if (this.pos + 1 > this.end) this.need(1);
    return this.bytes[this.pos++]!;
  }

  /** Reads one signed byte. */
  readInt8(): number {
    return (this.readUint8() << 24) >> 24;
  }

  /** Reads a big-endian int16. */
  readInt16(): number {
    if (this.pos + 2 > this.end) this.need(2);
    const v = int16At(this.bytes, this.pos);
    this.pos += 2;
    return v;
  }

  /** Reads a big-endian uint16. */
  readUint16(): number {
    if (this.pos + 2 > this.end) this.need(2);
    const b = this.bytes;
    const v = (b[this.pos]! << 8) | b[this.pos + 1]!;
    this.pos += 2;
    return v;
  }

  /** Reads a big-endian int32. */
  readInt32(): number {
    if (this.pos + 4 > this.end) this.need(4);
    const v = int32At(this.bytes, this.pos);
    this.pos += 4;
    return v;
  }

  /** Reads a big-endian uint32. */
  readUint32(): number {
    if (this.pos + 4 > this.end) this.need(4);
    const v = int32At(this.bytes, this.pos) >>> 0;
    this.pos += 4;
    return v;
  }

  /** An int64: a `number` when it is a safe integer, else a `bigint`. */
  readInt64(): number | bigint {
    if (this.pos + 8 > this.end) this.need(8);
    const v = int64At(this.bytes, this.pos);
    this.pos += 8;
    return v;
  }

  /** Reads a big-endian float32. */
  readFloat32(): number {
    if (this.pos + 4 > this.end) this.need(4);
    const v = this.view.getFloat32(this.pos);
    this.pos += 4;
    return v;
  }

  /** Reads a big-endian float64. */
  readFloat64(): number {
    if (this.pos + 8 > this.end) this.need(8);
    const v = this.view.getFloat64(this.pos);
    this.pos += 8;
    return v;
  }

  /** `n` bytes as a view into the input (no copy). */
  readBytes(n: number): Uint8Array {
    if (n < 0 || this.pos + n > this.end) this.need(n, "byte run");
    const v = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }

  /**
   * `n` bytes of UTF-8 as a string. Invalid sequences become U+FFFD (the WHATWG decoder's
   * rule), except that an encoded surrogate (`ED A0..BF 80..BF`, as in CESU-8 / Java modified
   * UTF-8) becomes one U+FFFD per 3 bytes, as the Java server and the official JS client decode it.
   * Short ASCII runs are decoded without `TextDecoder`, which is faster for them.
   */
  readUtf8(n: number): string {
    if (n < 0 || this.pos + n > this.end) this.need(n, "string");
    const p = this.pos;
    this.pos = p + n;
    return utf8At(this.bytes, p, n);
  }
}

/** Re-decodes `bytes[p, end)` turning each 3-byte encoded surrogate into a single U+FFFD. */
function decodeSurrogatesAsJava(bytes: Uint8Array, p: number, end: number, whatwg: string): string {
  let out = "";
  let from = p;
  for (let i = p; i + 2 < end; i++) {
    if (bytes[i] === 0xed && (bytes[i + 1]! & 0xe0) === 0xa0 && (bytes[i + 2]! & 0xc0) === 0x80) {
      out += decoder.decode(bytes.subarray(from, i)) + "\ufffd";
      i += 2;
      from = i + 1;
    }
  }
  return from === p ? whatwg : out + decoder.decode(bytes.subarray(from, end));
}

/** @internal ASCII bytes as a string, or undefined when any byte is >= 0x80. */
export function asciiString(bytes: Uint8Array, p: number, n: number): string | undefined {
  let or = 0;
  const end = p + n;
  for (let i = p; i < end; i++) or |= bytes[i]!;
  if (or >= 0x80) return undefined;
  if (n <= SHORT_MAX) return shortAscii(bytes, p, n);
  let s = "";
  for (; n > SHORT_MAX; p += SHORT_MAX, n -= SHORT_MAX) s += shortAscii(bytes, p, SHORT_MAX);
  return s + shortAscii(bytes, p, n);
}

const fcc = String.fromCharCode;

/** Longest run one `fromCharCode` call of {@link shortAscii} takes. */
const SHORT_MAX = 32;

// fromCharCode with explicit arguments is several times faster than apply() or TextDecoder
// for short strings (measured: ~35 ns vs 150-260 ns for 11 bytes), and one call of 30 arguments
// is about twice as fast as two calls and a concatenation (a flat string, not a cons string).
function shortAscii(B: Uint8Array, p: number, n: number): string {
  switch (n) {
    case 0: return "";
    case 1: return fcc(B[p]!);
    case 2: return fcc(B[p]!, B[p + 1]!);
    case 3: return fcc(B[p]!, B[p + 1]!, B[p + 2]!);
    case 4: return fcc(B[p]!, B[p + 1]!, B[p + 2]!, B[p + 3]!);
    case 5: return fcc(B[p]!, B[p + 1]!, B[p + 2]!, B[p + 3]!, B[p + 4]!);
    case 6: return fcc(B[p]!, B[p + 1]!, B[p + 2]!, B[p + 3]!, B[p + 4]!, B[p + 5]!);
    case 7: return fcc(B[p]!, B[p + 1]!, B[p + 2]!, B[p + 3]!, B[p + 4]!, B[p + 5]!, B[p + 6]!);
    case 8: return fcc(B[p]!, B[p + 1]!, B[p + 2]!, B[p + 3]!, B[p + 4]!, B[p + 5]!, B[p + 6]!, B[p + 7]!);
    case 9: return fcc(B[p]!, B[p + 1]!, B[p + 2]!, B[p + 3]!, B[p + 4]!, B[p + 5]!, B[p + 6]!, B[p + 7]!, B[p + 8]!);
    case 10: return fcc(B[p]!, B[p + 1]!, B[p + 2]!, B[p + 3]!, B[p + 4]!, B[p + 5]!, B[p + 6]!, B[p + 7]!, B[p + 8]!, B[p + 9]!);
    case 11: return fcc(B[p]!, B[p + 1]!, B[p + 2]!, B[p + 3]!, B[p + 4]!, B[p + 5]!, B[p + 6]!, B[p + 7]!, B[p + 8]!, B[p + 9]!, B[p + 10]!);
    case 12: return fcc(B[p]!, B[p + 1]!, B[p + 2]!, B[p + 3]!, B[p + 4]!, B[p + 5]!, B[p + 6]!, B[p + 7]!, B[p + 8]!, B[p + 9]!, B[p + 10]!, B[p + 11]!);
    case 13: return fcc(B[p]!, B[p + 1]!, B[p + 2]!, B[p + 3]!, B[p + 4]!, B[p + 5]!, B[p + 6]!, B[p + 7]!, B[p + 8]!, B[p + 9]!, B[p + 10]!, B[p + 11]!, B[p + 12]!);
    case 14: return fcc(B[p]!, B[p + 1]!, B[p + 2]!, B[p + 3]!, B[p + 4]!, B[p + 5]!, B[p + 6]!, B[p + 7]!, B[p + 8]!, B[p + 9]!, B[p + 10]!, B[p + 11]!, B[p + 12]!, B[p + 13]!);
    case 15: return fcc(B[p]!, B[p + 1]!, B[p + 2]!, B[p + 3]!, B[p + 4]!, B[p + 5]!, B[p + 6]!, B[p + 7]!, B[p + 8]!, B[p + 9]!, B[p + 10]!, B[p + 11]!, B[p + 12]!, B[p + 13]!, B[p + 14]!);
    case 16: return fcc(B[p]!, B[p + 1]!, B[p + 2]!, B[p + 3]!, B[p + 4]!, B[p + 5]!, B[p + 6]!, B[p + 7]!, B[p + 8]!, B[p + 9]!, B[p + 10]!, B[p + 11]!, B[p + 12]!, B[p + 13]!, B[p + 14]!, B[p + 15]!);
    case 17: return fcc(B[p]!, B[p + 1]!, B[p + 2]!, B[p + 3]!, B[p + 4]!, B[p + 5]!, B[p + 6]!, B[p + 7]!, B[p + 8]!, B[p + 9]!, B[p + 10]!, B[p + 11]!, B[p + 12]!, B[p + 13]!, B[p + 14]!, B[p + 15]!, B[p + 16]!);
    case 18: return fcc(B[p]!, B[p + 1]!, B[p + 2]!, B[p + 3]!, B[p + 4]!, B[p + 5]!, B[p + 6]!, B[p + 7]!, B[p + 8]!, B[p + 9]!, B[p + 10]!, B[p + 11]!, B[p + 12]!, B[p + 13]!, B[p + 14]!, B[p + 15]!, B[p + 16]!, B[p + 17]!);
    case 19: return fcc(B[p]!, B[p + 1]!, B[p + 2]!, B[p + 3]!, B[p + 4]!, B[p + 5]!, B[p + 6]!, B[p + 7]!, B[p + 8]!, B[p + 9]!, B[p + 10]!, B[p + 11]!, B[p + 12]!, B[p + 13]!, B[p + 14]!, B[p + 15]!, B[p + 16]!, B[p + 17]!, B[p + 18]!);
    case 20: return fcc(B[p]!, B[p + 1]!, B[p + 2]!, B[p + 3]!, B[p + 4]!, B[p + 5]!, B[p + 6]!, B[p + 7]!, B[p + 8]!, B[p + 9]!, B[p + 10]!, B[p + 11]!, B[p + 12]!, B[p + 13]!, B[p + 14]!, B[p + 15]!, B[p + 16]!, B[p + 17]!, B[p + 18]!, B[p + 19]!);
    case 21: return fcc(B[p]!, B[p + 1]!, B[p + 2]!, B[p + 3]!, B[p + 4]!, B[p + 5]!, B[p + 6]!, B[p + 7]!, B[p + 8]!, B[p + 9]!, B[p + 10]!, B[p + 11]!, B[p + 12]!, B[p + 13]!, B[p + 14]!, B[p + 15]!, B[p + 16]!, B[p + 17]!, B[p + 18]!, B[p + 19]!, B[p + 20]!);
    case 22: return fcc(B[p]!, B[p + 1]!, B[p + 2]!, B[p + 3]!, B[p + 4]!, B[p + 5]!, B[p + 6]!, B[p + 7]!, B[p + 8]!, B[p + 9]!, B[p + 10]!, B[p + 11]!, B[p + 12]!, B[p + 13]!, B[p + 14]!, B[p + 15]!, B[p + 16]!, B[p + 17]!, B[p + 18]!, B[p + 19]!, B[p + 20]!, B[p + 21]!);
    case 23: return fcc(B[p]!, B[p + 1]!, B[p + 2]!, B[p + 3]!, B[p + 4]!, B[p + 5]!, B[p + 6]!, B[p + 7]!, B[p + 8]!, B[p + 9]!, B[p + 10]!, B[p + 11]!, B[p + 12]!, B[p + 13]!, B[p + 14]!, B[p + 15]!, B[p + 16]!, B[p + 17]!, B[p + 18]!, B[p + 19]!, B[p + 20]!, B[p + 21]!, B[p + 22]!);
    case 24: return fcc(B[p]!, B[p + 1]!, B[p + 2]!, B[p + 3]!, B[p + 4]!, B[p + 5]!, B[p + 6]!, B[p + 7]!, B[p + 8]!, B[p + 9]!, B[p + 10]!, B[p + 11]!, B[p + 12]!, B[p + 13]!, B[p + 14]!, B[p + 15]!, B[p + 16]!, B[p + 17]!, B[p + 18]!, B[p + 19]!, B[p + 20]!, B[p + 21]!, B[p + 22]!, B[p + 23]!);
    case 25: return fcc(B[p]!, B[p + 1]!, B[p + 2]!, B[p + 3]!, B[p + 4]!, B[p + 5]!, B[p + 6]!, B[p + 7]!, B[p + 8]!, B[p + 9]!, B[p + 10]!, B[p + 11]!, B[p + 12]!, B[p + 13]!, B[p + 14]!, B[p + 15]!, B[p + 16]!, B[p + 17]!, B[p + 18]!, B[p + 19]!, B[p + 20]!, B[p + 21]!, B[p + 22]!, B[p + 23]!, B[p + 24]!);
    case 26: return fcc(B[p]!, B[p + 1]!, B[p + 2]!, B[p + 3]!, B[p + 4]!, B[p + 5]!, B[p + 6]!, B[p + 7]!, B[p + 8]!, B[p + 9]!, B[p + 10]!, B[p + 11]!, B[p + 12]!, B[p + 13]!, B[p + 14]!, B[p + 15]!, B[p + 16]!, B[p + 17]!, B[p + 18]!, B[p + 19]!, B[p + 20]!, B[p + 21]!, B[p + 22]!, B[p + 23]!, B[p + 24]!, B[p + 25]!);
    case 27: return fcc(B[p]!, B[p + 1]!, B[p + 2]!, B[p + 3]!, B[p + 4]!, B[p + 5]!, B[p + 6]!, B[p + 7]!, B[p + 8]!, B[p + 9]!, B[p + 10]!, B[p + 11]!, B[p + 12]!, B[p + 13]!, B[p + 14]!, B[p + 15]!, B[p + 16]!, B[p + 17]!, B[p + 18]!, B[p + 19]!, B[p + 20]!, B[p + 21]!, B[p + 22]!, B[p + 23]!, B[p + 24]!, B[p + 25]!, B[p + 26]!);
    case 28: return fcc(B[p]!, B[p + 1]!, B[p + 2]!, B[p + 3]!, B[p + 4]!, B[p + 5]!, B[p + 6]!, B[p + 7]!, B[p + 8]!, B[p + 9]!, B[p + 10]!, B[p + 11]!, B[p + 12]!, B[p + 13]!, B[p + 14]!, B[p + 15]!, B[p + 16]!, B[p + 17]!, B[p + 18]!, B[p + 19]!, B[p + 20]!, B[p + 21]!, B[p + 22]!, B[p + 23]!, B[p + 24]!, B[p + 25]!, B[p + 26]!, B[p + 27]!);
    case 29: return fcc(B[p]!, B[p + 1]!, B[p + 2]!, B[p + 3]!, B[p + 4]!, B[p + 5]!, B[p + 6]!, B[p + 7]!, B[p + 8]!, B[p + 9]!, B[p + 10]!, B[p + 11]!, B[p + 12]!, B[p + 13]!, B[p + 14]!, B[p + 15]!, B[p + 16]!, B[p + 17]!, B[p + 18]!, B[p + 19]!, B[p + 20]!, B[p + 21]!, B[p + 22]!, B[p + 23]!, B[p + 24]!, B[p + 25]!, B[p + 26]!, B[p + 27]!, B[p + 28]!);
    case 30: return fcc(B[p]!, B[p + 1]!, B[p + 2]!, B[p + 3]!, B[p + 4]!, B[p + 5]!, B[p + 6]!, B[p + 7]!, B[p + 8]!, B[p + 9]!, B[p + 10]!, B[p + 11]!, B[p + 12]!, B[p + 13]!, B[p + 14]!, B[p + 15]!, B[p + 16]!, B[p + 17]!, B[p + 18]!, B[p + 19]!, B[p + 20]!, B[p + 21]!, B[p + 22]!, B[p + 23]!, B[p + 24]!, B[p + 25]!, B[p + 26]!, B[p + 27]!, B[p + 28]!, B[p + 29]!);
    case 31: return fcc(B[p]!, B[p + 1]!, B[p + 2]!, B[p + 3]!, B[p + 4]!, B[p + 5]!, B[p + 6]!, B[p + 7]!, B[p + 8]!, B[p + 9]!, B[p + 10]!, B[p + 11]!, B[p + 12]!, B[p + 13]!, B[p + 14]!, B[p + 15]!, B[p + 16]!, B[p + 17]!, B[p + 18]!, B[p + 19]!, B[p + 20]!, B[p + 21]!, B[p + 22]!, B[p + 23]!, B[p + 24]!, B[p + 25]!, B[p + 26]!, B[p + 27]!, B[p + 28]!, B[p + 29]!, B[p + 30]!);
    default: return fcc(B[p]!, B[p + 1]!, B[p + 2]!, B[p + 3]!, B[p + 4]!, B[p + 5]!, B[p + 6]!, B[p + 7]!, B[p + 8]!, B[p + 9]!, B[p + 10]!, B[p + 11]!, B[p + 12]!, B[p + 13]!, B[p + 14]!, B[p + 15]!, B[p + 16]!, B[p + 17]!, B[p + 18]!, B[p + 19]!, B[p + 20]!, B[p + 21]!, B[p + 22]!, B[p + 23]!, B[p + 24]!, B[p + 25]!, B[p + 26]!, B[p + 27]!, B[p + 28]!, B[p + 29]!, B[p + 30]!, B[p + 31]!);
  }
}

/** @internal Decodes `n` bytes at `p` (already bounds-checked) as UTF-8, with the fast paths of `readUtf8`. */
export function utf8At(bytes: Uint8Array, p: number, n: number): string {
  if (n <= ASCII_FAST_MAX) {
    const s = asciiString(bytes, p, n);
    if (s !== undefined) return s;
  }
  const s = decoder.decode(bytes.subarray(p, p + n));
  // Only input that produced a replacement can hold an encoded surrogate: valid text pays one search.
  return s.indexOf("\ufffd") < 0 ? s : decodeSurrogatesAsJava(bytes, p, p + n, s);
}

/** Longest ASCII run decoded in JS; TextDecoder wins beyond (measured). */
const ASCII_FAST_MAX = 64;

// Byte-array readers for positions already bounds-checked: no DataView needed.

/** @internal Big-endian int16 at `p`. */
export function int16At(b: Uint8Array, p: number): number {
  return ((b[p]! << 24) >> 16) | b[p + 1]!;
}

/** @internal Big-endian int32 at `p`. */
export function int32At(b: Uint8Array, p: number): number {
  return (b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!;
}

/** @internal Big-endian int64 at `p`: a number when it is a safe integer, else a bigint. */
export function int64At(b: Uint8Array, p: number): number | bigint {
  const hi = int32At(b, p);
  const lo = int32At(b, p + 4) >>> 0;
  if ((hi < 0x200000 && hi > -0x200000) || (hi === -0x200000 && lo !== 0)) return hi * TWO32 + lo;
  return (BigInt(hi) << 32n) | BigInt(lo);
}
