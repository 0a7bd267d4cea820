import { describe, expect, it } from "vitest";
import { DarkRiftDecodeError, DarkRiftError, DarkRiftReader, DarkRiftWriter, type DarkRiftSerializable } from "../src/index.js";
import { unhex } from "@darkrift/testkit";

function expectDecodeError(f: () => unknown, code: string, offset?: number): DarkRiftDecodeError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(DarkRiftDecodeError);
    expect(e).toBeInstanceOf(DarkRiftError);
    expect((e as DarkRiftDecodeError).code).toBe(code);
    if (offset !== undefined) expect((e as DarkRiftDecodeError).offset).toBe(offset);
    return e as DarkRiftDecodeError;
  }
  throw new Error("expected a DarkRiftDecodeError");
}

class Nothing implements DarkRiftSerializable {
  serialize(): void {}
  deserialize(): void {}
}
class OneByte implements DarkRiftSerializable {
  v = 0;
  serialize(w: DarkRiftWriter): void {
    w.writeByte(this.v);
  }
  deserialize(r: DarkRiftReader): void {
    this.v = r.readByte();
  }
}

/** Every array reader, for the count checks. */
const arrayReaders: [string, (r: DarkRiftReader) => unknown][] = [
  ["readBooleans", (r) => r.readBooleans()],
  ["readBytes", (r) => r.readBytes()],
  ["readSBytes", (r) => r.readSBytes()],
  ["readChars", (r) => r.readChars()],
  ["readString", (r) => r.readString()],
  ["readInt16s", (r) => r.readInt16s()],
  ["readUInt16s", (r) => r.readUInt16s()],
  ["readInt32s", (r) => r.readInt32s()],
  ["readUInt32s", (r) => r.readUInt32s()],
  ["readInt64s", (r) => r.readInt64s()],
  ["readUInt64s", (r) => r.readUInt64s()],
  ["readSingles", (r) => r.readSingles()],
  ["readDoubles", (r) => r.readDoubles()],
  ["readStrings", (r) => r.readStrings()],
  ["readSerializables(OneByte)", (r) => r.readSerializables(OneByte)],
  ["readSerializables(Nothing)", (r) => r.readSerializables(Nothing)],
];

describe("DarkRiftReader bounds", () => {
  const scalars: [string, (r: DarkRiftReader) => unknown, number][] = [
    ["readBoolean", (r) => r.readBoolean(), 1],
    ["readByte", (r) => r.readByte(), 1],
    ["readSByte", (r) => r.readSByte(), 1],
    ["readInt16", (r) => r.readInt16(), 2],
    ["readUInt16", (r) => r.readUInt16(), 2],
    ["readInt32", (r) => r.readInt32(), 4],
    ["readUInt32", (r) => r.readUInt32(), 4],
    ["readInt64", (r) => r.readInt64(), 8],
    ["readUInt64", (r) => r.readUInt64(), 8],
    ["readSingle", (r) => r.readSingle(), 4],
    ["readDouble", (r) => r.readDouble(), 8],
  ];
  for (const [name, read, size] of scalars) {
    it(`${name} on ${size - 1} byte(s) throws END_OF_DATA at the value's offset and keeps the position`, () => {
      const r = new DarkRiftReader(new Uint8Array(2 + size - 1));
      r.position = 2;
      expectDecodeError(() => read(r), "END_OF_DATA", 2);
      expect(r.position).toBe(2);
    });
  }

  for (const [name, read] of arrayReaders) {
    it(`${name}: a count of 2^31-1 on a short buffer fails fast with COUNT_EXCEEDS_DATA, 2^31 (negative) with NEGATIVE_COUNT`, () => {
      const huge = new DarkRiftReader(unhex("7fffffff000000"));
      expectDecodeError(() => read(huge), "COUNT_EXCEEDS_DATA", 0);
      expect(huge.position).toBe(0);
      const negative = new DarkRiftReader(unhex("80000000000000"));
      expectDecodeError(() => read(negative), "NEGATIVE_COUNT", 0);
      const minusOne = new DarkRiftReader(unhex("ffffffff"));
      expectDecodeError(() => read(minusOne), "NEGATIVE_COUNT", 0);
      expectDecodeError(() => read(new DarkRiftReader(unhex("000000"))), "END_OF_DATA", 0);
    });
  }

  it("checks count × element size, not just the count", () => {
    expectDecodeError(() => new DarkRiftReader(unhex("00000002 00000001 000000".replace(/ /g, ""))).readInt32s(), "COUNT_EXCEEDS_DATA");
    expectDecodeError(() => new DarkRiftReader(unhex("00000002 0000000000000001".replace(/ /g, ""))).readInt64s(), "COUNT_EXCEEDS_DATA");
    expectDecodeError(() => new DarkRiftReader(unhex("00000011 ffff".replace(/ /g, ""))).readBooleans(), "COUNT_EXCEEDS_DATA");
    expect(new DarkRiftReader(unhex("00000010ffff")).readBooleans()).toEqual(Array(16).fill(true));
    // Strings need at least their 4-byte prefix each.
    expectDecodeError(() => new DarkRiftReader(unhex("00000002 00000000".replace(/ /g, ""))).readStrings(), "COUNT_EXCEEDS_DATA");
  });

  it("allows a few zero-byte serializables beyond the remaining bytes, and rewinds a failing array", () => {
    expect(new DarkRiftReader(unhex("00000003")).readSerializables(Nothing)).toHaveLength(3);
    const r = new DarkRiftReader(unhex("00000003 0102".replace(/ /g, "")));
    expectDecodeError(() => r.readSerializables(OneByte), "END_OF_DATA", 6);
    expect(r.position).toBe(0);
    const s = new DarkRiftReader(unhex("00000002 00000002 4100 00000004 4100".replace(/ /g, "")));
    expectDecodeError(() => s.readStrings(), "COUNT_EXCEEDS_DATA", 10);
    expect(s.position).toBe(0);
  });

  it("readRaw checks its length", () => {
    const r = new DarkRiftReader(unhex("0102"));
    expectDecodeError(() => r.readRaw(3), "END_OF_DATA", 0);
    expectDecodeError(() => r.readRaw(-1), "NEGATIVE_COUNT", 0);
    expect(Array.from(r.readRaw(2))).toEqual([1, 2]);
    expect(r.readRaw(0)).toHaveLength(0);
  });

  it("position is settable within 0..length only", () => {
    const r = new DarkRiftReader(unhex("00000001"));
    r.position = 4;
    expect(r.remaining).toBe(0);
    expectDecodeError(() => (r.position = 5), "BAD_POSITION");
    expectDecodeError(() => (r.position = -1), "BAD_POSITION");
    r.position = 0;
    expect(r.readInt32()).toBe(1);
  });
});

