// The official sfs2x-api 1.8.6 client (the real JS client, running in Node over `ws`) against our
// SFSServer over WebSocket: handshake, checked login, every SFS type in an extension response, a
// server push, PingPong through the lag monitor, a refused login, logout, errors and a kick.
import { createRequire } from "node:module";
import { SFSErrorCode } from "@sfs2x/protocol";
import { WebSocket } from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SFSError, SFSServer, ServerError, type Session } from "../src/index.js";
import { AllTypes, NewsPush } from "./game-models.js";
import { quiet, until } from "./helpers.js";

/* The official bundle is untyped JavaScript written for browsers. */
/* eslint-disable @typescript-eslint/no-explicit-any */
type Official = any;
const g = globalThis as any;
g.window ??= globalThis;
g.WebSocket ??= WebSocket;
const SFS2X: any = createRequire(import.meta.url)("sfs2x-api");
const EV = SFS2X.SFSEvent;
const T = SFS2X.SFSDataType;

/** Known users: every name starting with "u" or listed here; the password of `name` is `${name}-secret`. */
const known = (name: string): boolean => name.startsWith("u") || ["ada", "kim"].includes(name);
const passwordOf = (name: string): string => `${name}-secret`;
let seq = 0;
/** A fresh user name per test (names stay taken while their connection lives). */
const fresh = (): string => `u${++seq}`;

let server: SFSServer;
let port: number;
const errors: Error[] = [];
const clients: Official[] = [];

/** The next `event` of an official client whose params satisfy `accept` (the test timeout bounds the wait). */
function next(sfs: Official, event: string, accept: (p: any) => boolean = () => true): Promise<any> {
  return new Promise((resolve) => {
    const fn = (p: any): void => {
      if (!accept(p)) return;
      sfs.removeEventListener(event, fn);
      resolve(p);
    };
    sfs.addEventListener(event, fn);
  });
}

async function connected(): Promise<Official> {
  const sfs = new SFS2X.SmartFox({ host: "127.0.0.1", port, useSSL: false, zone: "Game", debug: false });
  sfs.logger.level = SFS2X.LogLevel.ERROR;
  clients.push(sfs);
  const done = next(sfs, EV.CONNECTION);
  sfs.connect();
  const evt = await done;
  expect(evt.success).toBe(true);
  return sfs;
}

async function loggedIn(name: string): Promise<Official> {
  const sfs = await connected();
  const login = next(sfs, EV.LOGIN);
  sfs.send(new SFS2X.LoginRequest(name, passwordOf(name)));
  const evt = await login;
  expect(evt.user.name).toBe(name);
  return sfs;
}

beforeAll(async () => {
  server = new SFSServer("ws://127.0.0.1:0", { logger: quiet, zones: ["Game"] });
  server.onError((e) => {
    errors.push(e);
  });
  server.onLogin((req, ctx) => {
    const expected = known(req.username) ? passwordOf(req.username) : undefined;
    if (expected === undefined) throw new SFSError(SFSErrorCode.LoginBadUserName, [req.username]);
    // The official client sends MD5(token + password): the server checks it against the plain password.
    if (!ctx.session.checkPassword(expected, req.password)) throw new SFSError(SFSErrorCode.LoginBadPassword, [req.username]);
    return { privilegeId: 1 };
  });
  server.onExtension("types", () => new AllTypes());
  server.onExtension("boom", () => {
    throw new Error("handler bug");
  });
  server.onExtension("echo", (params) => params);
  await server.listen();
  port = server.addresses[0]!.port;
});

afterAll(async () => {
  for (const sfs of clients) if (sfs.isConnected) sfs.disconnect();
  await server.close();
});

