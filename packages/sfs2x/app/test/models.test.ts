import { SFSArray, SFSDataType, SFSObject } from "@sfs2x/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ExtensionRequest,
  LoginErrorResponse,
  LoginResponse,
  ModelError,
  ModelErrorCode,
  SFSErrorResponse,
  SFSModel,
  bool,
  boolArray,
  byte,
  byteArray,
  command,
  commandOf,
  double,
  doubleArray,
  field,
  float,
  floatArray,
  int,
  intArray,
  long,
  longArray,
  model,
  modelArray,
  parseModel,
  parseUnion,
  sfsArray,
  sfsObject,
  short,
  shortArray,
  text,
  toSFSObject,
  utfString,
  utfStringArray,
} from "../src/index.js";

class Everything extends SFSModel {
  @bool("b") b = false;
  @byte("y") y = 0;
  @short("s") s = 0;
  @int("i") i = 0;
  @long("l") l: number | bigint = 0;
  @float("f") f = 0;
  @double("d") d = 0;
  @utfString("u") u = "";
  @text("t") t = "";
  @boolArray("ba") ba: boolean[] = [];
  @byteArray("by") by = new Uint8Array(0);
  @shortArray("sa") sa: number[] = [];
  @intArray("ia") ia: number[] = [];
  @longArray("la") la: (number | bigint)[] = [];
  @floatArray("fa") fa: number[] = [];
  @doubleArray("da") da: number[] = [];
  @utfStringArray("ua") ua: string[] = [];
  @sfsObject("o") o = new SFSObject();
  @sfsArray("a") a = new SFSArray();
}

class Vec2 extends SFSModel {
  @float("x") x = 0;
  @float("y") y = 0;
}

class Item extends SFSModel {
  @utfString("name") name = "";
  @short("qty") qty = 1;
  @model("at", Vec2, { optional: true }) at?: Vec2;
}

class Player extends SFSModel {
  @int("id") id = 0;
  @utfString("name") name = "";
  @model("pos", Vec2) pos = new Vec2();
  @modelArray("inv", Item) inventory: Item[] = [];
  @utfString("title", { optional: true }) title = "novice";
  @int("guild", { optional: true }) guild?: number;
}

const roundTrip = <T extends object>(cls: new () => T, value: T): T =>
  parseModel(cls, SFSObject.newFromBinaryData(toSFSObject(value).toBinary()));

