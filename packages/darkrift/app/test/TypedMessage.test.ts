import { readFileSync } from "node:fs";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DarkRiftDecodeError,
  DarkRiftEncodeError,
  DarkRiftMessage,
  DarkRiftReader,
  DarkRiftWriter,
  type DarkRiftSerializable,
} from "@darkrift/core";
import { field, message, MessageDefinitionError, serializable, tagOf, TypedMessage, TypedMessageError } from "../src/index.js";
import { ChooseMessage, ChosenMessage } from "./messages.js";
import { planOf, setCodegenEnabled } from "../src/MessagePlan.js";
import { hex, unhex } from "@darkrift/testkit";

const vectors = JSON.parse(readFileSync(new URL("./fixtures/csharp_writer_and_messages.json", import.meta.url), "utf8")) as {
  writer: { name: string; hex: string }[];
  messages: { name: string; udp_datagram_hex: string }[];
};
const writerHex = (name: string): string => vectors.writer.find((v) => v.name === name)!.hex;
const bodyHex = (name: string): string => vectors.messages.find((v) => v.name === name)!.udp_datagram_hex;

// ------------------------------------------------------------------ classes under test

@message(7)
class Sequence extends TypedMessage {
  @field("int") i = 0;
  @field("string") s = "";
  @field("bool") b = false;
}

@serializable()
class Vec2 extends TypedMessage {
  @field("float") x = 0;
  @field("single") y = 0;
}

/** A hand-written serializable nested in typed classes. */
class Color implements DarkRiftSerializable {
  r = 0;
  g = 0;
  serialize(w: DarkRiftWriter): void {
    w.writeByte(this.r);
    w.writeByte(this.g);
  }
  deserialize(r: DarkRiftReader): void {
    this.r = r.readByte();
    this.g = r.readByte();
  }
}

@message(10)
class Everything extends TypedMessage {
  @field("boolean") bool = false;
  @field("byte") byte = 0;
  @field("sbyte") sbyte = 0;
  @field("char") char = "a";
  @field("int16") int16 = 0;
  @field("uint16") uint16 = 0;
  @field("int32") int32 = 0;
  @field("uint32") uint32 = 0;
  @field("int64") int64 = 0n;
  @field("uint64") uint64 = 0n;
  @field("single") single = 0;
  @field("double") double = 0;
  @field("string") string = "";
  @field("boolean[]") bools: boolean[] = [];
  @field("byte[]") bytes = new Uint8Array(0);
  @field("sbyte[]") sbytes: number[] = [];
  @field("char[]") chars = "";
  @field("int16[]") int16s: number[] = [];
  @field("uint16[]") uint16s: number[] = [];
  @field("int32[]") int32s: number[] = [];
  @field("uint32[]") uint32s: number[] = [];
  @field("int64[]") int64s: bigint[] = [];
  @field("uint64[]") uint64s: bigint[] = [];
  @field("single[]") singles: number[] = [];
  @field("double[]") doubles: number[] = [];
  @field("string[]") strings: string[] = [];
  @field("string", { encoding: "utf8" }) utf8 = "";
  @field("string", { encoding: "ascii" }) ascii = "";
  @field(Vec2) position = new Vec2();
  @field([Vec2]) path: Vec2[] = [];
  @field(Color) color = new Color();
  @field([Color]) palette: Color[] = [];
}

@serializable()
class TreeNode extends TypedMessage {
  @field("string") name = "";
  @field(() => [TreeNode]) children: TreeNode[] = [];
}

@message(20)
class Base extends TypedMessage {
  @field("byte") version = 1;
}
@message(21)
class Derived extends Base {
  @field("string") name = "";
}

@message(30)
class WithOptional extends TypedMessage {
  @field("int32") id = 0;
  @field("string", { optional: true }) note = "default note";
  @field("uint64", { optional: true }) stamp = 42n;
}

@message(31, { encoding: "utf8" })
class Utf8Class extends TypedMessage {
  @field("string") a = "";
  @field("string", { encoding: "utf16le" }) b = "";
  @field("string[]") c: string[] = [];
}

