import type { DarkRiftEncoding, DarkRiftMessage, DarkRiftSerializable } from "@darkrift/core";
import { MessageDefinitionError, TypedMessageError, UnknownTagError } from "./errors.js";
import type { MessageClass } from "./message.js";
import { getOwnTag } from "./metadata.js";

/** Options of {@link MessageContainer}. */
export interface MessageContainerOptions {
  /** Default encoding for string fields that do not fix one (default `"utf16le"`). */
  encoding?: DarkRiftEncoding;
}

/**
 * Maps tags to message classes and converts raw messages into typed instances.
 *
 * ```ts
 * const container = new MessageContainer().register(ChooseMessage, ChosenMessage);
 * try {
 *   const typed = container.convert(raw);
 * } catch (e) {
 *   if (e instanceof UnknownTagError) useRaw(e.raw); else throw e;
 * }
 * ```
 */
export class MessageContainer {
  private readonly byTag = new Map<number, MessageClass>();
  private readonly encoding: DarkRiftEncoding | undefined;

  constructor(options: MessageContainerOptions = {}) {
    this.encoding = options.encoding;
  }

  /**
   * Registers classes decorated with `@message(tag)`. Registering the same class again is a no-op;
   * another class for a tag already taken throws `MessageDefinitionError` (`DUPLICATE_TAG`).
   */
  register(...classes: MessageClass[]): this {
    for (const cls of classes) {
      const tag = getOwnTag(cls);
      if (tag === undefined) throw new MessageDefinitionError("NO_TAG", `${cls.name} has no tag: decorate it with @message(tag)`);
      const existing = this.byTag.get(tag);
      if (existing !== undefined && existing !== cls) {
        throw new MessageDefinitionError("DUPLICATE_TAG", `tag ${tag} is already registered to ${existing.name}, cannot register ${cls.name}`);
      }
      this.byTag.set(tag, cls);
    }
    return this;
  }

  /**
   * Class decorator form of {@link register}; put it above `@message`:
   * `@container.include @message(3) class Hello extends TypedMessage {}`.
   */
  readonly include = <C extends MessageClass>(cls: C): C => {
    this.register(cls);
    return cls;
  };

  /** Whether a class is registered for `tag`. */
  has(tag: number): boolean {
    return this.byTag.has(tag);
  }

  /** The class registered for `tag`, if any. */
  classFor(tag: number): MessageClass | undefined {
    return this.byTag.get(tag);
  }

  /** The registered tags, ascending. */
  get tags(): number[] {
    return [...this.byTag.keys()].sort((a, b) => a - b);
  }

  /**
   * Converts a raw message into an instance of the class registered for its tag. Throws
   * `UnknownTagError` (carrying the raw message) when there is none or the message is a command,
   * and `TypedMessageError` (naming class and field, the decode error as `cause`) on a bad payload.
   * Pings and acknowledgements convert like any message; check `raw.isPing` where it matters.
   */
  convert(raw: DarkRiftMessage): DarkRiftSerializable {
    const cls = raw.isCommand ? undefined : this.byTag.get(raw.tag);
    if (cls === undefined) throw new UnknownTagError(raw);
    return this.read(cls, raw);
  }

  /** Like {@link convert}, but returns undefined for an unknown tag (a bad payload still throws). */
  tryConvert(raw: DarkRiftMessage): DarkRiftSerializable | undefined {
    const cls = raw.isCommand ? undefined : this.byTag.get(raw.tag);
    return cls === undefined ? undefined : this.read(cls, raw);
  }

  private read(cls: MessageClass, raw: DarkRiftMessage): DarkRiftSerializable {
    try {
      return raw.getReader({ encoding: this.encoding }).readSerializable(cls);
    } catch (e) {
      if (e instanceof TypedMessageError) throw e;
      // A hand-written serializable failed: still name the class.
      throw new TypedMessageError("DECODE_FAILED", cls.name, "", `could not decode tag ${raw.tag}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
  }
}
