// Every writer and message vector produced by the official C# DarkRift 2 build, both ways.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  DarkRiftMessage,
  DarkRiftReader,
  DarkRiftWriter,
  MessageFlags,
  type DarkRiftSerializable,
} from "../src/index.js";
import { hex, unhex } from "@darkrift/testkit";

interface WriterVector {
  name: string;
  type: string;
  value: unknown;
  hex: string;
}
interface MessageVector {
  name: string;
  tag: number;
  udp_datagram_hex: string;
  tcp_frame_hex: string;
}
const vectors = JSON.parse(readFileSync(new URL("./fixtures/csharp_writer_and_messages.json", import.meta.url), "utf8")) as {
  writer: WriterVector[];
  messages: MessageVector[];
};


/** JSON stores float specials and 64-bit integers as strings. */
const num = (v: unknown): number => (typeof v === "string" ? (v === "-0" ? -0 : Number(v)) : (v as number));

class Vec2 implements DarkRiftSerializable {
  x = 0;
  y = 0;
  static of(x: number, y: number): Vec2 {
    return Object.assign(new Vec2(), { x, y });
  }
  serialize(w: DarkRiftWriter): void {
    w.writeSingle(this.x);
    w.writeSingle(this.y);
  }
  deserialize(r: DarkRiftReader): void {
    this.x = r.readSingle();
    this.y = r.readSingle();
  }
}

/** How to write and read each vector type, and the value we expect back. */
const codecs: Record<string, { write: (w: DarkRiftWriter, v: unknown) => void; read: (r: DarkRiftReader) => unknown; expected?: (v: unknown) => unknown }> = {
  bool: { write: (w, v) => w.writeBoolean(v as boolean), read: (r) => r.readBoolean() },
  byte: { write: (w, v) => w.writeByte(v as number), read: (r) => r.readByte() },
  sbyte: { write: (w, v) => w.writeSByte(v as number), read: (r) => r.readSByte() },
  int16: { write: (w, v) => w.writeInt16(v as number), read: (r) => r.readInt16() },
  uint16: { write: (w, v) => w.writeUInt16(v as number), read: (r) => r.readUInt16() },
  int32: { write: (w, v) => w.writeInt32(v as number), read: (r) => r.readInt32() },
  uint32: { write: (w, v) => w.writeUInt32(v as number), read: (r) => r.readUInt32() },
  int64: { write: (w, v) => w.writeInt64(BigInt(v as string)), read: (r) => r.readInt64(), expected: (v) => BigInt(v as string) },
  uint64: { write: (w, v) => w.writeUInt64(BigInt(v as string)), read: (r) => r.readUInt64(), expected: (v) => BigInt(v as string) },
  single: { write: (w, v) => w.writeSingle(num(v)), read: (r) => r.readSingle(), expected: num },
  double: { write: (w, v) => w.writeDouble(num(v)), read: (r) => r.readDouble(), expected: num },
  string: { write: (w, v) => w.writeString(v as string), read: (r) => r.readString() },
  "string/utf8": { write: (w, v) => w.writeString(v as string, "utf8"), read: (r) => r.readString("utf8") },
  "string/ascii": { write: (w, v) => w.writeString(v as string, "ascii"), read: (r) => r.readString("ascii") },
  char: { write: (w, v) => w.writeChar(v as string), read: (r) => r.readChar() },
  "char/utf8": { write: (w, v) => w.writeChar(v as string, "utf8"), read: (r) => r.readChar("utf8") },
  "char[]": { write: (w, v) => w.writeChars(v as string), read: (r) => r.readChars() },
  "byte[]": {
    write: (w, v) => w.writeBytes(new Uint8Array(v as number[])),
    read: (r) => r.readBytes(),
    expected: (v) => new Uint8Array(v as number[]),
  },
  "sbyte[]": { write: (w, v) => w.writeSBytes(v as number[]), read: (r) => r.readSBytes() },
  "bool[]": { write: (w, v) => w.writeBooleans(v as boolean[]), read: (r) => r.readBooleans() },
  "int16[]": { write: (w, v) => w.writeInt16s(v as number[]), read: (r) => r.readInt16s() },
  "uint16[]": { write: (w, v) => w.writeUInt16s(v as number[]), read: (r) => r.readUInt16s() },
  "int32[]": { write: (w, v) => w.writeInt32s(v as number[]), read: (r) => r.readInt32s() },
  "uint32[]": { write: (w, v) => w.writeUInt32s(v as number[]), read: (r) => r.readUInt32s() },
  "int64[]": {
    write: (w, v) => w.writeInt64s((v as string[]).map(BigInt)),
    read: (r) => r.readInt64s(),
    expected: (v) => (v as string[]).map(BigInt),
  },
  "uint64[]": {
    write: (w, v) => w.writeUInt64s((v as string[]).map(BigInt)),
    read: (r) => r.readUInt64s(),
    expected: (v) => (v as string[]).map(BigInt),
  },
  "single[]": { write: (w, v) => w.writeSingles((v as unknown[]).map(num)), read: (r) => r.readSingles(), expected: (v) => (v as unknown[]).map(num) },
  "double[]": { write: (w, v) => w.writeDoubles((v as unknown[]).map(num)), read: (r) => r.readDoubles(), expected: (v) => (v as unknown[]).map(num) },
  "string[]": { write: (w, v) => w.writeStrings(v as string[]), read: (r) => r.readStrings() },
  IDarkRiftSerializable: {
    write: (w, v) => {
      const o = v as { x: number; y: number };
      w.writeSerializable(Vec2.of(o.x, o.y));
    },
    read: (r) => ({ ...r.readSerializable(Vec2) }),
  },
  "IDarkRiftSerializable[]": {
    write: (w, v) => w.writeSerializables((v as { x: number; y: number }[]).map((o) => Vec2.of(o.x, o.y))),
    read: (r) => r.readSerializables(Vec2).map((o) => ({ ...o })),
  },
  raw: { write: (w, v) => w.writeRaw(new Uint8Array(v as number[])), read: (r) => r.readRaw(r.remaining), expected: (v) => new Uint8Array(v as number[]) },
  sequence: {
    write: (w, v) => {
      const [i, s, b] = v as [number, string, boolean];
      w.writeInt32(i);
      w.writeString(s);
      w.writeBoolean(b);
    },
    read: (r) => [r.readInt32(), r.readString(), r.readBoolean()],
  },
};

