import { readFileSync } from "node:fs";
import { SFSArray, SFSDataType, SFSObject, fromTypedJson, toHex, type TypedJsonNode } from "@sfs2x/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RoomError, SFSRoomVariable, SFSUserVariable, VariableType, variableTypeOf } from "../src/rooms/index.js";

interface VarVector {
  name: string;
  variableName: string;
  inputValue: unknown;
  variableType: string;
  value: TypedJsonNode;
  hex: string;
}
const vectors = (JSON.parse(readFileSync(new URL("./fixtures/rooms-variables.json", import.meta.url), "utf8")) as { vectors: VarVector[] }).vectors;

/** The JS value the official client was given: the vector's input, or the container of its element [2]. */
function inputOf(v: VarVector): unknown {
  if (v.inputValue !== "(container)") return v.inputValue;
  const node = (v.value.value as TypedJsonNode[])[2]!;
  return fromTypedJson(node);
}

describe("variable auto-typing (spec §1.3) against the official client's bytes", () => {
  for (const v of vectors) {
    it(v.name, () => {
      const elements = v.value.value as TypedJsonNode[];
      const isPrivate = (elements[3]?.value as boolean | undefined) === true;
      const variable = v.name.startsWith("rvar")
        ? new SFSRoomVariable(v.variableName, inputOf(v) as never, { isPrivate, isPersistent: elements[4]?.value === true })
        : new SFSUserVariable(v.variableName, inputOf(v) as never, { isPrivate });
      expect(variable.typeName).toBe(v.variableType);
      expect(toHex(variable.toSFSArray().toBinary())).toBe(v.hex);
      // Reading the official bytes back gives the same variable.
      const arr = SFSArray.newFromBinaryData(Buffer.from(v.hex, "hex"));
      const back = v.name.startsWith("rvar") ? SFSRoomVariable.fromSFSArray(arr) : SFSUserVariable.fromSFSArray(arr);
      expect(back.name).toBe(v.variableName);
      expect(back.type).toBe(variable.type);
      expect(toHex(back.toSFSArray().toBinary())).toBe(v.hex);
    });
  }

  it("integers outside int32 become DOUBLE, never LONG; int32 limits stay INT", () => {
    expect(variableTypeOf(2 ** 31 - 1)).toBe(VariableType.INT);
    expect(variableTypeOf(-(2 ** 31))).toBe(VariableType.INT);
    expect(variableTypeOf(2 ** 31)).toBe(VariableType.DOUBLE);
    expect(variableTypeOf(-0.5)).toBe(VariableType.DOUBLE);
    expect(new SFSUserVariable("x", 2 ** 40).toSFSArray().getType(2)).toBe(SFSDataType.DOUBLE);
  });

  it("plain objects and arrays from code become SFSObject / SFSArray variables", () => {
    const o = new SFSRoomVariable("o", { a: 1, b: "x" });
    expect(o.type).toBe(VariableType.SFSOBJECT);
    expect((o.value as SFSObject).getInt("a")).toBe(1);
    const l = new SFSUserVariable("l", [1, "two"]);
    expect(l.type).toBe(VariableType.SFSARRAY);
    expect((l.value as SFSArray).getUtfString(1)).toBe("two");
  });

  it("an explicit type must fit the value (an integer may be a DOUBLE)", () => {
    expect(new SFSUserVariable("d", 5, VariableType.DOUBLE).toSFSArray().getType(2)).toBe(SFSDataType.DOUBLE);
    expect(() => new SFSUserVariable("i", 1.5, VariableType.INT)).toThrow(TypeError);
    expect(() => new SFSUserVariable("s", 1, { type: VariableType.STRING })).toThrow(TypeError);
    expect(() => new SFSUserVariable("", 1)).toThrow(TypeError);
    expect(() => new SFSUserVariable("b", 1n as never)).toThrow(TypeError);
  });

  it("a string too long for UTF_STRING is refused when the variable is made, not when sent", () => {
    expect(() => new SFSUserVariable("s", "x".repeat(40_000))).toThrow();
  });
});

