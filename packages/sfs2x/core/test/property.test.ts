import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ByteReader,
  ByteWriter,
  fromHex,
  readSFSObject,
  SFSArray,
  SFSCodecError,
  SFSObject,
  SFSValueError,
  toHex,
  toTypedJson,
  writeSFSObject,
} from "../src/index.js";
import { treeArb } from "./arbitraries.js";

/** Decodes as the root byte says; returns the value or the SFSCodecError. Anything else is rethrown. */
function tryDecode(bytes: Uint8Array): unknown {
  try {
    return bytes[0] === 0x11 ? SFSArray.newFromBinaryData(bytes) : SFSObject.newFromBinaryData(bytes);
  } catch (e) {
    if (e instanceof SFSCodecError) {
      expect(Number.isInteger(e.offset)).toBe(true);
      expect(e.offset).toBeGreaterThanOrEqual(0);
      expect(e.offset).toBeLessThanOrEqual(bytes.length);
      expect(typeof e.code).toBe("string");
      return e;
    }
    throw e;
  }
}

describe("round trip", () => {
  it("random typed trees round-trip exactly (types, bigint LONGs, NaN, -0, astral strings, __proto__ keys)", () => {
    fc.assert(
      fc.property(treeArb(), (obj) => {
        const bytes = obj.toBinary().slice();
        const back = SFSObject.newFromBinaryData(bytes);
        // toTypedJson keeps every type; toEqual tells -0 from 0 and NaN is the string "NaN".
        expect(toTypedJson(back)).toEqual(toTypedJson(obj));
        expect(toHex(back.toBinary())).toBe(toHex(bytes));
      }),
      { numRuns: 400 },
    );
  });

  it("the low-level writer/reader path gives the same bytes at any offset of a larger buffer", () => {
    fc.assert(
      fc.property(treeArb(), fc.integer({ min: 0, max: 9 }), (obj, pad) => {
        const w = new ByteWriter(16);
        w.skip(pad);
        writeSFSObject(w, obj);
        const out = w.finish();
        expect(toHex(out.subarray(pad))).toBe(toHex(obj.toBinary()));
        const r = new ByteReader(out, pad);
        const back = readSFSObject(r);
        expect(r.remaining).toBe(0);
        expect(toTypedJson(back)).toEqual(toTypedJson(obj));
      }),
      { numRuns: 150 },
    );
  });
});

