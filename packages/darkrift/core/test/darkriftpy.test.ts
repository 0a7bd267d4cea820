// darkriftpy (spec §5) differs from C# DarkRift in several encodings. We follow C#; this file
// pins down each difference against darkriftpy's own output so nobody "fixes" us towards it.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DarkRiftReader, DarkRiftWriter } from "../src/index.js";
import { hex, unhex } from "@darkrift/testkit";

interface PyVector {
  name: string;
  method: string;
  hex?: string;
  error?: string;
}
const py = JSON.parse(readFileSync(new URL("./fixtures/darkriftpy_writer.json", import.meta.url), "utf8")) as {
  writer: PyVector[];
  frames: { name: string; hex: string }[];
};
const pyHex = (name: string): string => {
  const v = py.writer.find((x) => x.name === name);
  if (!v?.hex && v?.hex !== "") throw new Error(`no darkriftpy vector ${name}`);
  return v.hex;
};
const ours = (f: (w: DarkRiftWriter) => void): string => {
  const w = new DarkRiftWriter();
  f(w);
  return hex(w.toBytes());
};

describe("darkriftpy: where it matches C# (and us)", () => {
  const same: [string, (w: DarkRiftWriter) => void][] = [
    ["bool true", (w) => w.writeBoolean(true)],
    ["int8 -1", (w) => w.writeSByte(-1)],
    ["uint16 65535", (w) => w.writeUInt16(65535)],
    ["int32 -1", (w) => w.writeInt32(-1)],
    ["uint32 4294967295", (w) => w.writeUInt32(4294967295)],
    ["int64 min", (w) => w.writeInt64(-(2n ** 63n))],
    ["single 1.0", (w) => w.writeSingle(1)],
    ["double -inf", (w) => w.writeDouble(-Infinity)],
    ["string ''", (w) => w.writeString("")],
    ["bytes 01 02 ff", (w) => w.writeBytes(new Uint8Array([1, 2, 255]))],
    ["int32s [1,2,3,-1]", (w) => w.writeInt32s([1, 2, 3, -1])],
    ["int32s []", (w) => w.writeInt32s([])],
  ];
  for (const [name, write] of same) it(name, () => expect(ours(write)).toBe(pyHex(name)));

  it("ASCII-only strings match only when we write UTF-8 (C# default is UTF-16LE)", () => {
    expect(ours((w) => w.writeString("hello", "utf8"))).toBe(pyHex("string 'hello'"));
    expect(ours((w) => w.writeString("hello"))).not.toBe(pyHex("string 'hello'"));
  });
});

describe("darkriftpy: where it differs, we follow C#", () => {
  it("§5.3 char 'A' is length-prefixed encoded text, not one raw byte", () => {
    expect(pyHex("char 'A'")).toBe("41");
    expect(ours((w) => w.writeChar("A"))).toBe("000000024100");
  });

  it("§5.2 string prefixes count bytes, not code points (non-ASCII)", () => {
    expect(pyHex("string 'h\u00e9llo'")).toBe("0000000568c3a96c6c6f"); // 5 code points, 6 bytes
    expect(ours((w) => w.writeString("h\u00e9llo", "utf8"))).toBe("0000000668c3a96c6c6f");
    expect(pyHex("string '\u{1F600}'")).toBe("00000001f09f9880");
    expect(ours((w) => w.writeString("\u{1F600}", "utf8"))).toBe("00000004f09f9880");
    expect(ours((w) => w.writeStrings(["a", "", "é"], ))).not.toBe(pyHex("strings ['a','','\u00e9']"));
    // darkriftpy's framing is wrong for us: reading its 'héllo' leaves a byte behind.
    const r = new DarkRiftReader(unhex(pyHex("string 'h\u00e9llo'")));
    expect(r.readString("utf8")).not.toBe("h\u00e9llo");
    expect(r.remaining).toBe(1);
  });

  it("§5.4 empty bytes keep their 00000000 prefix", () => {
    expect(pyHex("bytes empty")).toBe("");
    expect(ours((w) => w.writeBytes(new Uint8Array(0)))).toBe("00000000");
  });

  it("§5.5 uint32 arrays accept values ≥ 2^31", () => {
    expect(py.writer.find((v) => v.name === "uint32s [1,4294967295]")?.error).toMatch(/OutOfRange/);
    expect(ours((w) => w.writeUInt32s([1, 4294967295]))).toBe("0000000200000001ffffffff");
  });

  it("§5.9 single NaN is .NET's ffc00000, not 7fc00000", () => {
    expect(pyHex("single NaN")).toBe("7fc00000");
    expect(ours((w) => w.writeSingle(NaN))).toBe("ffc00000");
    // Both read back as NaN.
    expect(new DarkRiftReader(unhex("7fc00000")).readSingle()).toBeNaN();
  });

  it("§5.8 only 01 reads as true (darkriftpy: any non-zero)", () => {
    expect(new DarkRiftReader(unhex("02")).readBoolean()).toBe(false);
  });
});
