import type { SFSArray } from "./SFSArray.js";
import type { SFSDataType } from "./SFSDataType.js";
import type { SFSObject } from "./SFSObject.js";

/** The wire types a value can have (every id but CLASS). */
export type SFSWireType = Exclude<SFSDataType, SFSDataType.CLASS>;

/** The JS value stored for (and read back from) each wire type. */
export interface SFSValueMap {
  [SFSDataType.NULL]: null;
  [SFSDataType.BOOL]: boolean;
  [SFSDataType.BYTE]: number;
  [SFSDataType.SHORT]: number;
  [SFSDataType.INT]: number;
  [SFSDataType.LONG]: number | bigint;
  [SFSDataType.FLOAT]: number;
  [SFSDataType.DOUBLE]: number;
  [SFSDataType.UTF_STRING]: string;
  [SFSDataType.BOOL_ARRAY]: boolean[];
  [SFSDataType.BYTE_ARRAY]: Uint8Array;
  [SFSDataType.SHORT_ARRAY]: number[];
  [SFSDataType.INT_ARRAY]: number[];
  [SFSDataType.LONG_ARRAY]: (number | bigint)[];
  [SFSDataType.FLOAT_ARRAY]: number[];
  [SFSDataType.DOUBLE_ARRAY]: number[];
  [SFSDataType.UTF_STRING_ARRAY]: string[];
  [SFSDataType.SFS_ARRAY]: SFSArray;
  [SFSDataType.SFS_OBJECT]: SFSObject;
  [SFSDataType.TEXT]: string;
}

/** What `put(key, type, value)` / `add(type, value)` accept for each wire type. */
export interface SFSInputMap {
  [SFSDataType.NULL]: null | undefined;
  [SFSDataType.BOOL]: boolean;
  [SFSDataType.BYTE]: number;
  [SFSDataType.SHORT]: number;
  [SFSDataType.INT]: number;
  [SFSDataType.LONG]: number | bigint;
  [SFSDataType.FLOAT]: number;
  [SFSDataType.DOUBLE]: number;
  [SFSDataType.UTF_STRING]: string;
  [SFSDataType.BOOL_ARRAY]: ArrayLike<boolean>;
  [SFSDataType.BYTE_ARRAY]: Uint8Array | ArrayLike<number>;
  [SFSDataType.SHORT_ARRAY]: ArrayLike<number>;
  [SFSDataType.INT_ARRAY]: ArrayLike<number>;
  [SFSDataType.LONG_ARRAY]: ArrayLike<number | bigint>;
  [SFSDataType.FLOAT_ARRAY]: ArrayLike<number>;
  [SFSDataType.DOUBLE_ARRAY]: ArrayLike<number>;
  [SFSDataType.UTF_STRING_ARRAY]: ArrayLike<string>;
  [SFSDataType.SFS_ARRAY]: SFSArray;
  [SFSDataType.SFS_OBJECT]: SFSObject;
  [SFSDataType.TEXT]: string;
}

/** Any value an SFSObject or SFSArray holds. */
export type SFSValue = SFSValueMap[SFSWireType];

/** Decoding limits and choices (all optional). */
export interface SFSDecodeOptions {
  /** Deepest container nesting accepted, the root counting 1 (default 64). */
  maxDepth?: number;
  /**
   * Accept bytes after the root container, as the official JS client and the Java server do
   * (default true). `newFromBinaryData` then ignores them.
   */
  allowTrailingBytes?: boolean;
  /**
   * Copy BYTE_ARRAY values out of the input (default false: they are zero-copy views into it,
   * so the input must not be reused while they live).
   */
  copyByteArrays?: boolean;
}

/** Encoding limits (all optional). */
export interface SFSEncodeOptions {
  /** Deepest container nesting written, the root counting 1 (default 64); also stops cycles. */
  maxDepth?: number;
}

/** Default nesting limit for encoding and decoding. */
export const DEFAULT_MAX_DEPTH = 64;
