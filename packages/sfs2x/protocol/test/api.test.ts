/** Tables, helpers, options validation, the emitter and transport selection. */
import { SFSObject } from "@sfs2x/core";
import { describe, expect, it, vi } from "vitest";
import {
  ClientDisconnectionReason,
  ConnectionClosedError,
  ControllerId,
  DEFAULT_CODEC_OPTIONS,
  PacketError,
  PacketErrorCode,
  PacketFlag,
  SFSErrorCode,
  SysAction,
  TransportError,
  TransportErrorCode,
  TypedEmitter,
  adler32,
  compressPayload,
  inflatePayload,
  createErrorParams,
  createErrorReply,
  createMessage,
  decodePacket,
  describeErrorReply,
  describeFlags,
  describeSFSError,
  encodePacket,
  isErrorReply,
  parseErrorReply,
  selectTransport,
  type Message,
  type TransportClientFactory,
  type TransportConnection,
} from "../src/index.js";
import { hex } from "./helpers.js";

describe("controller and action tables (spec §3.1)", () => {
  it("ControllerId", () => {
    expect([ControllerId.System, ControllerId.Extension]).toEqual([0, 1]);
  });

  it("every SysAction id of the spec, with its PascalCase name", () => {
    const spec: Record<number, string> = {
      0: "Handshake", 1: "Login", 2: "Logout", 3: "GetRoomList", 4: "JoinRoom", 5: "AutoJoin", 6: "CreateRoom", 7: "GenericMessage",
      8: "ChangeRoomName", 9: "ChangeRoomPassword", 10: "ObjectMessage", 11: "SetRoomVariables", 12: "SetUserVariables", 13: "CallExtension",
      14: "LeaveRoom", 15: "SubscribeRoomGroup", 16: "UnsubscribeRoomGroup", 17: "SpectatorToPlayer", 18: "PlayerToSpectator",
      19: "ChangeRoomCapacity", 20: "PublicMessage", 21: "PrivateMessage", 22: "ModeratorMessage", 23: "AdminMessage", 24: "KickUser",
      25: "BanUser", 26: "ManualDisconnection", 27: "FindRooms", 28: "FindUsers", 29: "PingPong", 30: "SetUserPosition",
      31: "QuickJoinOrCreateRoom", 200: "InitBuddyList", 201: "AddBuddy", 202: "BlockBuddy", 203: "RemoveBuddy", 204: "SetBuddyVariables",
      205: "GoOnline", 300: "InviteUsers", 301: "InvitationReply", 302: "CreateSFSGame", 303: "QuickJoinGame", 304: "JoinRoomInvite",
      500: "ClusterJoinOrCreate", 502: "ClusterInviteUsers", 600: "GameServerConnectionRequired", 1000: "UserEnterRoom",
      1001: "UserCountChange", 1002: "UserLost", 1003: "RoomLost", 1004: "UserExitRoom", 1005: "ClientDisconnection",
      1006: "ReconnectionFailure", 1007: "SetMMOItemVariables", 1600: "LoadBalancerError",
    };
    for (const [id, name] of Object.entries(spec)) expect(SysAction[Number(id)]).toBe(name);
    const ids = Object.values(SysAction).filter((v): v is number => typeof v === "number");
    expect(ids.sort((a, b) => a - b)).toEqual(Object.keys(spec).map(Number).sort((a, b) => a - b));
    expect(ClientDisconnectionReason.Idle).toBe(0);
    expect(ClientDisconnectionReason.Unknown).toBe(4);
  });

  it("error codes: login 1..11, join room not found 22, 0..42 known", () => {
    expect(SFSErrorCode.HandshakeApiObsolete).toBe(0);
    expect(SFSErrorCode.LoginBadZoneName).toBe(1);
    expect(SFSErrorCode.LoginAlreadyLogged).toBe(6);
    expect(SFSErrorCode.LoginGuestNotAllowed).toBe(10);
    expect(SFSErrorCode.LoginBannedIp).toBe(11);
    expect(SFSErrorCode.JoinBadRoom).toBe(22);
    expect(SFSErrorCode.InvitationNotValid).toBe(42);
    expect(describeSFSError(SFSErrorCode.LoginAlreadyLogged, ["bob", "BasicExamples"])).toBe("User bob is already logged in to zone BasicExamples");
    expect(describeSFSError(SFSErrorCode.JoinBadRoom)).toBe("The requested room does not exist");
    expect(describeSFSError(999, ["x"])).toBe("Unknown error 999: x");
  });
});

describe("error replies", () => {
  it("build, detect and parse { ec SHORT, ep UTF_STRING_ARRAY }", () => {
    const reply = createErrorReply(ControllerId.System, SysAction.JoinRoom, SFSErrorCode.JoinBadRoom);
    // The live server's reply to a join of an unknown room, content-wise (it writes ep before ec).
    expect(hex(reply.params.toBinary())).toBe("12000200026563030016000265701000" + "00");
    expect(isErrorReply(reply.params)).toBe(true);
    expect(isErrorReply(new SFSObject().putInt("r", 1))).toBe(false);
    const back = decodePacket(encodePacket(reply));
    expect(parseErrorReply(back.params)).toEqual({ code: 22, params: [] });
    expect(parseErrorReply(new SFSObject())).toBeUndefined();
    expect(describeErrorReply({ code: 6, params: ["bob", "Z"] })).toMatch(/bob.*Z/);
    expect(createErrorParams(3, ["alice"]).getUtfStringArray("ep")).toEqual(["alice"]);
  });
});

