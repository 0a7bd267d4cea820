/**
 * The SFS2X wire type ids (one byte before every value). Ids and names are those of the
 * official clients; `CLASS` (19) exists in the Java/C++ enums but is not supported on the wire
 * by the JS client, so this codec recognises it and rejects it with a clear error.
 */
export enum SFSDataType {
  NULL = 0,
  BOOL = 1,
  BYTE = 2,
  SHORT = 3,
  INT = 4,
  LONG = 5,
  FLOAT = 6,
  DOUBLE = 7,
  UTF_STRING = 8,
  BOOL_ARRAY = 9,
  BYTE_ARRAY = 10,
  SHORT_ARRAY = 11,
  INT_ARRAY = 12,
  LONG_ARRAY = 13,
  FLOAT_ARRAY = 14,
  DOUBLE_ARRAY = 15,
  UTF_STRING_ARRAY = 16,
  SFS_ARRAY = 17,
  SFS_OBJECT = 18,
  CLASS = 19,
  TEXT = 20,
}

/** The names of the type ids, e.g. `"UTF_STRING"` (the form the typed-JSON vectors use). */
export type SFSDataTypeName = keyof typeof SFSDataType;

const NAMES: readonly SFSDataTypeName[] = [
  "NULL",
  "BOOL",
  "BYTE",
  "SHORT",
  "INT",
  "LONG",
  "FLOAT",
  "DOUBLE",
  "UTF_STRING",
  "BOOL_ARRAY",
  "BYTE_ARRAY",
  "SHORT_ARRAY",
  "INT_ARRAY",
  "LONG_ARRAY",
  "FLOAT_ARRAY",
  "DOUBLE_ARRAY",
  "UTF_STRING_ARRAY",
  "SFS_ARRAY",
  "SFS_OBJECT",
  "CLASS",
  "TEXT",
];

/** The name of a type id (`"INT"` for 4), or `undefined` for an id outside 0..20. */
export function sfsDataTypeName(type: number): SFSDataTypeName | undefined {
  return NAMES[type];
}

/** The type id for a name (`4` for `"INT"`), or `undefined` for an unknown name. */
export function sfsDataTypeFromName(name: string): SFSDataType | undefined {
  const i = NAMES.indexOf(name as SFSDataTypeName);
  return i < 0 ? undefined : (i as SFSDataType);
}