@message(40)
class Outer extends TypedMessage {
  @field("int32") id = 0;
  @field(() => Vec2) at = new Vec2();
  @field([Vec2]) path: Vec2[] = [];
}

@message(41)
class OddNames extends TypedMessage {
  @field("int32") ["a-b"] = 1;
  @field("string") ['q"uote\\'] = "x";
}

// ------------------------------------------------------------------ both compilers

const everything = (): Everything =>
  new Everything({
    bool: true,
    byte: 255,
    sbyte: -128,
    char: "\u65e5",
    int16: -32768,
    uint16: 65535,
    int32: -2147483648,
    uint32: 4294967295,
    int64: -(2n ** 63n),
    uint64: 2n ** 64n - 1n,
    single: -0,
    double: NaN,
    string: "h\u00e9llo \u{1F600} a\0b",
    bools: [true, false, true, true, false, false, false, false, true],
    bytes: new Uint8Array([1, 2, 255]),
    sbytes: [-1, 0, 1],
    chars: "hi",
    int16s: [1, -1],
    uint16s: [1, 65535],
    int32s: [1, 2, 3, -1],
    uint32s: [1, 4294967295],
    int64s: [-1n, 1n],
    uint64s: [2n ** 64n - 1n],
    singles: [1, NaN],
    doubles: [1, -Infinity],
    strings: ["a", "", "\u00e9"],
    utf8: "h\u00e9",
    ascii: "hi",
    position: new Vec2({ x: 1.5, y: -2 }),
    path: [new Vec2({ x: 1, y: 2 })],
    color: Object.assign(new Color(), { r: 3, g: 4 }),
    palette: [Object.assign(new Color(), { r: 5, g: 6 })],
  });

