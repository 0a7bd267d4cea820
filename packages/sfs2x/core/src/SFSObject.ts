import { ByteReader } from "./ByteReader.js";
import { checkKey, checkValue } from "./checkValue.js";
import { dumpObject } from "./dump.js";
import { hexDump } from "./hexDump.js";
import { fromPlainObject, toPlainObject, type PlainObjectInput } from "./plain.js";
import type { SFSArray } from "./SFSArray.js";
import { SFSCodecError, SFSCodecErrorCode } from "./SFSCodecError.js";
import { SFSDataType, sfsDataTypeName } from "./SFSDataType.js";
import { readSFSObject } from "./SFSDecoder.js";
import { encodeSFSObject } from "./SFSEncoder.js";
import type { SFSDecodeOptions, SFSEncodeOptions, SFSInputMap, SFSValue, SFSValueMap, SFSWireType } from "./SFSValue.js";
import { SFSValueError, SFSValueErrorCode } from "./SFSValueError.js";

/** Above this many keys, lookups go through a Map index instead of a linear scan. */
const INDEX_THRESHOLD = 16;

/**
 * A map of string keys to typed values, the SFS2X "SFSObject". Every entry keeps its wire type
 * (an INT stays an INT through decode and re-encode). Entries keep insertion order; putting an
 * existing key replaces its value in place. Keys are plain data: `"__proto__"` is just a key.
 *
 * ```ts
 * const o = new SFSObject();
 * o.putInt("id", 7).putUtfString("name", "alice");
 * const bytes = o.toBinary();
 * SFSObject.newFromBinaryData(bytes).getInt("id"); // 7
 * ```
 */
export class SFSObject {
  /** @internal Keys in insertion order. */
  _keys: string[] = [];
  /** @internal Wire type of each entry. */
  _types: number[] = [];
  /** @internal Value of each entry. */
  _values: unknown[] = [];
  /** @internal Key -> position, built once the object grows past a few keys. */
  _index: Map<string, number> | undefined = undefined;

  /** The official factory: same as `new SFSObject()`. */
  static newInstance(): SFSObject {
    return new SFSObject();
  }

  /**
   * Decodes an SFSObject (first byte 0x12). Bytes after it are ignored unless
   * `allowTrailingBytes` is false. Throws {@link SFSCodecError} on bad input.
   */
  static newFromBinaryData(bytes: Uint8Array | ArrayBuffer, options?: SFSDecodeOptions): SFSObject {
    const input = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
    const reader = new ByteReader(input);
    const obj = readSFSObject(reader, options);
    if (options?.allowTrailingBytes === false && reader.remaining > 0) {
      throw new SFSCodecError(
        SFSCodecErrorCode.TRAILING_BYTES,
        `${reader.remaining} bytes after the SFSObject`,
        reader.position,
      );
    }
    return obj;
  }

  /**
   * Builds an SFSObject from plain JS values, with optional type hints (see {@link SFS}):
   * `SFSObject.from({ id: SFS.int(5), name: "x", pos: SFS.floatArray([1, 2]) })`.
   * Untyped values are inferred: string -> UTF_STRING (TEXT beyond 32767 bytes), boolean -> BOOL,
   * int32 integer -> INT, other number -> DOUBLE, bigint -> LONG, null -> NULL, Uint8Array ->
   * BYTE_ARRAY, Int16Array/Int32Array/BigInt64Array/Float32Array/Float64Array -> the matching
   * typed array, plain array -> SFS_ARRAY, plain object or Map -> SFS_OBJECT; `undefined` entries
   * are skipped.
   */
  static from(plain: PlainObjectInput): SFSObject {
    return fromPlainObject(plain);
  }

  /** @internal Position of `key`, or -1. */
  _find(key: string): number {
    const index = this._index;
    if (index !== undefined) {
      const i = index.get(key);
      return i === undefined ? -1 : i;
    }
    const keys = this._keys;
    const n = keys.length;
    if (n > INDEX_THRESHOLD) {
      const built = new Map<string, number>();
      for (let i = 0; i < n; i++) built.set(keys[i]!, i);
      this._index = built;
      const i = built.get(key);
      return i === undefined ? -1 : i;
    }
    for (let i = 0; i < n; i++) if (keys[i] === key) return i;
    return -1;
  }

  /** @internal Stores an already validated value (the decoder's path). */
  _set(key: string, type: number, value: unknown): void {
    const i = this._find(key);
    if (i >= 0) {
      this._types[i] = type;
      this._values[i] = value;
      return;
    }
    const at = this._keys.push(key) - 1;
    this._types.push(type);
    this._values.push(value);
    if (this._index !== undefined) this._index.set(key, at);
  }

