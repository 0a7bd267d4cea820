import { describe, expect, it } from "vitest";
import {
  ByteReader,
  ByteWriter,
  fromHex,
  hexDump,
  readSFSObject,
  SFS,
  SFSArray,
  SFSCodecError,
  SFSDataType,
  sfsDataTypeFromName,
  sfsDataTypeName,
  SFSObject,
  SFSValueError,
  toHex,
  utf8Length,
  writeSFSObject,
} from "../src/index.js";

function valueError(f: () => unknown): SFSValueError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(SFSValueError);
    return e as SFSValueError;
  }
  throw new Error("no error thrown");
}

const roundTrip = (o: SFSObject): SFSObject => SFSObject.newFromBinaryData(o.toBinary());

describe("SFSDataType", () => {
  it("has the official ids 0..20 and names", () => {
    expect(SFSDataType.NULL).toBe(0);
    expect(SFSDataType.SFS_OBJECT).toBe(18);
    expect(SFSDataType.CLASS).toBe(19);
    expect(SFSDataType.TEXT).toBe(20);
    expect(sfsDataTypeName(8)).toBe("UTF_STRING");
    expect(sfsDataTypeName(21)).toBeUndefined();
    expect(sfsDataTypeFromName("BYTE_ARRAY")).toBe(10);
    expect(sfsDataTypeFromName("nope")).toBeUndefined();
  });
});

