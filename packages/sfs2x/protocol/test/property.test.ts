/** Property tests: round trips, and hostile input only ever yields messages or PacketError. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PacketDecoder, PacketError, PacketErrorCode, decodePacket, encodePacket, type Message } from "../src/index.js";
import { messageArb } from "./arbitraries.js";
import { concat, typed } from "./helpers.js";

const shape = (m: Message): unknown => [m.controller, m.action, typed(m.params)];

/** Pushes `chunks`; returns the messages, or the PacketError (anything else fails the test). */
function feed(d: PacketDecoder, chunks: Uint8Array[]): { messages: Message[]; errors: PacketError[] } {
  const messages: Message[] = [];
  const errors: PacketError[] = [];
  for (const c of chunks) {
    // After a per-packet error the rest is pending: keep pushing empty chunks until done.
    let next: Uint8Array | undefined = c;
    while (next !== undefined) {
      const chunk: Uint8Array = next;
      next = undefined;
      try {
        messages.push(...d.push(chunk));
      } catch (e) {
        if (!(e instanceof PacketError)) throw e;
        errors.push(e);
        messages.push(...e.messages);
        if (e.fatal || e.code === PacketErrorCode.DECODER_FAILED) return { messages, errors };
        next = new Uint8Array(0);
      }
    }
  }
  return { messages, errors };
}

const chunked = (bytes: Uint8Array): fc.Arbitrary<Uint8Array[]> =>
  fc.uniqueArray(fc.integer({ min: 0, max: bytes.length }), { maxLength: 12 }).map((cuts) => {
    const points = cuts.sort((a, b) => a - b);
    const out: Uint8Array[] = [];
    let prev = 0;
    for (const p of [...points, bytes.length]) {
      out.push(bytes.subarray(prev, p));
      prev = p;
    }
    return out;
  });

const optionsArb = fc.record({
  compressionThreshold: fc.constantFrom(0, 64, 1024, Infinity),
  bigSizeThreshold: fc.constantFrom(0, 65335, 65535),
});

describe("round trips", () => {
  it("random messages: encodePacket → decodePacket gives the same typed content", () => {
    fc.assert(
      fc.property(messageArb, optionsArb, (m, o) => {
        expect(shape(decodePacket(encodePacket(m, o)))).toEqual(shape(m));
      }),
      { numRuns: 300 },
    );
  });

  it("random streams of random messages, randomly chunked, through PacketDecoder", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(messageArb, optionsArb), { minLength: 1, maxLength: 6 }).chain((list) => {
          const stream = concat(list.map(([m, o]) => encodePacket(m, o).slice()));
          return fc.tuple(fc.constant(list.map(([m]) => m)), chunked(stream));
        }),
        ([msgs, chunks]) => {
          const d = new PacketDecoder();
          const got = chunks.flatMap((c) => d.push(c));
          expect(got.map(shape)).toEqual(msgs.map(shape));
          expect(d.bufferedBytes).toBe(0);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe("hostile input", () => {
  it("random bytes, randomly chunked: only messages or PacketError, never a hang", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }).chain(chunked), (chunks) => {
        const r = feed(new PacketDecoder({ maxMessageSize: 1000 }), chunks);
        for (const e of r.errors) expect(Object.values(PacketErrorCode)).toContain(e.code);
      }),
      { numRuns: 500 },
    );
  });

  it("random payloads behind valid headers of every flag combination", () => {
    const cipher = { key: new Uint8Array(16).fill(3), iv: new Uint8Array(16).fill(4) };
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.constantFrom(0x80, 0xa0, 0xc0, 0xe0, 0x90, 0x87, 0x88, 0xa8), fc.uint8Array({ maxLength: 120 })),
          { minLength: 1, maxLength: 5 },
        ),
        fc.boolean(),
        (list, withCipher) => {
          const stream = concat(
            list.map(([flags, body]) =>
              flags & 0x08
                ? concat([Uint8Array.of(flags, 0, 0, body.length >> 8, body.length & 255), body])
                : concat([Uint8Array.of(flags, body.length >> 8, body.length & 255), body]),
            ),
          );
          const r = feed(new PacketDecoder(withCipher ? { cipher } : {}), [stream]);
          // Every packet is well framed: each one gives a message or a per-packet error.
          expect(r.errors.every((e) => !e.fatal)).toBe(true);
          expect(r.messages.length + r.errors.length).toBe(list.length);
          for (const [flags, body] of list) {
            const single = flags & 0x08 ? concat([Uint8Array.of(flags, 0, 0, body.length >> 8, body.length & 255), body]) : concat([Uint8Array.of(flags, body.length >> 8, body.length & 255), body]);
            try {
              decodePacket(single, withCipher ? { cipher } : {});
            } catch (e) {
              expect(e).toBeInstanceOf(PacketError);
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("mutated valid packets (byte flips, truncations): messages or PacketError", () => {
    fc.assert(
      fc.property(messageArb, optionsArb, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { maxLength: 4 }), fc.nat(), (m, o, flips, cut) => {
        const p = encodePacket(m, o).slice();
        for (const [at, x] of flips) p[at % p.length]! ^= x;
        const truncated = p.subarray(0, cut % (p.length + 1));
        for (const bytes of [p, truncated]) {
          try {
            decodePacket(bytes);
          } catch (e) {
            expect(e).toBeInstanceOf(PacketError);
          }
          feed(new PacketDecoder(), [bytes]);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("every truncation of a valid packet: TRUNCATED one-shot, and silently buffered by the stream decoder", () => {
    fc.assert(
      fc.property(messageArb, optionsArb, (m, o) => {
        const p = encodePacket(m, o);
        for (const i of [0, 1, 2, 3, 4, p.length >> 1, p.length - 1]) {
          if (i >= p.length) continue;
          expect(() => decodePacket(p.subarray(0, i))).toThrow(expect.objectContaining({ code: PacketErrorCode.TRUNCATED }));
          const d = new PacketDecoder();
          expect(d.push(p.subarray(0, i))).toEqual([]);
          expect(d.bufferedBytes).toBe(i);
        }
      }),
      { numRuns: 100 },
    );
  });
});
