/**
 * The golden vectors: client packets written by the official JS client (packets.json) and server
 * packets the official client decodes (server-packets.json). Both directions, byte for byte,
 * except for the zlib bytes of compressed packets (see "compressed vectors" below).
 */
import { createHash } from "node:crypto";
import { inflateSync } from "node:zlib";
import { SFSObject } from "@sfs2x/core";
import { describe, expect, it } from "vitest";
import {
  ControllerId,
  JS_CLIENT_BIG_SIZE_THRESHOLD,
  PacketDecoder,
  PacketFlag,
  SFSErrorCode,
  SysAction,
  createErrorReply,
  decodePacket,
  encodePacket,
  parseErrorReply,
  type CodecOptions,
} from "../src/index.js";
import { fixture, fromHex, hex, loadOfficial, officialCodec, officialDecode, plain, typed, type PacketVector } from "./helpers.js";

const clientVectors = fixture<{ vectors: PacketVector[] }>("packets.json").vectors;
const serverVectors = fixture<{ vectors: PacketVector[] }>("server-packets.json").vectors;
const withHex = [...clientVectors, ...serverVectors].filter((v) => v.hex !== undefined);

function codecOf(v: PacketVector): CodecOptions {
  return v.codec ? { compressionThreshold: v.codec.compressionThreshold, maxMessageSize: v.codec.maxMessageSize } : {};
}

describe("golden packet vectors", () => {
  it("covers the vector files", () => {
    expect(clientVectors.length).toBe(28);
    expect(serverVectors.length).toBe(17);
    expect(withHex.length).toBe(41);
  });

  describe.each(withHex.map((v) => [v.name, v] as const))("%s", (_name, v) => {
    const bytes = fromHex(v.hex!);
    const compressed = (Number(v.headerByte) & PacketFlag.COMPRESSED) !== 0;

    it("decodes to the same controller, action and params", () => {
      expect(bytes[0]).toBe(Number(v.headerByte));
      const m = decodePacket(bytes, codecOf(v));
      expect(m.controller).toBe(v.controller);
      expect(m.action).toBe(v.action);
      expect(plain(m.params)).toEqual(v.params);
    });

    it("decodes the same through PacketDecoder, one byte at a time", () => {
      const d = new PacketDecoder(codecOf(v));
      const got = [];
      for (let i = 0; i < bytes.length; i++) got.push(...d.push(bytes.subarray(i, i + 1)));
      expect(got).toHaveLength(1);
      expect(typed(got[0]!.params)).toEqual(typed(decodePacket(bytes).params));
      expect(d.bufferedBytes).toBe(0);
    });

    if (!compressed) {
      it("re-encodes to the same bytes", () => {
        const m = decodePacket(bytes);
        expect(hex(encodePacket(m, codecOf(v)))).toBe(v.hex);
      });
    } else {
      it("compressed: the official payload inflates as recorded; ours inflates to the same payload", async () => {
        const m = decodePacket(bytes);
        const inflated = inflateSync(bytes.subarray(3));
        if (v.inflatedPayloadHex) expect(hex(inflated)).toBe(v.inflatedPayloadHex);
        const ours = encodePacket(m, codecOf(v));
        expect(ours[0]).toBe(0xa0);
        expect((ours[1]! << 8) | ours[2]!).toBe(ours.length - 3);
        // fflate's deflate bytes differ from zlib.js / node's zlib, but the payload inside is identical.
        expect(hex(inflateSync(ours.subarray(3)))).toBe(hex(inflated));
        expect(typed(decodePacket(ours).params)).toEqual(typed(m.params));
        const theirs = await officialDecode(ours);
        expect([theirs.controller, theirs.action]).toEqual([v.controller, v.action]);
        expect(typed(theirs.params)).toEqual(typed(m.params));
      });
    }

    it("our encoding decodes in the official JS client to the same message", async () => {
      const ours = encodePacket(decodePacket(bytes), codecOf(v));
      const theirs = await officialDecode(ours);
      expect(theirs.controller).toBe(v.controller);
      expect(theirs.action).toBe(v.action);
      expect(plain(theirs.params)).toEqual(v.params);
    });
  });
});

describe("typed params built by hand encode to the vector bytes", () => {
  const byName = new Map(withHex.map((v) => [v.name, v]));
  const cases: [string, () => { controller: number; action: number; params: SFSObject }][] = [
    ["handshake", () => ({ controller: ControllerId.System, action: SysAction.Handshake, params: new SFSObject().putUtfString("api", "1.8.6").putUtfString("cl", "JavaScript") })],
    [
      "login_no_password",
      () => ({ controller: 0, action: SysAction.Login, params: new SFSObject().putUtfString("zn", "BasicExamples").putUtfString("un", "alice").putUtfString("pw", "") }),
    ],
    ["join_room_by_name", () => ({ controller: 0, action: SysAction.JoinRoom, params: new SFSObject().putUtfString("n", "Lobby") })],
    ["leave_room", () => ({ controller: 0, action: SysAction.LeaveRoom, params: new SFSObject().putInt("r", 7) })],
    [
      "extension_ping",
      () => ({
        controller: ControllerId.Extension,
        action: SysAction.CallExtension,
        params: new SFSObject().putUtfString("c", "ping").putInt("r", -1).putSFSObject("p", new SFSObject().putInt("n", 1).putUtfString("msg", "hello")),
      }),
    ],
    ["pingpong", () => ({ controller: 0, action: SysAction.PingPong, params: new SFSObject() })],
    [
      "handshake_response",
      () => ({
        controller: 0,
        action: SysAction.Handshake,
        params: new SFSObject().putUtfString("tk", "7f3a9c1e2b4d5f60718293a4b5c6d7e8").putInt("ct", 1024).putInt("ms", 500000),
      }),
    ],
    ["handshake_error", () => createErrorReply(0, SysAction.Handshake, SFSErrorCode.HandshakeApiObsolete, ["1.8.6", "1.9.0"])],
    ["login_error", () => createErrorReply(0, SysAction.Login, SFSErrorCode.LoginBadUserName, ["alice"])],
    ["user_count_change", () => ({ controller: 0, action: SysAction.UserCountChange, params: new SFSObject().putInt("r", 7).putShort("uc", 2).putShort("sc", 0) })],
    ["client_disconnection_idle", () => ({ controller: 0, action: SysAction.ClientDisconnection, params: new SFSObject().putByte("dr", 0) })],
  ];
  it.each(cases)("%s", (name, build) => {
    const v = byName.get(name)!;
    expect(hex(encodePacket(build(), codecOf(v)))).toBe(v.hex);
  });

  it("error replies parse back", () => {
    const m = decodePacket(fromHex(byName.get("login_error")!.hex!));
    expect(parseErrorReply(m.params)).toEqual({ code: SFSErrorCode.LoginBadUserName, params: ["alice"] });
  });
});

