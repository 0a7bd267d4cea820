/**
 * @sfs2x/core codec: encode + decode round trips of the same data through our SFSObject, the
 * official `sfs2x-api` serializer (1.8.6) and msgpackr (standard MessagePack maps), in one run.
 */
import { SFS, SFSArray, SFSObject } from "@sfs2x/core";
import { pack, unpack } from "msgpackr";
import { compare } from "../harness.js";
import { loadOfficial } from "../official.js";
import { gamePayload } from "../payloads.js";

interface OfficialContainer {
  toBinary(): Uint8Array;
  put(key: string, value: unknown, type: number): void;
  add(value: unknown, type: number): void;
}
interface OfficialApi {
  SFSObject: { new (): OfficialContainer; newFromBinaryData(b: Uint8Array): OfficialContainer };
  SFSArray: { new (): OfficialContainer };
}

/** Same tree through the official put/add API, wire types included. */
function toOfficial(api: OfficialApi, o: SFSObject): OfficialContainer {
  const out = new api.SFSObject();
  for (const [k, t, v] of o.entries()) out.put(k, officialValue(api, t, v), t);
  return out;
}
function toOfficialArray(api: OfficialApi, a: SFSArray): OfficialContainer {
  const out = new api.SFSArray();
  for (const [t, v] of a.entries()) out.add(officialValue(api, t, v), t);
  return out;
}
function officialValue(api: OfficialApi, t: number, v: unknown): unknown {
  if (v instanceof SFSObject) return toOfficial(api, v);
  if (v instanceof SFSArray) return toOfficialArray(api, v);
  return t === 5 ? Number(v) : v;
}

/** About 64 KiB: a room snapshot, an SFSArray of entity objects. */
function largePayload(): SFSObject {
  const entities = [];
  for (let i = 0; i < 720; i++) {
    entities.push({
      id: SFS.int(i),
      n: `entity-${i}`,
      x: SFS.double(i * 0.5),
      y: SFS.double(i * -0.25),
      hp: SFS.short(100 - (i % 100)),
      v: SFS.floatArray([0.5, 1, 1.5]),
      t: SFS.long(1_732_284_000_000 + i),
    });
  }
  return SFSObject.from({ room: SFS.int(7), tick: SFS.long(123_456), ents: entities, note: "snapshot" });
}

async function run(title: string, ours: SFSObject, api: OfficialApi): Promise<void> {
  const bytes = ours.toBinary().length;
  const official = toOfficial(api, ours);
  const plain = ours.toPlain(); // the same data as plain JS for msgpackr
  const mpBytes = pack(plain).length;
  let sink = 0;
  await compare(`${title} (${bytes} B; msgpack ${mpBytes} B)`, {
    name: "@sfs2x/core toBinary + newFromBinaryData",
    bytesPerOp: bytes,
    run: () => {
      sink += SFSObject.newFromBinaryData(ours.toBinary()).size();
    },
  }, [
    {
      name: "official sfs2x-api 1.8.6",
      bytesPerOp: bytes,
      run: () => {
        sink += api.SFSObject.newFromBinaryData(official.toBinary()) ? 1 : 0;
      },
    },
    {
      name: "msgpackr pack + unpack",
      bytesPerOp: mpBytes,
      run: () => {
        sink += (unpack(pack(plain)) as object) ? 1 : 0;
      },
    },
  ]);
  if (sink === 0) console.log("(unreachable)");
}

export default async function (): Promise<void> {
  const api = await loadOfficial<OfficialApi>("SFSObject");
  await run("sfs2x-core round trip, representative game payload (11 keys)", gamePayload(), api);
  await run("sfs2x-core round trip, large payload (~64 KiB)", largePayload(), api);
}
