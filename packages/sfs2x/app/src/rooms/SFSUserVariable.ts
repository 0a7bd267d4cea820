import type { SFSArray } from "@sfs2x/core";
import { BaseVariable, optionalBool, variableFromCode, variablePartsFromArray, type VariableInput } from "./BaseVariable.js";
import type { VariableType } from "./VariableType.js";

/** Options of a User Variable made in code. */
export interface UserVariableOptions {
  /** The type (default: the official auto-typing, spec §1.3). */
  type?: VariableType;
  /** Visible to its owner only (default false). */
  isPrivate?: boolean;
}

/**
 * A User Variable: `[name, type BYTE, value, isPrivate BOOL]` on the wire (4 elements, spec §1.4).
 * A private one is sent to its owner only.
 *
 * ```ts
 * new SFSUserVariable("score", 100);             // INT
 * new SFSUserVariable("ratio", 0.5);             // DOUBLE
 * new SFSUserVariable("secret", "x", { isPrivate: true });
 * ```
 */
export class SFSUserVariable extends BaseVariable {
  /** `typeOrOptions`: a {@link VariableType} (as the official constructor's third argument) or options. */
  constructor(name: string, value: VariableInput, typeOrOptions?: VariableType | UserVariableOptions) {
    const o: UserVariableOptions = typeof typeOrOptions === "number" ? { type: typeOrOptions } : (typeOrOptions ?? {});
    super(variableFromCode(name, value, o.type), o.isPrivate === true);
    this.toSFSArray(); // checks the value now rather than when it is first sent
  }

  /** Reads a received variable array (3 or 4 elements); throws `RoomError` (28) when malformed. */
  static fromSFSArray(array: SFSArray): SFSUserVariable {
    const parts = variablePartsFromArray(array, "user variable");
    const v = Object.create(SFSUserVariable.prototype) as SFSUserVariable;
    Object.assign(v, parts, { isPrivate: optionalBool(array, 3, "user variable") });
    return v;
  }

  /** The same variable with a NULL value (what a deletion looks like on the wire). */
  toNull(): SFSUserVariable {
    return new SFSUserVariable(this.name, null, { isPrivate: this.isPrivate });
  }

  protected override flags(array: SFSArray): void {
    array.addBool(this.isPrivate);
  }

  override toString(): string {
    return `[UserVar: ${this.name}, Type: ${this.typeName}, Value: ${String(this.value)}, Private: ${this.isPrivate}]`;
  }
}
