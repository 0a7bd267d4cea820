import { SFSArray, SFSObject } from "@sfs2x/core";
import fc from "fast-check";
import type { Message } from "../src/index.js";

const key = fc.string({ minLength: 0, maxLength: 8 });

type Leaf = (o: SFSObject, k: string) => void;
const leaf: fc.Arbitrary<Leaf> = fc.oneof(
  fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }).map((v): Leaf => (o, k) => o.putInt(k, v)),
  fc.integer({ min: 0, max: 255 }).map((v): Leaf => (o, k) => o.putByte(k, v)),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map((v): Leaf => (o, k) => o.putLong(k, v)),
  fc.double().map((v): Leaf => (o, k) => o.putDouble(k, v)),
  fc.boolean().map((v): Leaf => (o, k) => o.putBool(k, v)),
  fc.string({ maxLength: 40, unit: "grapheme" }).map((v): Leaf => (o, k) => o.putUtfString(k, v)),
  fc.uint8Array({ maxLength: 200 }).map((v): Leaf => (o, k) => o.putByteArray(k, v)),
  fc.array(fc.integer({ min: -32768, max: 32767 }), { maxLength: 10 }).map((v): Leaf => (o, k) => o.putShortArray(k, v)),
  fc.constant<Leaf>((o, k) => o.putNull(k)),
  // Compressible filler, so that compression thresholds matter.
  fc.integer({ min: 0, max: 3000 }).map((n): Leaf => (o, k) => o.putUtfString(k, "ab".repeat(n >> 1))),
);

const objectArb: fc.Arbitrary<SFSObject> = fc.letrec<{ obj: SFSObject }>((tie) => ({
  obj: fc
    .array(
      fc.tuple(
        key,
        fc.oneof(
          { depthSize: "small", withCrossShrink: true },
          leaf,
          tie("obj").map((child): Leaf => (o, k) => o.putSFSObject(k, child)),
          fc.array(tie("obj"), { maxLength: 3 }).map((children): Leaf => (o, k) => {
            const a = new SFSArray();
            for (const c of children) a.addSFSObject(c);
            o.putSFSArray(k, a);
          }),
        ),
      ),
      { maxLength: 6 },
    )
    .map((entries) => {
      const o = new SFSObject();
      for (const [k, put] of entries) put(o, k);
      return o;
    }),
})).obj;

/** Random messages with random params trees. */
export const messageArb: fc.Arbitrary<Message> = fc.record({
  controller: fc.integer({ min: 0, max: 255 }),
  action: fc.integer({ min: -32768, max: 32767 }),
  params: objectArb,
});
