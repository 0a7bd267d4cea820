import { afterEach, describe, expect, it } from "vitest";
import { SFSObject } from "@sfs2x/core";
import { ConnectionClosedError, PacketError, PacketFlag, TransportError, type Message } from "@sfs2x/protocol";
import { CloseReason, TcpServer, connectTcp, tcpClientFactory, tcpServerFactory, type TcpConnection, type TcpServerOptions } from "../src/index.js";
import { closed, collect, msg, packet, rawConnect, rawReader, sleep } from "./helpers.js";

const servers: TcpServer[] = [];
const clients: TcpConnection[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** An echo server on 127.0.0.1, port 0; errors are collected. */
async function echoServer(options: TcpServerOptions = {}): Promise<{ server: TcpServer; port: number; errors: [Error, TcpConnection | undefined][] }> {
  const server = new TcpServer({ port: 0, ...options });
  const errors: [Error, TcpConnection | undefined][] = [];
  server.onError((e, c) => errors.push([e, c]));
  server.onConnection((conn) => {
    conn.onMessage((m) => void conn.send(m).catch(() => {}));
  });
  await server.listen();
  servers.push(server);
  return { server, port: server.address!.port, errors };
}

async function client(port: number, options = {}): Promise<TcpConnection> {
  const c = await connectTcp(`tcp://127.0.0.1:${port}`, options);
  clients.push(c);
  return c;
}

describe("TcpServer / connectTcp", () => {
  it("listens on port 0 and reports the bound address", async () => {
    const { server } = await echoServer();
    expect(server.address?.host).toBe("127.0.0.1");
    expect(server.address?.port).toBeGreaterThan(0);
  });

  it("echoes a request; the message keeps controller, action and typed params", async () => {
    const { port } = await echoServer();
    const c = await client(port);
    const got = collect(c);
    await c.send(msg(42, "héllo ✓"));
    const [m] = await got.next(1);
    expect(m!.controller).toBe(1);
    expect(m!.action).toBe(13);
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

  it("decodes a stream written one byte at a time, and several packets in one write", async () => {
    const server = new TcpServer({ port: 0 });
    servers.push(server);
    const received: Message[] = [];
    server.onConnection((conn) => conn.onMessage((m) => received.push(m)));
    await server.listen();
    const raw = await rawConnect(server.address!.port);
    const bytes = new Uint8Array([...packet(msg(1, "a")), ...packet(msg(2, "x".repeat(2000)))]); // the second is compressed
    for (const b of bytes) {
      raw.write(new Uint8Array([b]));
      await new Promise((r) => setImmediate(r));
    }
    raw.write(new Uint8Array([...packet(msg(3)), ...packet(msg(4)), ...packet(msg(5))]));
    await until(() => received.length === 5);
    expect(received.map((m) => m.params.getInt("i"))).toEqual([1, 2, 3, 4, 5]);
    expect(received[1]!.params.getUtfString("s")).toBe("x".repeat(2000));
    raw.destroy();
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
    const back = m!.params.getByteArray("b")!;
    expect(back.length).toBe(bytes.length);
    expect(Buffer.compare(back, bytes)).toBe(0); // toEqual on 1 MB is slow
  });

  it("refuses to send a packet over maxMessageSize (nothing is sent)", async () => {
    const { port } = await echoServer();
    const c = await client(port, { compressionThreshold: Infinity });
    const p = new SFSObject();
    p.putByteArray("b", new Uint8Array(600_000));
    await expect(c.send({ controller: 1, action: 13, params: p })).rejects.toMatchObject({ code: "TOO_LARGE" });
    expect(c.closed).toBe(false);
  });

  it("compresses above the threshold; setCodecOptions changes it on a live connection", async () => {
    const server = new TcpServer({ port: 0 });
    servers.push(server);
    let serverConn: TcpConnection | undefined;
    server.onConnection((conn) => {
      serverConn = conn;
      conn.onMessage(() => {});
    });
    await server.listen();
    const raw = await rawConnect(server.address!.port);
    const reader = rawReader(raw);
    raw.write(packet(msg(0))); // first packet: the server starts reading
    await until(() => serverConn !== undefined);
    const long = msg(1, "y".repeat(600)); // ~620-byte payload: under the default 1024
    await serverConn!.send(long);
    let bytes = await reader.waitFor(1);
    expect(bytes[0]).toBe(PacketFlag.BINARY);
    const firstLength = bytes.length;
    serverConn!.setCodecOptions({ compressionThreshold: 100 });
    await serverConn!.send(long);
    bytes = await reader.waitFor(firstLength + 1);
    expect(bytes[firstLength]! & PacketFlag.COMPRESSED).toBe(PacketFlag.COMPRESSED);
    raw.destroy();
  });

  it("switches encryption on with setCodecOptions on both sides (wire flag 0x40)", async () => {
    const key = { key: new Uint8Array(16).fill(3), iv: new Uint8Array(16).fill(9) };
    const server = new TcpServer({ port: 0 });
    servers.push(server);
    const wire: number[] = [];
    server.onConnection((conn) => {
      conn.socket.on("data", (b: Buffer) => wire.push(b[0]!));
      conn.onMessage((m) => {
        void conn.send(m);
        if (m.action === 0) conn.setCodecOptions({ cipher: key }); // after answering the "handshake"
      });
    });
    await server.listen();
    const c = await client(server.address!.port);
    const got = collect(c);
    await c.send(msg(0, undefined, 0));
    await got.next(1);
    c.setCodecOptions({ cipher: key });
    await c.send(msg(7, "secret"));
    const [, m] = await got.next(2);
    expect(m!.params.getUtfString("s")).toBe("secret");
    expect(wire[0]! & PacketFlag.ENCRYPTED).toBe(0);
    expect(wire[wire.length - 1]! & PacketFlag.ENCRYPTED).toBe(PacketFlag.ENCRYPTED);
  });

  it("setCodecOptions rejects invalid options and keeps the old ones", async () => {
    const { port } = await echoServer();
    const c = await client(port);
    expect(() => c.setCodecOptions({ cipher: { key: new Uint8Array(3), iv: new Uint8Array(16) } })).toThrow(PacketError);
    expect(() => c.setCodecOptions({ maxMessageSize: -1 })).toThrow(PacketError);
    const got = collect(c);
    await c.send(msg(5));
    expect((await got.next(1))[0]!.params.getInt("i")).toBe(5);
  });
});

describe("bad input and timeouts", () => {
  it("drops a client that sends garbage, reports it with the connection, keeps serving others", async () => {
    const { port, errors } = await echoServer();
    const good = await client(port);
    const got = collect(good);
    const raw = await rawConnect(port);
    const reader = rawReader(raw);
    raw.write(new Uint8Array(64).fill(0x41));
    await reader.closed;
    await until(() => errors.length === 1);
    const [error, conn] = errors[0]!;
    expect(error).toBeInstanceOf(PacketError);
    expect((error as PacketError).code).toBe("NOT_BINARY");
    expect((await closed(conn!)).reason).toBe(CloseReason.BAD_PACKET);
    await good.send(msg(1));
    expect((await got.next(1))[0]!.params.getInt("i")).toBe(1);
  });

  it("drops a client whose size field is over maxMessageSize before the body arrives", async () => {
    const { port, errors } = await echoServer({ maxMessageSize: 1000 });
    const raw = await rawConnect(port);
    const reader = rawReader(raw);
    raw.write(new Uint8Array([0x88, 0x00, 0x09, 0x27, 0xc0])); // BIG_SIZE, 600000: header only
    await reader.closed;
    await until(() => errors.length === 1);
    expect((errors[0]![0] as PacketError).code).toBe("TOO_LARGE");
  });

  it("skips a packet with bad zlib data and goes on with the next one (stream still in sync)", async () => {
    const server = new TcpServer({ port: 0 });
    servers.push(server);
    const received: Message[] = [];
    const connErrors: Error[] = [];
    server.onConnection((conn) => {
      conn.onMessage((m) => received.push(m));
      conn.onError((e) => connErrors.push(e));
    });
    await server.listen();
    const raw = await rawConnect(server.address!.port);
    raw.write(new Uint8Array([0xa0, 0x00, 0x04, 1, 2, 3, 4, ...packet(msg(9))]));
    await until(() => received.length === 1);
    expect(received[0]!.params.getInt("i")).toBe(9);
    expect((connErrors[0] as PacketError).code).toBe("BAD_ZLIB");
    expect(server.connections.size).toBe(1);
    raw.destroy();
  });

  it("closes a connection that sends nothing within firstPacketTimeoutMs", async () => {
    const { port, errors } = await echoServer({ firstPacketTimeoutMs: 150 });
    const raw = await rawConnect(port);
    const reader = rawReader(raw);
    raw.write(new Uint8Array([0x80, 0x00])); // an incomplete header does not count
    await reader.closed;
    await until(() => errors.length === 1);
    expect(errors[0]![0]).toBeInstanceOf(TransportError);
    expect((errors[0]![0] as TransportError).code).toBe("TIMEOUT");
    expect((await closed(errors[0]![1]!)).reason).toBe(CloseReason.FIRST_PACKET_TIMEOUT);
  });

  it("closes a connection idle for idleTimeoutMs, with reason idle; traffic keeps it open", async () => {
    const { server, port } = await echoServer({ idleTimeoutMs: 200 });
    const c = await client(port);
    const got = collect(c);
    for (let i = 0; i < 4; i++) {
      await c.send(msg(i));
      await sleep(100);
    }
    expect(c.closed).toBe(false); // 400 ms of traffic every 100 ms: still open
    const serverConn = [...server.connections][0]!;
    const info = await closed(serverConn);
    expect(info.reason).toBe(CloseReason.IDLE);
    expect((info.error as TransportError).code).toBe("TIMEOUT");
    expect((await closed(c)).reason).toBe(CloseReason.PEER_CLOSED);
    expect(got.messages.length).toBe(4);
  });

  it("a throwing message listener is reported and does not stop the connection", async () => {
    const server = new TcpServer({ port: 0 });
    servers.push(server);
    const seen: number[] = [];
    const errors: Error[] = [];
    server.onConnection((conn) => {
      conn.onError((e) => errors.push(e));
      conn.onMessage((m) => {
        seen.push(m.params.getInt("i") as number);
        if (m.params.getInt("i") === 1) throw new Error("boom");
      });
    });
    await server.listen();
    const c = await client(server.address!.port);
    void c.send(msg(1));
    void c.send(msg(2));
    await until(() => seen.length === 2);
    expect(seen).toEqual([1, 2]);
    expect(errors[0]?.message).toBe("boom");
  });
});

describe("closing", () => {
  it("send after close rejects with ConnectionClosedError; close is idempotent", async () => {
    const { port } = await echoServer();
    const c = await client(port);
    const p1 = c.close("bye");
    const p2 = c.close();
    await expect(c.send(msg(1))).rejects.toBeInstanceOf(ConnectionClosedError);
    await p1;
    await p2;
    expect(c.closed).toBe(true);
    expect(c.closeInfo?.reason).toBe("bye");
    await expect(c.send(msg(1))).rejects.toMatchObject({ code: "CLOSED" });
  });

  it("close() flushes what was accepted before closing", async () => {
    const server = new TcpServer({ port: 0 });
    servers.push(server);
    const received: number[] = [];
    let serverInfo: Promise<{ reason: string }> | undefined;
    server.onConnection((conn) => {
      serverInfo = closed(conn);
      conn.onMessage((m) => received.push(m.params.getInt("i") as number));
    });
    await server.listen();
    const c = await client(server.address!.port);
    const sends = Array.from({ length: 300 }, (_, i) => c.send(msg(i, "z".repeat(100))));
    await c.close();
    await Promise.all(sends);
    await until(() => serverInfo !== undefined);
    expect((await serverInfo!).reason).toBe(CloseReason.PEER_CLOSED);
    expect(received).toEqual(Array.from({ length: 300 }, (_, i) => i));
  });

  it("the server's close closes every connection; the clients see the peer close", async () => {
    const server = new TcpServer({ port: 0 });
    server.onConnection((conn) => conn.onMessage(() => {}));
    await server.listen();
    const a = await client(server.address!.port);
    const b = await client(server.address!.port);
    const infos = Promise.all([closed(a), closed(b)]);
    await until(() => server.connections.size === 2);
    await server.close();
    expect((await infos).map((i) => i.reason)).toEqual([CloseReason.PEER_CLOSED, CloseReason.PEER_CLOSED]);
    expect(server.connections.size).toBe(0);
  });

  it("onClose after the close still hears about it", async () => {
    const { port } = await echoServer();
    const c = await client(port);
    await c.close();
    const info = await closed(c);
    expect(info.reason).toBe(CloseReason.CLOSED);
  });
});

describe("connect failures and URLs", () => {
  it("a refused connection rejects with CONNECT_FAILED", async () => {
    const server = new TcpServer({ port: 0 });
    await server.listen();
    const port = server.address!.port;
    await server.close();
    await expect(connectTcp(`tcp://127.0.0.1:${port}`)).rejects.toMatchObject({ code: "CONNECT_FAILED" });
  });

  it("rejects a URL without port or with another scheme", async () => {
    await expect(connectTcp("tcp://127.0.0.1")).rejects.toMatchObject({ code: "CONNECT_FAILED", message: expect.stringContaining("no port") });
    await expect(connectTcp("ws://127.0.0.1:80")).rejects.toMatchObject({ code: "UNSUPPORTED_SCHEME" });
  });

  it("the factories expose the tcp scheme", async () => {
    expect(tcpClientFactory.schemes).toEqual(["tcp", "tcps"]);
    const server = tcpServerFactory.createServer({ port: 0 });
    servers.push(server);
    server.onConnection((conn) => conn.onMessage((m) => void conn.send(m)));
    await server.listen();
    const c = await tcpClientFactory.connect(`tcp://127.0.0.1:${server.address!.port}`);
    clients.push(c);
    const got = collect(c);
    await c.send(msg(3));
    expect((await got.next(1))[0]!.params.getInt("i")).toBe(3);
  });

  it("a second listen() on a busy port rejects", async () => {
    const { port } = await echoServer();
    const other = new TcpServer({ port });
    await expect(other.listen()).rejects.toMatchObject({ code: "EADDRINUSE" });
  });
});

/** Polls `cond` every few ms (bounded: the test timeout stops a stuck wait). */
export async function until(cond: () => boolean): Promise<void> {
  while (!cond()) await sleep(5);
}
