/**
 * The flow-control policy engine on its own, against an in-memory sink (a stand-in for a
 * socket's send buffer, which the test drains by hand). The transports run the same engine
 * against real sockets in their conformance suites.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ConnectionClosedError, SendQueue, SendVerdict, TransportError, type HighWaterMarkPolicy, type PacketSink } from "../src/index.js";

class MemorySink implements PacketSink {
  held = 0;
  written: Uint8Array[] = [];
  watches = 0;
  open = true;
  buffered(): number {
    return this.held;
  }
  write(packet: Uint8Array): boolean {
    if (!this.open) return false;
    this.held += packet.length;
    this.written.push(packet);
    return true;
  }
  watchDrain(): void {
    this.watches++;
  }
}

const HWM = 100;
const bytes = (n: number, tag = 0): Uint8Array => new Uint8Array(n).fill(tag);

function setup(policy: HighWaterMarkPolicy): { sink: MemorySink; queue: SendQueue; drains: () => number } {
  const sink = new MemorySink();
  let drains = 0;
  const queue = new SendQueue(sink, { highWaterMark: HWM, highWaterMarkPolicy: policy }, () => drains++);
  return { sink, queue, drains: () => drains };
}

describe("SendQueue verdicts", () => {
  it("SEND while the bytes fit under the mark, and for any packet when nothing is buffered", () => {
    const { queue } = setup("refuse");
    expect(queue.admit(60, 0)).toBe(SendVerdict.SEND);
    expect(queue.admit(40, 60)).toBe(SendVerdict.SEND);
    expect(queue.admit(5000, 0)).toBe(SendVerdict.SEND);
    expect(queue.admit(41, 60)).toBe(SendVerdict.REFUSE);
  });

  it('"refuse": REFUSE with a QUEUE_FULL error; onDrain once the buffer is back under the mark', () => {
    const { sink, queue, drains } = setup("refuse");
    sink.held = 90;
    expect(queue.admit(20, sink.held)).toBe(SendVerdict.REFUSE);
    expect(sink.watches).toBe(1);
    const error = queue.fullError(20, sink.held);
    expect(error).toBeInstanceOf(TransportError);
    expect(error.code).toBe("QUEUE_FULL");
    sink.held = 100;
    queue.drained(true);
    expect(drains()).toBe(0); // not under the mark yet: watch again
    expect(sink.watches).toBe(2);
    sink.held = 99;
    queue.drained(true);
    expect(drains()).toBe(1);
    queue.drained(true);
    expect(drains()).toBe(1); // once per refusal
  });

  it('"close": CLOSE over the mark', () => {
    const { queue } = setup("close");
    expect(queue.admit(50, 0)).toBe(SendVerdict.SEND);
    expect(queue.admit(51, 50)).toBe(SendVerdict.CLOSE);
  });

  it("bad options throw TypeError", () => {
    const sink = new MemorySink();
    expect(() => new SendQueue(sink, { highWaterMark: 0 }, () => {})).toThrow(TypeError);
    expect(() => new SendQueue(sink, { highWaterMark: NaN }, () => {})).toThrow(TypeError);
    expect(() => new SendQueue(sink, { highWaterMarkPolicy: "drop" as HighWaterMarkPolicy }, () => {})).toThrow(TypeError);
    expect(new SendQueue(sink, {}, () => {}).policy).toBe("refuse");
  });
});

describe('SendQueue "wait"', () => {
  it("queues in order behind the congested sink, hands packets over as it drains, bounded by a second mark", async () => {
    const { sink, queue, drains } = setup("wait");
    sink.held = 90;
    const settled: string[] = [];
    const a = queue.admit(30, sink.held);
    expect(a).toBe(SendVerdict.WAIT);
    const pa = queue.enqueue(bytes(30, 1)).then(() => settled.push("a"));
    // Behind a waiting packet even a packet that would fit waits (order is kept).
    expect(queue.admit(1, 0)).toBe(SendVerdict.WAIT);
    const pb = queue.enqueue(bytes(1, 2)).then(() => settled.push("b"));
    expect(queue.admit(60, sink.held)).toBe(SendVerdict.WAIT);
    const pc = queue.enqueue(bytes(60, 3)).then(() => settled.push("c"));
    expect(queue.waitingBytes).toBe(91);
    // The waiting room is another highWaterMark: past it, REFUSE.
    expect(queue.admit(10, sink.held)).toBe(SendVerdict.REFUSE);
    sink.held = 50;
    queue.drained(true); // 50 + 30 fit, 80 + 1 fit, 81 + 60 do not
    await Promise.resolve();
    await Promise.resolve();
    expect(sink.written.map((p) => p[0])).toEqual([1, 2]);
    expect(settled).toEqual(["a", "b"]);
    expect(queue.waitingBytes).toBe(60);
    expect(drains()).toBe(0);
    sink.held = 0;
    queue.drained(true);
    await Promise.all([pa, pb, pc]);
    expect(sink.written.map((p) => p[0])).toEqual([1, 2, 3]);
    expect(queue.waitingBytes).toBe(0);
    expect(drains()).toBe(1);
  });

  it("flushAll hands every waiting packet over regardless of the mark; rejectAll rejects the rest", async () => {
    const { sink, queue, drains } = setup("wait");
    sink.held = 100;
    queue.admit(50, sink.held);
    const p1 = queue.enqueue(bytes(50, 1));
    queue.flushAll();
    await p1;
    expect(sink.written).toHaveLength(1);
    expect(drains()).toBe(0); // closing: no drain event
    queue.admit(50, sink.held);
    const p2 = queue.enqueue(bytes(50, 2));
    const error = new ConnectionClosedError("gone");
    queue.rejectAll(error);
    await expect(p2).rejects.toBe(error);
    expect(queue.waitingBytes).toBe(0);
  });

  it("a sink that can no longer write rejects the waiting packet with ConnectionClosedError", async () => {
    const { sink, queue } = setup("wait");
    sink.held = 100;
    queue.admit(10, sink.held);
    const p = queue.enqueue(bytes(10));
    sink.open = false;
    sink.held = 0;
    queue.drained(true);
    await expect(p).rejects.toBeInstanceOf(ConnectionClosedError);
  });

  it("random traffic: order kept, every packet settles once, memory bounded by the two marks", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(fc.record({ send: fc.integer({ min: 1, max: 150 }) }), fc.record({ drain: fc.integer({ min: 0, max: 200 }) })), { maxLength: 60 }),
        async (ops) => {
          const { sink, queue } = setup("wait");
          const accepted: number[] = [];
          const settled: number[] = [];
          let id = 0;
          for (const op of ops) {
            if ("send" in op) {
              const n = op.send;
              const v = queue.admit(n, sink.held);
              const tag = id++ % 256;
              if (v === SendVerdict.SEND) {
                sink.write(bytes(n, tag));
                accepted.push(tag);
                settled.push(tag);
              } else if (v === SendVerdict.WAIT) {
                accepted.push(tag);
                void queue.enqueue(bytes(n, tag)).then(() => settled.push(tag));
              }
              expect(sink.held).toBeLessThanOrEqual(Math.max(HWM, n) + 150);
              expect(queue.waitingBytes).toBeLessThanOrEqual(HWM + 150);
            } else {
              sink.held = Math.max(0, sink.held - op.drain);
              queue.drained(true);
            }
          }
          queue.flushAll();
          await new Promise((r) => setTimeout(r, 0));
          expect(sink.written.map((p) => p[0])).toEqual(accepted);
          expect(settled.sort((a, b) => a - b)).toEqual([...accepted].sort((a, b) => a - b));
        },
      ),
      { numRuns: 200 },
    );
  });
});
