import { DarkRiftMessage } from "@darkrift/core";
import { describe, expect, it } from "vitest";
import { encodeTcpFrame, FrameBatcher, FrameDecoder, MessageQueue } from "../src/index.js";
import { hex } from "@darkrift/testkit";

describe("FrameBatcher", () => {
  it("coalesces frames added in one turn into one sink call", async () => {
    const writes: Uint8Array[] = [];
    const b = new FrameBatcher((bytes) => writes.push(bytes));
    const messages = [1, 2, 3].map((t) => new DarkRiftMessage(t, new Uint8Array([t])));
    for (const m of messages) b.add(m);
    expect(writes).toHaveLength(0);
    expect(b.pendingBytes).toBe(24);
    await Promise.resolve();
    expect(writes).toHaveLength(1);
    expect(hex(writes[0]!)).toBe(messages.map((m) => hex(encodeTcpFrame(m))).join(""));
    expect(b.pendingBytes).toBe(0);
  });

  it("flushes at the threshold and grows for large frames", () => {
    const writes: Uint8Array[] = [];
    const b = new FrameBatcher((bytes) => writes.push(bytes), { schedule: () => {}, initialCapacity: 64, flushThreshold: 1000 });
    b.add(new DarkRiftMessage(1, new Uint8Array(5000)));
    expect(writes).toHaveLength(1);
    const [m] = new FrameDecoder({ maxBodyLength: 1e6 }).push(writes[0]!);
    expect(m!.payload.length).toBe(5000);
    b.add(new DarkRiftMessage(2));
    b.addEncoded(encodeTcpFrame(new DarkRiftMessage(3)));
    expect(b.clear()).toBe(14);
    b.flush();
    expect(writes).toHaveLength(1);
  });

  it("hands out bytes that later batches do not overwrite", () => {
    const writes: Uint8Array[] = [];
    const b = new FrameBatcher((bytes) => writes.push(bytes), { schedule: () => {} });
    b.add(new DarkRiftMessage(1));
    b.flush();
    b.add(new DarkRiftMessage(2));
    b.flush();
    expect(writes.map(hex)).toEqual(["00000003000001", "00000003000002"]);
  });
});

describe("MessageQueue", () => {
  it("hands items to waiters in order, then rejects after close once drained", async () => {
    const q = new MessageQueue<number>();
    const a = q.next();
    const b = q.next();
    q.push(1);
    q.push(2);
    q.push(3);
    expect(await a).toBe(1);
    expect(await b).toBe(2);
    const err = new Error("closed");
    q.close(err);
    q.push(4);
    expect(await q.next()).toBe(3);
    await expect(q.next()).rejects.toBe(err);
  });

  it("keeps order across compaction", () => {
    const q = new MessageQueue<number>();
    for (let i = 0; i < 5000; i++) q.push(i);
    for (let i = 0; i < 4000; i++) expect(q.shift()).toBe(i);
    for (let i = 5000; i < 6000; i++) q.push(i);
    expect(q.length).toBe(2000);
    for (let i = 4000; i < 6000; i++) expect(q.shift()).toBe(i);
    expect(q.shift()).toBeUndefined();
  });
});
