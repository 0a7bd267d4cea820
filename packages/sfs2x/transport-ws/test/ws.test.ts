import { afterEach, describe, expect, it } from "vitest";
import { createServer, request } from "node:http";
import { WebSocket } from "ws";
import { PacketError, PacketFlag, TransportError, decodePacket } from "@sfs2x/protocol";
import { closed, collect, msg, packet, until } from "@sfs2x/testkit";
import { CloseReason, WsServer, connectWs, wsClientFactory, wsServerFactory, type WsConnection, type WsServerOptions } from "../src/index.js";

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
  it("closes garbage with code 1000, as the real server does", async () => {
    const { port, errors } = await echoServer();
    const raw = await rawClient(port);
    raw.ws.send(new Uint8Array(64).fill(0x41));
    const { code } = await raw.close;
    expect(code).toBe(1000);
    await until(() => errors.length === 1);
    expect((errors[0]![0] as PacketError).code).toBe("NOT_BINARY");
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

});

describe("closing", () => {
  it("reports the WebSocket close code on both sides (1000 for a normal close)", async () => {
    const { server, port } = await echoServer();
    const c = await client(port);
    collect(c);
    await c.send(msg(1));
    await until(() => server.connections.size === 1);
    const serverConn = [...server.connections][0]! as WsConnection;
    await c.close("done");
    await closed(serverConn);
    expect(c.closeCode).toBe(1000);
    expect(serverConn.closeCode).toBe(1000);
    expect(serverConn.closeInfo?.reason).toBe(CloseReason.PEER_CLOSED);
  });
});

describe("WsServer.listen() on a port in use", () => {
  it("rejects with LISTEN_FAILED naming the listener and saying 'port in use'", async () => {
    const first = new WsServer({ port: 0 });
    await first.listen();
    const port = first.address!.port;
    const second = new WsServer({ port });
    try {
      await expect(second.listen()).rejects.toMatchObject({
        name: "TransportError",
        code: "LISTEN_FAILED",
        message: expect.stringContaining(`cannot listen on ws://127.0.0.1:${port}: port in use`),
      });
    } finally {
      await second.close();
      await first.close();
    }
  });
});
