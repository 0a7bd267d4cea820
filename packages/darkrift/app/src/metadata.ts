// reflect-metadata is the metadata store of the decorators (the house rule for floor 4).
import "reflect-metadata";
import type { DarkRiftEncoding } from "@darkrift/core";
import type { FieldOptions, FieldType } from "./FieldType.js";

const FIELDS_KEY = "darkrift:fields";
const TAG_KEY = "darkrift:tag";
const ENCODING_KEY = "darkrift:encoding";

/** One `@field` as declared. */
export interface FieldDefinition {
  key: string;
  type: FieldType;
  options: FieldOptions;
}

/** The fields declared directly on one prototype, in declaration order. */
export function getOwnFields(proto: object): readonly FieldDefinition[] {
  return (Reflect.getOwnMetadata(FIELDS_KEY, proto) as FieldDefinition[] | undefined) ?? [];
}

export function addOwnField(proto: object, def: FieldDefinition): void {
  // Copy rather than push: never mutate a list a parent class might share.
  Reflect.defineMetadata(FIELDS_KEY, [...getOwnFields(proto), def], proto);
}

/** The tag given to this exact class by `@message`, if any (not inherited). */
export function getOwnTag(cls: object): number | undefined {
  return Reflect.getOwnMetadata(TAG_KEY, cls) as number | undefined;
}

export function setOwnTag(cls: object, tag: number): void {
  Reflect.defineMetadata(TAG_KEY, tag, cls);
}

/** The class-level string encoding from `@message`/`@serializable` (inherited by subclasses). */
export function getClassEncoding(cls: object): DarkRiftEncoding | undefined {
  return Reflect.getMetadata(ENCODING_KEY, cls) as DarkRiftEncoding | undefined;
}

export function setClassEncoding(cls: object, encoding: DarkRiftEncoding): void {
  Reflect.defineMetadata(ENCODING_KEY, encoding, cls);
}
