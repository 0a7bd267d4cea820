/**
 * The decoder's reads (integers straight from the bytes, a DataView made only on the first float),
 * ASCII strings of every short length, BYTE_ARRAY views of a Node Buffer input, and the
 * ByteWriter's subarray/truncate.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ByteReader, ByteWriter, SFSCodecError, SFSDataType, SFSObject, readSFSObject } from "../src/index.js";

const roundTrip = (o: SFSObject): SFSObject => SFSObject.newFromBinaryData(o.toBinary().slice());

describe("integer and float reads", () => {
  it("LONG values at the safe-integer and int64 edges: numbers when safe, bigints beyond", () => {
    const cases: (number | bigint)[] = [
      0, -1, 1, 2 ** 32, -(2 ** 32), 2 ** 32 - 1, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER,
      2n ** 53n, -(2n ** 53n), 2n ** 53n + 1n, 2n ** 63n - 1n, -(2n ** 63n), -(2n ** 53n) - 1n,
    ];
    for (const v of cases) {
      const back = roundTrip(new SFSObject().putLong("v", v)).getLong("v");
      if (typeof v === "number" || (v >= -(2n ** 53n) + 1n && v <= 2n ** 53n - 1n)) expect(back).toBe(Number(v));
      else expect(back).toBe(v);
    }
    const arr = [2n ** 63n - 1n, -5, -(2n ** 53n), 2 ** 40];
    expect(roundTrip(new SFSObject().putLongArray("a", arr)).getLongArray("a")).toEqual(arr);
  });

  it("the reader's integer methods read big-endian from the bytes", () => {
    const r = new ByteReader(Uint8Array.of(0x80, 0x01, 0xff, 0xfe, 0x80, 0, 0, 1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe));
    expect(r.readInt16()).toBe(-32767);
    expect(r.readUint16()).toBe(0xfffe);
    expect(r.readInt32()).toBe(-2147483647);
    expect(r.readInt64()).toBe(-2);
    expect(r.remaining).toBe(0);
  });

  it("FLOAT and DOUBLE scalars and arrays of any length keep every bit", () => {
    const specials = [0, -0, 1.5, -2.25, NaN, Infinity, -Infinity, 3.4028234663852886e38, 1e-45, Number.MIN_VALUE, Number.MAX_VALUE];
    for (const n of [1, 8, 31, 32, 33, 100]) {
      const doubles = Array.from({ length: n }, (_, i) => specials[i % specials.length]!);
      const floats = doubles.map((d) => Math.fround(Number.isFinite(d) && Math.abs(d) > 3.4e38 ? 1 : d));
      const o = roundTrip(new SFSObject().putDoubleArray("d", doubles).putFloatArray("f", floats).putDouble("x", doubles[n - 1]!).putFloat("y", floats[n - 1]!));
      expect(o.getDoubleArray("d")).toEqual(doubles);
      expect(o.getFloatArray("f")).toEqual(floats);
      expect(Object.is(o.getDouble("x"), doubles[n - 1])).toBe(true);
      expect(Object.is(o.getFloat("y"), floats[n - 1])).toBe(true);
    }
  });

  it("random doubles and floats read back identically", () => {
    fc.assert(
      fc.property(fc.array(fc.double(), { maxLength: 70 }), fc.array(fc.float(), { maxLength: 70 }), (d, f) => {
        const o = roundTrip(new SFSObject().putDoubleArray("d", d).putFloatArray("f", f));
        expect(o.getDoubleArray("d")).toEqual(d);
        expect(o.getFloatArray("f")).toEqual(f);
      }),
      { numRuns: 200 },
    );
  });
});

describe("strings", () => {
  it("ASCII strings of every length up to 100 (one fromCharCode call up to 32, then runs) decode exactly", () => {
    for (let n = 0; n <= 100; n++) {
      const s = Array.from({ length: n }, (_, i) => String.fromCharCode(32 + ((i * 7) % 95))).join("");
      expect(roundTrip(new SFSObject().putUtfString("s", s)).getUtfString("s")).toBe(s);
    }
  });

  it("a non-ASCII byte anywhere in a short string takes the UTF-8 path", () => {
    for (const at of [0, 15, 16, 31, 32, 40]) {
      const s = "a".repeat(at) + "é" + "b".repeat(5);
      expect(roundTrip(new SFSObject().putUtfString("s", s)).getUtfString("s")).toBe(s);
    }
  });
});

describe("BYTE_ARRAY from a Node Buffer input", () => {
  const bytes = new SFSObject().putByteArray("b", Uint8Array.of(1, 2, 3)).toBinary().slice();

  it("is a plain Uint8Array view of the input (zero copy), not a Buffer", () => {
    const input = Buffer.from(bytes);
    const b = SFSObject.newFromBinaryData(input).getByteArray("b")!;
    expect(Object.getPrototypeOf(b)).toBe(Uint8Array.prototype);
    expect(Array.from(b)).toEqual([1, 2, 3]);
    input[input.length - 1] = 9;
    expect(b[2]).toBe(9); // shares memory
  });

  it("with copyByteArrays it is a plain standalone copy", () => {
    const input = Buffer.from(bytes);
    const b = SFSObject.newFromBinaryData(input, { copyByteArrays: true }).getByteArray("b")!;
    expect(Object.getPrototypeOf(b)).toBe(Uint8Array.prototype);
    input.fill(0);
    expect(Array.from(b)).toEqual([1, 2, 3]);
  });
});

describe("decoded objects", () => {
  it("duplicate keys: the last value wins and the object holds each key once", () => {
    // { a: INT 1, b: BOOL true, a: INT 2 }
    const bytes = Uint8Array.of(0x12, 0, 3, 0, 1, 0x61, 4, 0, 0, 0, 1, 0, 1, 0x62, 1, 1, 0, 1, 0x61, 4, 0, 0, 0, 2);
    const o = readSFSObject(new ByteReader(bytes));
    expect(o.getKeys()).toEqual(["a", "b"]);
    expect(o.getInt("a")).toBe(2);
    expect(o.size()).toBe(2);
    o.putInt("c", 3); // still an ordinary, growable object
    expect(roundTrip(o).getKeys()).toEqual(["a", "b", "c"]);
  });

  it("a truncated count is refused before anything is allocated for it", () => {
    try {
      readSFSObject(new ByteReader(Uint8Array.of(0x12, 0x7f, 0xff, 0, 1)));
      expect.unreachable();
    } catch (e) {
      expect((e as SFSCodecError).code).toBe("TRUNCATED");
      expect((e as SFSCodecError).offset).toBe(1);
    }
  });

  it("the types of decoded entries survive", () => {
    const o = roundTrip(new SFSObject().putShort("s", 5).putByte("b", 5).putInt("i", 5));
    expect([o.getType("s"), o.getType("b"), o.getType("i")]).toEqual([SFSDataType.SHORT, SFSDataType.BYTE, SFSDataType.INT]);
  });
});

describe("ByteWriter.subarray and truncate", () => {
  it("subarray is a view of written bytes, relative to the first one; truncate undoes writes", () => {
    const w = new ByteWriter(4);
    w.writeUint32(0x01020304);
    w.writeUint16(0x0506);
    expect(Array.from(w.subarray(1, 3))).toEqual([2, 3]);
    expect(Array.from(w.subarray(4))).toEqual([5, 6]);
    const view = w.subarray(0);
    expect(view.buffer).toBe(w.finish().buffer);
    w.truncate(2);
    expect(w.length).toBe(2);
    w.writeUint8(9);
    expect(Array.from(w.finish())).toEqual([1, 2, 9]);
  });

  it("out-of-range arguments throw RangeError", () => {
    const w = new ByteWriter(4);
    w.writeUint16(1);
    expect(() => w.subarray(0, 3)).toThrow(RangeError);
    expect(() => w.subarray(2, 1)).toThrow(RangeError);
    expect(() => w.subarray(-1)).toThrow(RangeError);
    expect(() => w.truncate(3)).toThrow(RangeError);
    expect(() => w.truncate(-1)).toThrow(RangeError);
    expect(w.length).toBe(2);
  });
});