describe("received variables keep their wire types", () => {
  it("an INT variable sent as SHORT or LONG, a DOUBLE as FLOAT, a STRING as TEXT", () => {
    const cases: [SFSArray, SFSDataType][] = [
      [new SFSArray().addUtfString("s").addByte(2).addShort(7).addBool(false), SFSDataType.SHORT],
      [new SFSArray().addUtfString("l").addByte(2).addLong(2n ** 60n).addBool(false), SFSDataType.LONG],
      [new SFSArray().addUtfString("f").addByte(3).addFloat(0.5).addBool(true), SFSDataType.FLOAT],
      [new SFSArray().addUtfString("t").addByte(4).addText("long text").addBool(false), SFSDataType.TEXT],
    ];
    for (const [arr, wire] of cases) {
      const v = SFSUserVariable.fromSFSArray(arr);
      expect(v.wireType).toBe(wire);
      expect(toHex(v.toSFSArray().toBinary())).toBe(toHex(arr.toBinary()));
    }
    expect(SFSUserVariable.fromSFSArray(cases[1]![0]).value).toBe(2n ** 60n);
  });

  it("3-element arrays (no flags) are read as not private / not persistent", () => {
    const v = SFSRoomVariable.fromSFSArray(new SFSArray().addUtfString("x").addByte(1).addBool(true));
    expect(v.isPrivate).toBe(false);
    expect(v.isPersistent).toBe(false);
    expect(v.toSFSArray().size()).toBe(5);
  });

  it("malformed arrays are a RoomError with code 28", () => {
    const bad = [
      new SFSArray(),
      new SFSArray().addInt(1).addByte(2).addInt(3),
      new SFSArray().addUtfString("").addByte(2).addInt(3),
      new SFSArray().addUtfString("x").addByte(9).addInt(3),
      new SFSArray().addUtfString("x").addByte(2).addUtfString("3"),
      new SFSArray().addUtfString("x").addByte(0).addInt(3),
      new SFSArray().addUtfString("x").addByte(2).addInt(3).addInt(1),
    ];
    for (const arr of bad) {
      try {
        SFSUserVariable.fromSFSArray(arr);
        expect.unreachable("accepted a malformed variable");
      } catch (e) {
        expect(e).toBeInstanceOf(RoomError);
        expect((e as RoomError).code).toBe(28);
      }
    }
  });
});

describe("properties", () => {
  const value = fc.oneof(
    fc.constant(null),
    fc.boolean(),
    fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.string({ maxLength: 50 }),
  );

  it("code → array → variable round-trips name, type, value and flags", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 20 }), value, fc.boolean(), fc.boolean(), (name, v, priv, pers) => {
        const rv = new SFSRoomVariable(name, v, { isPrivate: priv, isPersistent: pers });
        const bytes = rv.toSFSArray().toBinary();
        const back = SFSRoomVariable.fromSFSArray(SFSArray.newFromBinaryData(bytes));
        expect(back.name).toBe(name);
        expect(back.type).toBe(variableTypeOf(v));
        expect(Object.is(back.value, v) || back.value === v).toBe(true);
        expect(back.isPrivate).toBe(priv);
        expect(back.isPersistent).toBe(pers);
        expect(toHex(back.toSFSArray().toBinary())).toBe(toHex(bytes));
      }),
    );
  });

  it("random arrays give a variable or a RoomError, never another exception", () => {
    const element = fc.oneof(
      fc.string().map((s) => ({ t: SFSDataType.UTF_STRING, v: s })),
      fc.integer({ min: 0, max: 255 }).map((n) => ({ t: SFSDataType.BYTE, v: n })),
      fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }).map((n) => ({ t: SFSDataType.INT, v: n })),
      fc.boolean().map((b) => ({ t: SFSDataType.BOOL, v: b })),
      fc.constant({ t: SFSDataType.NULL, v: null }),
      fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => ({ t: SFSDataType.DOUBLE, v: n })),
    );
    fc.assert(
      fc.property(fc.array(element, { maxLength: 6 }), (els) => {
        const arr = new SFSArray();
        for (const e of els) arr.add(e.t as never, e.v as never);
        for (const read of [SFSUserVariable.fromSFSArray, SFSRoomVariable.fromSFSArray]) {
          try {
            const v = read(arr);
            expect(typeof v.name).toBe("string");
          } catch (e) {
            expect(e).toBeInstanceOf(RoomError);
          }
        }
      }),
    );
  });
});

describe("objects", () => {
  it("toNull keeps the name and flags and has type NULL", () => {
    const v = new SFSRoomVariable("x", 1, { isPrivate: true, isPersistent: true }).toNull();
    expect(v.isNull).toBe(true);
    expect(v.isPrivate).toBe(true);
    expect(v.isPersistent).toBe(true);
    expect(v.toSFSArray().getType(2)).toBe(SFSDataType.NULL);
    expect(String(new SFSUserVariable("a", "b"))).toContain("UserVar: a");
  });

  it("an SFSObject value is kept by reference and serialised as SFS_OBJECT", () => {
    const o = new SFSObject().putInt("k", 1);
    const v = new SFSUserVariable("o", o);
    expect(v.value).toBe(o);
    expect(v.toSFSArray().getSFSObject(2)!.getInt("k")).toBe(1);
  });
});
