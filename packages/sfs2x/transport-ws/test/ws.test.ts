import { afterEach, describe, expect, it } from "vitest";
import { createServer, request } from "node:http";
import { WebSocket } from "ws";
import { SFSObject } from "@sfs2x/core";
import { ConnectionClosedError, PacketError, PacketFlag, TransportError, decodePacket, type Message } from "@sfs2x/protocol";
import { CloseReason, WsServer, connectWs, wsClientFactory, wsServerFactory, type WsConnection, type WsServerOptions } from "../src/index.js";
import { closed, collect, msg, packet, sleep, until } from "./helpers.js";

const servers: WsServer[] = [];
const clients: WsConnection[] = [];
const raws: WebSocket[] = [];

afterEach(async () => {
  for (const r of raws.splice(0)) r.terminate();
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function echoServer(options: WsServerOptions = {}): Promise<{ server: WsServer; port: number; errors: [Error, WsConnection | undefined][] }> {
  const server = new WsServer({ port: 0, ...options });
  const errors: [Error, WsConnection | undefined][] = [];
  server.onError((e, c) => errors.push([e, c]));
  server.onConnection((conn) => conn.onMessage((m) => void conn.send(m).catch(() => {})));
  await server.listen();
  servers.push(server);
  return { server, port: server.address!.port, errors };
}

async function client(port: number, options = {}): Promise<WsConnection> {
  const c = await connectWs(`ws://127.0.0.1:${port}`, options);
  clients.push(c);
  return c;
}

/** A raw `ws` client on the SFS2X path: sends arbitrary frames, records each binary message it gets. */
async function rawClient(port: number, path = "/BlueBox/websocket"): Promise<{ ws: WebSocket; messages: Uint8Array[]; close: Promise<{ code: number; reason: string }> }> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`);
  raws.push(ws);
  const messages: Uint8Array[] = [];
  ws.on("message", (d: Buffer) => messages.push(new Uint8Array(d)));
  ws.on("error", () => {});
  const close = new Promise<{ code: number; reason: string }>((r) => ws.on("close", (code, reason) => r({ code, reason: reason.toString() })));
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("unexpected-response", (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
  return { ws, messages, close };
}

function httpGet(port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("error", reject);
    req.end();
  });
}

describe("WsServer / connectWs", () => {
  it("echoes a request on the default path /BlueBox/websocket", async () => {
    const { server, port } = await echoServer();
    expect(server.websocketPath).toBe("/BlueBox/websocket");
    const c = await client(port); // no path in the URL: the default one
    const got = collect(c);
    await c.send(msg(42, "héllo ✓"));
    const [m] = await got.next(1);
    expect(m!.params.getInt("i")).toBe(42);
    expect(m!.params.getUtfString("s")).toBe("héllo ✓");
    expect(c.remoteAddress).toBe(`127.0.0.1:${port}`);
  });

  it("delivers 1000 messages in order both ways", async () => {
    const { port } = await echoServer();
    const c = await client(port);
    const got = collect(c);
    for (let i = 0; i < 1000; i++) void c.send(msg(i));
    const all = await got.next(1000);
    expect(all.map((m) => m.params.getInt("i"))).toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });

  it("sends exactly one SFS packet per binary message, even for many sends in one tick", async () => {
    const server = new WsServer({ port: 0 });
    servers.push(server);
    server.onConnection((conn) =>
      conn.onMessage(() => {
        for (let i = 0; i < 50; i++) void conn.send(msg(i, i % 2 ? "z".repeat(3000) : undefined));
      }),
    );
    await server.listen();
    const raw = await rawClient(server.address!.port);
    raw.ws.send(packet(msg(0)));
    await until(() => raw.messages.length === 50);
    const decoded = raw.messages.map((b) => decodePacket(b)); // throws on trailing bytes
    expect(decoded.map((m) => m.params.getInt("i"))).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(raw.messages[1]![0]! & PacketFlag.COMPRESSED).toBe(PacketFlag.COMPRESSED);
    expect(raw.messages[0]![0]).toBe(PacketFlag.BINARY);
  });

  it("sends a 1 MB message with the 4-byte size when maxMessageSize allows it", async () => {
    const big = { maxMessageSize: 2_000_000, compressionThreshold: Infinity };
    const { port } = await echoServer(big);
    const c = await client(port, big);
    const got = collect(c);
    const bytes = new Uint8Array(1_000_000).map((_, i) => i * 7);
    const p = new SFSObject();
    p.putByteArray("b", bytes);
    await c.send({ controller: 1, action: 13, params: p });
    const [m] = await got.next(1);
    expect(Buffer.compare(m!.params.getByteArray("b")!, bytes)).toBe(0);
  });

  it("switches the compression threshold with setCodecOptions; refuses a cipher (encryption is TCP-only)", async () => {
    const key = { key: new Uint8Array(16).fill(1), iv: new Uint8Array(16).fill(2) };
    const server = new WsServer({ port: 0 });
    servers.push(server);
    const refused: unknown[] = [];
    server.onConnection((conn) =>
      conn.onMessage((m) => {
        if (m.action === 0) conn.setCodecOptions({ compressionThreshold: 0 });
        if (m.action === 1) {
          try {
            conn.setCodecOptions({ cipher: key });
          } catch (e) {
            refused.push(e);
          }
        }
        void conn.send(m);
      }),
    );
    await server.listen();
    const raw = await rawClient(server.address!.port);
    raw.ws.send(packet(msg(1, undefined, 5)));
    raw.ws.send(packet(msg(2, undefined, 0)));
    raw.ws.send(packet(msg(3, undefined, 1)));
    await until(() => raw.messages.length === 3);
    expect(raw.messages.map((b) => b[0])).toEqual([0x80, 0xa0, 0xa0]);
    expect(decodePacket(raw.messages[2]!).params.getInt("i")).toBe(3);
    expect(refused[0]).toBeInstanceOf(PacketError);
    expect((refused[0] as PacketError).code).toBe("BAD_OPTIONS");
    await expect(connectWs(`ws://127.0.0.1:${server.address!.port}`, { cipher: key })).rejects.toMatchObject({ code: "BAD_OPTIONS" });
  });

  it("serves 404 to other paths and plain HTTP, 426 on the WebSocket path", async () => {
    const { port } = await echoServer();
    await expect(connectWs(`ws://127.0.0.1:${port}/other`)).rejects.toMatchObject({ code: "CONNECT_FAILED", message: expect.stringContaining("404") });
    expect(await httpGet(port, "/")).toBe(404);
    expect(await httpGet(port, "/BlueBox/websocket")).toBe(426);
  });

  it("serves a custom path", async () => {
    const { port } = await echoServer({ path: "/game" });
    const c = await connectWs(`ws://127.0.0.1:${port}/game?x=1`);
    clients.push(c);
    const got = collect(c);
    await c.send(msg(6));
    expect((await got.next(1))[0]!.params.getInt("i")).toBe(6);
    await expect(connectWs(`ws://127.0.0.1:${port}`)).rejects.toMatchObject({ code: "CONNECT_FAILED" });
  });

  it("attaches to an existing http server, which keeps its own routes (e.g. CryptoManager)", async () => {
    const http = createServer((req, res) => {
      res.writeHead(req.url === "/BlueBox/CryptoManager" ? 200 : 404);
      res.end(req.url === "/BlueBox/CryptoManager" ? "a2V5" : "");
    });
    await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
    const port = (http.address() as { port: number }).port;
    const server = new WsServer({ server: http });
    servers.push(server);
    server.onConnection((conn) => conn.onMessage((m) => void conn.send(m)));
    await server.listen();
    expect(server.address?.port).toBe(port);
    const c = await client(port);
    const got = collect(c);
    await c.send(msg(5));
    expect((await got.next(1))[0]!.params.getInt("i")).toBe(5);
    expect(await httpGet(port, "/BlueBox/CryptoManager")).toBe(200);
    await expect(connectWs(`ws://127.0.0.1:${port}/nope`)).rejects.toMatchObject({ code: "CONNECT_FAILED" });
    await c.close();
    await server.close();
    expect(http.listening).toBe(true); // the owner's server keeps running
    await new Promise((r) => http.close(r));
  });

  it("the factories expose ws and wss", async () => {
    expect(wsClientFactory.schemes).toEqual(["ws", "wss"]);
    const server = wsServerFactory.createServer({ port: 0 });
    servers.push(server);
    server.onConnection((conn) => conn.onMessage((m) => void conn.send(m)));
    await server.listen();
    const c = await wsClientFactory.connect(`ws://127.0.0.1:${server.address!.port}/BlueBox/websocket`);
    clients.push(c);
    const got = collect(c);
    await c.send(msg(3));
    expect((await got.next(1))[0]!.params.getInt("i")).toBe(3);
  });

  it("a refused connection and a bad URL reject with typed errors", async () => {
    const { server } = await echoServer();
    const port = server.address!.port;
    await server.close();
    servers.length = 0;
    await expect(connectWs(`ws://127.0.0.1:${port}`)).rejects.toMatchObject({ code: "CONNECT_FAILED" });
    await expect(connectWs("tcp://127.0.0.1:1")).rejects.toMatchObject({ code: "UNSUPPORTED_SCHEME" });
    await expect(connectWs("not a url")).rejects.toBeInstanceOf(TransportError);
  });
});

