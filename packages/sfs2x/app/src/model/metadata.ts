// reflect-metadata is the metadata store of the decorators (the house rule for floor 4).
import "reflect-metadata";
import type { SFSWireType } from "@sfs2x/core";

const FIELDS_KEY = "sfs2x:fields";

/** A class whose instances are models: constructible without arguments. */
export type ModelClass<T extends object = object> = new () => T;

/** A model class, or a thunk returning it (for classes declared later, or self-references). */
export type ModelRef<T extends object = object> = ModelClass<T> | (() => ModelClass<T>);

/** Options of `@field` and of every typed shorthand. */
export interface FieldOptions {
  /**
   * The key may be absent from the SFSObject (or NULL): parsing leaves the property at its
   * initial value (its default), and serialising skips the key while the property is
   * `undefined` or `null`. Default false: a missing key is a {@link ModelError}.
   */
  optional?: boolean;
  /**
   * For SFS_OBJECT: the nested model class (the value is a model instance); for SFS_ARRAY: the
   * model of every element (the value is an array of model instances, each an SFS_OBJECT on the
   * wire). Without it the value is a raw `SFSObject` / `SFSArray`.
   */
  model?: ModelRef;
}

/** One `@field` as declared on a class. */
export interface FieldDefinition {
  /** The property of the instance. */
  property: string;
  /** The SFSObject key. */
  key: string;
  /** The wire type. */
  type: SFSWireType;
  optional: boolean;
  model: ModelRef | undefined;
}

/** The fields declared directly on one prototype, in declaration order. */
export function getOwnFields(proto: object): readonly FieldDefinition[] {
  return (Reflect.getOwnMetadata(FIELDS_KEY, proto) as FieldDefinition[] | undefined) ?? [];
}

/** @internal Adds a field to a prototype's own list (copy on write: a parent's list is never shared). */
export function addOwnField(proto: object, def: FieldDefinition): void {
  Reflect.defineMetadata(FIELDS_KEY, [...getOwnFields(proto), def], proto);
}

/** True when `ref` is a class rather than a thunk (arrow functions have no prototype). */
export function resolveModelRef<T extends object>(ref: ModelRef<T>): ModelClass<T> {
  return (ref.prototype === undefined ? (ref as () => ModelClass<T>)() : ref) as ModelClass<T>;
}
