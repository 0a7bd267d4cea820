import { describe, expect, it } from "vitest";
import { DarkRiftEncodeError, DarkRiftError, DarkRiftReader, DarkRiftWriter, type DarkRiftSerializable } from "../src/index.js";
import { hex } from "@darkrift/testkit";

const written = (f: (w: DarkRiftWriter) => void, options?: ConstructorParameters<typeof DarkRiftWriter>[0]): string => {
  const w = new DarkRiftWriter(options);
  f(w);
  return hex(w.toBytes());
};

function expectEncodeError(f: () => void, code: string): DarkRiftEncodeError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(DarkRiftEncodeError);
    expect(e).toBeInstanceOf(DarkRiftError);
    expect((e as DarkRiftEncodeError).code).toBe(code);
    return e as DarkRiftEncodeError;
  }
  throw new Error("expected a DarkRiftEncodeError");
}

describe("DarkRiftWriter range checks", () => {
  const bad: [string, (w: DarkRiftWriter) => void][] = [
    ["byte 256", (w) => w.writeByte(256)],
    ["byte -1", (w) => w.writeByte(-1)],
    ["byte 1.5", (w) => w.writeByte(1.5)],
    ["byte NaN", (w) => w.writeByte(NaN)],
    ["sbyte 128", (w) => w.writeSByte(128)],
    ["sbyte -129", (w) => w.writeSByte(-129)],
    ["int16 32768", (w) => w.writeInt16(32768)],
    ["uint16 65536", (w) => w.writeUInt16(65536)],
    ["uint16 -1", (w) => w.writeUInt16(-1)],
    ["int32 2^31", (w) => w.writeInt32(2 ** 31)],
    ["int32 Infinity", (w) => w.writeInt32(Infinity)],
    ["uint32 2^32", (w) => w.writeUInt32(2 ** 32)],
    ["uint32 -1", (w) => w.writeUInt32(-1)],
    ["int64 2^63", (w) => w.writeInt64(2n ** 63n)],
    ["int64 -2^63-1", (w) => w.writeInt64(-(2n ** 63n) - 1n)],
    ["int64 unsafe number", (w) => w.writeInt64(2 ** 53)],
    ["int64 fraction", (w) => w.writeInt64(0.5)],
    ["uint64 -1n", (w) => w.writeUInt64(-1n)],
    ["uint64 2^64", (w) => w.writeUInt64(2n ** 64n)],
    ["uint64 -1", (w) => w.writeUInt64(-1)],
    ["int32[] with a bad element", (w) => w.writeInt32s([1, 2, 2 ** 40])],
    ["uint64[] with a bad element", (w) => w.writeUInt64s([1n, -5n])],
    ["byte[] from numbers with a bad element", (w) => w.writeBytes([1, 300])],
  ];
  for (const [name, f] of bad) {
    it(`rejects ${name} with OUT_OF_RANGE and writes nothing`, () => {
      const w = new DarkRiftWriter();
      w.writeInt32(7);
      expectEncodeError(() => f(w), "OUT_OF_RANGE");
      expect(hex(w.toBytes())).toBe("00000007");
    });
  }

  it("names the index of a bad array element", () => {
    const e = expectEncodeError(() => new DarkRiftWriter().writeInt16s([1, 2, 40000]), "OUT_OF_RANGE");
    expect(e.message).toContain("index 2");
  });

  it("rejects values of the wrong JS type with BAD_VALUE (or OUT_OF_RANGE for integers)", () => {
    const w = new DarkRiftWriter();
    expectEncodeError(() => w.writeString(5 as unknown as string), "BAD_VALUE");
    expectEncodeError(() => w.writeBoolean(1 as unknown as boolean), "BAD_VALUE");
    expectEncodeError(() => w.writeSingle("1" as unknown as number), "BAD_VALUE");
    expectEncodeError(() => w.writeInt64("1" as unknown as bigint), "BAD_VALUE");
    expectEncodeError(() => w.writeInt32(1n as unknown as number), "OUT_OF_RANGE");
    expectEncodeError(() => w.writeChar("AB"), "BAD_VALUE");
    expectEncodeError(() => w.writeChar(""), "BAD_VALUE");
    expectEncodeError(() => w.writeChar("\u{1F600}"), "BAD_VALUE"); // two code units: not a .NET char
    expectEncodeError(() => w.writeInt32s(null as unknown as number[]), "BAD_VALUE");
    expectEncodeError(() => w.writeBooleans([true, 0 as unknown as boolean]), "BAD_VALUE");
    expect(w.length).toBe(0);
  });

  it("refuses an array that grows while it is written (an accessor element), writing nothing", () => {
    const writes: [string, (w: DarkRiftWriter, a: unknown[]) => void, unknown][] = [
      ["Int32", (w, a) => w.writeInt32s(a as number[]), 1],
      ["Double", (w, a) => w.writeDoubles(a as number[]), 1.5],
      ["Int64", (w, a) => w.writeInt64s(a as bigint[]), 1n],
      ["Boolean", (w, a) => w.writeBooleans(a as boolean[]), true],
    ];
    for (const [type, write, value] of writes) {
      const a = [value, value, value];
      Object.defineProperty(a, 1, { get: () => (a.push(value), value), enumerable: true, configurable: true });
      const w = new DarkRiftWriter();
      w.writeByte(7);
      const e = expectEncodeError(() => write(w, a), "BAD_VALUE");
      expect(e.message).toBe(`the ${type} array changed length while being written`);
      expect(w.toBytes()).toEqual(new Uint8Array([7]));
    }
  });

  it("leaves the writer unchanged when a string array or a serializable fails halfway", () => {
    const w = new DarkRiftWriter();
    w.writeByte(1);
    expectEncodeError(() => w.writeStrings(["ok", 3 as unknown as string]), "BAD_VALUE");
    const failing: DarkRiftSerializable = {
      serialize(wr) {
        wr.writeInt32(1);
        wr.writeByte(999);
      },
      deserialize() {},
    };
    expectEncodeError(() => w.writeSerializable(failing), "OUT_OF_RANGE");
    expectEncodeError(() => w.writeSerializables([failing]), "OUT_OF_RANGE");
    expect(hex(w.toBytes())).toBe("01");
  });
});