describe("SFSObject typed accessors", () => {
  it("newInstance and new both work; every put* has its get*", () => {
    const inner = SFSObject.newInstance().putInt("x", 1);
    const list = SFSArray.newInstance().addUtfString("a");
    const o = new SFSObject()
      .putNull("null")
      .putBool("bool", true)
      .putByte("byte", 255)
      .putShort("short", -32768)
      .putInt("int", -2147483648)
      .putLong("long", -(2n ** 63n))
      .putFloat("float", 1.5)
      .putDouble("double", Math.PI)
      .putUtfString("utf", "héllo")
      .putText("text", "t".repeat(40000))
      .putBoolArray("bools", [true, false])
      .putByteArray("bytes", Uint8Array.of(1, 2, 3))
      .putShortArray("shorts", [1, -1])
      .putIntArray("ints", [7, -7])
      .putLongArray("longs", [1, 2n ** 62n])
      .putFloatArray("floats", [0.5])
      .putDoubleArray("doubles", [0.1])
      .putUtfStringArray("strs", ["a", "😀"])
      .putSFSArray("arr", list)
      .putSFSObject("obj", inner);
    const d = roundTrip(o);
    expect(d.size()).toBe(20);
    expect(d.isNull("null")).toBe(true);
    expect(d.getBool("bool")).toBe(true);
    expect(d.getByte("byte")).toBe(255);
    expect(d.getShort("short")).toBe(-32768);
    expect(d.getInt("int")).toBe(-2147483648);
    expect(d.getLong("long")).toBe(-(2n ** 63n));
    expect(d.getFloat("float")).toBe(1.5);
    expect(d.getDouble("double")).toBe(Math.PI);
    expect(d.getUtfString("utf")).toBe("héllo");
    expect(d.getText("text")).toHaveLength(40000);
    expect(d.getBoolArray("bools")).toEqual([true, false]);
    expect(d.getByteArray("bytes")).toEqual(Uint8Array.of(1, 2, 3));
    expect(d.getShortArray("shorts")).toEqual([1, -1]);
    expect(d.getIntArray("ints")).toEqual([7, -7]);
    expect(d.getLongArray("longs")).toEqual([1, 2n ** 62n]);
    expect(d.getFloatArray("floats")).toEqual([0.5]);
    expect(d.getDoubleArray("doubles")).toEqual([0.1]);
    expect(d.getUtfStringArray("strs")).toEqual(["a", "😀"]);
    expect(d.getSFSArray("arr")!.getUtfString(0)).toBe("a");
    expect(d.getSFSObject("obj")!.getInt("x")).toBe(1);
    expect(d.getKeys()).toEqual(o.getKeys());
    expect(d.getKeysArray()).toEqual(o.getKeys());
  });

  it("generic put/get/getType keep the wire type", () => {
    const o = new SFSObject().put("a", SFSDataType.SHORT, 5).put("b", SFSDataType.INT, 5).put("c", SFSDataType.LONG, 5);
    const d = roundTrip(o);
    expect([d.getType("a"), d.getType("b"), d.getType("c")]).toEqual([SFSDataType.SHORT, SFSDataType.INT, SFSDataType.LONG]);
    expect([d.get("a"), d.get("b"), d.get("c")]).toEqual([5, 5, 5]);
    expect(d.get("missing")).toBeUndefined();
    expect(d.getType("missing")).toBeUndefined();
    expect([...d.entries()].map(([k, t]) => `${k}:${t}`)).toEqual(["a:3", "b:4", "c:5"]);
  });

  it("typed getters: undefined when missing or NULL, TYPE_MISMATCH for another type", () => {
    const o = new SFSObject().putShort("s", 1).putNull("n");
    expect(o.getInt("missing")).toBeUndefined();
    expect(o.getInt("n")).toBeUndefined();
    expect(o.isNull("n")).toBe(true);
    expect(o.isNull("s")).toBe(false);
    expect(o.isNull("missing")).toBe(false);
    const e = valueError(() => o.getInt("s"));
    expect(e.code).toBe("TYPE_MISMATCH");
    expect(e.message).toMatch(/SHORT, not a INT/);
  });

  it("LONG: number when safe, bigint beyond 2^53, exact to 64 bits", () => {
    const o = new SFSObject()
      .putLong("safe", 2n ** 53n - 1n)
      .putLong("big", 2n ** 53n)
      .putLong("neg", -(2n ** 53n))
      .putLong("numBig", 2 ** 60)
      .putLong("max", 2n ** 63n - 1n);
    expect(o.getLong("safe")).toBe(2 ** 53 - 1); // bigint in, number out when safe
    const d = roundTrip(o);
    expect(d.getLong("safe")).toBe(9007199254740991);
    expect(d.getLong("big")).toBe(9007199254740992n);
    expect(d.getLong("neg")).toBe(-9007199254740992n);
    expect(d.getLong("numBig")).toBe(2n ** 60n);
    expect(d.getLong("max")).toBe(9223372036854775807n);
    expect(toHex(new SFSObject().putLong("l", -1).toBinary())).toBe("12000100016c05ffffffffffffffff");
  });

  it("DOUBLE/FLOAT keep NaN, ±Infinity and -0", () => {
    const d = roundTrip(
      new SFSObject().putDouble("nan", NaN).putDouble("inf", -Infinity).putDouble("z", -0).putFloat("fz", -0).putFloat("finf", Infinity),
    );
    expect(d.getDouble("nan")).toBeNaN();
    expect(d.getDouble("inf")).toBe(-Infinity);
    expect(Object.is(d.getDouble("z"), -0)).toBe(true);
    expect(Object.is(d.getFloat("fz"), -0)).toBe(true);
    expect(d.getFloat("finf")).toBe(Infinity);
  });

  it("keys: insertion order, overwrite in place, removeElement, containsKey, __proto__ as data", () => {
    const o = new SFSObject().putInt("b", 1).putInt("a", 2).putInt("b", 3).putInt("__proto__", 4).putInt("constructor", 5);
    expect(o.getKeys()).toEqual(["b", "a", "__proto__", "constructor"]);
    expect(o.getInt("b")).toBe(3);
    expect(o.getInt("__proto__")).toBe(4);
    expect(o.containsKey("toString")).toBe(false);
    expect(o.containsKey("__proto__")).toBe(true);
    expect(o.removeElement("a")).toBe(true);
    expect(o.removeElement("a")).toBe(false);
    expect(o.getKeys()).toEqual(["b", "__proto__", "constructor"]);
    expect(Object.getPrototypeOf(o)).toBe(SFSObject.prototype);
    const d = roundTrip(o);
    expect(d.getInt("__proto__")).toBe(4);
    expect(({} as Record<string, unknown>).b).toBeUndefined();
  });

  it("many keys (indexed lookup), removal and re-put stay consistent", () => {
    const o = new SFSObject();
    for (let i = 0; i < 100; i++) o.putInt(`k${i}`, i);
    expect(o.getInt("k77")).toBe(77);
    o.removeElement("k10");
    expect(o.getInt("k11")).toBe(11);
    expect(o.containsKey("k10")).toBe(false);
    o.putInt("k10", -1);
    expect(o.getKeys().at(-1)).toBe("k10");
    const d = roundTrip(o);
    expect(d.size()).toBe(100);
    expect(d.getInt("k10")).toBe(-1);
    expect(d.getInt("k99")).toBe(99);
  });
});

