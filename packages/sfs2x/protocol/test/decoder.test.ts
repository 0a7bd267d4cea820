/** PacketDecoder: chunking, limits checked before buffering, zlib bombs, error recovery. */
import { SFSObject } from "@sfs2x/core";
import { zlibSync } from "fflate";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  PacketDecoder,
  PacketError,
  PacketErrorCode,
  decodePacket,
  encodePacket,
  type CodecOptions,
  type Message,
} from "../src/index.js";
import { concat, hex, typed } from "./helpers.js";

function msg(action: number, params: SFSObject): Message {
  return { controller: action === 13 ? 1 : 0, action, params };
}

// A small stream exercising every header form: plain, compressed, 4-byte size, empty params.
const messages: Message[] = [
  msg(29, new SFSObject()),
  msg(7, new SFSObject().putByte("t", 0).putInt("r", 7).putUtfString("m", "x".repeat(60))),
  msg(13, new SFSObject().putUtfString("c", "ping").putInt("r", -1).putSFSObject("p", new SFSObject().putLong("l", 5_000_000_000))),
  msg(4, new SFSObject().putUtfString("n", "Lobby")),
];
const packets = [
  encodePacket(messages[0]!),
  encodePacket(messages[1]!, { compressionThreshold: 0 }),
  encodePacket(messages[2]!, { bigSizeThreshold: 0 }),
  encodePacket(messages[3]!),
];
const stream = concat(packets);
const expected = messages.map((m) => typed(m.params));

function decodeChunks(chunks: Uint8Array[], options?: CodecOptions): Message[] {
  const d = new PacketDecoder(options);
  const out: Message[] = [];
  for (const c of chunks) out.push(...d.push(c));
  expect(d.bufferedBytes).toBe(0);
  return out;
}

function splitAt(bytes: Uint8Array, points: number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  let prev = 0;
  for (const p of [...points, bytes.length]) {
    out.push(bytes.subarray(prev, p));
    prev = p;
  }
  return out;
}

const codeOf = (f: () => unknown): string | undefined => {
  try {
    f();
  } catch (e) {
    if (e instanceof PacketError) return e.code;
    throw e;
  }
  return undefined;
};

describe("PacketDecoder chunking", () => {
  it("the test stream has the header forms it claims", () => {
    expect(packets.map((p) => p[0])).toEqual([0x80, 0xa0, 0x88, 0x80]);
    expect(stream.length).toBeLessThan(200);
  });

  it("one chunk holding every packet", () => {
    const got = decodeChunks([stream]);
    expect(got.map((m) => [m.controller, m.action])).toEqual(messages.map((m) => [m.controller, m.action]));
    expect(got.map((m) => typed(m.params))).toEqual(expected);
  });

  it("one byte at a time", () => {
    const got = decodeChunks(splitAt(stream, Array.from({ length: stream.length - 1 }, (_, i) => i + 1)));
    expect(got.map((m) => typed(m.params))).toEqual(expected);
  });

  it("every single split point and every pair of split points", () => {
    const n = stream.length;
    for (let i = 0; i <= n; i++) {
      expect(decodeChunks(splitAt(stream, [i])).map((m) => typed(m.params))).toEqual(expected);
      for (let j = i; j <= n; j++) {
        const got = decodeChunks(splitAt(stream, [i, j]));
        if (got.length !== 4) throw new Error(`split ${i},${j}: ${got.length} messages`);
      }
    }
  });

  it("random chunkings (property)", () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: stream.length }), { maxLength: 30 }), (cuts) => {
        const got = decodeChunks(splitAt(stream, cuts.sort((a, b) => a - b)));
        expect(got.map((m) => typed(m.params))).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it("reports only completed messages per push, in order", () => {
    const d = new PacketDecoder();
    const cut = packets[0]!.length + 5;
    expect(d.push(stream.subarray(0, cut)).map((m) => m.action)).toEqual([29]);
    expect(d.bufferedBytes).toBe(5);
    expect(d.push(stream.subarray(cut)).map((m) => m.action)).toEqual([7, 13, 4]);
    expect(d.position).toBe(stream.length);
  });

  it("a 4-byte size field split at each position", () => {
    const p = packets[2]!;
    for (let i = 1; i <= 5; i++) {
      const d = new PacketDecoder();
      expect(d.push(p.subarray(0, i))).toEqual([]);
      const got = d.push(p.subarray(i));
      expect(got.map((m) => typed(m.params))).toEqual([expected[2]]);
    }
  });

  it("decodes a packet that lies whole in a chunk from a view (no copy); partial packets are copied", () => {
    const params = new SFSObject().putByteArray("bin", Uint8Array.of(1, 2, 3, 4));
    const packet = encodePacket(msg(13, params)).slice();
    const whole = new PacketDecoder().push(packet)[0]!.params.getByteArray("bin")!;
    expect(whole.buffer).toBe(packet.buffer);
    // Split: the decoder buffered the first part, so changing the caller's chunk afterwards changes nothing.
    const d = new PacketDecoder();
    const first = packet.slice(0, 10);
    expect(d.push(first)).toEqual([]);
    first.fill(0);
    const got = d.push(packet.subarray(10))[0]!.params.getByteArray("bin")!;
    expect(Array.from(got)).toEqual([1, 2, 3, 4]);
    // copyByteArrays gives owned values even from a whole chunk.
    const owned = new PacketDecoder({ copyByteArrays: true }).push(packet)[0]!.params.getByteArray("bin")!;
    expect(owned.buffer).not.toBe(packet.buffer);
  });
});