describe("C# writer vectors", () => {
  it("covers every vector type", () => {
    const missing = vectors.writer.filter((v) => !codecs[v.type]).map((v) => v.type);
    expect(missing).toEqual([]);
    expect(vectors.writer.length).toBeGreaterThan(100);
  });

  for (const v of vectors.writer) {
    it(`${v.name}: write → bytes and bytes → value`, () => {
      const codec = codecs[v.type]!;
      const w = new DarkRiftWriter({ initialCapacity: 1 }); // also exercises buffer growth
      codec.write(w, v.value);
      expect(hex(w.toBytes())).toBe(v.hex);
      expect(w.length).toBe(v.hex.length / 2);

      const r = new DarkRiftReader(unhex(v.hex));
      const value = codec.read(r);
      expect(value).toEqual(codec.expected ? codec.expected(v.value) : v.value);
      expect(r.remaining).toBe(0);
      expect(r.position).toBe(r.length);
    });
  }
});

/** Body layout (spec §2): flags, tag (uint16 BE), ping code (uint16 BE, only with 0x40), payload. */
function decodeBody(body: Uint8Array): DarkRiftMessage {
  const r = new DarkRiftReader(body);
  const flags = r.readByte();
  const tag = r.readUInt16();
  const pingCode = flags & MessageFlags.Ping ? r.readUInt16() : 0;
  return new DarkRiftMessage(tag, r.readRaw(r.remaining), { flags, pingCode });
}
function encodeBody(m: DarkRiftMessage): Uint8Array {
  const w = new DarkRiftWriter();
  w.writeByte(m.flags);
  w.writeUInt16(m.tag);
  if (m.flags & MessageFlags.Ping) w.writeUInt16(m.pingCode);
  w.writeRaw(m.payload);
  return w.toBytes();
}

