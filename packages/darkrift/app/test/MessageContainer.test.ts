import { describe, expect, it } from "vitest";
import { DarkRiftDecodeError, DarkRiftMessage, DarkRiftReader, DarkRiftWriter, type DarkRiftSerializable } from "@darkrift/core";
import { field, message, MessageContainer, MessageDefinitionError, TypedMessage, TypedMessageError, UnknownTagError } from "../src/index.js";
import { ChooseMessage, ChosenMessage } from "./messages.js";
import { unhex } from "@darkrift/testkit";

/** A hand-written serializable bound to a tag. */
@message(3)
class Hello implements DarkRiftSerializable {
  text = "";
  serialize(w: DarkRiftWriter): void {
    w.writeString(this.text);
  }
  deserialize(r: DarkRiftReader): void {
    this.text = r.readString();
  }
}

describe("MessageContainer", () => {
  const container = new MessageContainer().register(ChooseMessage, ChosenMessage, Hello);

  it("converts raw messages to instances of the registered classes", () => {
    const typed = container.convert(new ChooseMessage({ items: [4, 8] }).toMessage());
    expect(typed).toBeInstanceOf(ChooseMessage);
    expect((typed as ChooseMessage).items).toEqual([4, 8]);
    const w = new DarkRiftWriter();
    w.writeString("hi");
    const hello = container.convert(new DarkRiftMessage(3, w));
    expect(hello).toBeInstanceOf(Hello);
    expect((hello as Hello).text).toBe("hi");
    expect(container.tags).toEqual([1, 2, 3]);
    expect(container.has(2)).toBe(true);
    expect(container.classFor(2)).toBe(ChosenMessage);
  });

  it("throws UnknownTagError carrying the raw message, and tryConvert returns undefined", () => {
    const raw = new DarkRiftMessage(99, new Uint8Array([1]));
    let caught: unknown;
    try {
      container.convert(raw);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(UnknownTagError);
    expect((caught as UnknownTagError).tag).toBe(99);
    expect((caught as UnknownTagError).raw).toBe(raw);
    expect((caught as UnknownTagError).code).toBe("UNKNOWN_TAG");
    expect(container.tryConvert(raw)).toBeUndefined();
    expect(container.tryConvert(new ChosenMessage({ value: 3 }).toMessage())).toBeInstanceOf(ChosenMessage);
  });

  it("never converts command messages", () => {
    expect(() => container.convert(DarkRiftMessage.command(1, new Uint8Array(4)))).toThrow(UnknownTagError);
    expect(container.tryConvert(DarkRiftMessage.command(1))).toBeUndefined();
  });

  it("converts pings by tag", () => {
    const ping = DarkRiftMessage.ping(2, new ChosenMessage({ value: 5 }).toBytes(), 7);
    expect((container.convert(ping) as ChosenMessage).value).toBe(5);
  });

  it("reports a bad payload as TypedMessageError naming class and field (tryConvert too)", () => {
    const bad = new DarkRiftMessage(2, unhex("0000"));
    for (const f of [() => container.convert(bad), () => container.tryConvert(bad)]) {
      try {
        f();
        throw new Error("expected a failure");
      } catch (e) {
        expect(e).toBeInstanceOf(TypedMessageError);
        expect((e as TypedMessageError).field).toBe("value");
        expect((e as TypedMessageError).cause).toBeInstanceOf(DarkRiftDecodeError);
      }
    }
    // A hand-written class: the class is named, the decode error is the cause.
    try {
      container.convert(new DarkRiftMessage(3, unhex("00000008")));
      throw new Error("expected a failure");
    } catch (e) {
      expect(e).toBeInstanceOf(TypedMessageError);
      expect((e as TypedMessageError).className).toBe("Hello");
      expect((e as TypedMessageError).cause).toBeInstanceOf(DarkRiftDecodeError);
    }
  });

  it("refuses a second class for a tag, untagged classes; re-registering is a no-op", () => {
    @message(1)
    class Other extends TypedMessage {}
    class NoTag extends TypedMessage {}
    expect(() => container.register(Other)).toThrow(MessageDefinitionError);
    expect(() => container.register(NoTag)).toThrow(/no tag/);
    expect(() => container.register(ChooseMessage)).not.toThrow();
  });

  it("registers with the include decorator", () => {
    const c = new MessageContainer();
    @c.include
    @message(12)
    class Late extends TypedMessage {
      @field("byte") b = 0;
    }
    expect(c.classFor(12)).toBe(Late);
    expect((c.convert(new Late({ b: 9 }).toMessage()) as Late).b).toBe(9);
  });

  it("decodes strings with the container's encoding", () => {
    @message(50)
    class Named extends TypedMessage {
      @field("string") name = "";
    }
    const c = new MessageContainer({ encoding: "utf8" }).register(Named);
    const raw = new Named({ name: "é" }).toMessage({ encoding: "utf8" });
    expect((c.convert(raw) as Named).name).toBe("é");
  });
});
