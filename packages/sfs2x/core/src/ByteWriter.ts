import { utf8Length } from "./utf8Length.js";

/**
 * A growable big-endian byte writer over one `Uint8Array` and one cached `DataView`.
 * The buffer doubles when full; `finish()` returns a view of the written bytes without copying.
 *
 * Offsets taken and given by `skip` and the `set*` methods are relative to the first written
 * byte, i.e. they index into the array `finish()` returns.
 */
export class ByteWriter {
  /** @internal Backing store; the message occupies `buf[start, pos)`. */
  buf: Uint8Array;
  /** @internal DataView over the whole of `buf`, cached. */
  view: DataView;
  /** @internal Absolute write position in `buf`. */
  pos: number;
  /** @internal Absolute position of the first byte of the message. */
  start: number;

  /** @param initialCapacity - bytes to allocate up front (default 256). */
  constructor(initialCapacity = 256) {
    this.buf = new Uint8Array(Math.max(16, initialCapacity | 0));
    this.view = new DataView(this.buf.buffer);
    this.pos = 0;
    this.start = 0;
  }

  /** Bytes written so far. */
  get length(): number {
    return this.pos - this.start;
  }

  /** Makes room for `n` more bytes (doubling), keeping the written ones. */
  ensure(n: number): void {
    if (this.pos + n > this.buf.length) this.grow(n);
  }

  /** @internal */
  grow(n: number): void {
    const used = this.pos - this.start;
    let cap = this.buf.length * 2;
    while (cap < used + n) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(this.start, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
    this.pos = used;
    this.start = 0;
  }

  /** Reserves `n` bytes (left as they are) and returns their offset, to be filled in later with `set*`. */
  skip(n: number): number {
    this.ensure(n);
    const at = this.pos - this.start;
    this.pos += n;
    return at;
  }

  /** The written bytes: a view into the writer's buffer, not a copy. */
  finish(): Uint8Array {
    return this.buf.subarray(this.start, this.pos);
  }

  /**
   * A view of the written bytes `[begin, end)` (offsets as `skip` returns them; `end` defaults
   * to the end of what was written). Not a copy: it changes if those bytes are overwritten.
   */
  subarray(begin: number, end: number = this.pos - this.start): Uint8Array {
    const used = this.pos - this.start;
    if (!(begin >= 0 && begin <= end && end <= used)) throw new RangeError(`subarray [${begin}, ${end}) is outside the ${used} written bytes`);
    return this.buf.subarray(this.start + begin, this.start + end);
  }

  /** Drops the bytes written after the first `length` ones (e.g. to undo a partial write). */
  truncate(length: number): void {
    if (!(length >= 0 && length <= this.pos - this.start)) throw new RangeError(`cannot truncate ${this.pos - this.start} written bytes to ${length}`);
    this.pos = this.start + length;
  }

  /** Forgets the written bytes and keeps the buffer for reuse. */
  reset(): void {
    this.pos = this.start = 0;
  }

  /** Writes one byte (0..255). */
  writeUint8(v: number): void {
    if (this.pos + 1 > this.buf.length) this.grow(1);
    this.buf[this.pos++] = v;
  }

  /** Writes a signed byte (-128..127). */
  writeInt8(v: number): void {
    this.writeUint8(v & 0xff);
  }

  /** Writes a big-endian int16. */
  writeInt16(v: number): void {
    if (this.pos + 2 > this.buf.length) this.grow(2);
    this.view.setInt16(this.pos, v);
    this.pos += 2;
  }

  /** Writes a big-endian uint16. */
  writeUint16(v: number): void {
    if (this.pos + 2 > this.buf.length) this.grow(2);
    this.view.setUint16(this.pos, v);
    this.pos += 2;
  }

  /** Writes a big-endian int32. */
  writeInt32(v: number): void {
    if (this.pos + 4 > this.buf.length) this.grow(4);
    this.view.setInt32(this.pos, v);
    this.pos += 4;
  }

  /** Writes a big-endian uint32. */
  writeUint32(v: number): void {
    if (this.pos + 4 > this.buf.length) this.grow(4);
    this.view.setUint32(this.pos, v);
    this.pos += 4;
  }

  /** Writes a two's-complement int64; `v` must be an integer within int64 (not checked here). */
  writeInt64(v: number | bigint): void {
    if (this.pos + 8 > this.buf.length) this.grow(8);
    writeInt64At(this.view, this.pos, v);
    this.pos += 8;
  }

  /** Writes a big-endian IEEE float32 (NaN and ±Infinity included). */
  writeFloat32(v: number): void {
    if (this.pos + 4 > this.buf.length) this.grow(4);
    this.view.setFloat32(this.pos, v);
    this.pos += 4;
  }

  /** Writes a big-endian IEEE float64 (NaN, ±Infinity and -0 included). */
  writeFloat64(v: number): void {
    if (this.pos + 8 > this.buf.length) this.grow(8);
    this.view.setFloat64(this.pos, v);
    this.pos += 8;
  }

  /** Copies raw bytes. */
  writeBytes(bytes: Uint8Array): void {
    const n = bytes.length;
    if (this.pos + n > this.buf.length) this.grow(n);
    this.buf.set(bytes, this.pos);
    this.pos += n;
  }

  /**
   * Writes `s` as standard UTF-8 (no length prefix) and returns the byte count.
   * ASCII is copied by a plain loop; anything else goes through `TextEncoder.encodeInto`.
   * Lone surrogates become U+FFFD, as with `TextEncoder`.
   */
  writeUtf8(s: string): number {
    const n = s.length;
    // Worst case 3 bytes per UTF-16 unit (a surrogate pair is 2 units -> 4 bytes); for big
    // strings, count the exact bytes rather than reserve 3x.
    if (this.pos + n * 3 > this.buf.length) this.grow(n > 65536 ? utf8Length(s) : n * 3);
    const buf = this.buf;
    const begin = this.pos;
    let p = begin;
    if (n > 64) {
      p += encoder.encodeInto(s, buf.subarray(p)).written;
    } else {
      let i = 0;
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        buf[p++] = c;
      }
      if (i < n) p += encoder.encodeInto(i === 0 ? s : s.slice(i), buf.subarray(p)).written;
    }
    this.pos = p;
    return p - begin;
  }

