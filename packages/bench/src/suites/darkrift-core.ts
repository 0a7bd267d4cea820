/**
 * @darkrift/core + @darkrift/app codec throughput: the seed's ChooseMessage (20 int32) and a
 * 30-field mixed message, written and read through the typed-message layer and through the raw
 * DarkRiftWriter/DarkRiftReader, beside a hand-written DataView loop doing the same work (the ceiling).
 * Every contender produces/consumes identical bytes (checked before measuring).
 *
 * Every `run` returns undefined (`void (sink = …)`): the harness tests each call's result with
 * `instanceof Promise`, which costs a few ns for an object and almost nothing for a number, so
 * returning the writer (ours) against a byte count (the hand-written loops) charged ours for the
 * harness's own check (measured on the same code, ChooseMessage write, 3 runs each: 0.61–0.69×
 * with the writer returned, 0.74–0.92× with nothing returned). The work measured is unchanged.
 */
import { DarkRiftReader, DarkRiftWriter } from "@darkrift/core";
import { field, message, TypedMessage } from "@darkrift/app";
import { compare, type ContenderResult } from "../harness.js";

// ------------------------------------------------------------------ ChooseMessage

@message(1)
class ChooseMessage extends TypedMessage {
  @field("int32[]") items: number[] = [];
}

// ------------------------------------------------------------------ 30-field mixed message

@message(2)
class MixedMessage extends TypedMessage {
  @field("boolean") alive = false;
  @field("boolean") ready = false;
  @field("boolean") admin = false;
  @field("byte") team = 0;
  @field("byte") slot = 0;
  @field("sbyte") delta = 0;
  @field("int16") dx = 0;
  @field("int16") dy = 0;
  @field("uint16") ping = 0;
  @field("uint16") fps = 0;
  @field("int32") id = 0;
  @field("int32") score = 0;
  @field("int32") kills = 0;
  @field("int32") deaths = 0;
  @field("int32") assists = 0;
  @field("uint32") flags = 0;
  @field("uint32") seq = 0;
  @field("int64") accountId = 0n;
  @field("int64") sessionId = 0n;
  @field("uint64") timestamp = 0n;
  @field("single") x = 0;
  @field("single") y = 0;
  @field("single") z = 0;
  @field("double") health = 0;
  @field("double") armor = 0;
  @field("string") name = "";
  @field("string") clan = "";
  @field("int32[]") inventory: number[] = [];
  @field("boolean[]") perks: boolean[] = [];
  @field("uint16") level = 0;
}

type Mixed = Omit<MixedMessage, keyof TypedMessage>;

const mixedValues: Mixed = {
  alive: true, ready: false, admin: true, team: 2, slot: 7, delta: -3, dx: -120, dy: 340, ping: 42, fps: 144,
  id: 123456, score: 98765, kills: 12, deaths: 3, assists: 9, flags: 0xdeadbeef, seq: 4000000000,
  accountId: 72623859790382856n, sessionId: -5n, timestamp: 1700000000000n, x: 1.5, y: -2.25, z: 100.125,
  health: 87.5, armor: 33.25, name: "Player_One", clan: "Dark", inventory: [1, 2, 3, 4, 5],
  perks: [true, false, true, true, false, false, true, false], level: 60,
};

function rawWriteMixed(w: DarkRiftWriter, m: Mixed): void {
  w.writeBoolean(m.alive); w.writeBoolean(m.ready); w.writeBoolean(m.admin);
  w.writeByte(m.team); w.writeByte(m.slot); w.writeSByte(m.delta);
  w.writeInt16(m.dx); w.writeInt16(m.dy); w.writeUInt16(m.ping); w.writeUInt16(m.fps);
  w.writeInt32(m.id); w.writeInt32(m.score); w.writeInt32(m.kills); w.writeInt32(m.deaths); w.writeInt32(m.assists);
  w.writeUInt32(m.flags); w.writeUInt32(m.seq);
  w.writeInt64(m.accountId); w.writeInt64(m.sessionId); w.writeUInt64(m.timestamp);
  w.writeSingle(m.x); w.writeSingle(m.y); w.writeSingle(m.z); w.writeDouble(m.health); w.writeDouble(m.armor);
  w.writeString(m.name); w.writeString(m.clan); w.writeInt32s(m.inventory); w.writeBooleans(m.perks); w.writeUInt16(m.level);
}