describe("the official sfs2x-api client against SFSServer (WebSocket)", () => {
  it("connects (handshake → CONNECTION) and logs in with a password the server checks", async () => {
    const sfs = await connected();
    expect(sfs.isConnected).toBe(true);
    const login = next(sfs, EV.LOGIN);
    sfs.send(new SFS2X.LoginRequest("ada", "ada-secret"));
    const evt = await login;
    expect(evt.user.name).toBe("ada");
    expect(evt.zone).toBe("Game");
    expect(sfs.mySelf.privilegeId).toBe(1);
    const session = server.sessionByName("Game", "ada")!;
    expect(session.state).toBe("logged-in");
    expect(evt.user.id).toBe(session.userId);
  });

  it("reports a refused login with the server's error code (LOGIN_ERROR)", async () => {
    const sfs = await connected();
    const refused = next(sfs, EV.LOGIN_ERROR);
    sfs.send(new SFS2X.LoginRequest("kim", "wrong"));
    const evt = await refused;
    expect(evt.errorCode).toBe(SFSErrorCode.LoginBadPassword);
    expect(evt.errorMessage).toContain("kim");
    const unknown = next(sfs, EV.LOGIN_ERROR);
    sfs.send(new SFS2X.LoginRequest("mallory", "x"));
    expect((await unknown).errorCode).toBe(SFSErrorCode.LoginBadUserName);
    // Same connection, right password: accepted.
    const ok = next(sfs, EV.LOGIN);
    sfs.send(new SFS2X.LoginRequest("kim", "kim-secret"));
    expect((await ok).user.name).toBe("kim");
  });

  it("receives every SFS type in an extension response, with the right type ids", async () => {
    const sfs = await loggedIn(fresh());
    const reply = next(sfs, EV.EXTENSION_RESPONSE, (e) => e.cmd === "types");
    sfs.send(new SFS2X.ExtensionRequest("types", new SFS2X.SFSObject()));
    const { params: p } = await reply;
    const expected = new AllTypes();
    const types: Record<string, number> = {
      bool: T.BOOL,
      byte: T.BYTE,
      short: T.SHORT,
      int: T.INT,
      long: T.LONG,
      float: T.FLOAT,
      double: T.DOUBLE,
      utf: T.UTF_STRING,
      text: T.TEXT,
      boolArr: T.BOOL_ARRAY,
      byteArr: T.BYTE_ARRAY,
      shortArr: T.SHORT_ARRAY,
      intArr: T.INT_ARRAY,
      longArr: T.LONG_ARRAY,
      floatArr: T.FLOAT_ARRAY,
      doubleArr: T.DOUBLE_ARRAY,
      strArr: T.UTF_STRING_ARRAY,
      obj: T.SFS_OBJECT,
      arr: T.SFS_ARRAY,
      pos: T.SFS_OBJECT,
      path: T.SFS_ARRAY,
    };
    for (const [k, t] of Object.entries(types)) expect(p.getWrappedItem(k).type, k).toBe(t);
    // The official typed getters throw on a type mismatch: these reads prove the types too.
    expect(p.getBool("bool")).toBe(true);
    expect(p.getByte("byte")).toBe(200);
    expect(p.getShort("short")).toBe(-1234);
    expect(p.getInt("int")).toBe(123456789);
    expect(() => p.getDouble("int")).toThrow();
    expect(p.getLong("long")).toBe(5_000_000_000);
    expect(p.getFloat("float")).toBe(1.5);
    expect(p.getDouble("double")).toBe(2.25);
    expect(() => p.getInt("double")).toThrow();
    expect(p.getUtfString("utf")).toBe(expected.utf);
    expect(p.getText("text")).toBe(expected.text);
    expect(p.getBoolArray("boolArr")).toEqual([true, false, true]);
    expect(Array.from(p.getByteArray("byteArr") as Uint8Array)).toEqual([1, 2, 250]);
    expect(p.getShortArray("shortArr")).toEqual([1, -2, 300]);
    expect(p.getIntArray("intArr")).toEqual([7, -8, 100000]);
    expect(p.getLongArray("longArr")).toEqual([1, -5_000_000_000]);
    expect(p.getFloatArray("floatArr")).toEqual([0.5, -1.25]);
    expect(p.getDoubleArray("doubleArr")).toEqual([1e-3, 12345.678]);
    expect(p.getUtfStringArray("strArr")).toEqual(["a", "b", "ç"]);
    expect(p.getSFSObject("obj").getInt("inner")).toBe(1);
    expect(p.getSFSArray("arr").getUtfString(0)).toBe("x");
    expect(p.getSFSArray("arr").getInt(1)).toBe(2);
    expect(p.getSFSObject("pos").getFloat("z")).toBe(3);
    expect(p.getSFSArray("path").getSFSObject(1).getFloat("y")).toBe(5);
  });

  it("echoes what the official client sends, types preserved (its serializer → our server → back)", async () => {
    const sfs = await loggedIn(fresh());
    const o = new SFS2X.SFSObject();
    o.putInt("n", 7);
    o.putLong("l", 1234567890123);
    o.putDouble("d", 0.1);
    o.putUtfStringArray("s", ["x", "ÿ"]);
    const reply = next(sfs, EV.EXTENSION_RESPONSE, (e) => e.cmd === "echo");
    sfs.send(new SFS2X.ExtensionRequest("echo", o));
    const { params: p } = await reply;
    expect(p.getInt("n")).toBe(7);
    expect(p.getLong("l")).toBe(1234567890123);
    expect(p.getDouble("d")).toBe(0.1);
    expect(p.getUtfStringArray("s")).toEqual(["x", "ÿ"]);
  });

  it("receives a server-initiated extension push", async () => {
    const name = fresh();
    const sfs = await loggedIn(name);
    const push = next(sfs, EV.EXTENSION_RESPONSE, (e) => e.cmd === "news");
    const session = server.sessionByName("Game", name)!;
    await session.send(Object.assign(new NewsPush(), { headline: "server says hi", seq: 3 }));
    const evt = await push;
    expect(evt.params.getUtfString("headline")).toBe("server says hi");
    expect(evt.params.getInt("seq")).toBe(3);
  });

  it("gets PingPong answers through the lag monitor (PING_PONG)", async () => {
    const sfs = await loggedIn(fresh());
    const pong = next(sfs, EV.PING_PONG);
    sfs.enableLagMonitor(true, 1, 1);
    const evt = await pong;
    expect(typeof evt.lagValue).toBe("number");
    expect(evt.lagValue).toBeGreaterThanOrEqual(0);
    sfs.enableLagMonitor(false);
  });

  it("gets an error reply when a handler throws, and the server keeps serving", async () => {
    const sfs = await loggedIn(fresh());
    const before = errors.length;
    const failed = next(sfs, EV.EXTENSION_RESPONSE, (e) => e.cmd === "boom");
    sfs.send(new SFS2X.ExtensionRequest("boom", new SFS2X.SFSObject()));
    const evt = await failed;
    expect(evt.params.getShort("ec")).toBe(SFSErrorCode.GenericError);
    expect(evt.params.getUtfStringArray("ep")).toEqual(["Internal server error"]);
    await until(() => errors.length > before);
    expect((errors[before] as ServerError).code).toBe("HANDLER_FAILED");
    const ok = next(sfs, EV.EXTENSION_RESPONSE, (e) => e.cmd === "echo");
    sfs.send(new SFS2X.ExtensionRequest("echo", new SFS2X.SFSObject()));
    expect((await ok).cmd).toBe("echo");
  });

  it("gets an error reply to a system request the server does not support (ROOM_JOIN_ERROR)", async () => {
    const sfs = await loggedIn(fresh());
    const refused = next(sfs, EV.ROOM_JOIN_ERROR);
    sfs.send(new SFS2X.JoinRoomRequest("Lobby"));
    const evt = await refused;
    expect(evt.errorCode).toBe(SFSErrorCode.GenericError);
    expect(evt.errorMessage).toContain("JoinRoom");
  });

  it("logs out (LOGOUT) and can log in again on the same connection", async () => {
    const name = fresh();
    const sfs = await loggedIn(name);
    const out = next(sfs, EV.LOGOUT);
    sfs.send(new SFS2X.LogoutRequest());
    await out;
    expect(sfs.mySelf).toBeNull();
    await until(() => server.sessionByName("Game", name) === undefined);
    const again = next(sfs, EV.LOGIN);
    sfs.send(new SFS2X.LoginRequest(name, passwordOf(name)));
    expect((await again).user.name).toBe(name);
  });

  it("sees a server kick as CONNECTION_LOST with reason kick", async () => {
    const name = fresh();
    const sfs = await loggedIn(name);
    const session: Session = server.sessionByName("Game", name)!;
    const lost = next(sfs, EV.CONNECTION_LOST);
    await session.kick();
    const evt = await lost;
    expect(evt.reason).toBe(SFS2X.ClientDisconnectionReason.KICK);
    expect(evt.reason).toBe("kick");
    expect(sfs.isConnected).toBe(false);
    await until(() => !server.sessions.has(session.id));
  });
});