// ---------------------------------------------------------------------------------------------

/** An extension request `{ c: cmd, r: -1, p: { bin: BYTE_ARRAY } }` whose payload is exactly `bodyLength` bytes. */
function extensionWithBody(cmd: string, bodyLength: number): { controller: number; action: number; params: SFSObject } {
  const build = (n: number): SFSObject =>
    new SFSObject().putUtfString("c", cmd).putInt("r", -1).putSFSObject("p", new SFSObject().putByteArray("bin", new Uint8Array(n)));
  const message = (n: number) => ({ controller: 1, action: 13, params: build(n) });
  const base = encodePacket(message(0), { compressionThreshold: Infinity }).length - 3;
  return message(bodyLength - base);
}

describe("size boundaries (4-byte size field)", () => {
  const boundaries = clientVectors.filter((v) => v.name.startsWith("size_boundary_"));

  it.each(boundaries.map((v) => [v.name, v] as const))("%s: the JS client's form encodes byte-identically and decodes", (_n, v) => {
    const m = extensionWithBody("x", v.bodyLength!);
    const packet = encodePacket(m, { compressionThreshold: Infinity, bigSizeThreshold: JS_CLIENT_BIG_SIZE_THRESHOLD });
    const head = fromHex(v.headHex!);
    expect(packet.length).toBe(v.bodyLength! + (head[0] === 0x88 ? 5 : 3));
    expect(hex(packet.subarray(0, head.length))).toBe(v.headHex);
    expect(decodePacket(packet).params.getSFSObject("p")!.getByteArray("bin")!.length).toBe(m.params.getSFSObject("p")!.getByteArray("bin")!.length);
  });

  it("the default form uses 4 bytes only above 65535, and either form decodes at any size", () => {
    for (const [size, big] of [
      [65335, false],
      [65336, false],
      [65535, false],
      [65536, true],
    ] as const) {
      const m = extensionWithBody("x", size);
      const ours = encodePacket(m, { compressionThreshold: Infinity });
      expect(ours[0]).toBe(big ? 0x88 : 0x80);
      expect(ours.length).toBe(size + (big ? 5 : 3));
      const js = encodePacket(m, { compressionThreshold: Infinity, bigSizeThreshold: JS_CLIENT_BIG_SIZE_THRESHOLD });
      for (const p of [ours, js]) expect(typed(decodePacket(p).params)).toEqual(typed(m.params));
    }
    // A 4-byte size on a tiny packet is valid too (the C++ and JS readers accept it).
    const small = encodePacket({ controller: 0, action: 29, params: new SFSObject() }, { bigSizeThreshold: 0 });
    expect(hex(small)).toBe("88" + "00000014" + "120003000163020000016103001d000170120000");
    expect(decodePacket(small).action).toBe(29);
  });

  it("the official client writes the same bytes as our JS-compatible form at 65336", async () => {
    const codec = await officialCodec();
    const official = await loadOfficial();
    const m = extensionWithBody("x", 65336);
    codec.compressionThreshold = 1e9;
    codec.maxMessageSize = 1e9;
    const content = official.SFSObject.newFromBinaryData(m.params.toBinary());
    const theirs = codec.onPacketWrite({ targetController: 1, id: 13, content });
    const ours = encodePacket(m, { compressionThreshold: Infinity, bigSizeThreshold: JS_CLIENT_BIG_SIZE_THRESHOLD });
    expect(hex(ours)).toBe(hex(new Uint8Array(theirs)));
  });

  it("extension_bigsize_uncompressed: the recipe rebuilds the 70058 bytes exactly (sha256)", () => {
    const v = clientVectors.find((x) => x.name === "extension_bigsize_uncompressed")!;
    const bin = new Uint8Array(70000);
    for (let i = 0; i < bin.length; i++) bin[i] = (i * 7919) & 0xff;
    const m = {
      controller: 1,
      action: 13,
      params: new SFSObject().putUtfString("c", "big").putInt("r", -1).putSFSObject("p", new SFSObject().putByteArray("bin", bin)),
    };
    const packet = encodePacket(m, { compressionThreshold: Infinity });
    expect(packet.length).toBe(v.byteLength);
    expect(hex(packet.subarray(0, fromHex(v.headHex!).length))).toBe(v.headHex);
    expect(createHash("sha256").update(packet).digest("hex")).toBe(v.sha256);
    const back = decodePacket(packet);
    expect(back.params.getSFSObject("p")!.getByteArray("bin")).toEqual(bin);
  });
});