function rawReadMixed(r: DarkRiftReader): Mixed {
  return {
    alive: r.readBoolean(), ready: r.readBoolean(), admin: r.readBoolean(),
    team: r.readByte(), slot: r.readByte(), delta: r.readSByte(),
    dx: r.readInt16(), dy: r.readInt16(), ping: r.readUInt16(), fps: r.readUInt16(),
    id: r.readInt32(), score: r.readInt32(), kills: r.readInt32(), deaths: r.readInt32(), assists: r.readInt32(),
    flags: r.readUInt32(), seq: r.readUInt32(),
    accountId: r.readInt64(), sessionId: r.readInt64(), timestamp: r.readUInt64(),
    x: r.readSingle(), y: r.readSingle(), z: r.readSingle(), health: r.readDouble(), armor: r.readDouble(),
    name: r.readString(), clan: r.readString(), inventory: r.readInt32s(), perks: r.readBooleans(), level: r.readUInt16(),
  };
}

// ------------------------------------------------------------------ hand-written DataView ceiling

const scratch = new Uint8Array(1024);
const scratchView = new DataView(scratch.buffer);

/** Writes into a reused buffer and returns the byte count (like the writers' reuse via reset()). */
function handWriteChoose(items: number[]): number {
  const dv = scratchView;
  dv.setInt32(0, items.length);
  let p = 4;
  for (let i = 0; i < items.length; i++, p += 4) dv.setInt32(p, items[i]!);
  return p;
}

/** The same loop with the range checks every DarkRift writer must make (what the validation costs). */
function handWriteChooseChecked(items: number[]): number {
  const dv = scratchView;
  const n = items.length;
  let p = 4;
  for (let i = 0; i < n; i++, p += 4) {
    const v = items[i]!;
    if (typeof v !== "number" || (v | 0) !== v) throw new RangeError("not an int32");
    dv.setInt32(p, v);
  }
  dv.setInt32(0, n);
  return p;
}

function handReadChoose(bytes: Uint8Array): { items: number[] } {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 4) throw new RangeError("short");
  const n = dv.getInt32(0);
  if (n < 0 || n * 4 > bytes.length - 4) throw new RangeError("bad count");
  const items = new Array<number>(n);
  for (let i = 0; i < n; i++) items[i] = dv.getInt32(4 + 4 * i);
  return { items };
}