describe("range and limit checks on write", () => {
  const cases: [string, () => unknown, string][] = [
    ["BYTE 256", () => new SFSObject().putByte("k", 256), "OUT_OF_RANGE"],
    ["BYTE -1", () => new SFSObject().putByte("k", -1), "OUT_OF_RANGE"],
    ["BYTE 1.5", () => new SFSObject().putByte("k", 1.5), "INVALID_VALUE"],
    ["SHORT 32768", () => new SFSObject().putShort("k", 32768), "OUT_OF_RANGE"],
    ["INT 2^31", () => new SFSObject().putInt("k", 2 ** 31), "OUT_OF_RANGE"],
    ["INT NaN", () => new SFSObject().putInt("k", NaN), "INVALID_VALUE"],
    ["INT string", () => new SFSObject().putInt("k", "1" as never), "INVALID_VALUE"],
    ["LONG 2^63", () => new SFSObject().putLong("k", 2n ** 63n), "OUT_OF_RANGE"],
    ["LONG 2^63 as number", () => new SFSObject().putLong("k", 2 ** 63), "OUT_OF_RANGE"],
    ["LONG 0.5", () => new SFSObject().putLong("k", 0.5), "INVALID_VALUE"],
    ["FLOAT 1e39", () => new SFSObject().putFloat("k", 1e39), "OUT_OF_RANGE"],
    ["DOUBLE bigint", () => new SFSObject().putDouble("k", 1n as never), "INVALID_VALUE"],
    ["UTF_STRING 32768 bytes", () => new SFSObject().putUtfString("k", "é".repeat(16384)), "STRING_TOO_LONG"],
    ["key 256 bytes", () => new SFSObject().putInt("é".repeat(128), 1), "KEY_TOO_LONG"],
    ["INT_ARRAY 32768", () => new SFSObject().putIntArray("k", new Array(32768).fill(0)), "COUNT_TOO_LARGE"],
    ["INT_ARRAY element", () => new SFSObject().putIntArray("k", [1, 2 ** 40]), "OUT_OF_RANGE"],
    ["BOOL_ARRAY element", () => new SFSObject().putBoolArray("k", [true, 1 as never]), "INVALID_VALUE"],
    ["UTF_STRING_ARRAY element", () => new SFSObject().putUtfStringArray("k", ["x".repeat(40000)]), "STRING_TOO_LONG"],
    ["SFS_OBJECT plain", () => new SFSObject().putSFSObject("k", {} as never), "INVALID_VALUE"],
    ["CLASS", () => new SFSArray().add(SFSDataType.CLASS as never, null as never), "UNSUPPORTED_TYPE"],
    ["type 99", () => new SFSArray().add(99 as never, null as never), "UNSUPPORTED_TYPE"],
  ];
  it.each(cases)("%s", (_name, f, code) => {
    const e = valueError(f);
    expect(e.code).toBe(code);
    expect(e.message.length).toBeGreaterThan(10);
  });

  it("accepts the edges", () => {
    const o = new SFSObject()
      .putUtfString("s", "é".repeat(16383) + "x") // 32767 bytes
      .putInt("é".repeat(127) + "k", 1) // 255-byte key
      .putFloat("f", 3.4028234663852886e38)
      .putIntArray("a", new Array(32767).fill(1));
    expect(roundTrip(o).getUtfString("s")).toHaveLength(16384);
  });

  it("an array mutated after put is checked again when encoding, and nothing is written", () => {
    const ints = [1, 2];
    const o = new SFSObject().putIntArray("a", ints);
    ints.push(2 ** 40);
    expect(valueError(() => o.toBinary()).code).toBe("INVALID_VALUE");
    ints.pop();
    expect(roundTrip(o).getIntArray("a")).toEqual([1, 2]);
  });

  it("NaN in FLOAT/DOUBLE arrays is accepted; -0 in integer arrays is stored as 0 without touching the caller's array", () => {
    const ints = [1, -0];
    const o = new SFSObject().putDoubleArray("d", [NaN, -0]).putFloatArray("f", [NaN]).putIntArray("i", ints);
    expect(Object.is(ints[1], -0)).toBe(true);
    expect(Object.is(o.getIntArray("i")![1], 0)).toBe(true);
    const d = roundTrip(o);
    expect(d.getDoubleArray("d")![0]).toBeNaN();
    expect(Object.is(d.getDoubleArray("d")![1], -0)).toBe(true);
    expect(d.getFloatArray("f")![0]).toBeNaN();
  });

  it("typed arrays and number lists are accepted as input", () => {
    const o = new SFSObject()
      .putFloatArray("f", Float32Array.of(1, 2))
      .putByteArray("b", [1, 2, 255])
      .putIntArray("i", Int32Array.of(5));
    const d = roundTrip(o);
    expect(d.getFloatArray("f")).toEqual([1, 2]);
    expect(d.getByteArray("b")).toEqual(Uint8Array.of(1, 2, 255));
    expect(d.getIntArray("i")).toEqual([5]);
    expect(valueError(() => new SFSObject().putByteArray("b", [256])).code).toBe("OUT_OF_RANGE");
  });
});

