import { SFSObject } from "@sfs2x/core";
import { SFSErrorCode, SysAction } from "@sfs2x/protocol";
import { afterEach, describe, expect, it } from "vitest";
import {
  LoginErrorResponse,
  LoginRequest,
  LoginResponse,
  Reply,
  SFSClient,
  SFSError,
  SFSServer,
  ServerError,
  TimeoutError,
  onDisconnect,
  onError,
  onExtension,
  onLogin,
  type NodeSFSClientOptions,
  type SFSServerOptions,
  type Session,
} from "../src/index.js";
import { AllTypes, NewsPush, PingRequest, PongResponse } from "./game-models.js";
import { deferred, quiet, until } from "./helpers.js";

const PASSWORDS = new Map([
  ["ada", "lovelace"],
  ["alan", "turing"],
]);

interface Setup {
  server: SFSServer;
  url: string;
  errors: { error: Error; session: Session | undefined }[];
  client(options?: NodeSFSClientOptions): Promise<SFSClient>;
}

const open: { close(): Promise<unknown> }[] = [];
afterEach(async () => {
  await Promise.allSettled(open.splice(0).map((x) => x.close()));
});

/** A server with a password-checking login, "ping", "types", "boom", "slow" handlers. */
async function setup(scheme: string, options: SFSServerOptions = {}): Promise<Setup> {
  const server = new SFSServer(`${scheme}://127.0.0.1:0`, { logger: quiet, ...options });
  open.push(server);
  const errors: Setup["errors"] = [];
  server.onError((error, session) => {
    errors.push({ error, session });
  });
  server.onLogin((req, ctx) => {
    const expected = PASSWORDS.get(req.username);
    if (expected === undefined) throw new SFSError(SFSErrorCode.LoginBadUserName, [req.username]);
    if (!ctx.session.checkPassword(expected, req.password)) throw new SFSError(SFSErrorCode.LoginBadPassword, [req.username]);
    return { privilegeId: 1, params: new SFSObject().putUtfString("motd", "welcome") };
  });
  server.onExtension(PingRequest, (req) => Object.assign(new PongResponse(), { n: req.n + 1 }));
  server.onExtension("types", () => new AllTypes());
  server.onExtension("boom", () => {
    throw new Error("kaboom");
  });
  server.onExtension("refuse", () => {
    throw new SFSError(4242, ["nope"]);
  });
  server.onExtension("slow", PingRequest, async (req) => {
    await new Promise((r) => setTimeout(r, (req.n * 7) % 5));
    return Object.assign(new PongResponse(), { n: req.n });
  });
  await server.listen();
  const url = server.addresses[0]!.url;
  return {
    server,
    url,
    errors,
    async client(o: NodeSFSClientOptions = {}) {
      const c = new SFSClient(url, { zone: "Game", logger: quiet, ...o });
      open.push(c);
      await c.connect();
      return c;
    },
  };
}