describe("hostile input", () => {
  it("random bytes give a value or an SFSCodecError, never another exception", () => {
    const input = fc.oneof(
      fc.uint8Array({ maxLength: 64 }),
      fc.tuple(fc.constantFrom(0x11, 0x12), fc.uint8Array({ maxLength: 64 })).map(([t, rest]) => Uint8Array.of(t, ...rest)),
      // plausible header: small count, then noise
      fc
        .tuple(fc.constantFrom(0x11, 0x12), fc.integer({ min: 0, max: 4 }), fc.uint8Array({ maxLength: 64 }))
        .map(([t, n, rest]) => Uint8Array.of(t, 0, n, ...rest)),
    );
    fc.assert(
      fc.property(input, (bytes) => {
        tryDecode(bytes);
      }),
      { numRuns: 3000 },
    );
  });

  it("valid encodings with random byte flips give a value or an SFSCodecError", () => {
    fc.assert(
      fc.property(treeArb(), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }), (obj, flips) => {
        const bytes = obj.toBinary().slice();
        for (const [i, b] of flips) bytes[i % bytes.length] = b;
        const out = tryDecode(bytes);
        if (!(out instanceof SFSCodecError)) expect(out instanceof SFSObject || out instanceof SFSArray).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it("every truncation of a valid encoding fails with TRUNCATED", () => {
    fc.assert(
      fc.property(treeArb(), (obj) => {
        const bytes = obj.toBinary().slice();
        for (let n = 0; n < bytes.length; n++) {
          const out = tryDecode(bytes.subarray(0, n));
          expect(out).toBeInstanceOf(SFSCodecError);
          expect((out as SFSCodecError).code).toBe("TRUNCATED");
        }
      }),
      { numRuns: 80 },
    );
  });

  it("a huge TEXT or BYTE_ARRAY length on a 10-byte input fails at once, before allocating", () => {
    // 10-byte inputs: an SFSArray holding one TEXT whose 4-byte length is 2^31 (0x80000000,
    // negative as int32) or 2^31-1, followed by 2 bytes.
    const neg = tryDecode(fromHex("11000114800000004142")) as SFSCodecError;
    expect([neg.code, neg.offset]).toEqual(["NEGATIVE_LENGTH", 4]);
    const big = tryDecode(fromHex("110001147fffffff4142")) as SFSCodecError;
    expect([big.code, big.offset]).toEqual(["TRUNCATED", 4]);
    // Nothing is allocated from the length: a thousand attempts cost nothing.
    for (let i = 0; i < 1000; i++) expect(tryDecode(fromHex("110001147fffffff4142"))).toBeInstanceOf(SFSCodecError);
    const inObject = tryDecode(fromHex("1200010001731" + "47fffffff00")) as SFSCodecError;
    expect([inObject.code, inObject.offset]).toEqual(["TRUNCATED", 7]);
    const bytes = tryDecode(fromHex("1200010001620a7fffffff")) as SFSCodecError;
    expect([bytes.code, bytes.offset]).toEqual(["TRUNCATED", 7]);
    // Counts are checked against the bytes left before any array is built.
    const ints = tryDecode(fromHex("1200010001610c7fff00000001")) as SFSCodecError;
    expect([ints.code, ints.offset]).toEqual(["TRUNCATED", 7]);
    const entries = tryDecode(fromHex("127fff0001610400000001")) as SFSCodecError;
    expect([entries.code, entries.offset]).toEqual(["TRUNCATED", 1]);
  });
});

describe("nesting limit", () => {
  const nestedArrays = (depth: number): Uint8Array => {
    // depth containers: [[[...]]] with the innermost empty
    const out = new Uint8Array(depth * 3);
    for (let i = 0; i < depth; i++) out.set(i === depth - 1 ? [0x11, 0, 0] : [0x11, 0, 1], i * 3);
    return out;
  };

  it("accepts exactly maxDepth (default 64) and rejects one more, at the offending type byte", () => {
    expect(SFSArray.newFromBinaryData(nestedArrays(64)).size()).toBe(1);
    const e = tryDecode(nestedArrays(65)) as SFSCodecError;
    expect(e).toBeInstanceOf(SFSCodecError);
    expect([e.code, e.offset]).toEqual(["DEPTH_EXCEEDED", 64 * 3]);
    const e2 = tryDecode(nestedArrays(6).slice()) as SFSArray;
    expect(e2).toBeInstanceOf(SFSArray);
    expect(() => SFSArray.newFromBinaryData(nestedArrays(6), { maxDepth: 5 })).toThrow(SFSCodecError);
  });

  it("100000 levels fail cleanly (no stack overflow)", () => {
    const e = tryDecode(nestedArrays(100000)) as SFSCodecError;
    expect(e.code).toBe("DEPTH_EXCEEDED");
  });

  it("encoding stops at maxDepth and on a container that contains itself", () => {
    let o = new SFSObject();
    for (let i = 1; i < 64; i++) o = new SFSObject().putSFSObject("n", o);
    expect(SFSObject.newFromBinaryData(o.toBinary()).size()).toBe(1);
    const deeper = new SFSObject().putSFSObject("n", o);
    expect(() => deeper.toBinary()).toThrow(SFSValueError);
    expect(deeper.toBinary({ maxDepth: 65 }).length).toBeGreaterThan(0);
    const self = new SFSObject();
    self.putSFSObject("me", self);
    try {
      self.toBinary();
      expect.unreachable();
    } catch (err) {
      expect((err as SFSValueError).code).toBe("DEPTH_EXCEEDED");
    }
  });
});
