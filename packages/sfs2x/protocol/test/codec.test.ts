/**
 * PacketCodec (options resolved once, encodeTo into a caller's writer), PreparedMessage (one
 * encoding per distinct option set) and decoding packets that sit inside larger buffers.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ByteWriter, SFSObject, SFSValueError } from "@sfs2x/core";
import {
  PacketCodec,
  PacketError,
  PacketFlag,
  PreparedMessage,
  createPacketCipher,
  decodePacket,
  encodePacket,
  type CodecOptions,
  type Message,
} from "../src/index.js";
import { messageArb } from "./arbitraries.js";
import { hex, typed } from "./helpers.js";

const cipherKey = { key: Uint8Array.from({ length: 16 }, (_, i) => i), iv: Uint8Array.from({ length: 16 }, (_, i) => 200 - i) };
const optionsArb: fc.Arbitrary<CodecOptions> = fc.record(
  {
    compressionThreshold: fc.constantFrom(0, 64, 1024, Infinity),
    bigSizeThreshold: fc.constantFrom(0, 100, 65335, 65535),
    cipher: fc.constantFrom(null, cipherKey),
  },
  { requiredKeys: [] },
);
const shape = (m: Message): unknown => [m.controller, m.action, typed(m.params)];
const message = (s = "hello"): Message => ({ controller: 1, action: 13, params: new SFSObject().putUtfString("s", s).putInt("n", 7) });

describe("PacketCodec", () => {
  it("encode / encodeTo / decode give exactly the bytes and messages of encodePacket / decodePacket", () => {
    fc.assert(
      fc.property(messageArb, optionsArb, fc.integer({ min: 0, max: 40 }), (m, o, prefix) => {
        const codec = new PacketCodec(o);
        const expected = hex(encodePacket(m, o));
        expect(hex(codec.encode(m))).toBe(expected);
        const w = new ByteWriter(8);
        for (let i = 0; i < prefix; i++) w.writeUint8(i);
        const n = codec.encodeTo(w, m);
        expect(w.length).toBe(prefix + n);
        expect(hex(w.subarray(prefix))).toBe(expected);
        expect(Array.from(w.subarray(0, prefix))).toEqual(Array.from({ length: prefix }, (_, i) => i));
        expect(shape(codec.decode(w.subarray(prefix)))).toEqual(shape(decodePacket(w.subarray(prefix).slice(), o)));
      }),
      { numRuns: 250 },
    );
  });

  it("a payload over bigSizeThreshold without compression gets the 5-byte header in place", () => {
    const codec = new PacketCodec({ compressionThreshold: Infinity, bigSizeThreshold: 10 });
    const w = new ByteWriter(4);
    w.writeUint8(0xee);
    const n = codec.encodeTo(w, message());
    const packet = w.subarray(1);
    expect(packet[0]).toBe(PacketFlag.BINARY | PacketFlag.BIG_SIZE);
    expect(n).toBe(packet.length);
    expect(((packet[1]! << 24) | (packet[2]! << 16) | (packet[3]! << 8) | packet[4]!) >>> 0).toBe(n - 5);
    expect(w.subarray(0, 1)[0]).toBe(0xee);
    expect(codec.decode(packet).params.getUtfString("s")).toBe("hello");
  });

  it("a failed encodeTo leaves the writer as it was", () => {
    const w = new ByteWriter(16);
    w.writeUint16(0xabcd);
    const small = new PacketCodec({ maxMessageSize: 10, compressionThreshold: Infinity });
    expect(() => small.encodeTo(w, message())).toThrow(PacketError);
    const compressedTooBig = new PacketCodec({ maxMessageSize: 10, compressionThreshold: 0 });
    expect(() => compressedTooBig.encodeTo(w, message("z".repeat(500)))).toThrow(PacketError);
    const codec = new PacketCodec();
    expect(() => codec.encodeTo(w, { controller: 300, action: 0, params: new SFSObject() })).toThrow(PacketError);
    const bad = new SFSObject().putIntArray("a", [1, 2]);
    (bad.getIntArray("a") as number[]).push(1.5); // mutated past what INT_ARRAY holds
    expect(() => codec.encodeTo(w, { controller: 1, action: 1, params: bad })).toThrow(SFSValueError);
    expect(hex(w.finish())).toBe("abcd");
    codec.encodeTo(w, message());
    expect(hex(w.subarray(2))).toBe(hex(encodePacket(message())));
  });

  it("setOptions validates first (PacketError BAD_OPTIONS, nothing changed); undefined resets to the default", () => {
    const codec = new PacketCodec({ compressionThreshold: 0 });
    expect(() => codec.setOptions({ compressionLevel: 11 as never })).toThrow(PacketError);
    expect(codec.encode(message())[0]).toBe(PacketFlag.BINARY | PacketFlag.COMPRESSED);
    codec.setOptions({ compressionThreshold: undefined });
    expect(codec.encode(message())[0]).toBe(PacketFlag.BINARY);
    expect(codec.options).toEqual({ compressionThreshold: undefined });
    expect(() => new PacketCodec({ maxDepth: -1 })).toThrow(PacketError);
  });

  it("packets from encode are never rewritten by later ones", () => {
    const codec = new PacketCodec();
    const first = codec.encode(message("first"));
    const copy = first.slice();
    for (let i = 0; i < 2000; i++) codec.encode(message(`n${i}`.repeat(i % 40)));
    expect(hex(first)).toBe(hex(copy));
  });
});

describe("PreparedMessage", () => {
  it("gives the bytes of encodePacket for each option set, encoding once per distinct set", () => {
    fc.assert(
      fc.property(messageArb, fc.array(optionsArb, { minLength: 1, maxLength: 6 }), (m, sets) => {
        const prepared = new PreparedMessage(m);
        const codecs = sets.map((o) => new PacketCodec(o));
        for (let round = 0; round < 2; round++) {
          sets.forEach((o, i) => {
            let expected: string | undefined;
            try {
              expected = hex(encodePacket(m, o));
            } catch {
              expect(() => codecs[i]!.encodePrepared(prepared)).toThrow();
              return;
            }
            expect(hex(codecs[i]!.encodePrepared(prepared))).toBe(expected);
            expect(hex(prepared.packetFor(o))).toBe(expected);
          });
        }
        // Option sets that encode alike share one packet (cipher engines differ per codec).
        const distinct = new Set(sets.map((o, i) => `${o.compressionThreshold ?? 1024}/${o.bigSizeThreshold ?? 65535}/${o.cipher ? `c${i}` : ""}`));
        expect(prepared.encodings).toBeLessThanOrEqual(distinct.size + sets.filter((o) => o.cipher).length);
      }),
      { numRuns: 100 },
    );
  });

  it("connections sharing options share the very same packet", () => {
    const prepared = new PreparedMessage(message());
    const a = new PacketCodec({ compressionThreshold: 2048 });
    const b = new PacketCodec({ compressionThreshold: 2048 });
    const c = new PacketCodec();
    expect(a.encodePrepared(prepared)).toBe(b.encodePrepared(prepared));
    expect(c.encodePrepared(prepared)).not.toBe(a.encodePrepared(prepared));
    expect(prepared.encodings).toBe(2);
    expect(a.encodePrepared(prepared)).toBe(b.encodePrepared(prepared)); // the first one is still cached
    expect(prepared.encodings).toBe(2);
  });

  it("each cipher engine gets its own encoding; codecs sharing an engine (or a key object) share it", () => {
    const engine = createPacketCipher(cipherKey);
    const prepared = new PreparedMessage(message());
    const p1 = new PacketCodec({ cipher: engine }).encodePrepared(prepared);
    const p2 = new PacketCodec({ cipher: engine }).encodePrepared(prepared);
    const p3 = new PacketCodec({ cipher: { key: cipherKey.key.slice(), iv: cipherKey.iv.slice() } }).encodePrepared(prepared);
    const p4 = new PacketCodec({ cipher: { key: cipherKey.iv.slice(), iv: cipherKey.key.slice() } }).encodePrepared(prepared);
    expect(p1).toBe(p2);
    expect(p3).not.toBe(p1);
    expect(hex(p3)).toBe(hex(p1)); // the same key in another object: another engine, the same bytes
    expect(hex(p4)).not.toBe(hex(p1));
    expect(prepared.encodings).toBe(3);
    expect(decodePacket(p1, { cipher: cipherKey }).params.getUtfString("s")).toBe("hello");
  });

  it("an encoding error is remembered and thrown to every codec of that option set, not to others", () => {
    const prepared = new PreparedMessage(message("q".repeat(200)));
    const tight = { maxMessageSize: 50, compressionThreshold: Infinity };
    let first: unknown;
    try {
      new PacketCodec(tight).encodePrepared(prepared);
    } catch (e) {
      first = e;
    }
    expect((first as PacketError).code).toBe("TOO_LARGE");
    expect(() => new PacketCodec(tight).encodePrepared(prepared)).toThrow(first as Error);
    expect(new PacketCodec().encodePrepared(prepared).length).toBeGreaterThan(50);
  });

  it("its packets are standalone copies", () => {
    const p = new PreparedMessage(message()).packetFor();
    expect(p.byteOffset).toBe(0);
    expect(p.buffer.byteLength).toBe(p.length);
  });
});

describe("decoding packets inside larger buffers", () => {
  it("a packet at any offset of a bigger buffer decodes like a standalone copy, errors and offsets included", () => {
    fc.assert(
      fc.property(messageArb, fc.integer({ min: 0, max: 64 }), fc.uint8Array({ maxLength: 8 }), fc.integer({ min: 0, max: 200 }), (m, at, junk, cut) => {
        const packet = encodePacket(m, { compressionThreshold: Infinity }).slice();
        // Corrupt a byte of the payload (or none) to compare the failures too.
        if (junk.length > 0 && packet.length > 3) packet[3 + (cut % (packet.length - 3))] = junk[0]!;
        const big = new Uint8Array(at + packet.length + 5);
        big.set(packet, at);
        const view = big.subarray(at, at + packet.length);
        const outcome = (bytes: Uint8Array): unknown => {
          try {
            return shape(decodePacket(bytes));
          } catch (e) {
            if (!(e instanceof PacketError)) throw e;
            return [e.code, e.offset];
          }
        };
        expect(outcome(view)).toEqual(outcome(packet));
      }),
      { numRuns: 300 },
    );
  });
});