function handWriteMixed(m: Mixed): number {
  const dv = scratchView;
  const b = scratch;
  let p = 0;
  b[p++] = m.alive ? 1 : 0; b[p++] = m.ready ? 1 : 0; b[p++] = m.admin ? 1 : 0;
  b[p++] = m.team; b[p++] = m.slot; b[p++] = m.delta & 0xff;
  dv.setInt16(p, m.dx); dv.setInt16(p + 2, m.dy); dv.setUint16(p + 4, m.ping); dv.setUint16(p + 6, m.fps); p += 8;
  dv.setInt32(p, m.id); dv.setInt32(p + 4, m.score); dv.setInt32(p + 8, m.kills); dv.setInt32(p + 12, m.deaths); dv.setInt32(p + 16, m.assists); p += 20;
  dv.setUint32(p, m.flags); dv.setUint32(p + 4, m.seq); p += 8;
  dv.setBigInt64(p, m.accountId); dv.setBigInt64(p + 8, m.sessionId); dv.setBigUint64(p + 16, m.timestamp); p += 24;
  dv.setFloat32(p, m.x); dv.setFloat32(p + 4, m.y); dv.setFloat32(p + 8, m.z); dv.setFloat64(p + 12, m.health); dv.setFloat64(p + 20, m.armor); p += 28;
  const name = m.name;
  dv.setInt32(p, name.length * 2);
  p += 4;
  for (let i = 0; i < name.length; i++, p += 2) dv.setUint16(p, name.charCodeAt(i), true);
  const clan = m.clan;
  dv.setInt32(p, clan.length * 2);
  p += 4;
  for (let i = 0; i < clan.length; i++, p += 2) dv.setUint16(p, clan.charCodeAt(i), true);
  dv.setInt32(p, m.inventory.length); p += 4;
  for (let i = 0; i < m.inventory.length; i++, p += 4) dv.setInt32(p, m.inventory[i]!);
  dv.setInt32(p, m.perks.length); p += 4;
  let acc = 0;
  for (let i = 0; i < m.perks.length; i++) {
    if (m.perks[i]) acc |= 0x80 >>> (i & 7);
    if ((i & 7) === 7) { b[p++] = acc; acc = 0; }
  }
  if (m.perks.length & 7) b[p++] = acc;
  dv.setUint16(p, m.level); p += 2;
  return p;
}

const I64_MIN = -(1n << 63n);
const I64_MAX = (1n << 63n) - 1n;
const U64_MAX = (1n << 64n) - 1n;
const bad = (): never => {
  throw new RangeError("out of range");
};

/** handWriteMixed plus the checks a DarkRift writer makes (types, integer ranges, 64-bit ranges). */
function handWriteMixedChecked(m: Mixed): number {
  if (typeof m.alive !== "boolean" || typeof m.ready !== "boolean" || typeof m.admin !== "boolean") bad();
  if ((m.team & 255) !== m.team || (m.slot & 255) !== m.slot || (m.delta << 24) >> 24 !== m.delta) bad();
  if ((m.dx << 16) >> 16 !== m.dx || (m.dy << 16) >> 16 !== m.dy || (m.ping & 65535) !== m.ping || (m.fps & 65535) !== m.fps) bad();
  if ((m.id | 0) !== m.id || (m.score | 0) !== m.score || (m.kills | 0) !== m.kills || (m.deaths | 0) !== m.deaths || (m.assists | 0) !== m.assists) bad();
  if (m.flags >>> 0 !== m.flags || m.seq >>> 0 !== m.seq || (m.level & 65535) !== m.level) bad();
  if (m.accountId < I64_MIN || m.accountId > I64_MAX || m.sessionId < I64_MIN || m.sessionId > I64_MAX || m.timestamp < 0n || m.timestamp > U64_MAX) bad();
  if (typeof m.x !== "number" || typeof m.y !== "number" || typeof m.z !== "number" || typeof m.health !== "number" || typeof m.armor !== "number") bad();
  if (typeof m.name !== "string" || typeof m.clan !== "string") bad();
  for (const v of m.inventory) if ((v | 0) !== v) bad();
  for (const v of m.perks) if (typeof v !== "boolean") bad();
  return handWriteMixed(m);
}

function handReadString(dv: DataView, p: number, end: number): string {
  if (p + 4 > end) throw new RangeError("short");
  const n = dv.getInt32(p);
  if (n < 0 || n > end - p - 4) throw new RangeError("bad count");
  let s = "";
  for (let i = 0; i < n; i += 2) s += String.fromCharCode(dv.getUint16(p + 4 + i, true));
  return s;
}

