import fc from "fast-check";
import { SFSArray, SFSDataType, SFSObject } from "../src/index.js";

export interface ArbOptions {
  /** Only values the official JS client accepts (safe LONGs, finite FLOAT/DOUBLE). */
  officialOnly?: boolean;
}

type Typed = { type: SFSDataType; value: unknown };

const int64 = fc.bigInt(-(2n ** 63n), 2n ** 63n - 1n).map((b) => (Number.isSafeInteger(Number(b)) && BigInt(Number(b)) === b ? Number(b) : b));
const safeLong = fc.maxSafeInteger();
// "binary" strings: any code point, astral ones included, no lone surrogates (those cannot round-trip UTF-8).
const str = fc.string({ unit: "binary", maxLength: 24 });
const key = fc.oneof(
  { weight: 6, arbitrary: fc.string({ unit: "binary", maxLength: 12 }) },
  { weight: 1, arbitrary: fc.constantFrom("__proto__", "constructor", "toString", "hasOwnProperty", "") },
);

export function scalarArb(o: ArbOptions = {}): fc.Arbitrary<Typed> {
  const float = o.officialOnly ? fc.float({ noNaN: true, noDefaultInfinity: true }) : fc.float();
  const double = o.officialOnly ? fc.double({ noNaN: true, noDefaultInfinity: true }) : fc.double();
  const long = o.officialOnly ? safeLong : fc.oneof(safeLong, int64);
  const t = <T>(type: SFSDataType, arb: fc.Arbitrary<T>): fc.Arbitrary<Typed> => arb.map((value) => ({ type, value }));
  return fc.oneof(
    t(SFSDataType.NULL, fc.constant(null)),
    t(SFSDataType.BOOL, fc.boolean()),
    t(SFSDataType.BYTE, fc.integer({ min: 0, max: 255 })),
    t(SFSDataType.SHORT, fc.integer({ min: -32768, max: 32767 })),
    t(SFSDataType.INT, fc.integer()),
    t(SFSDataType.LONG, long),
    t(SFSDataType.FLOAT, float),
    t(SFSDataType.DOUBLE, double),
    t(SFSDataType.UTF_STRING, str),
    t(SFSDataType.TEXT, str),
    t(SFSDataType.BOOL_ARRAY, fc.array(fc.boolean(), { maxLength: 8 })),
    t(SFSDataType.BYTE_ARRAY, fc.uint8Array({ maxLength: 16 })),
    t(SFSDataType.SHORT_ARRAY, fc.array(fc.integer({ min: -32768, max: 32767 }), { maxLength: 8 })),
    t(SFSDataType.INT_ARRAY, fc.array(fc.integer(), { maxLength: 8 })),
    t(SFSDataType.LONG_ARRAY, fc.array(long, { maxLength: 8 })),
    t(SFSDataType.FLOAT_ARRAY, fc.array(float, { maxLength: 8 })),
    t(SFSDataType.DOUBLE_ARRAY, fc.array(double, { maxLength: 8 })),
    t(SFSDataType.UTF_STRING_ARRAY, fc.array(str, { maxLength: 6 })),
  );
}

/** Random typed trees: an SFSObject root with scalars, typed arrays and nested containers. */
export function treeArb(o: ArbOptions = {}): fc.Arbitrary<SFSObject> {
  const scalar = scalarArb(o);
  const { object } = fc.letrec<{ object: SFSObject; array: SFSArray; value: Typed }>((tie) => ({
    value: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      { weight: 8, arbitrary: scalar },
      { weight: 1, arbitrary: tie("object").map((value) => ({ type: SFSDataType.SFS_OBJECT, value })) },
      { weight: 1, arbitrary: tie("array").map((value) => ({ type: SFSDataType.SFS_ARRAY, value })) },
    ),
    object: fc.array(fc.tuple(key, tie("value")), { maxLength: 6 }).map((entries) => {
      const obj = new SFSObject();
      for (const [k, v] of entries) obj.put(k, v.type as never, v.value as never);
      return obj;
    }),
    array: fc.array(tie("value"), { maxLength: 6 }).map((items) => {
      const arr = new SFSArray();
      for (const v of items) arr.add(v.type as never, v.value as never);
      return arr;
    }),
  }));
  return object;
}
