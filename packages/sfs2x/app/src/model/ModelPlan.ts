import { SFSArray, SFSDataType, SFSObject, SFSValueError, sfsDataTypeName, type SFSWireType } from "@sfs2x/core";
import { checked, findEntry, makeObject, typeAt, valueAt } from "../util/coreInternals.js";
import { getOwnFields, resolveModelRef, type FieldDefinition, type ModelClass } from "./metadata.js";
import { ModelError, ModelErrorCode } from "./ModelError.js";

/** @internal A field ready for use: the nested model class resolved lazily. */
interface PlannedField extends FieldDefinition {
  /** Resolved nested model (SFS_OBJECT / SFS_ARRAY with `model`), set on first use. */
  nested: ModelClass | undefined;
}

/** @internal The flattened field list of one model class (base-class fields first). */
export interface ModelPlan {
  name: string;
  cls: ModelClass;
  fields: PlannedField[];
  /** Keys and types of every field, in order (templates copied when all fields are present). */
  keys: string[];
  types: number[];
}

const plans = new WeakMap<object, ModelPlan>();

/** @internal The plan of a model class, built once and cached. */
export function planOf(cls: ModelClass): ModelPlan {
  let plan = plans.get(cls);
  if (plan !== undefined) return plan;
  if (typeof cls !== "function" || cls.prototype === undefined) {
    throw new ModelError(ModelErrorCode.BAD_DEFINITION, `a model must be a class, got ${typeof cls}`);
  }
  // Walk the prototype chain from the root down so base fields come first; a subclass that
  // redeclares a property replaces the base declaration in place.
  const chain: object[] = [];
  for (let p: object | null = cls.prototype as object; p !== null && p !== Object.prototype; p = Object.getPrototypeOf(p) as object | null) chain.unshift(p);
  const fields: PlannedField[] = [];
  for (const proto of chain) {
    for (const def of getOwnFields(proto)) {
      const at = fields.findIndex((f) => f.property === def.property);
      const planned: PlannedField = { ...def, nested: undefined };
      if (at >= 0) fields[at] = planned;
      else fields.push(planned);
    }
  }
  const name = cls.name || "(anonymous model)";
  const seen = new Map<string, string>();
  for (const f of fields) {
    const other = seen.get(f.key);
    if (other !== undefined) {
      throw new ModelError(ModelErrorCode.BAD_DEFINITION, `${name}: fields ${other} and ${f.property} share the key "${f.key}"`, name, f.property);
    }
    seen.set(f.key, f.property);
  }
  plan = { name, cls, fields, keys: fields.map((f) => f.key), types: fields.map((f) => f.type) };
  plans.set(cls, plan);
  return plan;
}

function nestedOf(f: PlannedField): ModelClass {
  if (f.nested === undefined) f.nested = resolveModelRef(f.model!);
  return f.nested;
}

function where(plan: ModelPlan, f: PlannedField, path: string): string {
  return `${path}.${f.property} (key "${f.key}")`;
}

const typeName = (t: number): string => sfsDataTypeName(t) ?? String(t);

/**
 * @internal Serialises `value` (`internal`: the object goes straight to the encoder and is never
 * modified, so it may share the plan's arrays) (an instance of the model, or any object with its properties)
 * with the plan of `cls`. Throws {@link ModelError}.
 */
