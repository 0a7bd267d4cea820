import type { DarkRiftEncoding, DarkRiftSerializable, DarkRiftSerializableConstructor } from "@darkrift/core";
import { MessageDefinitionError } from "./errors.js";
import { assertLegacyDecorator } from "./legacyDecorators.js";
import { planOf } from "./MessagePlan.js";
import { setClassEncoding, setOwnTag } from "./metadata.js";
import { initialisingClasses, TypedMessage } from "./TypedMessage.js";

/** Options of `@message` and `@serializable`. */
export interface MessageClassOptions {
  /** Encoding of this class's string/char fields that do not set their own (default: the writer's/reader's). */
  encoding?: DarkRiftEncoding;
}

/** A class `@message` can decorate: a `TypedMessage` subclass or any `DarkRiftSerializable` class. */
export type MessageClass<T extends DarkRiftSerializable = DarkRiftSerializable> = DarkRiftSerializableConstructor<T>;

const hasOwn = Object.hasOwn;

/**
 * Wraps a TypedMessage subclass so that constructor values are applied after its field initialisers
 * (class fields are defined after `super()` returns, so the base constructor cannot do it).
 */
function initialising<C extends Function>(target: C): C {
  const Base = target as unknown as new (init?: object) => TypedMessage;
  const named = {
    [target.name]: class extends Base {
      constructor(init?: object) {
        super(init);
        if (init !== undefined) applyInit(this, init);
      }
    },
  }[target.name]!;
  initialisingClasses.add(named);
  return named as unknown as C;
}

function applyInit(obj: TypedMessage, init: object): void {
  if (typeof init !== "object" || init === null) {
    throw new MessageDefinitionError("UNKNOWN_FIELD", `${obj.constructor.name} takes an object of field values`);
  }
  const plan = planOf(obj.constructor);
  // Only declared fields, only own properties: a "__proto__" key is data, never a prototype write.
  for (const key of Object.keys(init)) {
    if (!plan.keys.has(key)) throw new MessageDefinitionError("UNKNOWN_FIELD", `${plan.name} has no field "${key}"`);
  }
  for (const f of plan.fields) {
    if (hasOwn(init, f.key)) (obj as unknown as Record<string, unknown>)[f.key] = (init as Record<string, unknown>)[f.key];
  }
}

function prepare<C extends Function>(target: C, options: MessageClassOptions): C {
  if (typeof target !== "function") throw new MessageDefinitionError("BAD_FIELD", "@message/@serializable decorate classes");
  const cls = target.prototype instanceof TypedMessage ? initialising(target) : target;
  if (options.encoding !== undefined) {
    if (!["utf16le", "utf8", "ascii"].includes(options.encoding)) throw new MessageDefinitionError("BAD_FIELD_TYPE", `unknown encoding "${String(options.encoding)}"`);
    setClassEncoding(cls, options.encoding);
  }
  return cls;
}

/**
 * Binds a class to a message tag (uint16). On a `TypedMessage` subclass it also lets the constructor
 * take field values; on any other `DarkRiftSerializable` class it only records the tag (so
 * `MessageContainer` and `Dispatcher` can convert to it).
 */
export function message(tag: number, options: MessageClassOptions = {}): <C extends MessageClass>(target: C) => C {
  if (!Number.isInteger(tag) || tag < 0 || tag > 0xffff) throw new MessageDefinitionError("BAD_TAG", `tag ${tag} is not an integer in 0..65535`);
  return <C extends MessageClass>(target: C, ...rest: unknown[]): C => {
    assertLegacyDecorator(`@message(${tag})`, rest[0]);
    const cls = prepare(target, options);
    setOwnTag(cls, tag);
    return cls;
  };
}

/**
 * Marks an untagged typed class (one only ever nested in others) so that its constructor takes
 * field values, and optionally sets its string encoding.
 */
export function serializable(options: MessageClassOptions = {}): <C extends MessageClass>(target: C) => C {
  return <C extends MessageClass>(target: C, ...rest: unknown[]): C => {
    assertLegacyDecorator("@serializable()", rest[0]);
    return prepare(target, options);
  };
}