for (const codegen of [true, false]) {
  describe(`typed messages (${codegen ? "generated code" : "closures, no code generation"})`, () => {
    beforeAll(() => setCodegenEnabled(codegen));
    afterAll(() => setCodegenEnabled(true));

    it(`compiles plans with ${codegen ? "codegen" : "closures"}`, () => {
      expect(planOf(Everything).mode).toBe(codegen ? "codegen" : "closures");
      expect(planOf(Everything).fields.map((f) => f.key).slice(0, 3)).toEqual(["bool", "byte", "sbyte"]);
    });

    it("writes exactly the C# vectors", () => {
      expect(bodyHex("tag 1, int32[] {1,2,3,-1}")).toBe(`000001${hex(new ChooseMessage({ items: [1, 2, 3, -1] }).toBytes())}`);
      expect(hex(new Sequence({ i: 7, s: "ok", b: true }).toBytes())).toBe(writerHex('sequence: int32 7, string "ok", bool true'));
      expect(hex(new Vec2({ x: 1.5, y: -2 }).toBytes())).toBe(writerHex("serializable Vec2(1.5f,-2f) (user type writing two singles)"));
      const w = new DarkRiftWriter();
      w.writeSerializables([new Vec2({ x: 1, y: 2 })]);
      expect(hex(w.toBytes())).toBe(writerHex("serializable[] [Vec2(1,2)]"));
      const ping = DarkRiftMessage.ping(5, new ChosenMessage({ value: 42 }).toBytes(), 0xbeef);
      expect(hex(ping.payload)).toBe(bodyHex("ping message tag 5, ping code 0xBEEF, int32 42").slice(10));
    });

    it("reads the C# vectors", () => {
      const body = unhex(bodyHex("tag 1, int32[] {1,2,3,-1}"));
      const raw = new DarkRiftMessage(1, body.subarray(3));
      expect(ChooseMessage.fromMessage(raw).items).toEqual([1, 2, 3, -1]);
      expect({ ...Sequence.fromBytes(unhex(writerHex('sequence: int32 7, string "ok", bool true'))) }).toEqual({ i: 7, s: "ok", b: true });
      const vecs = new DarkRiftReader(unhex(writerHex("serializable[] [Vec2(1,2)]"))).readSerializables(Vec2);
      expect(vecs.map((v) => [v.x, v.y])).toEqual([[1, 2]]);
    });

    it("round-trips every wire type, nested classes and arrays of them", () => {
      const msg = everything();
      const raw = msg.toMessage();
      expect(raw.tag).toBe(10);
      const back = Everything.fromMessage(raw);
      expect(back).toBeInstanceOf(Everything);
      expect(back.position).toBeInstanceOf(Vec2);
      expect(back.palette[0]).toBeInstanceOf(Color);
      expect({ ...back, bytes: Array.from(back.bytes) }).toEqual({ ...msg, bytes: Array.from(msg.bytes) });
      // Same bytes as the raw writer calls in the same order.
      const w = new DarkRiftWriter();
      w.writeBoolean(true);
      w.writeByte(255);
      w.writeSByte(-128);
      w.writeChar("\u65e5");
      expect(hex(raw.payload).startsWith(hex(w.toBytes()))).toBe(true);
    });

    it("round-trips a self-referencing tree (field type given by a thunk)", () => {
      const tree = new TreeNode({ name: "root", children: [new TreeNode({ name: "a" }), new TreeNode({ name: "b", children: [new TreeNode({ name: "c" })] })] });
      const back = TreeNode.fromBytes(tree.toBytes());
      expect(back.children[1]!.children[0]!.name).toBe("c");
      expect(back.children[1]!.children[0]).toBeInstanceOf(TreeNode);
    });

    it("writes base-class fields first", () => {
      const d = new Derived({ version: 3, name: "x" });
      expect(hex(d.toBytes())).toBe("03000000027800");
      expect(Derived.fromBytes(unhex("03000000027800")).version).toBe(3);
      expect(Derived.tag).toBe(21);
      expect(Base.tag).toBe(20);
    });

    it("keeps defaults for fields not given, and for missing trailing optional fields", () => {
      const c = new WithOptional({ id: 5 });
      expect([c.id, c.note, c.stamp]).toEqual([5, "default note", 42n]);
      expect(WithOptional.create({ note: "n" }).note).toBe("n");
      // An older peer sends only the id.
      const old = WithOptional.fromBytes(unhex("00000009"));
      expect([old.id, old.note, old.stamp]).toEqual([9, "default note", 42n]);
      const some = WithOptional.fromBytes(unhex("00000009 00000002 6e00"));
      expect([some.id, some.note, some.stamp]).toEqual([9, "n", 42n]);
      const full = new WithOptional({ id: 1, note: "", stamp: 7n });
      expect({ ...WithOptional.fromBytes(full.toBytes()) }).toEqual({ ...full });
    });

    it("applies field, class and call encodings", () => {
      const m = new Utf8Class({ a: "é", b: "é", c: ["é"] });
      expect(hex(m.toBytes())).toBe("00000002c3a9" + "00000002e900" + "00000001" + "00000002c3a9");
      expect({ ...Utf8Class.fromBytes(m.toBytes()) }).toEqual({ ...m });
      const s = new Sequence({ i: 1, s: "é", b: false });
      expect(hex(s.toBytes({ encoding: "utf8" }))).toBe("0000000100000002c3a900");
      expect(Sequence.fromBytes(s.toBytes({ encoding: "utf8" }), { encoding: "utf8" }).s).toBe("é");
    });

    it("writes strings (lone surrogates included) exactly like the raw writer", () => {
      const text = "a\ud800b\udc00\u{1F600}\ud83d";
      const w = new DarkRiftWriter();
      w.writeInt32(7);
      w.writeString(text);
      w.writeBoolean(true);
      expect(hex(new Sequence({ i: 7, s: text, b: true }).toBytes())).toBe(hex(w.toBytes()));
      expect(Sequence.fromBytes(w.toBytes()).s).toBe("a\ufffdb\ufffd\u{1F600}\ufffd");
      fc.assert(
        fc.property(fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) }), fc.integer(), (str, n) => {
          const raw = new DarkRiftWriter();
          raw.writeInt32(n);
          raw.writeString(str);
          raw.writeBoolean(false);
          expect(hex(new Sequence({ i: n, s: str, b: false }).toBytes())).toBe(hex(raw.toBytes()));
        }),
        { numRuns: 300 },
      );
    });

    it("accepts plain objects for nested typed fields on write", () => {
      const o = new Outer({ id: 1, at: { x: 1, y: 2 } as Vec2, path: [{ x: 3, y: 4 } as Vec2] });
      const back = Outer.fromBytes(o.toBytes());
      expect([back.at.x, back.path[0]!.y]).toEqual([1, 4]);
      expect(back.at).toBeInstanceOf(Vec2);
    });

    it("handles field names that need quoting", () => {
      const m = new OddNames({ "a-b": 5, 'q"uote\\': "y" });
      const back = OddNames.fromBytes(m.toBytes());
      expect([back["a-b"], back['q"uote\\']]).toEqual([5, "y"]);
    });

    it("nests in raw writers and readers as a DarkRiftSerializable", () => {
      const w = new DarkRiftWriter();
      w.writeInt32(99);
      w.writeSerializable(new ChosenMessage({ value: 7 }));
      w.writeSerializables([new ChosenMessage({ value: 8 })]);
      const r = new DarkRiftReader(w.toBytes());
      expect(r.readInt32()).toBe(99);
      expect(ChosenMessage.read(r).value).toBe(7);
      expect(r.readSerializables(ChosenMessage)[0]!.value).toBe(8);
    });

    it("names the class and field of a bad payload, with the decode error as cause", () => {
      const e = catchError(() => ChooseMessage.fromBytes(unhex("00000005 00000001")));
      expect(e).toBeInstanceOf(TypedMessageError);
      expect(e.code).toBe("DECODE_FAILED");
      expect([e.className, e.field, e.offset]).toEqual(["ChooseMessage", "items", 0]);
      expect(e.message).toMatch(/^ChooseMessage\.items: could not decode int32\[\]/);
      expect(e.cause).toBeInstanceOf(DarkRiftDecodeError);
      expect((e.cause as DarkRiftDecodeError).code).toBe("COUNT_EXCEEDS_DATA");

      const seq = catchError(() => Sequence.fromBytes(unhex("00000001 00000002 6f")));
      expect(seq.field).toBe("s");
      expect(seq.offset).toBe(4);

      // Nested: the path leads to the innermost field.
      const nested = catchError(() => Outer.fromBytes(unhex("00000001 3f800000 40000000 00000001 3f800000")));
      expect(nested.className).toBe("Outer");
      expect(nested.field).toBe("path.y");
      expect(nested.cause).toBeInstanceOf(DarkRiftDecodeError);
      expect((nested.cause as DarkRiftDecodeError).code).toBe("END_OF_DATA");
      expect(nested.offset).toBe(20); // id 4 + at 8 + count 4 + path[0].x 4
    });

    it("names the field that cannot be written, with the encode error as cause, and writes nothing", () => {
      const e = catchError(() => new Sequence({ i: 2 ** 31, s: "x", b: true }).toMessage());
      expect([e.code, e.className, e.field]).toEqual(["ENCODE_FAILED", "Sequence", "i"]);
      expect(e.cause).toBeInstanceOf(DarkRiftEncodeError);
      const w = new DarkRiftWriter();
      w.writeByte(1);
      const bad = new Outer({ id: 1, path: [{ x: 1, y: "no" } as unknown as Vec2] });
      const nested = catchError(() => w.writeSerializable(bad));
      expect(nested.field).toBe("path.y");
      expect(hex(w.toBytes())).toBe("01");
      const missing = catchError(() => new Outer({ at: null as unknown as Vec2 }).toBytes());
      expect(missing.field).toBe("at");
      const notArray = catchError(() => new Everything({ palette: 5 as unknown as Color[] }).toBytes());
      expect(notArray.field).toBe("palette");
      // Inside a run of fixed-size fields (checked before anything is stored).
      for (const [key, value] of [
        ["int16", 40000], ["uint64", -1n], ["int64", 2 ** 53], ["single", "1"], ["double", undefined], ["bool", 1], ["sbyte", 128],
        ["string", 5], ["char", "ab"], ["int32s", [1, 2 ** 40]], ["bools", [true, 1]], ["singles", ["x"]], ["int16s", null], ["chars", undefined],
      ] as const) {
        const w2 = new DarkRiftWriter();
        const err = catchError(() => w2.writeSerializable(new Everything({ [key]: value })));
        expect([err.field, err.code]).toEqual([key, "ENCODE_FAILED"]);
        expect(err.cause).toBeInstanceOf(DarkRiftEncodeError);
        expect(w2.length).toBe(0);
      }
    });

    it("refuses an array whose length changes while it is written (accessor elements), writing nothing", () => {
      for (const change of ["grow", "shrink"] as const) {
        const items = [1, 2, 3];
        Object.defineProperty(items, 1, {
          get: () => {
            if (change === "grow") items.push(4);
            else items.length = 2;
            return 2;
          },
          enumerable: true,
          configurable: true,
        });
        const w = new DarkRiftWriter();
        w.writeByte(9);
        const e = catchError(() => w.writeSerializable(new ChooseMessage({ items })));
        expect([e.code, e.field]).toEqual(["ENCODE_FAILED", "items"]);
        expect(e.cause).toBeInstanceOf(DarkRiftEncodeError);
        expect(hex(w.toBytes())).toBe("09");
      }
    });

    it("names the exact field of a run of fixed-size fields that is cut short", () => {
      const full = everything().toBytes();
      // bool byte sbyte | char "日" (4+2) | int16 uint16 int32 uint32 int64 uint64 single double…
      const starts: [number, string][] = [[0, "bool"], [2, "sbyte"], [9, "int16"], [13, "int32"], [17, "uint32"], [21, "int64"], [37, "single"], [41, "double"]];
      for (const [start, key] of starts) {
        for (const cut of [start, start + 1]) {
          if (key === "bool" || key === "sbyte") if (cut > start) continue;
          const e = catchError(() => Everything.fromBytes(full.subarray(0, cut)));
          expect([e.field, e.offset]).toEqual([key, start]);
        }
      }
    });

    it("random bytes give a value or TypedMessageError, never another exception", () => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => {
          for (const cls of [Everything, Outer, TreeNode, WithOptional, ChooseMessage]) {
            try {
              (cls as typeof ChooseMessage).fromBytes(bytes);
            } catch (e) {
              expect(e).toBeInstanceOf(TypedMessageError);
            }
          }
        }),
        { numRuns: 500 },
      );
    });

    it("random values round-trip", () => {
      fc.assert(
        fc.property(
          fc.record({
            int32: fc.integer(),
            int64: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
            uint64: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
            double: fc.double(),
            single: fc.float(),
            string: fc.string({ unit: "binary" }),
            utf8: fc.string({ unit: "binary" }),
            int32s: fc.array(fc.integer()),
            // Long enough to take both read paths (bytes / scratch below 8 elements, a DataView from 8).
            int16s: fc.array(fc.integer({ min: -32768, max: 32767 }), { maxLength: 30 }),
            uint16s: fc.array(fc.integer({ min: 0, max: 65535 }), { maxLength: 30 }),
            uint32s: fc.array(fc.nat({ max: 0xffffffff }), { maxLength: 30 }),
            sbytes: fc.array(fc.integer({ min: -128, max: 127 }), { maxLength: 30 }),
            singles: fc.array(fc.float().map(Math.fround), { maxLength: 30 }),
            doubles: fc.array(fc.double(), { maxLength: 30 }),
            int64s: fc.array(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), { maxLength: 12 }),
            uint64s: fc.array(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), { maxLength: 12 }),
            bools: fc.array(fc.boolean()),
            strings: fc.array(fc.string({ unit: "binary" }), { maxLength: 5 }),
            path: fc.array(fc.record({ x: fc.float(), y: fc.float() }), { maxLength: 5 }),
          }),
          (values) => {
            const msg = new Everything({ ...values, path: values.path.map((p) => new Vec2(p)) });
            const back = Everything.fromMessage(msg.toMessage());
            expect({ ...back, bytes: [...back.bytes] }).toEqual({ ...msg, bytes: [...msg.bytes] });
          },
        ),
        { numRuns: 200 },
      );
    });
  });
}