  /** @internal */
  _typed(key: string, type: number): unknown {
    const i = this._find(key);
    if (i < 0) return undefined;
    const t = this._types[i]!;
    if (t === type) return this._values[i];
    if (t === SFSDataType.NULL) return undefined;
    throw new SFSValueError(
      SFSValueErrorCode.TYPE_MISMATCH,
      `key ${JSON.stringify(key)} holds a ${sfsDataTypeName(t)}, not a ${sfsDataTypeName(type)}`,
    );
  }

  /** Stores `value` under `key` with wire type `type`, after checking that it fits (throws {@link SFSValueError}). */
  put<T extends SFSWireType>(key: string, type: T, value: SFSInputMap[T]): this {
    checkKey(key);
    this._set(key, type, checkValue(type, value, () => `key ${JSON.stringify(key)}`));
    return this;
  }

  /** The value under `key` (`null` for a NULL entry), or `undefined` when there is none. */
  get(key: string): SFSValue | undefined {
    const i = this._find(key);
    return i < 0 ? undefined : (this._values[i] as SFSValue);
  }

  /** The wire type of the entry under `key`, or `undefined` when there is none. */
  getType(key: string): SFSDataType | undefined {
    const i = this._find(key);
    return i < 0 ? undefined : (this._types[i] as SFSDataType);
  }

  /** True when the entry under `key` has type NULL (false when there is no entry). */
  isNull(key: string): boolean {
    const i = this._find(key);
    return i >= 0 && this._types[i] === SFSDataType.NULL;
  }

  /** True when there is an entry under `key` (NULL entries included). */
  containsKey(key: string): boolean {
    return this._find(key) >= 0;
  }

  /** The keys in wire (insertion) order; a new array. */
  getKeys(): string[] {
    return this._keys.slice();
  }

  /** Same as {@link getKeys} (the official JS client's name). */
  getKeysArray(): string[] {
    return this._keys.slice();
  }

  /** Number of entries. */
  size(): number {
    return this._keys.length;
  }

  /** Removes the entry under `key`; returns whether there was one. */
  removeElement(key: string): boolean {
    const i = this._find(key);
    if (i < 0) return false;
    this._keys.splice(i, 1);
    this._types.splice(i, 1);
    this._values.splice(i, 1);
    this._index = undefined;
    return true;
  }

  /** Iterates `[key, type, value]` in wire order. */
  *entries(): IterableIterator<[string, SFSDataType, SFSValue]> {
    for (let i = 0; i < this._keys.length; i++) {
      yield [this._keys[i]!, this._types[i] as SFSDataType, this._values[i] as SFSValue];
    }
  }

  putNull(key: string): this {
    return this.put(key, SFSDataType.NULL, null);
  }
  putBool(key: string, value: boolean): this {
    return this.put(key, SFSDataType.BOOL, value);
  }
  /** BYTE is unsigned 0..255, as in the official JS client. */
  putByte(key: string, value: number): this {
    return this.put(key, SFSDataType.BYTE, value);
  }
  putShort(key: string, value: number): this {
    return this.put(key, SFSDataType.SHORT, value);
  }
  putInt(key: string, value: number): this {
    return this.put(key, SFSDataType.INT, value);
  }
  /** Any integer within int64, as a number or a bigint. */
  putLong(key: string, value: number | bigint): this {
    return this.put(key, SFSDataType.LONG, value);
  }
  /** Sent as float32 (so it reads back rounded after a round trip); NaN and ±Infinity allowed. */
  putFloat(key: string, value: number): this {
    return this.put(key, SFSDataType.FLOAT, value);
  }
  putDouble(key: string, value: number): this {
    return this.put(key, SFSDataType.DOUBLE, value);
  }
  /** At most 32767 UTF-8 bytes; use {@link putText} beyond. */
  putUtfString(key: string, value: string): this {
    return this.put(key, SFSDataType.UTF_STRING, value);
  }
  putText(key: string, value: string): this {
    return this.put(key, SFSDataType.TEXT, value);
  }
  putBoolArray(key: string, value: ArrayLike<boolean>): this {
    return this.put(key, SFSDataType.BOOL_ARRAY, value);
  }
  putByteArray(key: string, value: Uint8Array | ArrayLike<number>): this {
    return this.put(key, SFSDataType.BYTE_ARRAY, value);
  }
  putShortArray(key: string, value: ArrayLike<number>): this {
    return this.put(key, SFSDataType.SHORT_ARRAY, value);
  }
  putIntArray(key: string, value: ArrayLike<number>): this {
    return this.put(key, SFSDataType.INT_ARRAY, value);
  }
  putLongArray(key: string, value: ArrayLike<number | bigint>): this {
    return this.put(key, SFSDataType.LONG_ARRAY, value);
  }
  putFloatArray(key: string, value: ArrayLike<number>): this {
    return this.put(key, SFSDataType.FLOAT_ARRAY, value);
  }
  putDoubleArray(key: string, value: ArrayLike<number>): this {
    return this.put(key, SFSDataType.DOUBLE_ARRAY, value);
  }
  putUtfStringArray(key: string, value: ArrayLike<string>): this {
    return this.put(key, SFSDataType.UTF_STRING_ARRAY, value);
  }
  putSFSArray(key: string, value: SFSArray): this {
    return this.put(key, SFSDataType.SFS_ARRAY, value);
  }
  putSFSObject(key: string, value: SFSObject): this {
    return this.put(key, SFSDataType.SFS_OBJECT, value);
  }