describe("decoding options and inputs", () => {
  const bytes = new SFSObject().putByteArray("b", Uint8Array.of(9, 8)).putInt("i", 1).toBinary().slice();

  it("reads a subarray view of a larger buffer, and an ArrayBuffer", () => {
    const big = new Uint8Array(bytes.length + 10);
    big.set(bytes, 5);
    expect(SFSObject.newFromBinaryData(big.subarray(5, 5 + bytes.length)).getInt("i")).toBe(1);
    expect(SFSObject.newFromBinaryData(bytes.buffer).getInt("i")).toBe(1);
    const r = new ByteReader(big, 5, 5 + bytes.length);
    expect(readSFSObject(r).getInt("i")).toBe(1);
    expect(r.remaining).toBe(0);
    expect(r.position).toBe(bytes.length);
  });

  it("error offsets are relative to the reader's start", () => {
    const big = new Uint8Array(20);
    big.set(fromHex("1200010001620102"), 7);
    try {
      readSFSObject(new ByteReader(big, 7));
      expect.unreachable();
    } catch (e) {
      expect((e as SFSCodecError).code).toBe("INVALID_BOOL");
      expect((e as SFSCodecError).offset).toBe(7);
      expect((e as SFSCodecError).message).toMatch(/at byte 7/);
    }
  });

  it("BYTE_ARRAY values are views by default, copies with copyByteArrays", () => {
    const input = bytes.slice();
    const view = SFSObject.newFromBinaryData(input).getByteArray("b")!;
    const copy = SFSObject.newFromBinaryData(input, { copyByteArrays: true }).getByteArray("b")!;
    input.fill(0);
    expect(Array.from(view)).toEqual([0, 0]);
    expect(Array.from(copy)).toEqual([9, 8]);
  });

  it("trailing bytes are ignored by default (as Java and the JS client do), refused on request", () => {
    const withTail = Uint8Array.of(...bytes, 0xde, 0xad);
    expect(SFSObject.newFromBinaryData(withTail).size()).toBe(2);
    try {
      SFSObject.newFromBinaryData(withTail, { allowTrailingBytes: false });
      expect.unreachable();
    } catch (e) {
      expect((e as SFSCodecError).code).toBe("TRAILING_BYTES");
      expect((e as SFSCodecError).offset).toBe(bytes.length);
    }
  });

  it("CLASS (19) is recognised and refused", () => {
    try {
      SFSObject.newFromBinaryData(fromHex("12000100016313"));
      expect.unreachable();
    } catch (e) {
      expect((e as SFSCodecError).code).toBe("UNSUPPORTED_TYPE");
      expect((e as SFSCodecError).offset).toBe(6);
    }
  });
});