export function encodeModel(value: object, plan: ModelPlan, path: string = plan.name, internal = false): SFSObject {
  const fields = plan.fields;
  const n = fields.length;
  // Exact-size arrays, filled in order (keys are unique per plan, so no lookups are needed).
  const values: unknown[] = new Array<unknown>(n);
  let count = 0;
  let skipped = false;
  for (let i = 0; i < n; i++) {
    const f = fields[i]!;
    const v = (value as Record<string, unknown>)[f.property];
    if (v === undefined || (v === null && f.type !== SFSDataType.NULL)) {
      if (f.optional) {
        skipped = true;
        continue;
      }
      throw new ModelError(ModelErrorCode.MISSING_FIELD, `${where(plan, f, path)} is required but ${String(v)}`, plan.name, f.property, `${path}.${f.property}`);
    }
    let stored: unknown;
    try {
      if (f.model !== undefined) {
        const inner = planOf(nestedOf(f));
        if (f.type === SFSDataType.SFS_OBJECT) {
          if (v instanceof SFSObject) stored = v;
          else if (typeof v === "object") stored = encodeModel(v as object, inner, `${path}.${f.property}`, internal);
          else throw new ModelError(ModelErrorCode.INVALID_VALUE, `${where(plan, f, path)}: expected a ${inner.name}, got ${typeof v}`, plan.name, f.property, `${path}.${f.property}`);
        } else if (v instanceof SFSArray) {
          stored = v;
        } else {
          if (!Array.isArray(v)) {
            throw new ModelError(ModelErrorCode.INVALID_VALUE, `${where(plan, f, path)}: expected an array of ${inner.name}, got ${typeof v}`, plan.name, f.property, `${path}.${f.property}`);
          }
          const arr = new SFSArray();
          for (let j = 0; j < v.length; j++) {
            const item: unknown = v[j];
            const itemPath = `${path}.${f.property}[${j}]`;
            if (item instanceof SFSObject) arr.addSFSObject(item);
            else if (item !== null && typeof item === "object") arr.addSFSObject(encodeModel(item, inner, itemPath, internal));
            else throw new ModelError(ModelErrorCode.INVALID_VALUE, `${itemPath}: expected a ${inner.name}, got ${String(item)}`, plan.name, f.property, itemPath);
          }
          stored = arr;
        }
      } else {
        stored = checked(f.key, f.type, v);
      }
    } catch (e) {
      if (e instanceof ModelError) throw e;
      const detail = e instanceof Error ? e.message : String(e);
      throw new ModelError(ModelErrorCode.INVALID_VALUE, `${where(plan, f, path)}: ${detail}`, plan.name, f.property, `${path}.${f.property}`, { cause: e });
    }
    values[count++] = stored;
  }
  // Objects that only travel to the encoder (outgoing messages) share the plan's key and type
  // arrays; objects handed to users get their own copies (they may be modified).
  if (!skipped) return internal ? makeObject(plan.keys, plan.types, values) : makeObject(plan.keys.slice(), plan.types.slice(), values);
  values.length = count;
  const keys: string[] = [];
  const types: number[] = [];
  for (let i = 0; i < n; i++) {
    const f = fields[i]!;
    const v = (value as Record<string, unknown>)[f.property];
    if (v === undefined || (v === null && f.type !== SFSDataType.NULL)) continue;
    keys.push(f.key);
    types.push(f.type);
  }
  return makeObject(keys, types, values);
}

/** @internal Parses an SFSObject into a new instance of the plan's class. Throws {@link ModelError}. */
export function decodeModel<T extends object>(obj: SFSObject, plan: ModelPlan, path: string = plan.name): T {
  if (!(obj instanceof SFSObject)) {
    throw new ModelError(ModelErrorCode.WRONG_TYPE, `${path}: expected an SFSObject to parse, got ${obj === null ? "null" : typeof obj}`, plan.name);
  }
  const inst = new plan.cls() as Record<string, unknown>;
  const fields = plan.fields;
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    const at = findEntry(obj, f.key);
    const t = at < 0 ? undefined : typeAt(obj, at);
    if (t === undefined || (t === SFSDataType.NULL && f.type !== SFSDataType.NULL)) {
      if (f.optional) continue;
      throw new ModelError(
        ModelErrorCode.MISSING_FIELD,
        `${where(plan, f, path)}: ${t === undefined ? "missing" : "NULL"}, expected ${typeName(f.type)}`,
        plan.name,
        f.property,
        `${path}.${f.property}`,
      );
    }
    if (t !== f.type) {
      throw new ModelError(
        ModelErrorCode.WRONG_TYPE,
        `${where(plan, f, path)}: expected ${typeName(f.type)}, got ${typeName(t)}`,
        plan.name,
        f.property,
        `${path}.${f.property}`,
      );
    }
    const v = valueAt(obj, at);
    if (f.model === undefined) {
      inst[f.property] = v;
    } else if (f.type === SFSDataType.SFS_OBJECT) {
      inst[f.property] = decodeModel(v as SFSObject, planOf(nestedOf(f)), `${path}.${f.property}`);
    } else {
      const inner = planOf(nestedOf(f));
      const arr = v as SFSArray;
      const n = arr.size();
      const list: object[] = new Array<object>(n);
      for (let j = 0; j < n; j++) {
        const itemPath = `${path}.${f.property}[${j}]`;
        const et = arr.getType(j);
        if (et !== SFSDataType.SFS_OBJECT) {
          throw new ModelError(
            ModelErrorCode.WRONG_TYPE,
            `${itemPath} (key "${f.key}"): expected SFS_OBJECT (a ${inner.name}), got ${typeName(et as SFSWireType)}`,
            plan.name,
            f.property,
            itemPath,
          );
        }
        list[j] = decodeModel(arr.get(j) as SFSObject, inner, itemPath);
      }
      inst[f.property] = list;
    }
  }
  return inst as T;
}
