import { SFSObject } from "@sfs2x/core";
import { getOwnFields, type ModelClass } from "../model/metadata.js";
import { encodeModel, planOf } from "../model/ModelPlan.js";
import { SFSModel } from "../model/SFSModel.js";
import { SFSClientError, SFSClientErrorCode } from "../errors/SFSClientError.js";

/** A message body: a model instance (fields declared with decorators) or a raw SFSObject. */
export type Body = object;

/** Classes already looked at (the metadata walk is slow; classes do not gain fields after first use). */
const modelClasses = new WeakMap<object, boolean>();

function hasFields(cls: ModelClass): boolean {
  let known = modelClasses.get(cls);
  if (known === undefined) {
    known = false;
    for (let p: object | null = cls.prototype as object; p !== null && p !== Object.prototype; p = Object.getPrototypeOf(p) as object | null) {
      if (getOwnFields(p).length > 0) {
        known = true;
        break;
      }
    }
    modelClasses.set(cls, known);
  }
  return known;
}

/** True when `value` is an instance of a model class (an `SFSModel`, or a class with `@field`s). */
export function isModelInstance(value: unknown): value is object {
  if (value === null || typeof value !== "object") return false;
  if (value instanceof SFSModel) return true;
  if (value instanceof SFSObject) return false;
  const ctor = (value as { constructor?: unknown }).constructor;
  return typeof ctor === "function" && ctor !== Object && hasFields(ctor as ModelClass);
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (typeof v !== "object") return typeof v;
  return (v as { constructor?: { name?: string } }).constructor?.name ?? "object";
}

/**
 * @internal The params SFSObject of a body: an SFSObject as is, a model serialised; `undefined`
 * gives an empty object. Anything else is refused (wire types are always explicit: build a raw
 * SFSObject, e.g. with `SFSObject.from`, for plain values).
 */
export function toParams(body: Body | undefined): SFSObject {
  if (body === undefined) return new SFSObject();
  if (body instanceof SFSObject) return body;
  // Outgoing only: the object goes to the encoder and nowhere else (see encodeModel's `internal`).
  if (isModelInstance(body)) return encodeModel(body, planOf(body.constructor as ModelClass), undefined, true);
  throw new SFSClientError(
    SFSClientErrorCode.BAD_ARGUMENT,
    `a message body must be a model instance or an SFSObject (got ${describe(body)}); use SFSObject.from({...}) for plain values`,
  );
}

/** @internal Refuses a body that is not an object (`null`, a string...): `SFSClientError` `BAD_ARGUMENT`. */
export function checkBody(body: unknown, what: string): void {
  if (body === null || typeof body !== "object") {
    throw new SFSClientError(
      SFSClientErrorCode.BAD_ARGUMENT,
      `${what}: a message body must be a model instance, an SFSObject or a Message (got ${describe(body)}); use SFSObject.from({...}) for plain values`,
    );
  }
}

/**
 * @internal How a send method fails: misuse (`SFSClientError` `BAD_ARGUMENT`: a body that is no
 * model/SFSObject, no destination, a command that is not a string) throws synchronously, so that
 * `void session.sendExtension(cmd, oops)` fails where it is written rather than as an unhandled
 * rejection later; anything else (a value that does not serialise...) rejects.
 */
export function failSend(e: unknown): Promise<never> {
  if (e instanceof SFSClientError && e.code === SFSClientErrorCode.BAD_ARGUMENT) throw e;
  return Promise.reject(e instanceof Error ? e : new Error(String(e)));
}