describe("DarkRiftReader values", () => {
  it("reads only 01 as true, like C#", () => {
    const r = new DarkRiftReader(unhex("01000280ff"));
    expect([r.readBoolean(), r.readBoolean(), r.readBoolean(), r.readBoolean(), r.readBoolean()]).toEqual([true, false, false, false, false]);
  });

  it("reads from a subarray with a byteOffset", () => {
    const backing = unhex("ffff0000002a0000000468006900ff");
    const r = new DarkRiftReader(backing.subarray(2, 14));
    expect(r.length).toBe(12);
    expect(r.readInt32()).toBe(42);
    expect(r.readString()).toBe("hi");
    expect(r.remaining).toBe(0);
  });

  it("readBytes and readRaw are zero-copy views", () => {
    const bytes = unhex("00000002abcd");
    const view = new DarkRiftReader(bytes).readBytes();
    expect(Array.from(view)).toEqual([0xab, 0xcd]);
    bytes[4] = 0x11;
    expect(view[0]).toBe(0x11);
  });

  it("decodes invalid text like .NET (U+FFFD / '?'), never throws, keeps a BOM", () => {
    expect(new DarkRiftReader(unhex("00000003410042")).readString()).toBe("A\ufffd"); // odd UTF-16 byte count
    expect(new DarkRiftReader(unhex("0000000200d8")).readString()).toBe("\ufffd"); // lone high surrogate
    expect(new DarkRiftReader(unhex("00000002c328")).readString("utf8")).toBe("\ufffd(");
    expect(new DarkRiftReader(unhex("0000000341ff42")).readString("ascii")).toBe("A?B");
    expect(new DarkRiftReader(unhex("00000004fffe4100")).readString()).toBe("\ufeffA");
    expect(new DarkRiftReader(unhex("00000004efbbbf41")).readString("utf8")).toBe("\ufeffA");
    const long = "é".repeat(100) + "\u{1F600}";
    const w = new DarkRiftWriter();
    w.writeString(long);
    w.writeString(long, "utf8");
    const r = new DarkRiftReader(w.toBytes());
    expect([r.readString(), r.readString("utf8")]).toEqual([long, long]);
  });

  it("readChar requires exactly one code unit", () => {
    expect(new DarkRiftReader(unhex("000000024100")).readChar()).toBe("A");
    expectDecodeError(() => new DarkRiftReader(unhex("0000000441004200")).readChar(), "BAD_CHAR", 0);
    expectDecodeError(() => new DarkRiftReader(unhex("00000000")).readChar(), "BAD_CHAR", 0);
    expectDecodeError(() => new DarkRiftReader(unhex("000000043dd800de")).readChar(), "BAD_CHAR", 0);
  });

  it("uses the reader's encoding by default", () => {
    const r = new DarkRiftReader(unhex("0000000368c3a9"), { encoding: "utf8" });
    expect(r.encoding).toBe("utf8");
    expect(r.readString()).toBe("hé");
    expect(() => new DarkRiftReader(new Uint8Array(0), { encoding: "utf32" as "utf8" })).toThrow(TypeError);
    expect(() => new DarkRiftReader([1, 2] as unknown as Uint8Array)).toThrow(TypeError);
  });

  it("readSerializable restores the position when deserialize throws", () => {
    const r = new DarkRiftReader(unhex("01"));
    class Two implements DarkRiftSerializable {
      serialize(): void {}
      deserialize(rd: DarkRiftReader): void {
        rd.readByte();
        rd.readByte();
      }
    }
    expectDecodeError(() => r.readSerializable(Two), "END_OF_DATA", 1);
    expect(r.position).toBe(0);
  });

  it("reads numbers the same from the bytes, the scratch or a DataView, at any array length and offset", () => {
    // Short arrays and single values are read without a DataView, long float / 64-bit arrays with one:
    // both sides of every threshold, from an odd byteOffset, must agree with DataView's own reading.
    const ints = [0, 1, -1, 0x7fffffff, -0x80000000, 0x12345678, -0x789abcdf];
    const doubles = [0, -0, 1.5, -2.25, Number.MAX_VALUE, Number.MIN_VALUE, Infinity, -Infinity, NaN, Math.PI];
    const int64s = [0n, -1n, 2n ** 63n - 1n, -(2n ** 63n), 0x0123456789abcdefn, -0x0123456789abcdefn];
    for (const n of [0, 1, 7, 8, 9, 40]) {
      const w = new DarkRiftWriter();
      const pick = <T>(xs: T[]): T[] => Array.from({ length: n }, (_, i) => xs[i % xs.length]!);
      w.writeInt16s(pick(ints).map((v) => (v << 16) >> 16));
      w.writeUInt16s(pick(ints).map((v) => v & 0xffff));
      w.writeInt32s(pick(ints));
      w.writeUInt32s(pick(ints).map((v) => v >>> 0));
      w.writeInt64s(pick(int64s));
      w.writeUInt64s(pick(int64s).map((v) => BigInt.asUintN(64, v)));
      w.writeSingles(pick(doubles));
      w.writeDoubles(pick(doubles));
      w.writeInt16(-2);
      w.writeUInt16(65535);
      w.writeInt32(-3);
      w.writeUInt32(0xfffffffe);
      w.writeInt64(-(2n ** 63n));
      w.writeUInt64(2n ** 64n - 1n);
      w.writeSingle(-1.5);
      w.writeDouble(-0);
      const backing = new Uint8Array(w.length + 3);
      backing.set(w.toBytes(), 3);
      const r = new DarkRiftReader(backing.subarray(3));
      expect(r.readInt16s()).toEqual(pick(ints).map((v) => (v << 16) >> 16));
      expect(r.readUInt16s()).toEqual(pick(ints).map((v) => v & 0xffff));
      expect(r.readInt32s()).toEqual(pick(ints));
      expect(r.readUInt32s()).toEqual(pick(ints).map((v) => v >>> 0));
      expect(r.readInt64s()).toEqual(pick(int64s));
      expect(r.readUInt64s()).toEqual(pick(int64s).map((v) => BigInt.asUintN(64, v)));
      expect(r.readSingles()).toEqual(pick(doubles).map(Math.fround));
      expect(r.readDoubles()).toEqual(pick(doubles));
      expect([r.readInt16(), r.readUInt16(), r.readInt32(), r.readUInt32()]).toEqual([-2, 65535, -3, 0xfffffffe]);
      expect([r.readInt64(), r.readUInt64()]).toEqual([-(2n ** 63n), 2n ** 64n - 1n]);
      expect([r.readSingle(), Object.is(r.readDouble(), -0)]).toEqual([-1.5, true]);
      expect(r.remaining).toBe(0);
    }
  });

  it("reads many single float / 64-bit values the same before and after it makes its DataView", () => {
    const w = new DarkRiftWriter();
    for (let i = 0; i < 40; i++) {
      w.writeDouble(i / 3);
      w.writeInt64(-(2n ** 62n) + BigInt(i));
    }
    const r = new DarkRiftReader(w.toBytes());
    for (let i = 0; i < 40; i++) expect([r.readDouble(), r.readInt64()]).toEqual([i / 3, -(2n ** 62n) + BigInt(i)]);
  });

  it("makes its DataView on first use, once, over exactly its bytes", () => {
    const backing = unhex("ee0000002aff");
    const r = new DarkRiftReader(backing.subarray(1, 5));
    const dv = r.dataView;
    expect(r.dataView).toBe(dv);
    expect([dv.byteOffset, dv.byteLength, dv.getInt32(0)]).toEqual([1, 4, 42]);
  });

  it("take() bounds-checks space for code generators; bytes/dataView are the reader's bytes", () => {
    const backing = unhex("ee0000002a01");
    const r = new DarkRiftReader(backing.subarray(1));
    expect(r.bytes.length).toBe(5);
    const p = r.take(4);
    expect(r.dataView.getInt32(p)).toBe(42);
    expect(r.bytes[r.position]).toBe(1);
    expectDecodeError(() => r.take(2), "END_OF_DATA", 4);
    expectDecodeError(() => r.take(-1), "NEGATIVE_COUNT", 4);
    expect(r.position).toBe(4);
  });
});