describe("SFSArray", () => {
  it("add*/get*(index), isNull, removeElementAt, generic add/get/getType", () => {
    const a = new SFSArray().addInt(1).addNull().addUtfString("x").add(SFSDataType.BYTE, 7).addLong(2n ** 60n);
    const d = SFSArray.newFromBinaryData(a.toBinary());
    expect(d.size()).toBe(5);
    expect(d.getInt(0)).toBe(1);
    expect(d.isNull(1)).toBe(true);
    expect(d.getUtfString(2)).toBe("x");
    expect(d.getType(3)).toBe(SFSDataType.BYTE);
    expect(d.get(3)).toBe(7);
    expect(d.getLong(4)).toBe(2n ** 60n);
    expect(d.getInt(99)).toBeUndefined();
    expect(valueError(() => d.getInt(2)).code).toBe("TYPE_MISMATCH");
    expect(d.removeElementAt(1)).toBe(true);
    expect(d.removeElementAt(10)).toBe(false);
    expect(d.getUtfString(1)).toBe("x");
  });
});

describe("typed construction and plain conversion", () => {
  it("infers types and honours SFS hints", () => {
    const o = SFSObject.from({
      i: 5,
      d: 2.5,
      big: 3e9,
      nz: -0,
      s: "x",
      b: true,
      n: null,
      u: undefined,
      l: 5n,
      bytes: Uint8Array.of(1),
      f32: Float32Array.of(1),
      i16: Int16Array.of(1),
      list: [1, "a", null, undefined],
      nested: { x: SFS.byte(3) },
      map: new Map([["k", SFS.short(1)]]),
      hinted: SFS.long(Date.UTC(2024, 0, 1)),
      pos: SFS.floatArray([1, 2]),
      arr: SFS.array([SFS.double(1)]),
      obj: SFS.object({ q: 1 }),
      nul: SFS.null(),
      txt: SFS.text("t"),
      any: SFS.typed(SFSDataType.SHORT, 2),
    });
    const types = Object.fromEntries([...o.entries()].map(([k, t]) => [k, sfsDataTypeName(t)]));
    expect(types).toEqual({
      i: "INT",
      d: "DOUBLE",
      big: "DOUBLE",
      nz: "DOUBLE",
      s: "UTF_STRING",
      b: "BOOL",
      n: "NULL",
      l: "LONG",
      bytes: "BYTE_ARRAY",
      f32: "FLOAT_ARRAY",
      i16: "SHORT_ARRAY",
      list: "SFS_ARRAY",
      nested: "SFS_OBJECT",
      map: "SFS_OBJECT",
      hinted: "LONG",
      pos: "FLOAT_ARRAY",
      arr: "SFS_ARRAY",
      obj: "SFS_OBJECT",
      nul: "NULL",
      txt: "TEXT",
      any: "SHORT",
    });
    expect(o.getSFSArray("list")!.isNull(3)).toBe(true);
    expect(o.getSFSObject("nested")!.getByte("x")).toBe(3);
  });

  it("rejects what it cannot type, and hints that do not fit", () => {
    expect(valueError(() => SFSObject.from({ d: new Date() as never })).message).toMatch(/SFS\.<type>\(\) hint/);
    expect(valueError(() => SFSObject.from({ b: SFS.byte(300) })).code).toBe("OUT_OF_RANGE");
    expect(valueError(() => SFSObject.from({ f: (() => 1) as never })).code).toBe("INVALID_VALUE");
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(valueError(() => SFSObject.from(cyclic as never)).code).toBe("DEPTH_EXCEEDED");
  });

  it("toPlain drops types and keeps __proto__ as an own key", () => {
    const o = SFSObject.from(JSON.parse('{"__proto__": {"polluted": 1}, "a": [1, {"b": "c"}]}'));
    const plain = o.toPlain();
    expect(Object.getPrototypeOf(plain)).toBe(Object.prototype);
    expect(Object.keys(plain)).toEqual(["__proto__", "a"]);
    expect((plain as { polluted?: unknown }).polluted).toBeUndefined();
    expect(Object.getOwnPropertyDescriptor(plain, "__proto__")!.value).toEqual({ polluted: 1 });
    expect(plain.a).toEqual([1, { b: "c" }]);
    expect(SFSArray.from([1, 2n ** 60n]).toPlain()).toEqual([1, 2n ** 60n]);
  });
});

