import { ByteReader } from "./ByteReader.js";
import { checkValue } from "./checkValue.js";
import { dumpArray } from "./dump.js";
import { hexDump } from "./hexDump.js";
import { fromPlainArray, toPlainArray } from "./plain.js";
import { SFSCodecError, SFSCodecErrorCode } from "./SFSCodecError.js";
import { SFSDataType, sfsDataTypeName } from "./SFSDataType.js";
import { readSFSArray } from "./SFSDecoder.js";
import { encodeSFSArray } from "./SFSEncoder.js";
import type { SFSObject } from "./SFSObject.js";
import type { SFSDecodeOptions, SFSEncodeOptions, SFSInputMap, SFSValue, SFSWireType } from "./SFSValue.js";
import { SFSValueError, SFSValueErrorCode } from "./SFSValueError.js";

/**
 * A list of typed values, the SFS2X "SFSArray"; elements may have different types, and each
 * keeps its wire type.
 */
export class SFSArray {
  /** @internal Wire type of each element. */
  _types: number[] = [];
  /** @internal Value of each element. */
  _values: unknown[] = [];

  /** The official factory: same as `new SFSArray()`. */
  static newInstance(): SFSArray {
    return new SFSArray();
  }

  /**
   * Decodes an SFSArray (first byte 0x11). Bytes after it are ignored unless
   * `allowTrailingBytes` is false. Throws {@link SFSCodecError} on bad input.
   */
  static newFromBinaryData(bytes: Uint8Array | ArrayBuffer, options?: SFSDecodeOptions): SFSArray {
    const input = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
    const reader = new ByteReader(input);
    const arr = readSFSArray(reader, options);
    if (options?.allowTrailingBytes === false && reader.remaining > 0) {
      throw new SFSCodecError(SFSCodecErrorCode.TRAILING_BYTES, `${reader.remaining} bytes after the SFSArray`, reader.position);
    }
    return arr;
  }

  /** Builds an SFSArray from plain JS values with optional type hints; see `SFSObject.from` for the inference rules. */
  static from(plain: readonly unknown[]): SFSArray {
    return fromPlainArray(plain);
  }

  /** @internal */
  _typed(index: number, type: number): unknown {
    const t = this._types[index];
    if (t === undefined || t === SFSDataType.NULL) return undefined;
    if (t === type) return this._values[index];
    throw new SFSValueError(
      SFSValueErrorCode.TYPE_MISMATCH,
      `index ${index} holds a ${sfsDataTypeName(t)}, not a ${sfsDataTypeName(type)}`,
    );
  }

  /** Appends `value` with wire type `type`, after checking that it fits (throws {@link SFSValueError}). */
  add<T extends SFSWireType>(type: T, value: SFSInputMap[T]): this {
    const index = this._types.length;
    this._values.push(checkValue(type, value, () => `index ${index}`));
    this._types.push(type);
    return this;
  }

  /** The element at `index` (`null` for NULL), or `undefined` past the end. */
  get(index: number): SFSValue | undefined {
    return this._values[index] as SFSValue | undefined;
  }

  /** The wire type of the element at `index`, or `undefined` past the end. */
  getType(index: number): SFSDataType | undefined {
    return this._types[index] as SFSDataType | undefined;
  }

  /** True when the element at `index` has type NULL. */
  isNull(index: number): boolean {
    return this._types[index] === SFSDataType.NULL;
  }

  /** Number of elements. */
  size(): number {
    return this._types.length;
  }

  /** Removes the element at `index`; returns whether there was one. */
  removeElementAt(index: number): boolean {
    if (!(index >= 0 && index < this._types.length)) return false;
    this._types.splice(index, 1);
    this._values.splice(index, 1);
    return true;
  }

  /** Iterates `[type, value]` in order. */
  *entries(): IterableIterator<[SFSDataType, SFSValue]> {
    for (let i = 0; i < this._types.length; i++) yield [this._types[i] as SFSDataType, this._values[i] as SFSValue];
  }