describe("bad input and timeouts", () => {
  it("closes (code 1000) a client that sends garbage, reports it, keeps serving others", async () => {
    const { port, errors } = await echoServer();
    const good = await client(port);
    const got = collect(good);
    const raw = await rawClient(port);
    raw.ws.send(new Uint8Array(64).fill(0x41));
    const { code } = await raw.close;
    expect(code).toBe(1000);
    await until(() => errors.length === 1);
    expect((errors[0]![0] as PacketError).code).toBe("NOT_BINARY");
    expect((await closed(errors[0]![1]!)).reason).toBe(CloseReason.BAD_PACKET);
    await good.send(msg(1));
    expect((await got.next(1))[0]!.params.getInt("i")).toBe(1);
  });

  it("closes on a text frame and on a message that is not exactly one packet", async () => {
    const { port, errors } = await echoServer();
    const a = await rawClient(port);
    a.ws.send("hello");
    await a.close;
    const b = await rawClient(port);
    b.ws.send(new Uint8Array([...packet(msg(1)), ...packet(msg(2))]));
    await b.close;
    const c = await rawClient(port);
    c.ws.send(packet(msg(1)).subarray(0, 10));
    await c.close;
    await until(() => errors.length === 3);
    expect(errors.map(([e]) => (e as PacketError).code)).toEqual(["NOT_BINARY", "TRAILING_BYTES", "TRUNCATED"]);
  });

  it("refuses a message over maxMessageSize while it arrives (close 1009)", async () => {
    const { port, errors } = await echoServer({ maxMessageSize: 1000 });
    const raw = await rawClient(port);
    raw.ws.send(new Uint8Array(5000).fill(0x80));
    const { code } = await raw.close;
    expect(code).toBe(1009);
    await until(() => errors.length === 1);
    expect((errors[0]![0] as PacketError).code).toBe("TOO_LARGE");
  });

  it("skips a packet with bad zlib data and goes on", async () => {
    const server = new WsServer({ port: 0 });
    servers.push(server);
    const received: Message[] = [];
    const connErrors: Error[] = [];
    server.onConnection((conn) => {
      conn.onMessage((m) => received.push(m));
      conn.onError((e) => connErrors.push(e));
    });
    await server.listen();
    const raw = await rawClient(server.address!.port);
    raw.ws.send(new Uint8Array([0xa0, 0x00, 0x04, 1, 2, 3, 4]));
    raw.ws.send(packet(msg(9)));
    await until(() => received.length === 1);
    expect(received[0]!.params.getInt("i")).toBe(9);
    expect((connErrors[0] as PacketError).code).toBe("BAD_ZLIB");
  });

  it("closes a connection that sends nothing within firstPacketTimeoutMs", async () => {
    const { port, errors } = await echoServer({ firstPacketTimeoutMs: 150 });
    const raw = await rawClient(port);
    await raw.close;
    await until(() => errors.length === 1);
    expect((errors[0]![0] as TransportError).code).toBe("TIMEOUT");
    expect((await closed(errors[0]![1]!)).reason).toBe(CloseReason.FIRST_PACKET_TIMEOUT);
  });

  it("a socket that never sends its upgrade request is closed after firstPacketTimeoutMs too", async () => {
    const { port } = await echoServer({ firstPacketTimeoutMs: 200 });
    const { connect } = await import("node:net");
    const raw = connect({ host: "127.0.0.1", port });
    raw.on("error", () => {});
    let answer = "";
    raw.on("data", (d: Buffer) => (answer += d.toString()));
    await new Promise((r) => raw.once("close", r));
    expect(answer.startsWith("HTTP/1.1 408")).toBe(true);
  });

  it("closes an idle connection with reason idle", async () => {
    const { server, port } = await echoServer({ idleTimeoutMs: 200 });
    const c = await client(port);
    collect(c);
    await c.send(msg(1));
    await until(() => server.connections.size === 1);
    const info = await closed([...server.connections][0]!);
    expect(info.reason).toBe(CloseReason.IDLE);
    expect((await closed(c)).reason).toBe(CloseReason.PEER_CLOSED);
    expect(c.closeCode).toBe(1000);
  });
});