  // Typed getters: undefined when the key is missing or holds NULL; SFSValueError TYPE_MISMATCH
  // when it holds another wire type.
  getBool(key: string): boolean | undefined {
    return this._typed(key, SFSDataType.BOOL) as SFSValueMap[SFSDataType.BOOL] | undefined;
  }
  getByte(key: string): number | undefined {
    return this._typed(key, SFSDataType.BYTE) as number | undefined;
  }
  getShort(key: string): number | undefined {
    return this._typed(key, SFSDataType.SHORT) as number | undefined;
  }
  getInt(key: string): number | undefined {
    return this._typed(key, SFSDataType.INT) as number | undefined;
  }
  /** A number when it is a safe integer, else a bigint. */
  getLong(key: string): number | bigint | undefined {
    return this._typed(key, SFSDataType.LONG) as number | bigint | undefined;
  }
  getFloat(key: string): number | undefined {
    return this._typed(key, SFSDataType.FLOAT) as number | undefined;
  }
  getDouble(key: string): number | undefined {
    return this._typed(key, SFSDataType.DOUBLE) as number | undefined;
  }
  getUtfString(key: string): string | undefined {
    return this._typed(key, SFSDataType.UTF_STRING) as string | undefined;
  }
  getText(key: string): string | undefined {
    return this._typed(key, SFSDataType.TEXT) as string | undefined;
  }
  getBoolArray(key: string): boolean[] | undefined {
    return this._typed(key, SFSDataType.BOOL_ARRAY) as boolean[] | undefined;
  }
  getByteArray(key: string): Uint8Array | undefined {
    return this._typed(key, SFSDataType.BYTE_ARRAY) as Uint8Array | undefined;
  }
  getShortArray(key: string): number[] | undefined {
    return this._typed(key, SFSDataType.SHORT_ARRAY) as number[] | undefined;
  }
  getIntArray(key: string): number[] | undefined {
    return this._typed(key, SFSDataType.INT_ARRAY) as number[] | undefined;
  }
  getLongArray(key: string): (number | bigint)[] | undefined {
    return this._typed(key, SFSDataType.LONG_ARRAY) as (number | bigint)[] | undefined;
  }
  getFloatArray(key: string): number[] | undefined {
    return this._typed(key, SFSDataType.FLOAT_ARRAY) as number[] | undefined;
  }
  getDoubleArray(key: string): number[] | undefined {
    return this._typed(key, SFSDataType.DOUBLE_ARRAY) as number[] | undefined;
  }
  getUtfStringArray(key: string): string[] | undefined {
    return this._typed(key, SFSDataType.UTF_STRING_ARRAY) as string[] | undefined;
  }
  getSFSArray(key: string): SFSArray | undefined {
    return this._typed(key, SFSDataType.SFS_ARRAY) as SFSArray | undefined;
  }
  getSFSObject(key: string): SFSObject | undefined {
    return this._typed(key, SFSDataType.SFS_OBJECT) as SFSObject | undefined;
  }

  /**
   * The SFS2X binary form (first byte 0x12). The result is a view into a shared slab, not a
   * copy: call `.slice()` if you need a standalone `ArrayBuffer`. Throws {@link SFSValueError}
   * when a value no longer fits (e.g. an array mutated past 32767 elements).
   */
  toBinary(options?: SFSEncodeOptions): Uint8Array {
    return encodeSFSObject(this, options);
  }

  /** A readable, indented tree with the wire type of every entry. */
  getDump(): string {
    return dumpObject(this);
  }

  /** A hex dump of {@link toBinary}. */
  getHexDump(): string {
    return hexDump(this.toBinary());
  }

  /**
   * Plain JS values (types dropped): an object with own data properties (`__proto__` included
   * as a plain key), arrays for SFSArrays and typed arrays, a `Uint8Array` for BYTE_ARRAY.
   */
  toPlain(): Record<string, unknown> {
    return toPlainObject(this);
  }
}