describe("typed models", () => {
  it("serialise every wire type with the declared type and parse back", () => {
    const e = Object.assign(new Everything(), {
      b: true,
      y: 255,
      s: -32768,
      i: 2147483647,
      l: 2n ** 62n + 1n,
      f: 1.5,
      d: Math.PI,
      u: "héllo 日本 😀",
      t: "x".repeat(40000),
      ba: [true, false],
      by: new Uint8Array([0, 1, 255]),
      sa: [1, -2],
      ia: [7, -8],
      la: [1, -(2n ** 63n)],
      fa: [0.5],
      da: [1e300],
      ua: ["a", ""],
      o: new SFSObject().putInt("k", 1),
      a: new SFSArray().addUtfString("z"),
    });
    const obj = e.toSFSObject();
    const expected: Record<string, SFSDataType> = {
      b: SFSDataType.BOOL,
      y: SFSDataType.BYTE,
      s: SFSDataType.SHORT,
      i: SFSDataType.INT,
      l: SFSDataType.LONG,
      f: SFSDataType.FLOAT,
      d: SFSDataType.DOUBLE,
      u: SFSDataType.UTF_STRING,
      t: SFSDataType.TEXT,
      ba: SFSDataType.BOOL_ARRAY,
      by: SFSDataType.BYTE_ARRAY,
      sa: SFSDataType.SHORT_ARRAY,
      ia: SFSDataType.INT_ARRAY,
      la: SFSDataType.LONG_ARRAY,
      fa: SFSDataType.FLOAT_ARRAY,
      da: SFSDataType.DOUBLE_ARRAY,
      ua: SFSDataType.UTF_STRING_ARRAY,
      o: SFSDataType.SFS_OBJECT,
      a: SFSDataType.SFS_ARRAY,
    };
    for (const [k, t] of Object.entries(expected)) expect(obj.getType(k), k).toBe(t);
    const back = Everything.fromSFSObject(SFSObject.newFromBinaryData(obj.toBinary()));
    expect(back).toBeInstanceOf(Everything);
    expect(back.l).toBe(2n ** 62n + 1n);
    expect(back.la).toEqual([1, -(2n ** 63n)]);
    expect(back.u).toBe(e.u);
    expect(back.t.length).toBe(40000);
    expect(Array.from(back.by)).toEqual([0, 1, 255]);
    expect(back.o.getInt("k")).toBe(1);
    expect(back.a.getUtfString(0)).toBe("z");
    expect({ ...back, t: "", by: [], o: 0, a: 0 }).toEqual({ ...e, t: "", by: [], o: 0, a: 0 });
  });

  it("nest models and arrays of models", () => {
    const p = Object.assign(new Player(), {
      id: 3,
      name: "ada",
      pos: Object.assign(new Vec2(), { x: 1, y: 2 }),
      inventory: [Object.assign(new Item(), { name: "sword" }), Object.assign(new Item(), { name: "map", qty: 2, at: Object.assign(new Vec2(), { x: 5 }) })],
    });
    const obj = p.toSFSObject();
    expect(obj.getType("pos")).toBe(SFSDataType.SFS_OBJECT);
    expect(obj.getType("inv")).toBe(SFSDataType.SFS_ARRAY);
    expect(obj.getSFSArray("inv")!.getType(1)).toBe(SFSDataType.SFS_OBJECT);
    expect(obj.getSFSArray("inv")!.getSFSObject(1)!.getSFSObject("at")!.getFloat("x")).toBe(5);
    const back = roundTrip(Player, p);
    expect(back.pos).toBeInstanceOf(Vec2);
    expect(back.inventory[1]).toBeInstanceOf(Item);
    expect(back.inventory.map((i) => [i.name, i.qty])).toEqual([
      ["sword", 1],
      ["map", 2],
    ]);
    expect(back.inventory[0]!.at).toBeUndefined();
    expect(back.inventory[1]!.at!.x).toBe(5);
  });

  it("accept plain objects with the model's properties for nested fields", () => {
    const p = Object.assign(new Player(), { pos: { x: 1, y: 2 }, inventory: [{ name: "a", qty: 4 }] });
    const back = roundTrip(Player, p as Player);
    expect(back.pos.y).toBe(2);
    expect(back.inventory[0]!.qty).toBe(4);
  });

  it("leave optional fields at their defaults when absent and skip them when undefined", () => {
    const obj = new SFSObject().putInt("id", 1).putUtfString("name", "x").putSFSObject("pos", new Vec2().toSFSObject()).putSFSArray("inv", new SFSArray());
    const p = Player.fromSFSObject(obj);
    expect(p.title).toBe("novice");
    expect(p.guild).toBeUndefined();
    const out = p.toSFSObject();
    expect(out.containsKey("guild")).toBe(false);
    expect(out.getUtfString("title")).toBe("novice");
    // An optional key holding NULL counts as absent.
    obj.putNull("guild");
    expect(Player.fromSFSObject(obj).guild).toBeUndefined();
  });

  it("name the model and field on a missing required key", () => {
    const obj = new SFSObject().putInt("id", 1);
    const err = (() => {
      try {
        Player.fromSFSObject(obj);
      } catch (e) {
        return e;
      }
    })() as ModelError;
    expect(err).toBeInstanceOf(ModelError);
    expect(err.code).toBe(ModelErrorCode.MISSING_FIELD);
    expect(err.model).toBe("Player");
    expect(err.field).toBe("name");
    expect(err.message).toContain('Player.name (key "name")');
  });

  it("name the model and field on a wrong type (INT vs DOUBLE)", () => {
    const obj = new SFSObject().putDouble("id", 1).putUtfString("name", "x");
    expect(() => Player.fromSFSObject(obj)).toThrow(/Player\.id \(key "id"\): expected INT, got DOUBLE/);
    try {
      Player.fromSFSObject(obj);
    } catch (e) {
      expect((e as ModelError).code).toBe(ModelErrorCode.WRONG_TYPE);
      expect((e as ModelError).field).toBe("id");
    }
  });

  it("give the full path of a nested failure", () => {
    const inv = new SFSArray().addSFSObject(new SFSObject().putUtfString("name", "a").putShort("qty", 1)).addSFSObject(new SFSObject().putInt("name", 1));
    const obj = new SFSObject().putInt("id", 1).putUtfString("name", "x").putSFSObject("pos", new Vec2().toSFSObject()).putSFSArray("inv", inv);
    expect(() => Player.fromSFSObject(obj)).toThrow(/Player\.inventory\[1\]\.name/);
    const notObj = new SFSObject().putInt("id", 1).putUtfString("name", "x").putSFSObject("pos", new Vec2().toSFSObject()).putSFSArray("inv", new SFSArray().addInt(3));
    expect(() => Player.fromSFSObject(notObj)).toThrow(/Player\.inventory\[0\].*expected SFS_OBJECT/);
  });

  it("refuse values that do not fit the wire type, naming the field", () => {
    const p = Object.assign(new Everything(), { y: 300 });
    expect(() => p.toSFSObject()).toThrow(ModelError);
    expect(() => p.toSFSObject()).toThrow(/Everything\.y \(key "y"\)/);
    const q = Object.assign(new Player(), { name: undefined as unknown as string });
    try {
      q.toSFSObject();
      expect.unreachable();
    } catch (e) {
      expect((e as ModelError).code).toBe(ModelErrorCode.MISSING_FIELD);
      expect((e as ModelError).field).toBe("name");
    }
  });

  it("dispatch a union to the first model that parses", () => {
    const ok = new LoginResponse();
    ok.zone = "z";
    ok.username = "u";
    ok.userId = 5;
    const err = SFSErrorResponse.of(3, ["u"]).toSFSObject();
    expect(parseUnion([LoginResponse, LoginErrorResponse], ok.toSFSObject())).toBeInstanceOf(LoginResponse);
    const e = parseUnion([LoginResponse, LoginErrorResponse], err);
    expect(e).toBeInstanceOf(LoginErrorResponse);
    expect((e as LoginErrorResponse).code).toBe(3);
    expect(() => parseUnion([LoginResponse, Vec2], new SFSObject().putBool("x", true))).toThrow(expect.objectContaining({ code: ModelErrorCode.NO_MATCH }));
  });

  it("inherit fields (base first) and let a subclass redeclare one", () => {
    class Base extends SFSModel {
      @int("a") a = 1;
      @int("b") b = 2;
    }
    class Derived extends Base {
      @utfString("c") c = "x";
      @short("b") override b = 3;
    }
    const obj = new Derived().toSFSObject();
    expect(obj.getKeys()).toEqual(["a", "b", "c"]);
    expect(obj.getType("b")).toBe(SFSDataType.SHORT);
    expect(new Base().toSFSObject().getType("b")).toBe(SFSDataType.INT);
  });

  it("treat keys such as __proto__ as plain data", () => {
    class Odd extends SFSModel {
      @int("__proto__") proto = 7;
      @utfString("constructor") ctor = "c";
    }
    const obj = new Odd().toSFSObject();
    expect(obj.getInt("__proto__")).toBe(7);
    const back = Odd.fromSFSObject(SFSObject.newFromBinaryData(obj.toBinary()));
    expect(back.proto).toBe(7);
    expect(back.ctor).toBe("c");
    expect(Object.getPrototypeOf(back)).toBe(Odd.prototype);
  });

  it("reject bad definitions", () => {
    expect(() => field("k", 99 as SFSDataType.INT)).toThrow(ModelError);
    expect(() => field("k", SFSDataType.INT, { model: Vec2 })).toThrow(/only to SFS_OBJECT and SFS_ARRAY/);
    expect(() => field("k".repeat(300), SFSDataType.INT)).toThrow(/255/);
    class Dup extends SFSModel {
      @int("k") a = 0;
      @int("k") b = 0;
    }
    expect(() => new Dup().toSFSObject()).toThrow(/share the key "k"/);
  });

  it("bind extension models to a command (decorator or static field)", () => {
    @command("ping")
    class Ping extends ExtensionRequest {
      @int("n") n = 0;
    }
    class Pong extends ExtensionRequest {
      static override command = "pong";
    }
    expect(commandOf(Ping)).toBe("ping");
    expect(commandOf(Pong)).toBe("pong");
    expect(commandOf(Vec2)).toBeUndefined();
  });

  it("work with plain decorated classes (no base class) and self-references through a thunk", () => {
    class Node {
      @utfString("v") v = "";
      @modelArray("kids", () => Node) kids: Node[] = [];
    }
    const tree = Object.assign(new Node(), { v: "root", kids: [Object.assign(new Node(), { v: "leaf" })] });
    const back = parseModel(Node, toSFSObject(tree));
    expect(back.kids[0]!.v).toBe("leaf");
    expect(back.kids[0]).toBeInstanceOf(Node);
  });

  it("round-trip random values (property)", () => {
    class P extends SFSModel {
      @int("i") i = 0;
      @long("l") l: number | bigint = 0;
      @double("d") d = 0;
      @utfString("s") s = "";
      @intArray("ia") ia: number[] = [];
      @bool("b", { optional: true }) b?: boolean;
    }
    fc.assert(
      fc.property(
        fc.record({
          i: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
          l: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
          d: fc.double({ noNaN: true }),
          s: fc.string({ unit: "grapheme", maxLength: 50 }),
          ia: fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { maxLength: 20 }),
          b: fc.option(fc.boolean(), { nil: undefined }),
        }),
        (v) => {
          const back = roundTrip(P, Object.assign(new P(), v));
          expect(back.i).toBe(v.i);
          expect(BigInt(back.l)).toBe(v.l);
          expect(Object.is(back.d, v.d)).toBe(true);
          expect(back.s).toBe(v.s);
          expect(back.ia).toEqual(v.ia);
          expect(back.b).toBe(v.b);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("parse random SFSObjects into a value or a ModelError, never another exception (property)", () => {
    const scalar = fc.oneof(
      fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }).map((n) => [SFSDataType.INT, n] as const),
      fc.double().map((n) => [SFSDataType.DOUBLE, n] as const),
      fc.string().map((s) => [SFSDataType.UTF_STRING, s] as const),
      fc.constant([SFSDataType.NULL, null] as const),
      fc.boolean().map((b) => [SFSDataType.BOOL, b] as const),
    );
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom("id", "name", "pos", "inv", "title", "x", "y"), scalar), (entries) => {
        const obj = new SFSObject();
        for (const [k, [t, v]] of Object.entries(entries)) obj.put(k, t, v as never);
        try {
          expect(Player.fromSFSObject(obj)).toBeInstanceOf(Player);
        } catch (e) {
          expect(e).toBeInstanceOf(ModelError);
        }
      }),
      { numRuns: 300 },
    );
  });
});
