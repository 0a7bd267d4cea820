import { DarkRiftMessage, DarkRiftReader, DarkRiftWriter, type DarkRiftEncoding, type DarkRiftSerializable } from "@darkrift/core";
import { MessageDefinitionError, TypedMessageError } from "./errors.js";
import { getOwnTag } from "./metadata.js";
import { planEpoch, planOf, setTypedBase, type MessagePlan } from "./MessagePlan.js";

/** Field values accepted by a typed class's constructor and `create`: any subset of its fields. */
export type MessageInit<T> = Partial<Pick<T, Exclude<keyof T, keyof TypedMessage>>>;

/** A constructor of a typed message class. */
export type TypedMessageClass<T extends TypedMessage = TypedMessage> = new (init?: object) => T;

/** Options of encoding and decoding helpers. */
export interface TypedCodecOptions {
  /** Default encoding for string fields that do not fix one (default `"utf16le"`, C#'s default). */
  encoding?: DarkRiftEncoding;
}

const PLAN = Symbol("darkrift.plan");

/** The plan of an instance's class, cached on the class (a static inherited from a parent does not count). */
function planFor(obj: object): MessagePlan {
  const cls = obj.constructor as Function & { [PLAN]?: MessagePlan };
  const cached = cls[PLAN];
  if (cached !== undefined && cached.cls === cls && cached.epoch === planEpoch) return cached;
  const plan = planOf(cls);
  Object.defineProperty(cls, PLAN, { value: plan, configurable: true });
  return plan;
}

/** Classes whose constructor applies `init` after the field initialisers have run (decorated ones). */
export const initialisingClasses = new WeakSet<Function>();

// One scratch writer for toMessage/toBytes; the payload is copied out, so it can be reused.
const scratch = new DarkRiftWriter({ initialCapacity: 1024 });
let scratchBusy = false;

function withWriter<R>(encoding: DarkRiftEncoding | undefined, f: (w: DarkRiftWriter) => R): R {
  if (scratchBusy) return f(new DarkRiftWriter({ encoding })); // re-entered from a serialize(): use a fresh one
  scratchBusy = true;
  try {
    scratch.reset();
    scratch.encoding = encoding ?? "utf16le";
    return f(scratch);
  } finally {
    scratchBusy = false;
  }
}

/**
 * Base class of typed messages: a class whose `@field`s carry DarkRift types, written in declaration
 * order, bound to a tag with `@message(tag)`. It implements `DarkRiftSerializable`, so typed classes
 * nest in one another and work with `writer.writeSerializable` / `reader.readSerializable`.
 *
 * ```ts
 * @message(1)
 * class ChooseMessage extends TypedMessage {
 *   @field("int32[]") items: number[] = [];
 * }
 * const raw = new ChooseMessage({ items: [1, 2, 3] }).toMessage(); // DarkRiftMessage, tag 1
 * ChooseMessage.fromMessage(raw).items;                              // [1, 2, 3]
 * ```
 *
 * Values passed to the constructor are applied after the field initialisers (so they win over
 * defaults) when the class is decorated with `@message` or `@serializable`.
 */
export abstract class TypedMessage implements DarkRiftSerializable {
  constructor(init?: object) {
    if (init !== undefined && !initialisingClasses.has(new.target)) {
      throw new MessageDefinitionError(
        "NOT_DECORATED",
        `${new.target.name} takes field values in its constructor only when decorated with @message(tag) or @serializable()`,
      );
    }
  }

  /** Writes the fields in declaration order (`DarkRiftSerializable`). */
  serialize(writer: DarkRiftWriter): void {
    planFor(this).write(writer, this);
  }

  /** Reads the fields in declaration order (`DarkRiftSerializable`). */
  deserialize(reader: DarkRiftReader): void {
    planFor(this).read(reader, this);
  }

  /** The payload bytes (a fresh copy). */
  toBytes(options: TypedCodecOptions = {}): Uint8Array {
    return withWriter(options.encoding, (w) => {
      w.writeSerializable(this);
      return w.toBytes().slice();
    });
  }

  /** A `DarkRiftMessage` with this class's tag and these fields as payload. */
  toMessage(options: TypedCodecOptions = {}): DarkRiftMessage {
    const tag = requireTag(this.constructor);
    return withWriter(options.encoding, (w) => {
      w.writeSerializable(this);
      return new DarkRiftMessage(tag, w); // copies the writer's bytes
    });
  }

  /** The tag given by `@message`, or undefined for an untagged (nested-only) class. */
  static get tag(): number | undefined {
    return getOwnTag(this);
  }

  /** A new instance with the given field values (typed form of the constructor). */
  static create<T extends TypedMessage>(this: TypedMessageClass<T>, init?: MessageInit<T>): T {
    return new this(init);
  }

  /**
   * Reads one instance from a reader (at its position). Throws `TypedMessageError` naming the
   * field on bad input, with the `DarkRiftDecodeError` as `cause`; the reader's position is then unchanged.
   */
  static read<T extends TypedMessage>(this: TypedMessageClass<T>, reader: DarkRiftReader): T {
    return reader.readSerializable(this);
  }

  /** Reads one instance from payload bytes. Trailing bytes are ignored, as C# readers do. */
  static fromBytes<T extends TypedMessage>(this: TypedMessageClass<T>, bytes: Uint8Array, options: TypedCodecOptions = {}): T {
    return new DarkRiftReader(bytes, { encoding: options.encoding }).readSerializable(this);
  }

  /** Reads one instance from a message, checking that its tag is this class's tag. */
  static fromMessage<T extends TypedMessage>(this: TypedMessageClass<T>, message: DarkRiftMessage, options: TypedCodecOptions = {}): T {
    const tag = requireTag(this);
    if (message.tag !== tag || message.isCommand) {
      throw new TypedMessageError("TAG_MISMATCH", this.name, "", `expects tag ${tag}, got ${message.isCommand ? "command " : ""}${message.tag}`);
    }
    return message.getReader({ encoding: options.encoding }).readSerializable(this);
  }
}

setTypedBase(TypedMessage);

/** The tag of a class decorated with `@message` (or of an instance's class); throws `NO_TAG` otherwise. */
export function requireTag(cls: Function): number {
  const tag = getOwnTag(cls);
  if (tag === undefined) throw new MessageDefinitionError("NO_TAG", `${cls.name} has no tag: decorate it with @message(tag)`);
  return tag;
}