function handReadMixed(bytes: Uint8Array): Mixed {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = bytes.length;
  if (end < 94) throw new RangeError("short");
  const name = handReadString(dv, 94, end);
  let p = 98 + name.length * 2;
  const clan = handReadString(dv, p, end);
  p += 4 + clan.length * 2;
  if (p + 4 > end) throw new RangeError("short");
  let n = dv.getInt32(p);
  p += 4;
  if (n < 0 || n * 4 > end - p) throw new RangeError("bad count");
  const inventory = new Array<number>(n);
  for (let i = 0; i < n; i++, p += 4) inventory[i] = dv.getInt32(p);
  if (p + 4 > end) throw new RangeError("short");
  n = dv.getInt32(p);
  p += 4;
  const size = Math.ceil(n / 8);
  if (n < 0 || size > end - p) throw new RangeError("bad count");
  const perks = new Array<boolean>(n);
  for (let i = 0; i < n; i++) perks[i] = (bytes[p + (i >>> 3)]! & (0x80 >>> (i & 7))) !== 0;
  p += size;
  if (p + 2 > end) throw new RangeError("short");
  return {
    alive: bytes[0] === 1, ready: bytes[1] === 1, admin: bytes[2] === 1, team: bytes[3]!, slot: bytes[4]!, delta: (bytes[5]! << 24) >> 24,
    dx: dv.getInt16(6), dy: dv.getInt16(8), ping: dv.getUint16(10), fps: dv.getUint16(12),
    id: dv.getInt32(14), score: dv.getInt32(18), kills: dv.getInt32(22), deaths: dv.getInt32(26), assists: dv.getInt32(30),
    flags: dv.getUint32(34), seq: dv.getUint32(38),
    accountId: dv.getBigInt64(42), sessionId: dv.getBigInt64(50), timestamp: dv.getBigUint64(58),
    x: dv.getFloat32(66), y: dv.getFloat32(70), z: dv.getFloat32(74), health: dv.getFloat64(78), armor: dv.getFloat64(86),
    name, clan, inventory, perks, level: dv.getUint16(p),
  };
}

// ------------------------------------------------------------------ suite

const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");
function same(label: string, ...outputs: Uint8Array[]): void {
  const first = hex(outputs[0]!);
  for (const o of outputs) if (hex(o) !== first) throw new Error(`${label}: contenders disagree on the bytes`);
}

let sink: unknown;

function ratioLine(results: ContenderResult[]): void {
  const [typed, raw, hand, checked] = results;
  let line = `typed ÷ hand-written: ${(typed!.opsPerSec / hand!.opsPerSec).toFixed(2)}×, raw ÷ hand-written: ${(raw!.opsPerSec / hand!.opsPerSec).toFixed(2)}×`;
  if (checked) line += `; typed ÷ hand-written with checks: ${(typed!.opsPerSec / checked.opsPerSec).toFixed(2)}×, raw ÷ it: ${(raw!.opsPerSec / checked.opsPerSec).toFixed(2)}×`;
  console.log(line);
}