describe("flags, options, messages", () => {
  it("flag values and description", () => {
    expect(PacketFlag).toEqual({ BINARY: 0x80, ENCRYPTED: 0x40, COMPRESSED: 0x20, BLUEBOXED: 0x10, BIG_SIZE: 0x08 });
    expect(describeFlags(0xa8)).toBe("BINARY|COMPRESSED|BIG_SIZE");
    expect(describeFlags(0x41)).toBe("ENCRYPTED|0x1");
  });

  it("defaults", () => {
    expect(DEFAULT_CODEC_OPTIONS.compressionThreshold).toBe(1024);
    expect(DEFAULT_CODEC_OPTIONS.maxMessageSize).toBe(500000);
    expect(DEFAULT_CODEC_OPTIONS.maxDepth).toBe(64);
  });

  it("compression applies strictly above the threshold; Infinity disables it", () => {
    const m = (n: number): Message => createMessage(1, 13, new SFSObject().putUtfString("s", "a".repeat(n)));
    const size = (n: number): number => encodePacket(m(n), { compressionThreshold: Infinity }).length - 3;
    const at = size(100);
    expect(encodePacket(m(100), { compressionThreshold: at })[0]).toBe(0x80);
    expect(encodePacket(m(100), { compressionThreshold: at - 1 })[0]).toBe(0xa0);
    expect(encodePacket(m(5000), { compressionThreshold: Infinity })[0]).toBe(0x80);
    expect(encodePacket(m(5000))[0]).toBe(0xa0);
    expect(encodePacket(m(0), { compressionThreshold: 0 })[0]).toBe(0xa0);
  });

  it("invalid options and messages are PacketErrors with clear codes", () => {
    const ok = createMessage(0, 29);
    const bad: [unknown, string][] = [
      [{ compressionThreshold: -1 }, PacketErrorCode.BAD_OPTIONS],
      [{ compressionThreshold: NaN }, PacketErrorCode.BAD_OPTIONS],
      [{ maxMessageSize: "10" }, PacketErrorCode.BAD_OPTIONS],
      [{ compressionLevel: 10 }, PacketErrorCode.BAD_OPTIONS],
      [{ bigSizeThreshold: 70000 }, PacketErrorCode.BAD_OPTIONS],
      [{ cipher: "key" }, PacketErrorCode.BAD_OPTIONS],
    ];
    for (const [o, code] of bad) expect(() => encodePacket(ok, o as never)).toThrow(expect.objectContaining({ code }));
    const badMessages: unknown[] = [
      null,
      { controller: 256, action: 0, params: new SFSObject() },
      { controller: -1, action: 0, params: new SFSObject() },
      { controller: 0, action: 40000, params: new SFSObject() },
      { controller: 0, action: 1.5, params: new SFSObject() },
      { controller: 0, action: 1, params: { a: 1 } },
    ];
    for (const m of badMessages) expect(() => encodePacket(m as Message)).toThrow(expect.objectContaining({ code: PacketErrorCode.BAD_MESSAGE }));
  });

  it("a plain object of the Message shape is accepted; controller 255 and negative actions fit", () => {
    const m = { controller: 255, action: -2, params: new SFSObject().putInt("x", 1) };
    const back = decodePacket(encodePacket(m));
    expect([back.controller, back.action, back.params.getInt("x")]).toEqual([255, -2, 1]);
  });

  it("params that cannot be serialized throw the core's error and leave the encoder usable", () => {
    const deep = new SFSObject();
    let o = deep;
    for (let i = 0; i < 70; i++) {
      const next = new SFSObject();
      o.putSFSObject("n", next);
      o = next;
    }
    expect(() => encodePacket(createMessage(0, 7, deep))).toThrow(/maxDepth|deeper/);
    expect(decodePacket(encodePacket(createMessage(0, 29))).action).toBe(29);
  });

  it("maxDepth bounds decoding", () => {
    const nested = new SFSObject().putSFSObject("a", new SFSObject().putSFSObject("b", new SFSObject()));
    const p = encodePacket(createMessage(0, 7, nested));
    expect(decodePacket(p, { maxDepth: 4 }).action).toBe(7); // root, p, a, b
    expect(() => decodePacket(p, { maxDepth: 3 })).toThrow(expect.objectContaining({ code: PacketErrorCode.BAD_PAYLOAD }));
  });

  it("inflatePayload is exact around its internal buffer size (256 KiB), for compressed and stored blocks", () => {
    for (const size of [1, 262143, 262144, 262145, 1_000_000]) {
      const data = Uint8Array.from({ length: size }, (_, i) => (i % 251 === 0 ? i & 255 : 7));
      for (const level of [0, 6] as const) {
        const z = compressPayload(data, level);
        const out = inflatePayload(z, 1e9);
        expect(out.length).toBe(size);
        expect(hex(out.subarray(-64))).toBe(hex(data.subarray(-64)));
        expect(adler32(out)).toBe(adler32(data));
      }
    }
  });

  it("inflatePayload results are owned copies (not views of a reused buffer)", () => {
    const a = inflatePayload(compressPayload(new Uint8Array(100).fill(1)), 1e6);
    inflatePayload(compressPayload(new Uint8Array(100).fill(2)), 1e6);
    expect(Array.from(new Set(a))).toEqual([1]);
  });

  it("adler32 matches the RFC 1950 example", () => {
    expect(adler32(new TextEncoder().encode("Wikipedia"))).toBe(0x11e60398);
    expect(adler32(new Uint8Array(100000).fill(255))).toBe(adler32(new Uint8Array(100000).fill(255)));
  });

  it("PacketError carries code, offset, cause and fatality", () => {
    const cause = new Error("x");
    const e = new PacketError(PacketErrorCode.BAD_PAYLOAD, "bad", 7, { cause });
    expect([e.name, e.code, e.offset, e.cause, e.fatal]).toEqual(["PacketError", "BAD_PAYLOAD", 7, cause, false]);
    expect(e.message).toBe("bad (at byte 7)");
    expect(new PacketError(PacketErrorCode.TOO_LARGE, "big").fatal).toBe(true);
  });
});