describe("dumps", () => {
  it("getDump shows every type and nesting", () => {
    const dump = SFSObject.from({ a: 1, s: "x", o: { b: true }, l: [SFS.short(2)], e: {} }).getDump();
    expect(dump).toBe(
      [
        "(sfs_object) {",
        '  (int) "a": 1',
        '  (utf_string) "s": "x"',
        '  (sfs_object) "o": {',
        '    (bool) "b": true',
        "  }",
        '  (sfs_array) "l": [',
        "    (short) [0]: 2",
        "  ]",
        '  (sfs_object) "e": {}',
        "}",
      ].join("\n"),
    );
    expect(new SFSArray().addByteArray(Uint8Array.of(1, 255)).getDump()).toContain("(byte_array) [0]: <2 bytes> 01 ff");
  });

  it("hexDump prints offsets, hex and ASCII", () => {
    const text = hexDump(new SFSObject().putUtfString("name", "alice").toBinary());
    expect(text.split("\n")).toEqual([
      "00000000  12 00 01 00 04 6e 61 6d  65 08 00 05 61 6c 69 63  |.....name...alic|",
      "00000010  65                                                |e|",
    ]);
    expect(new SFSObject().getHexDump()).toContain("12 00 00");
  });
});

describe("toBinary results", () => {
  it("stay valid after later encodes (the shared slab is never written twice), large ones included", () => {
    const kept: [Uint8Array, string][] = [];
    for (let i = 0; i < 3000; i++) {
      const o = new SFSObject().putInt("i", i).putUtfString("s", "x".repeat(i % 7 === 0 ? 9000 : i % 50));
      const b = o.toBinary();
      kept.push([b, toHex(b.slice())]);
      if (i % 100 === 0) {
        // An encode that fails half-way must not leave bytes over a region already handed out.
        const ints = [1];
        const bad = new SFSObject().putUtfString("pad", "y".repeat(300)).putIntArray("a", ints);
        ints.push(0.5);
        expect(() => bad.toBinary()).toThrow(SFSValueError);
      }
    }
    for (const [b, hex] of kept) expect(toHex(b)).toBe(hex);
  });
});

