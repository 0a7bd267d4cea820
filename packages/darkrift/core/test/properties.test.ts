import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  DarkRiftDecodeError,
  DarkRiftReader,
  DarkRiftWriter,
  type DarkRiftEncoding,
  type DarkRiftSerializable,
} from "../src/index.js";

const wellFormed = (s: string): string => (s as unknown as { toWellFormed(): string }).toWellFormed();

class Point implements DarkRiftSerializable {
  x = 0;
  name = "";
  tags: bigint[] = [];
  serialize(w: DarkRiftWriter): void {
    w.writeInt32(this.x);
    w.writeString(this.name);
    w.writeInt64s(this.tags);
  }
  deserialize(r: DarkRiftReader): void {
    this.x = r.readInt32();
    this.name = r.readString();
    this.tags = r.readInt64s();
  }
}

const int64 = fc.oneof(fc.constantFrom(-(2n ** 63n), 2n ** 63n - 1n, 0n, -1n), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }));
const uint64 = fc.oneof(fc.constantFrom(0n, 2n ** 64n - 1n, 2n ** 63n), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }));
/** Any string of UTF-16 code units, lone surrogates and NUL included. */
const anyText = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 40 });
const text = fc.oneof(fc.string({ unit: "binary", maxLength: 40 }), fc.constantFrom("", "\0", "a\0b", "\u{1F600}", "\ufeff"));
const asciiText = fc.string({ unit: "binary-ascii", maxLength: 40 });
const f32 = fc.float(); // includes NaN, ±0, ±Infinity
const f64 = fc.double();

/** A value of one type, with how to write and read it and what reads back. */
interface Op {
  write(w: DarkRiftWriter): void;
  read(r: DarkRiftReader): unknown;
  expected: unknown;
}
const op = <T>(arb: fc.Arbitrary<T>, write: (w: DarkRiftWriter, v: T) => void, read: (r: DarkRiftReader) => unknown, expected: (v: T) => unknown = (v) => v): fc.Arbitrary<Op> =>
  arb.map((v) => ({ write: (w) => write(w, v), read, expected: expected(v) }));