  /** Overwrites the byte at `offset` (relative to the first written byte, as `skip` returns). */
  setUint8(offset: number, v: number): void {
    this.buf[this.start + offset] = v;
  }

  /** Overwrites a big-endian int16 at `offset`. */
  setInt16(offset: number, v: number): void {
    this.view.setInt16(this.start + offset, v);
  }

  /** Overwrites a big-endian uint16 at `offset`. */
  setUint16(offset: number, v: number): void {
    this.view.setUint16(this.start + offset, v);
  }

  /** Overwrites a big-endian int32 at `offset`. */
  setInt32(offset: number, v: number): void {
    this.view.setInt32(this.start + offset, v);
  }

  /** Overwrites a big-endian uint32 at `offset`. */
  setUint32(offset: number, v: number): void {
    this.view.setUint32(this.start + offset, v);
  }
}

const encoder = new TextEncoder();
const TWO32 = 4294967296;

/** @internal Writes an int64 (number within int64, or bigint) big-endian at `pos`. */
export function writeInt64At(view: DataView, pos: number, v: number | bigint): void {
  if (typeof v === "number" && v <= Number.MAX_SAFE_INTEGER && v >= -Number.MAX_SAFE_INTEGER) {
    const hi = Math.floor(v / TWO32);
    view.setInt32(pos, hi);
    view.setUint32(pos + 4, v - hi * TWO32);
  } else {
    view.setBigInt64(pos, typeof v === "bigint" ? v : BigInt(v));
  }
}