describe("ByteWriter / ByteReader", () => {
  it("skip reserves bytes to fill later; finish is a view; growth keeps the bytes", () => {
    const w = new ByteWriter(16);
    const at = w.skip(5);
    writeSFSObject(w, new SFSObject().putUtfString("s", "x".repeat(100)));
    expect(w.length).toBe(5 + 3 + 2 + 1 + 1 + 2 + 100);
    w.setUint8(at, 0x80);
    w.setUint16(at + 1, w.length - 3);
    const out = w.finish();
    expect(out[0]).toBe(0x80);
    expect((out[1]! << 8) | out[2]!).toBe(w.length - 3);
    expect(SFSObject.newFromBinaryData(out.subarray(5)).getUtfString("s")).toHaveLength(100);
    expect(out.buffer).toBe(w.finish().buffer); // no copy
    w.reset();
    expect(w.length).toBe(0);
  });

  it("writes and reads every primitive big-endian", () => {
    const w = new ByteWriter(1);
    w.writeUint8(0xff);
    w.writeInt8(-2);
    w.writeInt16(-2);
    w.writeUint16(0xfffe);
    w.writeInt32(-3);
    w.writeUint32(0xfffffffd);
    w.writeInt64(-4);
    w.writeInt64(2n ** 62n);
    w.writeFloat32(1.5);
    w.writeFloat64(-0.25);
    w.writeBytes(Uint8Array.of(7, 7));
    expect(w.writeUtf8("é😀a")).toBe(7);
    const r = new ByteReader(w.finish());
    expect([r.readUint8(), r.readInt8(), r.readInt16(), r.readUint16(), r.readInt32(), r.readUint32()]).toEqual([
      0xff, -2, -2, 0xfffe, -3, 0xfffffffd,
    ]);
    expect([r.readInt64(), r.readInt64(), r.readFloat32(), r.readFloat64()]).toEqual([-4, 2n ** 62n, 1.5, -0.25]);
    expect(Array.from(r.readBytes(2))).toEqual([7, 7]);
    expect(r.readUtf8(7)).toBe("é😀a");
    expect(r.remaining).toBe(0);
    try {
      r.readInt32();
      expect.unreachable();
    } catch (e) {
      expect((e as SFSCodecError).code).toBe("TRUNCATED");
      expect((e as SFSCodecError).offset).toBe(w.length);
    }
    expect(() => new ByteReader(new Uint8Array(2), 3)).toThrow(RangeError);
  });

  it("utf8Length matches TextEncoder, lone surrogates included", () => {
    for (const s of ["", "abc", "é", "日本", "😀", "\ud800", "a\udc00b", "\ud83d\ude00\ud83d"]) {
      expect(utf8Length(s)).toBe(new TextEncoder().encode(s).length);
    }
  });

  it("long and non-ASCII strings take the TextEncoder path and still match", () => {
    for (const s of ["x".repeat(65), "é".repeat(70), "ab€" + "c".repeat(80), "\ud800x"]) {
      const w = new ByteWriter(4);
      const n = w.writeUtf8(s);
      expect(Array.from(w.finish())).toEqual(Array.from(new TextEncoder().encode(s)));
      expect(n).toBe(utf8Length(s));
    }
  });
});

describe("decoder key cache", () => {
  it("thousands of distinct short keys (forcing cache-slot collisions) all decode to themselves", () => {
    for (let round = 0; round < 2; round++) {
      const o = new SFSObject();
      for (let i = 0; i < 6000; i++) o.putInt(`k${(i * 7919) % 100000}`, i);
      o.putInt("ключ", -1).putInt("x".repeat(17), -2);
      const d = SFSObject.newFromBinaryData(o.toBinary());
      expect(d.getKeys()).toEqual(o.getKeys());
      expect(d.getInt("k7919")).toBe(1);
      expect(d.getInt("ключ")).toBe(-1);
      expect(d.getInt("x".repeat(17))).toBe(-2);
    }
  });

  it("keys that differ only in later bytes stay apart", () => {
    const o = new SFSObject().putInt("abcdefgh1", 1).putInt("abcdefgh2", 2).putInt("abcdefgh1x", 3);
    const d = SFSObject.newFromBinaryData(o.toBinary());
    expect([d.getInt("abcdefgh1"), d.getInt("abcdefgh2"), d.getInt("abcdefgh1x")]).toEqual([1, 2, 3]);
  });

  it("duplicate keys on the wire: one entry, last value wins, first position kept (small and indexed objects)", () => {
    const small = SFSObject.newFromBinaryData(fromHex("120003000161040000000100016204000000020001610400000003"));
    expect(small.getKeys()).toEqual(["a", "b"]);
    expect(small.getInt("a")).toBe(3);
    // 40 entries (indexed path): k0..k38 then k5 again
    const w = new ByteWriter();
    w.writeUint8(0x12);
    w.writeInt16(40);
    for (let i = 0; i <= 39; i++) {
      const k = i === 39 ? "k5" : `k${i}`;
      w.writeInt16(k.length);
      w.writeUtf8(k);
      w.writeUint8(SFSDataType.INT);
      w.writeInt32(i);
    }
    const big = SFSObject.newFromBinaryData(w.finish());
    expect(big.size()).toBe(39);
    expect(big.getInt("k5")).toBe(39);
    expect(big.getKeys()[5]).toBe("k5");
  });
});

it("a 1 MB TEXT encodes and decodes", () => {
  const s = "é".repeat(300_000) + "x".repeat(400_000);
  const d = SFSObject.newFromBinaryData(new SFSObject().putText("t", s).toBinary());
  expect(d.getText("t")).toBe(s);
});