const ops: Record<string, fc.Arbitrary<Op>> = {
  Boolean: op(fc.boolean(), (w, v) => w.writeBoolean(v), (r) => r.readBoolean()),
  Byte: op(fc.integer({ min: 0, max: 255 }), (w, v) => w.writeByte(v), (r) => r.readByte()),
  SByte: op(fc.integer({ min: -128, max: 127 }), (w, v) => w.writeSByte(v), (r) => r.readSByte()),
  Int16: op(fc.integer({ min: -32768, max: 32767 }), (w, v) => w.writeInt16(v), (r) => r.readInt16()),
  UInt16: op(fc.integer({ min: 0, max: 65535 }), (w, v) => w.writeUInt16(v), (r) => r.readUInt16()),
  Int32: op(fc.integer(), (w, v) => w.writeInt32(v), (r) => r.readInt32()),
  UInt32: op(fc.nat({ max: 0xffffffff }), (w, v) => w.writeUInt32(v), (r) => r.readUInt32()),
  Int64: op(int64, (w, v) => w.writeInt64(v), (r) => r.readInt64()),
  Int64Number: op(fc.maxSafeInteger(), (w, v) => w.writeInt64(v), (r) => r.readInt64(), (v) => BigInt(v)),
  UInt64: op(uint64, (w, v) => w.writeUInt64(v), (r) => r.readUInt64()),
  Single: op(f32, (w, v) => w.writeSingle(v), (r) => r.readSingle()),
  SingleFromDouble: op(f64, (w, v) => w.writeSingle(v), (r) => r.readSingle(), (v) => Math.fround(v)),
  Double: op(f64, (w, v) => w.writeDouble(v), (r) => r.readDouble()),
  String: op(text, (w, v) => w.writeString(v), (r) => r.readString()),
  StringUtf8: op(text, (w, v) => w.writeString(v, "utf8"), (r) => r.readString("utf8")),
  StringAscii: op(asciiText, (w, v) => w.writeString(v, "ascii"), (r) => r.readString("ascii")),
  Chars: op(text, (w, v) => w.writeChars(v), (r) => r.readChars()),
  Booleans: op(fc.array(fc.boolean(), { maxLength: 40 }), (w, v) => w.writeBooleans(v), (r) => r.readBooleans()),
  Bytes: op(fc.uint8Array({ maxLength: 40 }), (w, v) => w.writeBytes(v), (r) => r.readBytes().slice()),
  SBytes: op(fc.array(fc.integer({ min: -128, max: 127 })), (w, v) => w.writeSBytes(v), (r) => r.readSBytes()),
  Int16s: op(fc.array(fc.integer({ min: -32768, max: 32767 })), (w, v) => w.writeInt16s(v), (r) => r.readInt16s()),
  UInt16s: op(fc.array(fc.integer({ min: 0, max: 65535 })), (w, v) => w.writeUInt16s(v), (r) => r.readUInt16s()),
  Int32s: op(fc.array(fc.integer()), (w, v) => w.writeInt32s(v), (r) => r.readInt32s()),
  UInt32s: op(fc.array(fc.nat({ max: 0xffffffff })), (w, v) => w.writeUInt32s(v), (r) => r.readUInt32s()),
  Int64s: op(fc.array(int64), (w, v) => w.writeInt64s(v), (r) => r.readInt64s()),
  UInt64s: op(fc.array(uint64), (w, v) => w.writeUInt64s(v), (r) => r.readUInt64s()),
  Singles: op(fc.array(f32), (w, v) => w.writeSingles(v), (r) => r.readSingles()),
  Doubles: op(fc.array(f64), (w, v) => w.writeDoubles(v), (r) => r.readDoubles()),
  Raw: op(fc.uint8Array({ maxLength: 20 }), (w, v) => {
    w.writeInt32(v.length);
    w.writeRaw(v);
  }, (r) => r.readRaw(r.readInt32()).slice()),
  Serializable: op(fc.record({ x: fc.integer(), name: text, tags: fc.array(int64, { maxLength: 4 }) }), (w, v) => w.writeSerializable(Object.assign(new Point(), v)), (r) => ({ ...r.readSerializable(Point) })),
  Serializables: op(fc.array(fc.record({ x: fc.integer(), name: text, tags: fc.array(int64, { maxLength: 4 }) }), { maxLength: 5 }), (w, v) => w.writeSerializables(v.map((p) => Object.assign(new Point(), p))), (r) => r.readSerializables(Point).map((p) => ({ ...p }))),
};

// Ops with a per-call encoding write a uint16 marker first so the read side knows which one to use.
ops.Char = op(fc.tuple(fc.integer({ min: 0, max: 0xffff }).filter((c) => c < 0xd800 || c > 0xdfff), fc.constantFrom<DarkRiftEncoding>("utf16le", "utf8")), (w, [c, e]) => {
  w.writeUInt16(e === "utf8" ? 1 : 0);
  w.writeChar(String.fromCharCode(c), e);
}, (r) => r.readChar(r.readUInt16() === 1 ? "utf8" : "utf16le"), (v) => String.fromCharCode(v[0]));
ops.StringLoneSurrogates = op(fc.tuple(anyText, fc.constantFrom<DarkRiftEncoding>("utf16le", "utf8")), (w, [s, e]) => {
  w.writeUInt16(e === "utf8" ? 1 : 0);
  w.writeString(s, e);
}, (r) => r.readString(r.readUInt16() === 1 ? "utf8" : "utf16le"), (v) => wellFormed(v[0]));
ops.Strings = op(fc.tuple(fc.array(text, { maxLength: 8 }), fc.constantFrom<DarkRiftEncoding>("utf16le", "utf8")), (w, [v, e]) => {
  w.writeUInt16(e === "utf8" ? 1 : 0);
  w.writeStrings(v, e);
}, (r) => r.readStrings(r.readUInt16() === 1 ? "utf8" : "utf16le"), (v) => v[0]);

const anyOp = fc.oneof(...Object.values(ops));

function writeAll(list: Op[]): Uint8Array {
  const w = new DarkRiftWriter({ initialCapacity: 8 });
  for (const o of list) o.write(w);
  return w.toBytes().slice();
}