describe("closing", () => {
  it("send after close rejects with ConnectionClosedError", async () => {
    const { port } = await echoServer();
    const c = await client(port);
    const done = c.close("bye");
    await expect(c.send(msg(1))).rejects.toBeInstanceOf(ConnectionClosedError);
    await done;
    expect(c.closeInfo?.reason).toBe("bye");
    await expect(c.send(msg(1))).rejects.toMatchObject({ code: "CLOSED" });
  });

  it("close() flushes what was accepted before closing", async () => {
    const server = new WsServer({ port: 0 });
    servers.push(server);
    const received: number[] = [];
    server.onConnection((conn) => conn.onMessage((m) => received.push(m.params.getInt("i") as number)));
    await server.listen();
    const c = await client(server.address!.port);
    for (let i = 0; i < 300; i++) void c.send(msg(i, "z".repeat(100)));
    await c.close();
    await until(() => received.length === 300);
    expect(received).toEqual(Array.from({ length: 300 }, (_, i) => i));
  });

  it("the server's close closes every connection", async () => {
    const server = new WsServer({ port: 0 });
    server.onConnection((conn) => conn.onMessage(() => {}));
    await server.listen();
    const a = await client(server.address!.port);
    const b = await client(server.address!.port);
    const infos = Promise.all([closed(a), closed(b)]);
    await until(() => server.connections.size === 2);
    await server.close();
    expect((await infos).map((i) => i.reason)).toEqual([CloseReason.PEER_CLOSED, CloseReason.PEER_CLOSED]);
  });
});
