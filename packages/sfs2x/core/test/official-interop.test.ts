/**
 * Live interop with the official JS client's serializer (sfs2x-api 1.8.6): the same random
 * trees, built through both APIs, give the same bytes, and each side decodes the other's.
 */
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { SFSArray, SFSDataType, SFSObject, toHex, toTypedJson } from "../src/index.js";
import { treeArb } from "./arbitraries.js";

interface OfficialContainer {
  toBinary(): Uint8Array;
  put(key: string, value: unknown, type: number): void;
  add(value: unknown, type: number): void;
  getDump(): string;
}
interface OfficialApi {
  SFSObject: { new (): OfficialContainer; newFromBinaryData(b: Uint8Array): OfficialContainer };
  SFSArray: { new (): OfficialContainer; newFromBinaryData(b: Uint8Array): OfficialContainer };
}

let official: OfficialApi;
beforeAll(async () => {
  // The official bundle expects a browser global.
  (globalThis as { window?: unknown }).window = globalThis;
  official = ((await import("sfs2x-api")) as unknown as { default: OfficialApi }).default;
});

function officialValue(type: number, v: unknown): unknown {
  if (type === SFSDataType.SFS_OBJECT) return toOfficialObject(v as SFSObject);
  if (type === SFSDataType.SFS_ARRAY) return toOfficialArray(v as SFSArray);
  return v;
}

function toOfficialObject(o: SFSObject): OfficialContainer {
  const out = new official.SFSObject();
  for (const [k, t, v] of o.entries()) out.put(k, officialValue(t, v), t);
  return out;
}

function toOfficialArray(a: SFSArray): OfficialContainer {
  const out = new official.SFSArray();
  for (const [t, v] of a.entries()) out.add(officialValue(t, v), t);
  return out;
}

describe("official sfs2x-api serializer", () => {
  it("random trees: same bytes from both encoders, and each decodes the other's", () => {
    fc.assert(
      fc.property(treeArb({ officialOnly: true }), (ours) => {
        const ourBytes = ours.toBinary().slice();
        const theirs = toOfficialObject(ours);
        const theirBytes = theirs.toBinary();
        expect(toHex(ourBytes)).toBe(toHex(theirBytes));
        // They decode ours (and re-encode the same bytes); we decode theirs to the same typed tree.
        expect(toHex(official.SFSObject.newFromBinaryData(ourBytes).toBinary())).toBe(toHex(ourBytes));
        expect(toTypedJson(SFSObject.newFromBinaryData(theirBytes))).toEqual(toTypedJson(ours));
      }),
      { numRuns: 300 },
    );
  });

  it("a representative game payload matches", () => {
    const ours = new SFSObject()
      .putInt("id", 42)
      .putUtfString("name", "player-ünïcode-😀")
      .putLong("ts", 1_700_000_000_123)
      .putBool("alive", true)
      .putDoubleArray("pos", [1.5, -2.25, 1e-300])
      .putSFSObject("inv", new SFSObject().putShort("gold", 1200).putByteArray("raw", Uint8Array.of(0, 255)));
    expect(toHex(ours.toBinary())).toBe(toHex(toOfficialObject(ours).toBinary()));
  });
});
