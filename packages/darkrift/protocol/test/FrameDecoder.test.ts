import { DarkRiftEncodeError, DarkRiftMessage } from "@darkrift/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { encodeTcpFrame, FrameDecoder, FrameError, receivedMessage, StrikeWeight, type ReceivedMessage } from "../src/index.js";
import { hex, unhex } from "@darkrift/testkit";

const arbMessage = fc
  .record({
    tag: fc.integer({ min: 0, max: 0xffff }),
    payload: fc.uint8Array({ maxLength: 300 }),
    kind: fc.constantFrom(0, 0x20, 0x40, 0x60, 0x80),
    code: fc.integer({ min: 0, max: 0xffff }),
  })
  .map(({ tag, payload, kind, code }) => new DarkRiftMessage(tag, payload, { flags: kind, pingCode: kind & 0x40 ? code : 0 }));

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Splits bytes at the given (sorted, deduplicated) cut points. */
function split(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let prev = 0;
  for (const p of [...points, bytes.length]) {
    out.push(bytes.slice(prev, p));
    prev = p;
  }
  return out;
}

const summary = (m: DarkRiftMessage) => ({ tag: m.tag, flags: m.flags, code: m.pingCode, payload: hex(m.payload) });

describe("FrameDecoder", () => {
  it("any chunking of a frame stream gives the same messages (property)", () => {
    fc.assert(
      fc.property(fc.array(arbMessage, { maxLength: 20 }), fc.array(fc.nat(), { maxLength: 40 }), (messages, cuts) => {
        const stream = concat(messages.map(encodeTcpFrame));
        const decoder = new FrameDecoder();
        const out: ReceivedMessage[] = [];
        for (const chunk of split(stream, cuts)) out.push(...decoder.push(chunk));
        expect(out.map(summary)).toEqual(messages.map(summary));
        expect(out.every((m) => m.reliable)).toBe(true);
        expect(decoder.bufferedBytes).toBe(0);
      }),
      { numRuns: 300 },
    );
  });

  it("byte-at-a-time delivery works", () => {
    const m = new DarkRiftMessage(0x1234, new Uint8Array([1, 2, 3, 4, 5]));
    const d = new FrameDecoder();
    const frame = encodeTcpFrame(m);
    const out: ReceivedMessage[] = [];
    for (let i = 0; i < frame.length; i++) {
      out.push(...d.push(frame.subarray(i, i + 1)));
      if (i < frame.length - 1) expect(d.bufferedBytes).toBe(i + 1);
    }
    expect(out.map(summary)).toEqual([summary(m)]);
  });

  it("random bytes give FrameError or messages, never another exception (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 12 }), fc.boolean(), fc.integer({ min: 1, max: 70000 }), (chunks, strikes, max) => {
        const struck: FrameError[] = [];
        const d = new FrameDecoder({ maxBodyLength: max, onStrike: strikes ? (e) => struck.push(e) : undefined });
        for (const c of chunks) {
          try {
            const ms = d.push(c);
            for (const m of ms) expect(m.tag).toBeLessThanOrEqual(0xffff);
          } catch (e) {
            expect(e).toBeInstanceOf(FrameError);
          }
        }
        for (const e of struck) expect([5, 10]).toContain(e.strikeWeight);
      }),
      { numRuns: 500 },
    );
  });

  it("a truncated stream yields the whole frames and buffers the rest (property)", () => {
    fc.assert(
      fc.property(fc.array(arbMessage, { minLength: 1, maxLength: 8 }), fc.nat(), (messages, cut) => {
        const frames = messages.map(encodeTcpFrame);
        const stream = concat(frames);
        const at = cut % stream.length;
        const d = new FrameDecoder();
        const got = d.push(stream.subarray(0, at));
        let whole = 0;
        let sum = 0;
        for (const f of frames) {
          if (sum + f.length > at) break;
          sum += f.length;
          whole++;
        }
        expect(got.length).toBe(whole);
        expect(d.bufferedBytes).toBe(at - sum);
      }),
    );
  });

  it("decodes to DarkRiftMessage instances of one shape with a channel flag, whole or split", () => {
    const ping = DarkRiftMessage.ping(3, new Uint8Array([1]), 0xbeef);
    const frames = concat([encodeTcpFrame(new DarkRiftMessage(1, new Uint8Array([7]))), encodeTcpFrame(ping)]);
    for (const chunks of [[frames], split(frames, [5, 9, 14])]) {
      const decoder = new FrameDecoder();
      const [a, b] = chunks.flatMap((c) => decoder.push(c));
      for (const m of [a!, b!]) {
        expect(m).toBeInstanceOf(DarkRiftMessage);
        expect(m.reliable).toBe(true);
        expect(Object.keys(m)).toEqual(["tag", "payload", "flags", "pingCode", "reliable"]);
      }
      expect([a!.tag, a!.isPing, b!.isPing, b!.pingCode, b!.makePingAcknowledgement().pingCode]).toEqual([1, false, true, 0xbeef, 0xbeef]);
      expect(String(b)).toBe("DarkRiftMessage(ping tag=3 code=48879 1 bytes)");
    }
  });

  it("receivedMessage checks its values like the DarkRiftMessage constructor", () => {
    expect(receivedMessage(7, new Uint8Array(1), 0x40, 9, false)).toMatchObject({ tag: 7, flags: 0x40, pingCode: 9, reliable: false });
    expect(receivedMessage(7, new Uint8Array(0), 0, 0, true)).toBeInstanceOf(DarkRiftMessage);
    expect(() => receivedMessage(65536, new Uint8Array(0), 0, 0, true)).toThrow(DarkRiftEncodeError);
    expect(() => receivedMessage(1, new Uint8Array(0), 256, 0, true)).toThrow(DarkRiftEncodeError);
    expect(() => receivedMessage(1, new Uint8Array(0), 0, 5, true)).toThrow(DarkRiftEncodeError);
    expect(() => receivedMessage(1, "x" as unknown as Uint8Array, 0, 0, true)).toThrow(DarkRiftEncodeError);
  });

  it("gives zero-copy payload views when a frame is inside one chunk", () => {
    const chunk = concat([encodeTcpFrame(new DarkRiftMessage(1, new Uint8Array([7, 8, 9]))), encodeTcpFrame(new DarkRiftMessage(2))]);
    const [a, b] = new FrameDecoder().push(chunk);
    expect(a!.payload.buffer).toBe(chunk.buffer);
    expect(a!.payload.byteOffset).toBe(7);
    expect(Array.from(a!.payload)).toEqual([7, 8, 9]);
    expect(b!.tag).toBe(2);
  });

  it("refuses an oversize length before buffering any body byte (strike 10), then skips the body", () => {
    const struck: FrameError[] = [];
    const d = new FrameDecoder({ onStrike: (e) => struck.push(e) });
    // Header announcing 65535 bytes (the default limit is exclusive, like C#'s >= check).
    expect(d.push(unhex("0000ffff"))).toEqual([]);
    expect(struck).toHaveLength(1);
    expect(struck[0]!.code).toBe("BODY_TOO_LONG");
    expect(struck[0]!.strikeWeight).toBe(StrikeWeight.BodyTooLong);
    expect(struck[0]!.offset).toBe(0);
    // The body is discarded as it arrives, nothing is held.
    d.push(new Uint8Array(40000));
    expect(d.bufferedBytes).toBe(0);
    d.push(new Uint8Array(25535));
    expect(d.bufferedBytes).toBe(0);
    // The stream is back in step.
    const [m] = d.push(encodeTcpFrame(new DarkRiftMessage(3, new Uint8Array([1]))));
    expect(m!.tag).toBe(3);
  });

  it("accepts a body of maxBodyLength - 1", () => {
    const d = new FrameDecoder({ maxBodyLength: 10 });
    expect(d.push(encodeTcpFrame(new DarkRiftMessage(1, new Uint8Array(6))))).toHaveLength(1);
    expect(() => d.push(encodeTcpFrame(new DarkRiftMessage(1, new Uint8Array(7))))).toThrow(/limit is 9/);
  });

  it("without onStrike an oversize header throws and fails the decoder", () => {
    const d = new FrameDecoder();
    expect(() => d.push(unhex("7fffffff"))).toThrow(FrameError);
    expect(d.error?.code).toBe("BODY_TOO_LONG");
    try {
      d.push(unhex("00"));
      expect.unreachable();
    } catch (e) {
      expect((e as FrameError).code).toBe("DECODER_FAILED");
    }
  });

  it("drops a body shorter than its header with strike 5 and goes on", () => {
    const struck: FrameError[] = [];
    const d = new FrameDecoder({ onStrike: (e) => struck.push(e) });
    const out = d.push(concat([unhex("00000002aabb"), unhex("00000003400001"), encodeTcpFrame(new DarkRiftMessage(9))]));
    expect(out.map((m) => m.tag)).toEqual([9]);
    expect(struck.map((e) => [e.code, e.strikeWeight, e.offset])).toEqual([
      ["HEADER_TOO_SHORT", 5, 4],
      ["HEADER_TOO_SHORT", 5, 10],
    ]);
  });

  it.each([
    ["00000000", "EMPTY_BODY"],
    ["ffffffff", "NEGATIVE_LENGTH"],
    ["80000000", "NEGATIVE_LENGTH"],
  ])("treats length %s as fatal (%s) even with onStrike", (h, code) => {
    const struck: FrameError[] = [];
    const d = new FrameDecoder({ onStrike: (e) => struck.push(e) });
    const before = encodeTcpFrame(new DarkRiftMessage(1));
    expect(d.push(before)).toHaveLength(1);
    try {
      d.push(unhex(h));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(FrameError);
      expect((e as FrameError).code).toBe(code);
      expect((e as FrameError).fatal).toBe(true);
      expect((e as FrameError).offset).toBe(before.length);
    }
    expect(struck).toEqual([]);
  });

  it("reports stream offsets across chunks", () => {
    const struck: FrameError[] = [];
    const d = new FrameDecoder({ onStrike: (e) => struck.push(e) });
    d.push(encodeTcpFrame(new DarkRiftMessage(1, new Uint8Array(10)))); // 17 bytes
    d.push(unhex("0000"));
    d.push(unhex("0001ff"));
    expect(struck[0]!.offset).toBe(21); // body offset of the 1-byte frame starting at 17
  });
});
