import { SFSArray, SFSDataType, SFSObject, sfsDataTypeName, type PlainObjectInput } from "@sfs2x/core";
import { SFSErrorCode } from "@sfs2x/protocol";
import { RoomError } from "./RoomError.js";
import {
  VariableType,
  canonicalWireType,
  isCompatibleWireType,
  variableTypeName,
  variableTypeOf,
  type VariableValue,
} from "./VariableType.js";

/** What a variable may be built from in code: a {@link VariableValue}, or a plain object/array (converted with `SFSObject.from` / `SFSArray.from`). */
export type VariableInput = VariableValue | undefined | PlainObjectInput | readonly unknown[];

/** @internal The parts of a variable, checked. */
export interface VariableParts {
  name: string;
  type: VariableType;
  wireType: SFSDataType;
  value: VariableValue;
}

/**
 * @internal Checks a value from code and picks its type: the official auto-typing (spec §1.3) when
 * `type` is undefined, else the given type (a number for DOUBLE may be an integer; an INT must be
 * an int32). Plain objects and arrays become SFSObject / SFSArray.
 */
export function variableFromCode(name: string, input: VariableInput, type: VariableType | undefined): VariableParts {
  if (typeof name !== "string" || name.length === 0) throw new TypeError("a variable needs a non-empty name");
  let value: VariableValue;
  if (input === undefined) value = null;
  else if (Array.isArray(input)) value = SFSArray.from(input as readonly unknown[]);
  else if (input !== null && typeof input === "object" && !(input instanceof SFSObject) && !(input instanceof SFSArray)) {
    value = SFSObject.from(input as PlainObjectInput);
  } else value = input as VariableValue;
  const auto = variableTypeOf(value);
  if (auto === undefined) throw new TypeError(`variable ${JSON.stringify(name)}: a ${typeof value} value has no variable type (use null, boolean, number, string, SFSObject or SFSArray)`);
  const t = type ?? auto;
  if (!(t in VariableType) || typeof t !== "number") throw new TypeError(`variable ${JSON.stringify(name)}: unknown variable type ${String(t)}`);
  // An integer may be declared DOUBLE; every other pairing must match the value's own type.
  if (t !== auto && !(t === VariableType.DOUBLE && auto === VariableType.INT)) throw new TypeError(`variable ${JSON.stringify(name)}: a ${variableTypeName(auto)} value cannot be a ${variableTypeName(t)} variable`);
  return { name, type: t, wireType: canonicalWireType(t), value };
}

/**
 * @internal Reads `[name UTF_STRING, type BYTE, value, ...]`; throws `RoomError` (28) when it is
 * malformed. The value keeps its wire type (an INT variable sent as a SHORT stays a SHORT).
 */
export function variablePartsFromArray(array: SFSArray, what: string): VariableParts {
  if (!(array instanceof SFSArray) || array.size() < 3) throw bad(what, "needs at least [name, type, value]");
  if (array.getType(0) !== SFSDataType.UTF_STRING) throw bad(what, "[0] (name) must be a UTF_STRING");
  const name = array.get(0) as string;
  if (name.length === 0) throw bad(what, "the name is empty");
  const tt = array.getType(1);
  const rawType = array.get(1);
  if ((tt !== SFSDataType.BYTE && tt !== SFSDataType.SHORT && tt !== SFSDataType.INT) || typeof rawType !== "number" || rawType < 0 || rawType > 6) {
    throw bad(what, `${JSON.stringify(name)}: [1] (type) must be a BYTE 0..6`);
  }
  const type = rawType as VariableType;
  const wireType = array.getType(2)!;
  if (!isCompatibleWireType(type, wireType)) {
    throw bad(what, `${JSON.stringify(name)}: a ${variableTypeName(type)} variable cannot hold a ${sfsDataTypeName(wireType)}`);
  }
  return { name, type, wireType, value: array.get(2) as VariableValue };
}

/** @internal Reads an optional BOOL element (absent: false); throws on another type. */
export function optionalBool(array: SFSArray, index: number, what: string): boolean {
  const t = array.getType(index);
  if (t === undefined || t === SFSDataType.NULL) return false;
  if (t !== SFSDataType.BOOL) throw bad(what, `[${index}] must be a BOOL`);
  return array.get(index) as boolean;
}

function bad(what: string, detail: string): RoomError {
  return new RoomError(SFSErrorCode.GenericError, [`Bad ${what}: ${detail}`]);
}

/**
 * What User and Room Variables share: a name, a {@link VariableType}, a value and the wire type
 * it travels as. Variables are immutable; setting one replaces it.
 */
export abstract class BaseVariable {
  /** The variable's name. */
  readonly name: string;
  /** Its type id (the array's `[1]` BYTE). */
  readonly type: VariableType;
  /** Its value (`null` for a NULL variable, i.e. a deletion). */
  readonly value: VariableValue;
  /** The wire type of the value (`[2]`): the canonical one for the type, or the one it was received with. */
  readonly wireType: SFSDataType;
  /** Private: a User Variable only its owner sees; a Room Variable only its owner may change. */
  readonly isPrivate: boolean;
  private cached: SFSArray | undefined;

  protected constructor(parts: VariableParts, isPrivate: boolean) {
    this.name = parts.name;
    this.type = parts.type;
    this.value = parts.value;
    this.wireType = parts.wireType;
    this.isPrivate = isPrivate;
  }

  /** The official client's type name ("int", "string", ...). */
  get typeName(): string {
    return variableTypeName(this.type);
  }

  /** True for a NULL variable (on the wire: "delete this variable"). */
  get isNull(): boolean {
    return this.type === VariableType.NULL;
  }

  /** The wire array (spec §1.4), built once (it checks the value, e.g. a string's byte length). */
  toSFSArray(): SFSArray {
    return (this.cached ??= this.build());
  }

  protected abstract flags(array: SFSArray): void;

  private build(): SFSArray {
    const a = new SFSArray().addUtfString(this.name).addByte(this.type);
    if (this.wireType === SFSDataType.NULL) a.addNull();
    else a.add(this.wireType as Exclude<SFSDataType, SFSDataType.CLASS | SFSDataType.NULL>, this.value as never);
    this.flags(a);
    return a;
  }
}