describe("TypedEmitter", () => {
  it("calls listeners in order, supports off/once, reports whether anyone listened", () => {
    const e = new TypedEmitter<{ a: [number, string]; b: [] }>();
    const seen: string[] = [];
    const off = e.on("a", (n, s) => seen.push(`1:${n}${s}`));
    e.once("a", (n) => seen.push(`2:${n}`));
    expect(e.emit("a", 1, "x")).toBe(true);
    e.emit("a", 2, "y");
    off();
    expect(e.emit("a", 3, "z")).toBe(false);
    expect(e.emit("b")).toBe(false);
    expect(seen).toEqual(["1:1x", "2:1", "1:2y"]);
  });

  it("a throwing listener does not stop the others and is reported", () => {
    const errors: unknown[] = [];
    const e = new TypedEmitter<{ m: [string] }>((err, ev) => errors.push([String(ev), (err as Error).message]));
    const got: string[] = [];
    e.on("m", () => {
      throw new Error("boom");
    });
    e.on("m", (s) => got.push(s));
    e.emit("m", "hi");
    expect(got).toEqual(["hi"]);
    expect(errors).toEqual([["m", "boom"]]);
  });

  it("listeners removed during emit do not break iteration; counts are exact", () => {
    const e = new TypedEmitter<{ m: [] }>();
    const calls: number[] = [];
    const offB = e.on("m", () => calls.push(2));
    e.on("m", () => {
      calls.push(1);
      offB();
    });
    expect(e.listenerCount("m")).toBe(2);
    e.emit("m");
    e.emit("m");
    expect(calls).toEqual([2, 1, 1]);
    e.removeAllListeners();
    expect(e.listenerCount("m")).toBe(0);
  });

  it("without a handler, a listener error is rethrown asynchronously", async () => {
    const e = new TypedEmitter<{ m: [] }>();
    e.on("m", () => {
      throw new Error("late");
    });
    const spy = vi.spyOn(globalThis, "queueMicrotask").mockImplementation(() => {});
    try {
      expect(() => e.emit("m")).not.toThrow();
      expect(spy).toHaveBeenCalledTimes(1);
      const task = spy.mock.calls[0]![0];
      expect(task).toThrow("late");
    } finally {
      spy.mockRestore();
    }
  });
});

describe("transport selection and errors", () => {
  const fake = (schemes: string[]): TransportClientFactory => ({
    schemes,
    connect: () => Promise.reject(new Error("not used")) as Promise<TransportConnection>,
  });

  it("picks the factory by URL scheme", () => {
    const tcp = fake(["tcp"]);
    const ws = fake(["ws", "wss"]);
    expect(selectTransport("tcp://127.0.0.1:9933", [tcp, ws])).toBe(tcp);
    expect(selectTransport("WSS://example.com/BlueBox/websocket", [tcp, ws])).toBe(ws);
    expect(selectTransport(new URL("ws://h:8080/"), [tcp, ws])).toBe(ws);
    expect(() => selectTransport("http://h/", [tcp, ws])).toThrow(/no transport for http:\/\/ \(available: tcp:\/\/, ws:\/\/, wss:\/\/\)/);
    expect(() => selectTransport("not a url", [tcp])).toThrow(expect.objectContaining({ code: TransportErrorCode.UNSUPPORTED_SCHEME }));
  });

  it("ConnectionClosedError is a TransportError with code CLOSED", () => {
    const e = new ConnectionClosedError();
    expect(e).toBeInstanceOf(TransportError);
    expect([e.name, e.code]).toEqual(["ConnectionClosedError", "CLOSED"]);
    expect(new TransportError(TransportErrorCode.QUEUE_FULL, "full").name).toBe("TransportError");
  });
});