describe("limits are checked before buffering", () => {
  it("a 600000 size field throws as soon as the size field is complete", () => {
    const header = Uint8Array.of(0x88, 0x00, 0x09, 0x27, 0xc0); // 600000
    const d = new PacketDecoder();
    expect(d.push(header.subarray(0, 4))).toEqual([]);
    expect(d.bufferedBytes).toBe(4);
    let err: unknown;
    try {
      d.push(concat([header.subarray(4), Uint8Array.of(1, 2, 3)]));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PacketError);
    expect((err as PacketError).code).toBe(PacketErrorCode.TOO_LARGE);
    expect((err as PacketError).fatal).toBe(true);
    expect((err as PacketError).offset).toBe(1);
    expect(d.bufferedBytes).toBe(0);
    // The same header with 3 body bytes in one chunk fails the same way.
    expect(codeOf(() => new PacketDecoder().push(concat([header, Uint8Array.of(1, 2, 3)])))).toBe(PacketErrorCode.TOO_LARGE);
    expect(codeOf(() => decodePacket(concat([header, Uint8Array.of(1, 2, 3)])))).toBe(PacketErrorCode.TOO_LARGE);
  });

  it("maxMessageSize is inclusive: 500000 is decoded, 500001 refused (both directions)", () => {
    const build = (n: number): SFSObject => new SFSObject().putByteArray("b", new Uint8Array(n));
    const base = encodePacket(msg(13, build(0)), { compressionThreshold: Infinity }).length - 3;
    const exact = encodePacket(msg(13, build(500000 - base)), { compressionThreshold: Infinity });
    expect(exact.length).toBe(500005);
    expect(exact[0]).toBe(0x88);
    const d = new PacketDecoder();
    const got = [...d.push(exact.subarray(0, 250000)), ...d.push(exact.subarray(250000))];
    expect(got).toHaveLength(1);
    expect(got[0]!.params.getByteArray("b")!.length).toBe(500000 - base);
    expect(codeOf(() => encodePacket(msg(13, build(500001 - base)), { compressionThreshold: Infinity }))).toBe(PacketErrorCode.TOO_LARGE);
    const over = Uint8Array.of(0x88, 0x00, 0x07, 0xa1, 0x21); // 500001
    expect(codeOf(() => new PacketDecoder().push(over))).toBe(PacketErrorCode.TOO_LARGE);
    expect(codeOf(() => new PacketDecoder({ maxMessageSize: 500001 }).push(over))).toBeUndefined();
  });

  it("a 2-byte size over a small maxMessageSize is refused after 3 bytes", () => {
    expect(codeOf(() => new PacketDecoder({ maxMessageSize: 100 }).push(Uint8Array.of(0x80, 0x00, 0x65)))).toBe(PacketErrorCode.TOO_LARGE);
    expect(codeOf(() => new PacketDecoder({ maxMessageSize: 101 }).push(Uint8Array.of(0x80, 0x00, 0x65)))).toBeUndefined();
  });

  it("a negative 4-byte size is refused", () => {
    expect(codeOf(() => new PacketDecoder().push(Uint8Array.of(0x88, 0xff, 0xff, 0xff, 0xfe)))).toBe(PacketErrorCode.TOO_LARGE);
  });

  it("a slow sender announcing a big packet costs only what it sent", () => {
    const d = new PacketDecoder();
    d.push(Uint8Array.of(0x88, 0x00, 0x07, 0xa1, 0x20)); // 500000 announced
    d.push(new Uint8Array(10));
    expect(d.bufferedBytes).toBe(15); // 5 header bytes + 10 body bytes
  });

  it("a zlib bomb (50 MB of zeros in ~50 KB) fails with maxDecompressedSize 1 MB, stopping early", () => {
    const bomb = zlibSync(new Uint8Array(50_000_000), { level: 9 });
    expect(bomb.length).toBeLessThan(100_000);
    const packet = concat([Uint8Array.of(0xa8, (bomb.length >>> 24) & 255, (bomb.length >>> 16) & 255, (bomb.length >>> 8) & 255, bomb.length & 255), bomb]);
    for (const run of [() => decodePacket(packet, { maxDecompressedSize: 1_000_000 }), () => new PacketDecoder({ maxDecompressedSize: 1_000_000 }).push(packet)]) {
      let err: PacketError | undefined;
      try {
        run();
      } catch (e) {
        err = e as PacketError;
      }
      expect(err).toBeInstanceOf(PacketError);
      expect(err!.code).toBe(PacketErrorCode.DECOMPRESSED_TOO_LARGE);
      const stopped = Number(/stopped after (\d+) bytes/.exec(err!.message)?.[1]);
      expect(stopped).toBeGreaterThan(1_000_000);
      expect(stopped).toBeLessThan(3_000_000);
    }
  });

  it("the decompressed limit is inclusive and applies to the one-shot path too", () => {
    const payload = encodePacket(msg(13, new SFSObject().putByteArray("b", new Uint8Array(3000))), { compressionThreshold: 0 });
    const size = decodePacket(payload).params.toBinary().length + 17;
    expect(decodePacket(payload, { maxDecompressedSize: size }).action).toBe(13);
    expect(codeOf(() => decodePacket(payload, { maxDecompressedSize: size - 1 }))).toBe(PacketErrorCode.DECOMPRESSED_TOO_LARGE);
  });
});