function catchError(f: () => unknown): TypedMessageError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(TypedMessageError);
    return e as TypedMessageError;
  }
  throw new Error("expected a TypedMessageError");
}

describe("without code generation (strict CSP)", () => {
  it("falls back to closures when new Function throws EvalError", () => {
    const original = globalThis.Function;
    setCodegenEnabled(true); // forget compiled plans
    globalThis.Function = function () {
      throw new EvalError("Code generation from strings disallowed for this context");
    } as unknown as FunctionConstructor;
    try {
      @message(60)
      class Csp extends TypedMessage {
        @field("int32[]") items: number[] = [];
        @field("string") s = "";
      }
      const back = Csp.fromBytes(new Csp({ items: [1, -1], s: "é" }).toBytes());
      expect([back.items, back.s]).toEqual([[1, -1], "é"]);
      expect(planOf(Csp).mode).toBe("closures");
    } finally {
      globalThis.Function = original;
      setCodegenEnabled(true);
    }
  });
});

describe("definition errors", () => {
  const definitionError = (f: () => unknown, code: string): void => {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(MessageDefinitionError);
      expect((e as MessageDefinitionError).code).toBe(code);
      return;
    }
    throw new Error(`expected MessageDefinitionError ${code}`);
  };

  it("rejects bad decorator arguments", () => {
    definitionError(() => field("int33" as "int32"), "BAD_FIELD_TYPE");
    definitionError(() => field("int32", { encoding: "utf8" }), "BAD_FIELD_TYPE");
    definitionError(() => field("string", { encoding: "latin1" as "utf8" }), "BAD_FIELD_TYPE");
    definitionError(() => field(Vec2, { encoding: "utf8" }), "BAD_FIELD_TYPE");
    definitionError(() => field([] as unknown as [typeof Vec2]), "BAD_FIELD_TYPE");
    definitionError(() => message(65536), "BAD_TAG");
    definitionError(() => message(-1), "BAD_TAG");
    definitionError(() => field("int32")({}, Symbol("s")), "BAD_FIELD");
    definitionError(() => field("int32")({}, "toMessage"), "BAD_FIELD");
    definitionError(() => field("int32")({}, "__proto__"), "BAD_FIELD");
  });

  it("rejects a required field after an optional one, and duplicate fields", () => {
    class BadOrder extends TypedMessage {
      @field("int32", { optional: true }) a = 0;
      @field("int32") b = 0;
    }
    definitionError(() => new BadOrder().toBytes(), "OPTIONAL_NOT_LAST");
    class Parent extends TypedMessage {
      @field("int32") a = 0;
    }
    class Child extends Parent {
      @field("int32") override a = 0;
    }
    definitionError(() => new Child().toBytes(), "DUPLICATE_FIELD");
  });

  it("refuses constructor values on an undecorated class and unknown fields", () => {
    class Plain extends TypedMessage {
      @field("int32") a = 0;
    }
    definitionError(() => new Plain({ a: 1 }), "NOT_DECORATED");
    expect(new Plain().a).toBe(0);
    definitionError(() => new ChosenMessage({ valeu: 1 }), "UNKNOWN_FIELD");
    // "__proto__" from JSON is data: refused as an unknown field, the prototype is untouched.
    definitionError(() => new ChosenMessage(JSON.parse('{"__proto__": {"polluted": true}}') as object), "UNKNOWN_FIELD");
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("needs a tag to make a message, and checks it when reading one", () => {
    definitionError(() => new Vec2().toMessage(), "NO_TAG");
    definitionError(() => tagOf(Vec2), "NO_TAG");
    expect(tagOf(ChooseMessage)).toBe(1);
    const e = catchError(() => ChosenMessage.fromMessage(new ChooseMessage().toMessage()));
    expect(e.code).toBe("TAG_MISMATCH");
    expect(catchError(() => ChosenMessage.fromMessage(DarkRiftMessage.command(2))).code).toBe("TAG_MISMATCH");
  });

  it("a thunk must return a class", () => {
    class BadThunk extends TypedMessage {
      @field(() => 5 as unknown as typeof Vec2) a = 0;
    }
    definitionError(() => new BadThunk().toBytes(), "BAD_FIELD_TYPE");
  });
});
