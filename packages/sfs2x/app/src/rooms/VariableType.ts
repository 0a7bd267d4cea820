import { SFSArray, SFSDataType, SFSObject } from "@sfs2x/core";

/**
 * The type byte (`[1]`) of a User/Room Variable array (spec §1.3, §1.4), with the official
 * client's names. `NULL` means "delete this variable".
 */
export enum VariableType {
  NULL = 0,
  BOOLEAN = 1,
  INT = 2,
  DOUBLE = 3,
  STRING = 4,
  SFSOBJECT = 5,
  SFSARRAY = 6,
}

const NAMES = ["null", "boolean", "int", "double", "string", "SFSObject", "SFSArray"] as const;

/** The official client's type name: "null", "boolean", "int", "double", "string", "SFSObject", "SFSArray". */
export function variableTypeName(type: VariableType): string {
  return NAMES[type] ?? `unknown(${String(type)})`;
}

/** A variable's value: what the seven variable types hold (`bigint` only for a received LONG beyond 2^53). */
export type VariableValue = null | boolean | number | bigint | string | SFSObject | SFSArray;

/**
 * The variable type the official JS client gives a plain value (spec §1.3): null → NULL, boolean →
 * BOOLEAN, an int32 integer → INT, any other number (fraction, or an integer outside int32 such
 * as 3e9) → DOUBLE (never LONG), string → STRING, SFSArray → SFSARRAY, SFSObject → SFSOBJECT.
 * Returns undefined for anything else.
 */
export function variableTypeOf(value: unknown): VariableType | undefined {
  if (value === null || value === undefined) return VariableType.NULL;
  switch (typeof value) {
    case "boolean":
      return VariableType.BOOLEAN;
    case "number":
      return value === (value | 0) ? VariableType.INT : VariableType.DOUBLE;
    case "string":
      return VariableType.STRING;
    case "object":
      if (value instanceof SFSArray) return VariableType.SFSARRAY;
      if (value instanceof SFSObject) return VariableType.SFSOBJECT;
      return undefined;
    default:
      return undefined;
  }
}

/** The wire type a variable type is written with when the value comes from code. */
export function canonicalWireType(type: VariableType): SFSDataType {
  switch (type) {
    case VariableType.NULL:
      return SFSDataType.NULL;
    case VariableType.BOOLEAN:
      return SFSDataType.BOOL;
    case VariableType.INT:
      return SFSDataType.INT;
    case VariableType.DOUBLE:
      return SFSDataType.DOUBLE;
    case VariableType.STRING:
      return SFSDataType.UTF_STRING;
    case VariableType.SFSOBJECT:
      return SFSDataType.SFS_OBJECT;
    case VariableType.SFSARRAY:
      return SFSDataType.SFS_ARRAY;
  }
}

/**
 * True when a received value of wire type `wire` may stand for variable type `type`. Typed
 * clients may send an INT variable as BYTE/SHORT/LONG, a DOUBLE as FLOAT, a STRING as TEXT; the
 * value then keeps the wire type it came with.
 */
export function isCompatibleWireType(type: VariableType, wire: SFSDataType): boolean {
  switch (type) {
    case VariableType.NULL:
      return wire === SFSDataType.NULL;
    case VariableType.BOOLEAN:
      return wire === SFSDataType.BOOL;
    case VariableType.INT:
      return wire === SFSDataType.INT || wire === SFSDataType.SHORT || wire === SFSDataType.BYTE || wire === SFSDataType.LONG;
    case VariableType.DOUBLE:
      return wire === SFSDataType.DOUBLE || wire === SFSDataType.FLOAT;
    case VariableType.STRING:
      return wire === SFSDataType.UTF_STRING || wire === SFSDataType.TEXT;
    case VariableType.SFSOBJECT:
      return wire === SFSDataType.SFS_OBJECT;
    case VariableType.SFSARRAY:
      return wire === SFSDataType.SFS_ARRAY;
    default:
      return false;
  }
}
