import type { SFSArray } from "@sfs2x/core";
import { BaseVariable, optionalBool, variableFromCode, variablePartsFromArray, type VariableInput } from "./BaseVariable.js";
import type { VariableType } from "./VariableType.js";

/** Options of a Room Variable made in code. */
export interface RoomVariableOptions {
  /** The type (default: the official auto-typing, spec §1.3). */
  type?: VariableType;
  /** Only its owner (the user who set it) may change or delete it (default false). */
  isPrivate?: boolean;
  /** It survives its owner leaving the room, until the owner leaves the zone (default false). */
  isPersistent?: boolean;
}

/**
 * A Room Variable: `[name, type BYTE, value, isPrivate BOOL, isPersistent BOOL]` on the wire
 * (5 elements, spec §1.4). Every occupant sees it; a private one only its owner may change. A
 * variable set by a user is deleted when that user leaves the room (not persistent) or the zone
 * (persistent); one set by server code stays until removed.
 */
export class SFSRoomVariable extends BaseVariable {
  /** Survives its owner leaving the room. */
  readonly isPersistent: boolean;

  /** `typeOrOptions`: a {@link VariableType} (as the official constructor's third argument) or options. */
  constructor(name: string, value: VariableInput, typeOrOptions?: VariableType | RoomVariableOptions) {
    const o: RoomVariableOptions = typeof typeOrOptions === "number" ? { type: typeOrOptions } : (typeOrOptions ?? {});
    super(variableFromCode(name, value, o.type), o.isPrivate === true);
    this.isPersistent = o.isPersistent === true;
    this.toSFSArray();
  }

  /** Reads a received variable array (3 to 5 elements); throws `RoomError` (28) when malformed. */
  static fromSFSArray(array: SFSArray): SFSRoomVariable {
    const parts = variablePartsFromArray(array, "room variable");
    const v = Object.create(SFSRoomVariable.prototype) as SFSRoomVariable;
    Object.assign(v, parts, { isPrivate: optionalBool(array, 3, "room variable"), isPersistent: optionalBool(array, 4, "room variable") });
    return v;
  }

  /** The same variable with a NULL value (what a deletion looks like on the wire). */
  toNull(): SFSRoomVariable {
    return new SFSRoomVariable(this.name, null, { isPrivate: this.isPrivate, isPersistent: this.isPersistent });
  }

  protected override flags(array: SFSArray): void {
    array.addBool(this.isPrivate).addBool(this.isPersistent);
  }

  override toString(): string {
    return `[RoomVar: ${this.name}, Type: ${this.typeName}, Value: ${String(this.value)}, Private: ${this.isPrivate}, Persistent: ${this.isPersistent}]`;
  }
}