  addNull(): this {
    return this.add(SFSDataType.NULL, null);
  }
  addBool(value: boolean): this {
    return this.add(SFSDataType.BOOL, value);
  }
  /** BYTE is unsigned 0..255, as in the official JS client. */
  addByte(value: number): this {
    return this.add(SFSDataType.BYTE, value);
  }
  addShort(value: number): this {
    return this.add(SFSDataType.SHORT, value);
  }
  addInt(value: number): this {
    return this.add(SFSDataType.INT, value);
  }
  addLong(value: number | bigint): this {
    return this.add(SFSDataType.LONG, value);
  }
  addFloat(value: number): this {
    return this.add(SFSDataType.FLOAT, value);
  }
  addDouble(value: number): this {
    return this.add(SFSDataType.DOUBLE, value);
  }
  addUtfString(value: string): this {
    return this.add(SFSDataType.UTF_STRING, value);
  }
  addText(value: string): this {
    return this.add(SFSDataType.TEXT, value);
  }
  addBoolArray(value: ArrayLike<boolean>): this {
    return this.add(SFSDataType.BOOL_ARRAY, value);
  }
  addByteArray(value: Uint8Array | ArrayLike<number>): this {
    return this.add(SFSDataType.BYTE_ARRAY, value);
  }
  addShortArray(value: ArrayLike<number>): this {
    return this.add(SFSDataType.SHORT_ARRAY, value);
  }
  addIntArray(value: ArrayLike<number>): this {
    return this.add(SFSDataType.INT_ARRAY, value);
  }
  addLongArray(value: ArrayLike<number | bigint>): this {
    return this.add(SFSDataType.LONG_ARRAY, value);
  }
  addFloatArray(value: ArrayLike<number>): this {
    return this.add(SFSDataType.FLOAT_ARRAY, value);
  }
  addDoubleArray(value: ArrayLike<number>): this {
    return this.add(SFSDataType.DOUBLE_ARRAY, value);
  }
  addUtfStringArray(value: ArrayLike<string>): this {
    return this.add(SFSDataType.UTF_STRING_ARRAY, value);
  }
  addSFSArray(value: SFSArray): this {
    return this.add(SFSDataType.SFS_ARRAY, value);
  }
  addSFSObject(value: SFSObject): this {
    return this.add(SFSDataType.SFS_OBJECT, value);
  }

  // Typed getters: undefined past the end or for NULL; SFSValueError TYPE_MISMATCH for another type.
  getBool(index: number): boolean | undefined {
    return this._typed(index, SFSDataType.BOOL) as boolean | undefined;
  }
  getByte(index: number): number | undefined {
    return this._typed(index, SFSDataType.BYTE) as number | undefined;
  }
  getShort(index: number): number | undefined {
    return this._typed(index, SFSDataType.SHORT) as number | undefined;
  }
  getInt(index: number): number | undefined {
    return this._typed(index, SFSDataType.INT) as number | undefined;
  }
  getLong(index: number): number | bigint | undefined {
    return this._typed(index, SFSDataType.LONG) as number | bigint | undefined;
  }
  getFloat(index: number): number | undefined {
    return this._typed(index, SFSDataType.FLOAT) as number | undefined;
  }
  getDouble(index: number): number | undefined {
    return this._typed(index, SFSDataType.DOUBLE) as number | undefined;
  }
  getUtfString(index: number): string | undefined {
    return this._typed(index, SFSDataType.UTF_STRING) as string | undefined;
  }
  getText(index: number): string | undefined {
    return this._typed(index, SFSDataType.TEXT) as string | undefined;
  }
  getBoolArray(index: number): boolean[] | undefined {
    return this._typed(index, SFSDataType.BOOL_ARRAY) as boolean[] | undefined;
  }
  getByteArray(index: number): Uint8Array | undefined {
    return this._typed(index, SFSDataType.BYTE_ARRAY) as Uint8Array | undefined;
  }
  getShortArray(index: number): number[] | undefined {
    return this._typed(index, SFSDataType.SHORT_ARRAY) as number[] | undefined;
  }
  getIntArray(index: number): number[] | undefined {
    return this._typed(index, SFSDataType.INT_ARRAY) as number[] | undefined;
  }
  getLongArray(index: number): (number | bigint)[] | undefined {
    return this._typed(index, SFSDataType.LONG_ARRAY) as (number | bigint)[] | undefined;
  }
  getFloatArray(index: number): number[] | undefined {
    return this._typed(index, SFSDataType.FLOAT_ARRAY) as number[] | undefined;
  }
  getDoubleArray(index: number): number[] | undefined {
    return this._typed(index, SFSDataType.DOUBLE_ARRAY) as number[] | undefined;
  }
  getUtfStringArray(index: number): string[] | undefined {
    return this._typed(index, SFSDataType.UTF_STRING_ARRAY) as string[] | undefined;
  }
  getSFSArray(index: number): SFSArray | undefined {
    return this._typed(index, SFSDataType.SFS_ARRAY) as SFSArray | undefined;
  }
  getSFSObject(index: number): SFSObject | undefined {
    return this._typed(index, SFSDataType.SFS_OBJECT) as SFSObject | undefined;
  }

  /** The SFS2X binary form (first byte 0x11); a view into a shared slab, as for `SFSObject.toBinary`. */
  toBinary(options?: SFSEncodeOptions): Uint8Array {
    return encodeSFSArray(this, options);
  }

  /** A readable, indented tree with the wire type of every element. */
  getDump(): string {
    return dumpArray(this);
  }

  /** A hex dump of {@link toBinary}. */
  getHexDump(): string {
    return hexDump(this.toBinary());
  }

  /** Plain JS values (types dropped); see `SFSObject.toPlain`. */
  toPlain(): unknown[] {
    return toPlainArray(this);
  }
}
