import { SFSDataType, SFSObject } from "@sfs2x/core";
import { ConnectionClosedError, SFSErrorCode, SysAction, type Message } from "@sfs2x/protocol";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import {
  ClientDisconnection,
  SFSClient,
  SFSError,
  SFSServer,
  ServerError,
  clientFromUrl,
  type SFSServerOptions,
} from "../src/index.js";
import { PingRequest, PongResponse } from "./game-models.js";
import { deferred, quiet, until } from "./helpers.js";

const open: { close(): Promise<unknown> }[] = [];
afterEach(async () => {
  await Promise.allSettled(open.splice(0).map((x) => x.close()));
});

async function start(scheme: string, options: SFSServerOptions = {}): Promise<{ server: SFSServer; errors: Error[] }> {
  const server = new SFSServer(`${scheme}://127.0.0.1:0`, { logger: quiet, ...options });
  open.push(server);
  const errors: Error[] = [];
  server.onError((e) => {
    errors.push(e);
  });
  server.onExtension(PingRequest, (req) => Object.assign(new PongResponse(), { n: req.n + 1 }));
  await server.listen();
  return { server, errors };
}

async function client(server: SFSServer, login = true): Promise<SFSClient> {
  const c = new SFSClient(server.addresses[0]!.url, { logger: quiet, zone: "Z" });
  open.push(c);
  await c.connect();
  if (login) await c.login({ username: `u${Math.random().toString(36).slice(2)}` });
  return c;
}