describe("C# message vectors", () => {
  const build: Record<string, () => DarkRiftMessage> = {
    "empty message tag 0": () => new DarkRiftMessage(0),
    "empty message tag 65535": () => new DarkRiftMessage(65535),
    "tag 1, int32[] {1,2,3,-1}": () => {
      const w = new DarkRiftWriter();
      w.writeInt32s([1, 2, 3, -1]);
      return new DarkRiftMessage(1, w);
    },
    'tag 0x1234, string "hi" (UTF-16LE default)': () => {
      const w = new DarkRiftWriter();
      w.writeString("hi");
      return new DarkRiftMessage(0x1234, w);
    },
    "server->client Configure command (CommandCode 0) assigning client ID 7": () => {
      const w = new DarkRiftWriter();
      w.writeUInt16(7);
      return DarkRiftMessage.command(0, w.toBytes());
    },
    "server->client Configure command assigning client ID 0 (first client)": () => {
      const w = new DarkRiftWriter();
      w.writeUInt16(0);
      return DarkRiftMessage.command(0, w.toBytes());
    },
    "ping message tag 5, ping code 0xBEEF, int32 42": () => {
      const w = new DarkRiftWriter();
      w.writeInt32(42);
      return DarkRiftMessage.ping(5, w, 0xbeef);
    },
    "ping ack tag 6 acknowledging ping code 0xBEEF, int32 42": () => {
      const w = new DarkRiftWriter();
      w.writeInt32(42);
      return DarkRiftMessage.ping(5, undefined, 0xbeef).makePingAcknowledgement(6, w);
    },
  };

  it("covers every message vector", () => {
    expect(vectors.messages.map((m) => m.name).filter((n) => !build[n])).toEqual([]);
  });

  for (const v of vectors.messages) {
    it(`${v.name}: encode → body and body → message`, () => {
      const m = build[v.name]!();
      expect(m.tag).toBe(v.tag);
      expect(hex(encodeBody(m))).toBe(v.udp_datagram_hex);
      // The TCP frame is the same body behind an int32 BE length.
      const prefix = new DarkRiftWriter();
      prefix.writeInt32(v.udp_datagram_hex.length / 2);
      expect(hex(prefix.toBytes()) + v.udp_datagram_hex).toBe(v.tcp_frame_hex);

      const back = decodeBody(unhex(v.udp_datagram_hex));
      expect(back.tag).toBe(m.tag);
      expect(back.flags).toBe(m.flags);
      expect(back.pingCode).toBe(m.pingCode);
      expect(hex(back.payload)).toBe(hex(m.payload));
      expect(back.isPing).toBe(m.isPing);
      expect(back.isPingAcknowledgement).toBe(m.isPingAcknowledgement);
      expect(back.isCommand).toBe(m.isCommand);
    });
  }

  it("reads the payloads back as the C# values", () => {
    const one = decodeBody(unhex(vectors.messages[2]!.udp_datagram_hex));
    expect(one.getReader().readInt32s()).toEqual([1, 2, 3, -1]);
    const configure = decodeBody(unhex(vectors.messages[4]!.udp_datagram_hex));
    expect(configure.isCommand).toBe(true);
    expect(configure.commandCode).toBe(0);
    expect(configure.getReader().readUInt16()).toBe(7);
    const ping = decodeBody(unhex(vectors.messages[6]!.udp_datagram_hex));
    expect([ping.isPing, ping.isPingAcknowledgement, ping.pingCode]).toEqual([true, false, 0xbeef]);
    expect(ping.getReader().readInt32()).toBe(42);
    const ack = decodeBody(unhex(vectors.messages[7]!.udp_datagram_hex));
    expect([ack.isPing, ack.isPingAcknowledgement, ack.pingCode, ack.tag]).toEqual([false, true, 0xbeef, 6]);
  });
});