describe("errors", () => {
  it("a header without the BINARY flag throws at once with the stream offset, then the decoder stays failed", () => {
    const d = new PacketDecoder();
    expect(d.push(packets[0]!)).toHaveLength(1);
    let err: PacketError | undefined;
    try {
      d.push(Uint8Array.of(0x41));
    } catch (e) {
      err = e as PacketError;
    }
    expect(err?.code).toBe(PacketErrorCode.NOT_BINARY);
    expect(err?.offset).toBe(packets[0]!.length);
    expect(d.failed).toBe(true);
    expect(codeOf(() => d.push(packets[0]!))).toBe(PacketErrorCode.DECODER_FAILED);
    d.reset();
    expect(d.push(packets[0]!)).toHaveLength(1);
  });

  it("messages completed before a fatal error are handed over on the error", () => {
    const d = new PacketDecoder();
    try {
      d.push(concat([packets[0]!, packets[3]!, Uint8Array.of(0x00, 0x00)]));
      expect.unreachable();
    } catch (e) {
      expect((e as PacketError).code).toBe(PacketErrorCode.NOT_BINARY);
      expect((e as PacketError).messages.map((m) => m.action)).toEqual([29, 4]);
    }
  });

  it("a bad packet in the middle: the error carries the ones before, the next push yields the ones after", () => {
    const badZlib = Uint8Array.of(0xa0, 0x00, 0x08, 0x78, 0x9c, 1, 2, 3, 4, 5, 6);
    const chunk = concat([packets[0]!, badZlib, packets[1]!, packets[3]!]);
    const d = new PacketDecoder();
    try {
      d.push(chunk);
      expect.unreachable();
    } catch (e) {
      expect((e as PacketError).code).toBe(PacketErrorCode.BAD_ZLIB);
      expect((e as PacketError).fatal).toBe(false);
      expect((e as PacketError).messages.map((m) => m.action)).toEqual([29]);
    }
    expect(d.failed).toBe(false);
    chunk.fill(0); // the decoder copied what it kept
    expect(d.push(new Uint8Array(0)).map((m) => m.action)).toEqual([7, 4]);
    expect(d.bufferedBytes).toBe(0);
  });

  it("a bad packet split across chunks is skipped the same way", () => {
    const bad = encodePacket(msg(29, new SFSObject())).slice();
    bad[3] = 0x11; // root is an SFSArray, not an SFSObject
    const all = concat([bad, packets[3]!]);
    for (let cut = 1; cut < all.length; cut++) {
      const d = new PacketDecoder();
      const got: number[] = [];
      let errors = 0;
      for (const part of [all.subarray(0, cut), all.subarray(cut), new Uint8Array(0)]) {
        try {
          got.push(...d.push(part).map((m) => m.action));
        } catch (e) {
          expect((e as PacketError).code).toBe(PacketErrorCode.BAD_PAYLOAD);
          errors++;
        }
      }
      expect([errors, got]).toEqual([1, [4]]);
    }
  });

  it("BAD_ROOT for roots without c BYTE, a SHORT, p SFS_OBJECT, in any key order otherwise", () => {
    const frame = (payload: Uint8Array): Uint8Array => concat([Uint8Array.of(0x80, payload.length >> 8, payload.length & 255), payload]);
    const root = (o: SFSObject): Uint8Array => frame(o.toBinary().slice());
    const p = new SFSObject();
    // The Java order p, a, c decodes.
    expect(decodePacket(root(new SFSObject().putSFSObject("p", p).putShort("a", 29).putByte("c", 0))).action).toBe(29);
    // Extra keys (the UDP root's u and i) are ignored.
    expect(decodePacket(root(new SFSObject().putByte("c", 0).putShort("a", 29).putSFSObject("p", p).putInt("u", 1).putLong("i", 2))).action).toBe(29);
    for (const bad of [
      new SFSObject().putInt("c", 0).putShort("a", 29).putSFSObject("p", p),
      new SFSObject().putByte("c", 0).putInt("a", 29).putSFSObject("p", p),
      new SFSObject().putByte("c", 0).putShort("a", 29),
      new SFSObject().putByte("c", 0).putShort("a", 29).putNull("p"),
      new SFSObject(),
    ]) {
      expect(codeOf(() => decodePacket(root(bad)))).toBe(PacketErrorCode.BAD_ROOT);
    }
  });

  it("BAD_ZLIB for a bad header, a truncated stream, a wrong Adler-32, and junk", () => {
    const good = encodePacket(messages[1]!, { compressionThreshold: 0 }).slice();
    const body = good.subarray(3);
    const frame = (b: Uint8Array): Uint8Array => concat([Uint8Array.of(0xa0, b.length >> 8, b.length & 255), b]);
    expect(decodePacket(frame(body)).action).toBe(7);
    const badHeader = body.slice();
    badHeader[1] ^= 1;
    const badAdler = body.slice();
    badAdler[badAdler.length - 1] ^= 1;
    for (const b of [badHeader, body.subarray(0, body.length - 6), badAdler, Uint8Array.of(1, 2, 3), new Uint8Array(0)]) {
      expect(codeOf(() => decodePacket(frame(b)))).toBe(PacketErrorCode.BAD_ZLIB);
    }
  });

  it("one-shot decodePacket: TRUNCATED and TRAILING_BYTES", () => {
    const p = packets[3]!;
    for (let i = 0; i < p.length; i++) expect(codeOf(() => decodePacket(p.subarray(0, i)))).toBe(PacketErrorCode.TRUNCATED);
    expect(codeOf(() => decodePacket(concat([p, Uint8Array.of(0)])))).toBe(PacketErrorCode.TRAILING_BYTES);
  });

  it("setOptions switches options between packets (e.g. the cipher after CryptoManager)", () => {
    const cipher = { key: new Uint8Array(16).fill(7), iv: new Uint8Array(16).fill(9) };
    const enc = encodePacket(messages[3]!, { cipher });
    expect(enc[0]).toBe(0xc0);
    const d = new PacketDecoder();
    expect(codeOf(() => d.push(enc))).toBe(PacketErrorCode.NO_CIPHER);
    d.setOptions({ cipher });
    expect(d.push(enc).map((m) => typed(m.params))).toEqual([expected[3]]);
    expect(d.options.cipher).toBe(cipher);
    d.setOptions({ cipher: null });
    expect(codeOf(() => d.push(enc))).toBe(PacketErrorCode.NO_CIPHER);
  });

  it("encodes the same packet bytes whatever the slab state (returned views are never rewritten)", () => {
    const first = encodePacket(messages[1]!);
    const copy = hex(first);
    for (let i = 0; i < 5000; i++) encodePacket(messages[i % 4]!);
    expect(hex(first)).toBe(copy);
  });
});