export default async function darkriftCore(): Promise<void> {
  const items = Array.from({ length: 20 }, (_, i) => ((i * 2654435761) | 0) ^ 0x5bd1e995);
  const choose = new ChooseMessage({ items });
  // Every writer encodes into a reused buffer: the codec is measured, not the allocator.
  // (toBytes()/toMessage() add one copy of the payload, as any message that outlives its writer must.)
  const typedWriter = new DarkRiftWriter();
  const rawWriter = new DarkRiftWriter();
  // (The raw and hand-written contenders read the same array the typed instance holds.)
  const typedChoose = (): DarkRiftWriter => {
    typedWriter.reset().writeSerializable(choose);
    return typedWriter;
  };
  const rawChoose = (): DarkRiftWriter => {
    rawWriter.reset().writeInt32s(items);
    return rawWriter;
  };
  const chooseBytes = choose.toBytes();
  same("ChooseMessage write", chooseBytes, typedChoose().toBytes(), rawChoose().toBytes(), scratch.subarray(0, handWriteChoose(items)));
  same("ChooseMessage write (checked)", chooseBytes, scratch.subarray(0, handWriteChooseChecked(items)));

  ratioLine(
    await compare(
      "DarkRift ChooseMessage (20 int32): write payload into a reused buffer",
      { name: "typed writer.writeSerializable(choose)", run: () => void (sink = typedChoose()), bytesPerOp: chooseBytes.length },
      [
        { name: "raw DarkRiftWriter.writeInt32s", run: () => void (sink = rawChoose()), bytesPerOp: chooseBytes.length },
        { name: "hand-written DataView", run: () => void (sink = handWriteChoose(items)), bytesPerOp: chooseBytes.length },
        { name: "hand-written DataView + range checks", run: () => void (sink = handWriteChooseChecked(items)), bytesPerOp: chooseBytes.length },
      ],
    ),
  );

  ratioLine(
    await compare(
      "DarkRift ChooseMessage (20 int32): read payload",
      { name: "typed ChooseMessage.fromBytes()", run: () => void (sink = ChooseMessage.fromBytes(chooseBytes)), bytesPerOp: chooseBytes.length },
      [
        { name: "raw DarkRiftReader.readInt32s", run: () => void (sink = { items: new DarkRiftReader(chooseBytes).readInt32s() }), bytesPerOp: chooseBytes.length },
        { name: "hand-written DataView", run: () => void (sink = handReadChoose(chooseBytes)), bytesPerOp: chooseBytes.length },
      ],
    ),
  );

  // All three contenders encode from the same object (a MixedMessage instance), so property access costs alike.
  const mixed = new MixedMessage(mixedValues);
  const typedMixed = (): DarkRiftWriter => {
    typedWriter.reset().writeSerializable(mixed);
    return typedWriter;
  };
  const rawMixed = (): DarkRiftWriter => {
    rawWriteMixed(rawWriter.reset(), mixed);
    return rawWriter;
  };
  const mixedBytes = mixed.toBytes();
  same("MixedMessage write", mixedBytes, typedMixed().toBytes(), rawMixed().toBytes(), scratch.subarray(0, handWriteMixed(mixed)));
  same("MixedMessage write (checked)", mixedBytes, scratch.subarray(0, handWriteMixedChecked(mixed)));
  const check = [MixedMessage.fromBytes(mixedBytes), rawReadMixed(new DarkRiftReader(mixedBytes)), handReadMixed(mixedBytes)];
  for (const c of check) if (JSON.stringify({ ...c }, (_k, v) => (typeof v === "bigint" ? `${v}` : v)) !== JSON.stringify(mixedValues, (_k, v) => (typeof v === "bigint" ? `${v}` : v))) throw new Error("MixedMessage read: contenders disagree");

  ratioLine(
    await compare(
      `DarkRift 30-field mixed message (${mixedBytes.length} B): write payload into a reused buffer`,
      { name: "typed writer.writeSerializable(mixed)", run: () => void (sink = typedMixed()), bytesPerOp: mixedBytes.length },
      [
        { name: "raw DarkRiftWriter calls", run: () => void (sink = rawMixed()), bytesPerOp: mixedBytes.length },
        { name: "hand-written DataView", run: () => void (sink = handWriteMixed(mixed)), bytesPerOp: mixedBytes.length },
        { name: "hand-written DataView + range checks", run: () => void (sink = handWriteMixedChecked(mixed)), bytesPerOp: mixedBytes.length },
      ],
    ),
  );

  ratioLine(
    await compare(
      `DarkRift 30-field mixed message (${mixedBytes.length} B): read payload`,
      { name: "typed MixedMessage.fromBytes()", run: () => void (sink = MixedMessage.fromBytes(mixedBytes)), bytesPerOp: mixedBytes.length },
      [
        { name: "raw DarkRiftReader calls", run: () => void (sink = rawReadMixed(new DarkRiftReader(mixedBytes))), bytesPerOp: mixedBytes.length },
        { name: "hand-written DataView", run: () => void (sink = handReadMixed(mixedBytes)), bytesPerOp: mixedBytes.length },
      ],
    ),
  );
  if (sink === undefined) console.log("");
}