/** Runs `f`; passes if it returns or throws a DarkRiftDecodeError, fails on any other exception. */
function onlyDecodeErrors(f: () => void): void {
  try {
    f();
  } catch (e) {
    if (!(e instanceof DarkRiftDecodeError)) throw e;
    expect(typeof e.offset).toBe("number");
  }
}

describe("round trips", () => {
  for (const [name, arb] of Object.entries(ops)) {
    it(`${name}: write then read gives the value back`, () => {
      fc.assert(
        fc.property(arb, (o) => {
          const r = new DarkRiftReader(writeAll([o]));
          expect(o.read(r)).toEqual(o.expected);
          expect(r.remaining).toBe(0);
        }),
        { numRuns: 150 },
      );
    });
  }

  it("any sequence of values round-trips in order", () => {
    fc.assert(
      fc.property(fc.array(anyOp, { maxLength: 20 }), (list) => {
        const r = new DarkRiftReader(writeAll(list));
        for (const o of list) expect(o.read(r)).toEqual(o.expected);
        expect(r.remaining).toBe(0);
      }),
      { numRuns: 200 },
    );
  });

  it("strings round-trip in every encoding they can represent", () => {
    fc.assert(
      fc.property(text, asciiText, (s, a) => {
        for (const e of ["utf16le", "utf8"] as const) {
          const w = new DarkRiftWriter({ encoding: e });
          w.writeString(s);
          expect(new DarkRiftReader(w.toBytes(), { encoding: e }).readString()).toBe(s);
        }
        const w = new DarkRiftWriter({ encoding: "ascii" });
        w.writeString(a);
        expect(new DarkRiftReader(w.toBytes(), { encoding: "ascii" }).readString()).toBe(a);
      }),
    );
  });
});

describe("hostile input", () => {
  /** Every read method (the ops' read functions do not depend on the generated value). */
  const readers: ((r: DarkRiftReader) => unknown)[] = [
    ...Object.values(ops).map((arb) => fc.sample(arb, 1)[0]!.read),
    (r) => r.readChar(),
    (r) => r.readChar("utf8"),
    (r) => r.readChars("ascii"),
    (r) => r.readString("ascii"),
    (r) => r.readRaw(r.readByte()),
    (r) => r.readSerializables(Point),
  ];

  it("random bytes give values or DarkRiftDecodeError, never another exception or a hang", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.array(fc.nat({ max: readers.length - 1 }), { minLength: 1, maxLength: 12 }), (bytes, schedule) => {
        const r = new DarkRiftReader(bytes);
        onlyDecodeErrors(() => {
          for (const i of schedule) readers[i]!(r);
        });
        expect(r.position).toBeLessThanOrEqual(bytes.length);
      }),
      { numRuns: 2000 },
    );
  });

  it("random bytes behind a large count prefix fail fast with a count error", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1 << 20, max: 0x7fffffff }), fc.uint8Array({ maxLength: 32 }), fc.nat({ max: readers.length - 1 }), (count, tail, i) => {
        const w = new DarkRiftWriter();
        w.writeInt32(count);
        w.writeRaw(tail);
        onlyDecodeErrors(() => readers[i]!(new DarkRiftReader(w.toBytes())));
      }),
      { numRuns: 500 },
    );
  });

  it("every truncation of valid data throws DarkRiftDecodeError and leaves the failing read's position", () => {
    fc.assert(
      fc.property(fc.array(anyOp, { minLength: 1, maxLength: 10 }), fc.nat(), (list, cut) => {
        const full = writeAll(list);
        if (full.length === 0) return;
        const short = full.subarray(0, cut % full.length);
        const r = new DarkRiftReader(short);
        let failed: unknown;
        try {
          for (const o of list) {
            const before = r.position;
            try {
              o.read(r);
            } catch (e) {
              // Composite ops (a prefix then a value) may have advanced by their prefix only.
              expect(r.position).toBeGreaterThanOrEqual(before);
              throw e;
            }
          }
        } catch (e) {
          failed = e;
        }
        expect(failed).toBeInstanceOf(DarkRiftDecodeError);
      }),
      { numRuns: 1000 },
    );
  });
});