describe.each(["tcp", "ws"])("SFSClient ↔ SFSServer over %s://", (scheme) => {
  it("handshakes, logs in with a checked password, calls an extension and logs out", async () => {
    const s = await setup(scheme);
    const c = await s.client();
    const hs = await c.handshake();
    expect(hs.token).toMatch(/^[0-9a-f]{32}$/);
    expect(hs.compressionThreshold).toBe(1024);
    expect(hs.maxMessageSize).toBe(500000);
    const login = await c.login({ username: "ada", password: "lovelace" });
    expect(login).toBeInstanceOf(LoginResponse);
    expect(login.username).toBe("ada");
    expect(login.zone).toBe("Game");
    expect(login.privilegeId).toBe(1);
    expect(login.roomList.size()).toBe(0);
    expect(login.params?.getUtfString("motd")).toBe("welcome");
    expect(c.state).toBe("logged-in");
    const session = s.server.sessionByName("Game", "ada")!;
    expect(session.state).toBe("logged-in");
    expect(session.userId).toBe(login.userId);

    const pong = await c.request(Object.assign(new PingRequest(), { n: 41 }), PongResponse);
    expect(pong).toBeInstanceOf(PongResponse);
    expect(pong.n).toBe(42);

    const out = await c.logout();
    expect(out.zone).toBe("Game");
    expect(c.state).toBe("handshaken");
    await until(() => session.state === "handshaken");
    expect(s.server.sessionByName("Game", "ada")).toBeUndefined();
    // A new login on the same connection works.
    expect((await c.login({ username: "alan", password: "turing" })).username).toBe("alan");
  });

  it("refuses a wrong password and an unknown user with the spec's error codes", async () => {
    const s = await setup(scheme);
    const c = await s.client();
    await expect(c.login({ username: "ada", password: "wrong" })).rejects.toMatchObject({ name: "SFSError", code: SFSErrorCode.LoginBadPassword, params: ["ada"] });
    await expect(c.login({ username: "eve", password: "x" })).rejects.toMatchObject({ code: SFSErrorCode.LoginBadUserName });
    // The error as a value, through a union.
    const req = Object.assign(new LoginRequest(), { zone: "Game", username: "eve", password: "" });
    const res = await c.request(req, [LoginResponse, LoginErrorResponse]);
    expect(res).toBeInstanceOf(LoginErrorResponse);
    expect((res as LoginErrorResponse).code).toBe(SFSErrorCode.LoginBadUserName);
    // Still usable afterwards.
    expect((await c.login({ username: "ada", password: "lovelace" })).username).toBe("ada");
  });

  it("refuses a second login of the same name (ec 6) and accepts guests with an empty password by default", async () => {
    const s = await setup(scheme);
    const a = await s.client();
    const b = await s.client();
    await a.login({ username: "ada", password: "lovelace" });
    await expect(b.login({ username: "ada", password: "lovelace" })).rejects.toMatchObject({ code: SFSErrorCode.LoginAlreadyLogged, params: ["ada", "Game"] });

    const plain = new SFSServer(`${scheme}://127.0.0.1:0`, { logger: quiet });
    open.push(plain);
    await plain.listen();
    const g = new SFSClient(plain.addresses[0]!.url, { logger: quiet });
    open.push(g);
    await g.connect();
    const guest = await g.login({ zone: "Any" });
    expect(guest.username).toBe(`Guest#${guest.userId}`);
    await g.logout();
    await expect(g.login({ zone: "Any", username: "x", password: "secret" })).rejects.toMatchObject({ code: SFSErrorCode.LoginBadPassword });
  });

  it("carries every SFS type in an extension response", async () => {
    const s = await setup(scheme);
    const c = await s.client();
    await c.login({ username: "ada", password: "lovelace" });
    const raw = await c.request(new SFSObject(), { command: "types" });
    const t = await c.request(new SFSObject(), AllTypes, { command: "types" });
    const expected = new AllTypes();
    expect(t.byte).toBe(200);
    expect(t.long).toBe(5_000_000_000);
    expect(t.longArr).toEqual([1, -5_000_000_000]);
    expect(Array.from(t.byteArr)).toEqual([1, 2, 250]);
    expect(t.utf).toBe(expected.utf);
    expect(t.pos.z).toBe(3);
    expect(t.path[1]!.y).toBe(5);
    expect(t.obj.getInt("inner")).toBe(1);
    expect(raw.getType("int")).toBe(4);
    expect(raw.getType("double")).toBe(7);
    expect(raw.getType("long")).toBe(5);
  });

  it("delivers a server push to a typed client handler", async () => {
    const s = await setup(scheme);
    const c = await s.client();
    await c.login({ username: "ada", password: "lovelace" });
    const got = deferred<NewsPush>();
    c.onExtension(NewsPush, (news, ctx) => {
      expect(ctx.command).toBe("news");
      got.resolve(news);
    });
    const session = s.server.sessionByName("Game", "ada")!;
    await session.send(Object.assign(new NewsPush(), { headline: "hello", seq: 7 }));
    const news = await got.promise;
    expect(news).toBeInstanceOf(NewsPush);
    expect(news.headline).toBe("hello");
    expect(news.seq).toBe(7);
  });

  it("answers PingPong and measures the round trip", async () => {
    const s = await setup(scheme);
    const c = await s.client();
    await c.login({ username: "ada", password: "lovelace" });
    const rtt = await c.ping();
    expect(rtt).toBeGreaterThanOrEqual(0);
    expect(Number.isFinite(rtt)).toBe(true);
    const lag = deferred<number>();
    c.onLag((r) => lag.resolve(r.averageRtt));
    c.startLagMonitor({ intervalMs: 20 });
    expect(await lag.promise).toBeGreaterThanOrEqual(0);
    expect(c.lagMonitor).toBeDefined();
    c.stopLagMonitor();
  });

  it("kicks: the client sees ClientDisconnection 1005 with reason kick, then the close", async () => {
    const s = await setup(scheme);
    const c = await s.client();
    await c.login({ username: "ada", password: "lovelace" });
    const session = s.server.sessionByName("Game", "ada")!;
    const closedOnServer = deferred<string>();
    s.server.onDisconnect((sess, info) => {
      if (sess === session) closedOnServer.resolve(info.reason);
    });
    const seen = deferred<number>();
    c.on(SysAction.ClientDisconnection, (p) => seen.resolve(p.getByte("dr")!));
    await session.kick();
    expect(await seen.promise).toBe(1);
    const info = await c.closed;
    expect(info.disconnectionReason).toBe("kick");
    expect(info.reason).toBe("kick");
    expect(c.state).toBe("closed");
    expect(await closedOnServer.promise).toBeTruthy();
    expect(s.server.sessions.has(session.id)).toBe(false);
  });

  it("reports a throwing handler to onError, answers with an error reply, and keeps serving", async () => {
    const s = await setup(scheme);
    const c = await s.client();
    await c.login({ username: "ada", password: "lovelace" });
    const err = await c.request(new SFSObject(), { command: "boom" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SFSError);
    expect((err as SFSError).code).toBe(SFSErrorCode.GenericError);
    expect((err as SFSError).params).toEqual(["Internal server error"]);
    expect((err as SFSError).command).toBe("boom");
    await until(() => s.errors.length > 0);
    const reported = s.errors[0]!.error as ServerError;
    expect(reported).toBeInstanceOf(ServerError);
    expect(reported.code).toBe("HANDLER_FAILED");
    expect((reported.cause as Error).message).toBe("kaboom");
    expect(s.errors[0]!.session?.username).toBe("ada");
    // An application error code from an SFSError is passed through, without an onError event.
    await expect(c.request(new SFSObject(), { command: "refuse" })).rejects.toMatchObject({ code: 4242, params: ["nope"] });
    expect(s.errors.length).toBe(1);
    // Same connection, same server: still fine.
    expect((await c.request(Object.assign(new PingRequest(), { n: 1 }), PongResponse)).n).toBe(2);
  });

  it("reports an unknown extension command (no reply, as a real server) and an unsupported system request (error reply)", async () => {
    const s = await setup(scheme);
    const c = await s.client();
    await c.login({ username: "ada", password: "lovelace" });
    await expect(c.request(new SFSObject(), { command: "nope", timeoutMs: 100 })).rejects.toBeInstanceOf(TimeoutError);
    await until(() => s.errors.some((e) => (e.error as ServerError).code === "UNKNOWN_COMMAND"));
    expect((s.errors[0]!.error as ServerError).command).toBe("nope");
    const join = await c.request(new SFSObject().putUtfString("n", "Lobby"), { action: SysAction.JoinRoom }).catch((e: unknown) => e);
    expect(join).toMatchObject({ code: SFSErrorCode.GenericError, params: ["Request not supported: JoinRoom"] });
    expect((await c.request(Object.assign(new PingRequest(), { n: 5 }), PongResponse)).n).toBe(6);
  });

  it("keeps replies in request order (FIFO correlation) even with async handlers", async () => {
    const s = await setup(scheme);
    const c = await s.client();
    await c.login({ username: "ada", password: "lovelace" });
    const results = await Promise.all(Array.from({ length: 60 }, (_, n) => c.request(Object.assign(new PingRequest(), { n }), PongResponse, { command: "slow" })));
    expect(results.map((r) => r.n)).toEqual(Array.from({ length: 60 }, (_, n) => n));
  });

  it("refuses extension calls before login", async () => {
    const s = await setup(scheme);
    const c = await s.client();
    await c.handshake();
    await expect(c.request(new PingRequest(), PongResponse)).rejects.toMatchObject({ code: SFSErrorCode.GenericError, params: ["Login required"] });
  });

  it("compresses above the threshold and still round-trips (big payload)", async () => {
    const s = await setup(scheme, { compressionThreshold: 100 });
    s.server.onExtension("echo", (p) => p);
    const c = await s.client();
    await c.login({ username: "ada", password: "lovelace" });
    const big = new SFSObject().putText("t", "abc".repeat(50_000));
    const back = await c.request(big, { command: "echo" });
    expect(back.getText("t")!.length).toBe(150_000);
  });

  it("closes idle sessions: 1005 idle for logged-in users, silently for the others", async () => {
    const s = await setup(scheme, { userIdleTimeoutMs: 60, sessionIdleTimeoutMs: 60 });
    const a = await s.client();
    await a.login({ username: "ada", password: "lovelace" });
    const b = await s.client();
    const [ia, ib] = await Promise.all([a.closed, b.closed]);
    expect(ia.disconnectionReason).toBe("idle");
    expect(ib.disconnectionReason).toBeUndefined();
  });

  it("registers decorated handler classes", async () => {
    const events: string[] = [];
    class Handlers {
      prefix = "re:";
      @onLogin()
      login(req: LoginRequest) {
        events.push(`login ${req.username}`);
      }
      @onExtension(PingRequest)
      ping(req: PingRequest) {
        return new Reply(Object.assign(new PongResponse(), { n: req.n * 2 }), { command: `${this.prefix}ping` });
      }
      @onDisconnect()
      gone(session: Session) {
        events.push(`gone ${session.username}`);
      }
      @onError()
      failed(e: Error) {
        events.push(`error ${e.message}`);
      }
    }
    const server = new SFSServer(`${scheme}://127.0.0.1:0`, { logger: quiet });
    open.push(server);
    server.register(new Handlers());
    await server.listen();
    const c = new SFSClient(server.addresses[0]!.url, { logger: quiet });
    open.push(c);
    await c.connect();
    await c.login({ zone: "Z", username: "bob", password: "anything" });
    const pong = await c.request(Object.assign(new PingRequest(), { n: 21 }), PongResponse, { replyCommand: "re:ping" });
    expect(pong.n).toBe(42);
    await c.close();
    await until(() => events.includes("gone bob"));
    expect(events).toEqual(["login bob", "gone bob"]);
  });
});
