import { describe, expect, it } from "vitest";
import { fromHex, fromTypedJson, SFSArray, SFSDataType, SFSObject, toHex, toTypedJson } from "../src/index.js";
import { decodeRoot, loadFixture } from "./helpers.js";

const files = ["types.json", "containers.json", "variables.json"] as const;

describe.each(files)("golden vectors %s (official sfs2x-api 1.8.6 bytes)", (file) => {
  const { vectors } = loadFixture(file);

  it("has vectors", () => {
    expect(vectors.length).toBeGreaterThan(5);
  });

  it.each(vectors.map((v) => [v.name, v] as const))("%s decodes to the typed value", (name, v) => {
    const decoded = decodeRoot(fromHex(v.hex));
    const expected = v.officialDecodesAs ?? v.value;
    if (name === "double_neg0") {
      // JSON cannot hold -0: check the sign by value.
      const arr = decoded as SFSArray;
      expect(arr.getType(0)).toBe(SFSDataType.DOUBLE);
      expect(Object.is(arr.getDouble(0), -0)).toBe(true);
      return;
    }
    // types.json / variables.json wrap each value in a 1-element SFSArray.
    const node = v.value.type === "SFS_OBJECT" || v.value.type === "SFS_ARRAY" ? expected : { type: "SFS_ARRAY", value: [expected] };
    expect(toTypedJson(decoded)).toEqual(node);
  });

  it.each(vectors.map((v) => [v.name, v] as const))("%s encodes to the same bytes", (name, v) => {
    let container: SFSObject | SFSArray;
    if (name === "double_neg0") container = new SFSArray().addDouble(-0);
    else if (v.value.type === "SFS_OBJECT" || v.value.type === "SFS_ARRAY") container = fromTypedJson(v.value) as SFSObject | SFSArray;
    else container = fromTypedJson({ type: "SFS_ARRAY", value: [v.value] }) as SFSArray;
    expect(toHex(container.toBinary())).toBe(v.hex);
  });
});

describe("vector details", () => {
  it("LONG beyond 2^53 round-trips exactly through typed JSON as a decimal string", () => {
    const arr = fromTypedJson({ type: "SFS_ARRAY", value: [{ type: "LONG", value: "-9223372036854775808" }] }) as SFSArray;
    expect(toHex(arr.toBinary())).toBe("110001058000000000000000");
    expect(toTypedJson(SFSArray.newFromBinaryData(arr.toBinary()))).toEqual({
      type: "SFS_ARRAY",
      value: [{ type: "LONG", value: "-9223372036854775808" }],
    });
  });

  it("real-server style LONG strings are read as numbers when safe", () => {
    const o = fromTypedJson({ type: "SFS_OBJECT", value: { l: { type: "LONG", value: "5000000000" } } }) as SFSObject;
    expect(o.getLong("l")).toBe(5000000000);
    expect(toTypedJson(o, { longsAsStrings: true })).toEqual({ type: "SFS_OBJECT", value: { l: { type: "LONG", value: "5000000000" } } });
  });

  it("FLOAT NaN / -Infinity and DOUBLE -0 are typed-JSON strings in and out", () => {
    const arr = fromTypedJson({
      type: "SFS_ARRAY",
      value: [
        { type: "FLOAT", value: "NaN" },
        { type: "FLOAT_ARRAY", value: ["-Infinity", 1.5] },
        { type: "DOUBLE", value: "-0" },
      ],
    }) as SFSArray;
    expect(toHex(arr.toBinary())).toBe("110003067fc000000e0002ff8000003fc00000078000000000000000");
    const back = toTypedJson(SFSArray.newFromBinaryData(arr.toBinary()));
    expect(back.value).toEqual([
      { type: "FLOAT", value: "NaN" },
      { type: "FLOAT_ARRAY", value: ["-Infinity", 1.5] },
      { type: "DOUBLE", value: -0 },
    ]);
  });

  it("rejects malformed typed JSON with SFSValueError", () => {
    expect(() => fromTypedJson({ type: "NOPE", value: 1 })).toThrow(/unknown type/);
    expect(() => fromTypedJson({ type: "INT", value: "x" })).toThrow(/not a valid INT/);
    expect(() => fromTypedJson({ type: "LONG", value: "1.5" })).toThrow(/not an integer/);
    expect(() => fromTypedJson({ type: "SFS_OBJECT", value: [] })).toThrow(/must be an object/);
    expect(() => fromTypedJson(null)).toThrow(/type, value/);
  });
});