describe("a stream that starts like HTTP", () => {
  const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);
  it("an HTTP response gets the WebSocket-port hint, a request the ws:// listener hint (only at stream offset 0)", () => {
    expect(() => new PacketDecoder().push(ascii("HTTP/1.1 400 Bad Request\r\n"))).toThrow(/the peer answered with HTTP: is this a WebSocket port\? use ws:\/\/… instead of tcp:\/\//);
    expect(() => new PacketDecoder().push(ascii("GET /BlueBox/websocket HTTP/1.1\r\n"))).toThrow(/the peer sent an HTTP request/);
    const d = new PacketDecoder();
    expect(() => d.push(ascii("x"))).toThrow(PacketError);
    try {
      new PacketDecoder().push(ascii("Hello"));
    } catch (e) {
      expect(e).toMatchObject({ code: "NOT_BINARY", offset: 0 });
    }
    // Mid-stream, an 'H' is just a desynchronised stream: no HTTP hint.
    const packetThenH = concat([encodePacket(msg(1, new SFSObject())), ascii("H")]);
    let message = "";
    try {
      new PacketDecoder().push(packetThenH);
    } catch (e) {
      message = (e as Error).message;
      expect((e as PacketError).messages).toHaveLength(1);
    }
    expect(message).toMatch(/lacks the BINARY flag/);
    expect(message).not.toMatch(/HTTP/);
  });
});
