import { describe, expect, it } from "vitest";
import { DarkRiftMessage } from "@darkrift/core";
import { dispatchAll, Dispatcher, field, message, MessageContainer, MessageDefinitionError, TypedMessage, TypedMessageError } from "../src/index.js";
import { ChooseMessage, ChosenMessage } from "./messages.js";

/** A stand-in for a client or server connection: what the next issue passes as the context. */
interface FakeConnection {
  id: number;
  sent: DarkRiftMessage[];
}

function chooser(): Dispatcher<FakeConnection> {
  return new Dispatcher<FakeConnection>().on(ChooseMessage, (msg, conn, raw) => {
    expect(raw.tag).toBe(1);
    conn.sent.push(new ChosenMessage({ value: msg.items[msg.items.length - 1]! }).toMessage());
  });
}

describe("Dispatcher", () => {
  it("dispatches by class with the context and the raw message", () => {
    const conn: FakeConnection = { id: 1, sent: [] };
    const handled = chooser().dispatch(new ChooseMessage({ items: [3, 1, 4] }).toMessage(), conn);
    expect(handled).toBe(true);
    expect(ChosenMessage.fromMessage(conn.sent[0]!).value).toBe(4);
  });

  it("dispatches by tag and to the unknown handler; returns false when nothing handles", () => {
    const seen: string[] = [];
    const d = chooser().onTag(5, (raw, conn) => seen.push(`tag5:${raw.payload.length}:${conn.id}`));
    const conn: FakeConnection = { id: 7, sent: [] };
    expect(d.dispatch(new DarkRiftMessage(5, new Uint8Array(3)), conn)).toBe(true);
    expect(d.dispatch(new DarkRiftMessage(6), conn)).toBe(false);
    d.onUnknown((raw) => seen.push(`unknown:${raw.tag}`));
    expect(d.dispatch(new DarkRiftMessage(6), conn)).toBe(true);
    expect(seen).toEqual(["tag5:3:7", "unknown:6"]);
  });

  it("sends commands only to the unknown handler", () => {
    const seen: number[] = [];
    const d = new Dispatcher().onTag(0, () => seen.push(0)).onUnknown((raw) => seen.push(raw.isCommand ? 1 : 2));
    d.dispatch(DarkRiftMessage.command(0, new Uint8Array(2)), undefined);
    d.dispatch(new DarkRiftMessage(0), undefined);
    expect(seen).toEqual([1, 0]);
  });

  it("allows one handler per tag", () => {
    const d = chooser();
    expect(() => d.onTag(1, () => {})).toThrow(MessageDefinitionError);
    expect(() => d.on(ChooseMessage, () => {})).toThrow(/already has a handler/);
    expect(() => d.onTag(70000, () => {})).toThrow(MessageDefinitionError);
  });

  it("shares a container when given one", () => {
    const container = new MessageContainer();
    new Dispatcher({ container }).on(ChosenMessage, () => {});
    expect(container.classFor(2)).toBe(ChosenMessage);
  });

  it("throws conversion errors naming the field; handler errors propagate", () => {
    const d = chooser();
    expect(() => d.dispatch(new DarkRiftMessage(1, new Uint8Array([0, 0, 0, 9])), { id: 1, sent: [] })).toThrow(TypedMessageError);
    const boom = new Dispatcher().onTag(3, () => {
      throw new Error("boom");
    });
    expect(() => boom.dispatch(new DarkRiftMessage(3), undefined)).toThrow("boom");
  });

  it("routes rejected handler promises to onError; dispatchAsync awaits the handler", async () => {
    const errors: string[] = [];
    const d = new Dispatcher<string>()
      .onTag(1, async () => {
        throw new Error("late");
      })
      .onError((e, raw, ctx) => errors.push(`${(e as Error).message}:${raw.tag}:${ctx}`));
    expect(d.dispatch(new DarkRiftMessage(1), "c")).toBe(true);
    await new Promise((r) => setTimeout(r, 0));
    expect(errors).toEqual(["late:1:c"]);

    let done = false;
    const slow = new Dispatcher().onTag(2, async () => {
      await new Promise((r) => setTimeout(r, 5));
      done = true;
    });
    expect(await slow.dispatchAsync(new DarkRiftMessage(2), undefined)).toBe(true);
    expect(done).toBe(true);
    await expect(d.dispatchAsync(new DarkRiftMessage(1), "c")).rejects.toThrow("late");
  });
});

describe("dispatchAll", () => {
  async function* source(messages: DarkRiftMessage[], closed: { value: boolean }): AsyncGenerator<DarkRiftMessage> {
    try {
      for (const m of messages) {
        await Promise.resolve();
        yield m;
      }
    } finally {
      closed.value = true;
    }
  }

  it("dispatches every message of an async iterable in order and counts them", async () => {
    const order: number[] = [];
    const d = new Dispatcher<{ name: string }>()
      .on(ChooseMessage, async (msg) => {
        await new Promise((r) => setTimeout(r, 1));
        order.push(msg.items[0]!);
      })
      .onTag(9, () => order.push(-9));
    const closed = { value: false };
    const msgs = [
      new ChooseMessage({ items: [1] }).toMessage(),
      new DarkRiftMessage(9),
      new ChooseMessage({ items: [2] }).toMessage(),
      new DarkRiftMessage(10),
    ];
    const result = await dispatchAll(source(msgs, closed), d, { name: "ctx" });
    expect(result).toEqual({ handled: 3, unhandled: 1 });
    expect(order).toEqual([1, -9, 2]);
    expect(closed.value).toBe(true);
  });

  it("rejects with the first error and stops the source", async () => {
    const closed = { value: false };
    const d = new Dispatcher().on(ChosenMessage, () => {});
    const msgs = [new DarkRiftMessage(2, new Uint8Array([1])), new ChosenMessage({ value: 1 }).toMessage()];
    await expect(dispatchAll(source(msgs, closed), d, undefined)).rejects.toBeInstanceOf(TypedMessageError);
    expect(closed.value).toBe(true);
  });
});
