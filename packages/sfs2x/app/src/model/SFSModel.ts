import type { SFSObject } from "@sfs2x/core";
import type { ModelClass } from "./metadata.js";
import { decodeModel, encodeModel, planOf } from "./ModelPlan.js";
import { ModelError, ModelErrorCode } from "./ModelError.js";

/**
 * Base class of typed models: fields declared with `@field` or the typed shorthands become
 * SFSObject entries with explicit wire types.
 *
 * ```ts
 * class Player extends SFSModel {
 *   @int("id") id = 0;
 *   @utfString("name") name = "";
 *   @long("seen", { optional: true }) lastSeen?: number | bigint;
 * }
 * const obj = Object.assign(new Player(), { id: 7, name: "ada" }).toSFSObject();
 * Player.fromSFSObject(obj).name; // "ada"
 * ```
 *
 * Extending it is a convenience: any class with `@field` declarations works with
 * {@link toSFSObject} and {@link parseModel}.
 */
export abstract class SFSModel {
  /** Serialises the declared fields into a new SFSObject. Throws {@link ModelError}. */
  toSFSObject(): SFSObject {
    return encodeModel(this, planOf(this.constructor as ModelClass));
  }

  /** Parses an SFSObject into a new instance. Throws {@link ModelError} naming the model and field. */
  static fromSFSObject<T extends object>(this: ModelClass<T>, obj: SFSObject): T {
    return decodeModel<T>(obj, planOf(this));
  }
}

/** Serialises a model instance (or any object with the properties of `cls`) into an SFSObject. */
export function toSFSObject(model: object, cls: ModelClass = model.constructor as ModelClass): SFSObject {
  return encodeModel(model, planOf(cls));
}

/** Parses an SFSObject into a new instance of `cls`. Throws {@link ModelError}. */
export function parseModel<T extends object>(cls: ModelClass<T>, obj: SFSObject): T {
  return decodeModel<T>(obj, planOf(cls));
}

/** The instance type of a model class, or the union of a list of them. */
export type ModelOf<S> = S extends readonly (infer C)[] ? (C extends ModelClass<infer T> ? T : never) : S extends ModelClass<infer T> ? T : never;

/** One model class, or a union of them tried in order. */
export type ModelSpec = ModelClass | readonly ModelClass[];

/**
 * Parses with the first model of `spec` that accepts the object (a union such as
 * `[LoginResponse, LoginErrorResponse]`). Throws {@link ModelError} `NO_MATCH` listing every
 * model's reason when none does (or the model's own error for a single class).
 */
export function parseUnion<S extends ModelSpec>(spec: S, obj: SFSObject): ModelOf<S> {
  if (!Array.isArray(spec)) return decodeModel(obj, planOf(spec as ModelClass));
  const list = spec as readonly ModelClass[];
  if (list.length === 1) return decodeModel(obj, planOf(list[0]!));
  const reasons: string[] = [];
  for (const cls of list) {
    try {
      return decodeModel(obj, planOf(cls));
    } catch (e) {
      if (!(e instanceof ModelError)) throw e;
      reasons.push(e.message);
    }
  }
  throw new ModelError(ModelErrorCode.NO_MATCH, `none of ${list.map((c) => c.name).join(" | ")} matches: ${reasons.join("; ")}`);
}