describe.each(["tcp", "ws"])("robustness over %s://", (scheme) => {
  it("survives random messages from a raw peer and keeps serving everyone", async () => {
    const { server } = await start(scheme);
    const raw = await clientFromUrl(server.addresses[0]!.url, { logger: quiet });
    open.push(raw);
    const replies: Message[] = [];
    raw.onMessage((m) => replies.push(m));
    const value = fc.oneof(
      fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }).map((v) => [SFSDataType.INT, v] as const),
      fc.string({ maxLength: 12 }).map((v) => [SFSDataType.UTF_STRING, v] as const),
      fc.boolean().map((v) => [SFSDataType.BOOL, v] as const),
      fc.integer({ min: -32768, max: 32767 }).map((v) => [SFSDataType.SHORT, v] as const),
      fc.constant([SFSDataType.SFS_OBJECT, new SFSObject()] as const),
    );
    const messages = fc.sample(
      fc.record({
        controller: fc.constantFrom(0, 1, 2, 255),
        action: fc.oneof(fc.constantFrom(0, 1, 2, 4, 13, 26, 29, 1005), fc.integer({ min: -32768, max: 32767 })),
        entries: fc.dictionary(fc.constantFrom("c", "r", "p", "zn", "un", "pw", "api", "cl", "x"), value, { maxKeys: 5 }),
      }),
      { numRuns: 300, seed: 42 },
    );
    let sent = 0;
    for (const m of messages) {
      if (m.controller === 0 && m.action === SysAction.ManualDisconnection) continue; // that one closes, by design
      const params = new SFSObject();
      for (const [k, [t, v]] of Object.entries(m.entries)) params.put(k, t, v as never);
      await raw.send({ controller: m.controller, action: m.action, params });
      sent++;
    }
    expect(sent).toBeGreaterThan(250);
    // The raw peer got answers (error replies at least) and its connection still works.
    await until(() => replies.length > 0);
    expect(raw.closed).toBe(false);
    const before = replies.length;
    await raw.send({ controller: 0, action: SysAction.PingPong, params: new SFSObject() });
    await until(() => replies.length > before);
    // Every other client is served normally.
    const c = await client(server);
    expect((await c.request(Object.assign(new PingRequest(), { n: 1 }), PongResponse)).n).toBe(2);
  });

  it("rejects pending requests with ConnectionClosedError when the connection goes", async () => {
    const { server } = await start(scheme);
    const stuck = deferred<void>();
    server.onExtension("never", () => stuck.promise);
    const c = await client(server);
    const pending = expect(c.request(new SFSObject(), { command: "never" })).rejects.toBeInstanceOf(ConnectionClosedError);
    const session = [...server.sessions.values()].find((s) => s.username === c.username)!;
    await session.disconnect("test over");
    await pending;
    expect((await c.closed).reason).toBeTruthy();
    await expect(c.request(new SFSObject(), { command: "never" })).rejects.toMatchObject({ code: "NOT_CONNECTED" });
    stuck.resolve();
  });

  it("rejects pending requests when the client closes, and close() is idempotent", async () => {
    const { server } = await start(scheme);
    server.onExtension("never", () => new Promise(() => {}));
    const c = await client(server);
    const pending = expect(c.request(new SFSObject(), { command: "never" })).rejects.toBeInstanceOf(ConnectionClosedError);
    await c.close();
    await c.close();
    await pending;
    expect(c.state).toBe("closed");
  });

  it("answers a handshake refused by a hook with its error code", async () => {
    const { server } = await start(scheme);
    server.onHandshake((req) => {
      if (req.api !== "9.9.9") throw new SFSError(SFSErrorCode.HandshakeApiObsolete, [req.api, "9.9.9"]);
    });
    const c = await client(server, false);
    await expect(c.handshake()).rejects.toMatchObject({ code: 0, params: ["1.8.6", "9.9.9"] });
    const ok = new SFSClient(server.addresses[0]!.url, { logger: quiet, apiVersion: "9.9.9" });
    open.push(ok);
    await ok.connect();
    expect((await ok.handshake()).token).toMatch(/^[0-9a-f]{32}$/);
  });

  it("reports a handler that returns something that is not a reply, and answers with an error", async () => {
    const { server, errors } = await start(scheme);
    server.onExtension("odd", () => 42);
    const c = await client(server);
    await expect(c.request(new SFSObject(), { command: "odd" })).rejects.toMatchObject({ code: SFSErrorCode.GenericError });
    await until(() => errors.length > 0);
    expect((errors[0] as ServerError).code).toBe("BAD_REPLY");
  });

  it("reports a request whose params do not parse into the handler's model", async () => {
    const { server, errors } = await start(scheme);
    const c = await client(server);
    const err = await c.request(new SFSObject().putUtfString("n", "not an int"), PongResponse, { command: "ping" }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: SFSErrorCode.GenericError });
    expect((err as SFSError).params[0]).toMatch(/PingRequest\.n \(key "n"\): expected INT, got UTF_STRING/);
    await until(() => errors.length > 0);
    expect((errors[0] as ServerError).code).toBe("BAD_REQUEST");
  });

  it("lets a catch-all handle what no handler takes, on both sides", async () => {
    const { server } = await start(scheme);
    const seen: string[] = [];
    server.onMessage((message, ctx) => {
      seen.push(ctx.command ?? `${message.controller}/${message.action}`);
      return ctx.command === undefined ? new SFSObject().putBool("caught", true) : undefined;
    });
    const c = await client(server);
    const other: number[] = [];
    c.onMessage((m) => other.push(m.action));
    const reply = await c.request(new SFSObject(), { action: SysAction.FindRooms });
    expect(reply.getBool("caught")).toBe(true);
    await c.callExtension("whatever", new SFSObject());
    await until(() => seen.length === 2);
    expect(seen).toEqual([`0/${SysAction.FindRooms}`, "whatever"]);
    // A server push nobody waits for and no handler takes reaches the client's catch-all.
    await [...server.sessions.values()][0]!.send(new SFSObject().putInt("x", 1), { action: 1234 });
    await until(() => other.includes(1234));
    // A request's own reply is not also given to the catch-all.
    expect(other).not.toContain(SysAction.FindRooms);
  });

  it("gives a typed ClientDisconnection to a client handler on a kick", async () => {
    const { server } = await start(scheme);
    const c = await client(server);
    const got = deferred<ClientDisconnection>();
    c.on(SysAction.ClientDisconnection, ClientDisconnection, (m) => got.resolve(m));
    const disconnected = deferred<string | undefined>();
    c.onDisconnect((info) => disconnected.resolve(info.disconnectionReason));
    await [...server.sessions.values()][0]!.kick();
    expect((await got.promise).reason).toBe(1);
    expect(await disconnected.promise).toBe("kick");
  });

  it("sends room-level extension replies with r and zone-level ones without", async () => {
    const { server } = await start(scheme);
    const c = await client(server);
    const rooms: (number | undefined)[] = [];
    c.onExtension("ping", (_p, ctx) => rooms.push(ctx.message.params.containsKey("r") ? ctx.roomId : undefined));
    await c.request(Object.assign(new PingRequest(), { n: 1 }), PongResponse, { roomId: 7 });
    await c.request(Object.assign(new PingRequest(), { n: 1 }), PongResponse);
    expect(rooms).toEqual([7, undefined]);
  });
});