describe("DarkRiftWriter encodings", () => {
  it("writes 64-bit numbers exactly like the same bigint", () => {
    for (const n of [0, 1, -1, 2 ** 32, -(2 ** 32), 2 ** 53 - 1, -(2 ** 53 - 1), 123456789012345, -987654321098]) {
      expect(written((w) => w.writeInt64(n))).toBe(written((w) => w.writeInt64(BigInt(n))));
      if (n >= 0) expect(written((w) => w.writeUInt64(n))).toBe(written((w) => w.writeUInt64(BigInt(n))));
    }
    expect(written((w) => w.writeInt64s([-1, 1n]))).toBe("00000002ffffffffffffffff0000000000000001");
  });

  it("canonicalises NaN like .NET and keeps -0", () => {
    expect(written((w) => w.writeSingle(NaN))).toBe("ffc00000");
    expect(written((w) => w.writeDouble(NaN))).toBe("fff8000000000000");
    expect(written((w) => w.writeSingles([NaN, -0]))).toBe("00000002ffc0000080000000");
    expect(written((w) => w.writeDoubles([NaN]))).toBe("00000001fff8000000000000");
    expect(written((w) => w.writeSingle(-0))).toBe("80000000");
  });

  it("replaces lone surrogates as .NET's encoders do", () => {
    expect(written((w) => w.writeString("a\ud800b"))).toBe("000000066100fdff6200");
    expect(written((w) => w.writeString("\udc00"))).toBe("00000002fdff");
    expect(written((w) => w.writeString("x\ud83d"))).toBe("000000047800fdff");
    expect(written((w) => w.writeString("a\ud800", "utf8"))).toBe("0000000461efbfbd");
    expect(written((w) => w.writeString("é\u{1F600}\ud800!", "ascii"))).toBe("000000043f3f3f21");
  });

  it("uses the writer's encoding by default and a per-call override", () => {
    expect(written((w) => w.writeString("hé"), { encoding: "utf8" })).toBe("0000000368c3a9");
    expect(written((w) => w.writeString("hé", "utf16le"), { encoding: "utf8" })).toBe("000000046800e900");
    expect(written((w) => w.writeChar("A"), { encoding: "ascii" })).toBe("0000000141");
    const w = new DarkRiftWriter();
    w.encoding = "utf8";
    w.writeStrings(["é"]);
    expect(hex(w.toBytes())).toBe("0000000100000002c3a9");
    expect(() => new DarkRiftWriter({ encoding: "latin1" as "utf8" })).toThrow(TypeError);
  });

  it("grows by doubling and keeps earlier bytes", () => {
    const w = new DarkRiftWriter({ initialCapacity: 2 });
    for (let i = 0; i < 1000; i++) w.writeInt32(i);
    w.writeString("x".repeat(5000), "utf8");
    const r = new DarkRiftReader(w.toBytes());
    for (let i = 0; i < 1000; i++) expect(r.readInt32()).toBe(i);
    expect(r.readString("utf8")).toBe("x".repeat(5000));
    expect(w.length).toBe(4000 + 4 + 5000);
  });

  it("toBytes is a view; reset reuses the buffer", () => {
    const w = new DarkRiftWriter();
    w.writeInt32(1);
    const a = w.toBytes();
    expect(a.buffer).toBe(w.toBytes().buffer);
    w.reset().writeByte(9);
    expect(hex(w.toBytes())).toBe("09");
    expect(a[0]).toBe(9); // the old view sees the reused buffer
  });

  it("writeBytes takes a Uint8Array subarray or numbers; writeRaw takes offset and length", () => {
    const src = new Uint8Array([9, 1, 2, 3, 9]);
    expect(written((w) => w.writeBytes(src.subarray(1, 4)))).toBe("00000003010203");
    expect(written((w) => w.writeBytes([1, 255]))).toBe("0000000201ff");
    expect(written((w) => w.writeRaw(src, 1, 3))).toBe("010203");
    expect(written((w) => w.writeRaw(src, 4))).toBe("09");
    expectEncodeError(() => new DarkRiftWriter().writeRaw(src, 3, 3), "OUT_OF_RANGE");
    expectEncodeError(() => new DarkRiftWriter().writeRaw([1] as unknown as Uint8Array), "BAD_VALUE");
  });

  it("packs bools MSB-first even over a reused (dirty) buffer", () => {
    const w = new DarkRiftWriter();
    w.writeInt32s([-1, -1, -1]);
    w.reset();
    w.writeBooleans([true, false, true]);
    expect(hex(w.toBytes())).toBe("00000003a0");
    w.reset();
    w.writeBooleans(Array.from({ length: 16 }, (_, i) => i % 2 === 0));
    expect(hex(w.toBytes())).toBe("00000010aaaa");
  });

  it("reserve() hands out checked space for code generators", () => {
    const w = new DarkRiftWriter({ initialCapacity: 4 });
    w.writeByte(1);
    const p = w.reserve(8); // grows the buffer: fetch the view after reserving
    expect(p).toBe(1);
    w.dataView.setInt32(p, -1);
    w.dataView.setInt32(p + 4, 2);
    w.buffer[w.length - 1] = 3;
    w.writeByte(4);
    expect(hex(w.toBytes())).toBe("01ffffffff0000000304");
    expectEncodeError(() => w.reserve(-1), "OUT_OF_RANGE");
    expectEncodeError(() => w.reserve(1.5), "OUT_OF_RANGE");
    expect(w.length).toBe(10);
  });
});
