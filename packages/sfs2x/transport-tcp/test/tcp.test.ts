import { afterEach, describe, expect, it } from "vitest";
import { SFSObject } from "@sfs2x/core";
import { PacketError, PacketFlag, PreparedMessage, TransportError, decodePacket, type Message } from "@sfs2x/protocol";
import { closed, collect, msg, packet, sleep, until } from "@sfs2x/testkit";
import { CloseReason, TcpServer, connectTcp, tcpClientFactory, tcpServerFactory, type TcpConnection, type TcpServerOptions } from "../src/index.js";
import { rawConnect, rawReader } from "./helpers.js";

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

  it("setCodecOptions rejects a bad cipher key and keeps the old options", async () => {
    const { port } = await echoServer();
    const c = await client(port);
    expect(() => c.setCodecOptions({ cipher: { key: new Uint8Array(3), iv: new Uint8Array(16) } })).toThrow(PacketError);
    expect(() => c.setCodecOptions({ maxMessageSize: -1 })).toThrow(PacketError);
    const got = collect(c);
    await c.send(msg(5));
    expect((await got.next(1))[0]!.params.getInt("i")).toBe(5);
  });
});

describe("broadcast over TCP", () => {
  it("sendPrepared encodes once per cipher key: every encrypted session gets a packet it can decrypt", async () => {
    const keys = [1, 2].map((k) => ({ key: new Uint8Array(16).fill(k), iv: new Uint8Array(16).fill(k + 10) }));
    const server = new TcpServer({ port: 0 });
    servers.push(server);
    const conns: TcpConnection[] = [];
    server.onConnection((conn) => {
      conns.push(conn);
      conn.onMessage(() => {});
    });
    await server.listen();
    const raws = await Promise.all([0, 1, 2].map(() => rawConnect(server.address!.port)));
    const readers = raws.map(rawReader);
    for (const r of raws) r.write(packet(msg(0)));
    await until(() => conns.length === 3);
    conns[0]!.setCodecOptions({ cipher: keys[0] });
    conns[1]!.setCodecOptions({ cipher: keys[1] });
    const prepared = new PreparedMessage(msg(8, "secret"));
    await Promise.all(conns.map((c) => c.sendPrepared(prepared)));
    expect(prepared.encodings).toBe(3); // two keys, and the plain one
    const lengths = [packet(msg(8, "secret"), { cipher: keys[0] }).length, packet(msg(8, "secret"), { cipher: keys[1] }).length, packet(msg(8, "secret")).length];
    const bytes = await Promise.all(readers.map((r, i) => r.waitFor(lengths[i]!)));
    const got = readers.map((r, i) => decodePacket(r.bytes(), i < 2 ? { cipher: keys[i] } : {}));
    expect(got.map((m) => m.params.getUtfString("s"))).toEqual(["secret", "secret", "secret"]);
    expect(bytes.map((b) => b[0]! & PacketFlag.ENCRYPTED)).toEqual([PacketFlag.ENCRYPTED, PacketFlag.ENCRYPTED, 0]);
    for (const r of raws) r.destroy();
  });
});

describe("bad input and timeouts", () => {
  it("drops a client whose size field is over maxMessageSize before the body arrives", async () => {
    const { port, errors } = await echoServer({ maxMessageSize: 1000 });
    const raw = await rawConnect(port);
    const reader = rawReader(raw);
    raw.write(new Uint8Array([0x88, 0x00, 0x09, 0x27, 0xc0])); // BIG_SIZE, 600000: header only
    await reader.closed;
    await until(() => errors.length === 1);
    expect((errors[0]![0] as PacketError).code).toBe("TOO_LARGE");
  });

  it("an incomplete header does not count as the first packet (firstPacketTimeoutMs)", async () => {
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
    await expect(other.listen()).rejects.toMatchObject({ code: "LISTEN_FAILED", cause: expect.objectContaining({ code: "EADDRINUSE" }) });
  });
});

describe("TcpServer.listen() on a port in use", () => {
  it("rejects with LISTEN_FAILED naming the listener and saying 'port in use'", async () => {
    const first = new TcpServer({ port: 0 });
    await first.listen();
    const port = first.address!.port;
    const second = new TcpServer({ port });
    try {
      await expect(second.listen()).rejects.toMatchObject({
        name: "TransportError",
        code: "LISTEN_FAILED",
        message: expect.stringContaining(`cannot listen on tcp://127.0.0.1:${port}: port in use`),
        cause: expect.objectContaining({ code: "EADDRINUSE" }),
      });
    } finally {
      await second.close();
      await first.close();
    }
  });
});

describe("a TCP client reaching an HTTP server", () => {
  it("drops with NOT_BINARY and a hint naming ws://host:port", async () => {
    const { createServer } = await import("node:http");
    const http = createServer((_req, res) => res.end());
    await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
    const port = (http.address() as { port: number }).port;
    try {
      const conn = await connectTcp({ host: "127.0.0.1", port });
      conn.onMessage(() => {});
      const info = closed(conn);
      void conn.send(msg(1)).catch(() => {});
      const { error } = await info;
      expect(error).toBeInstanceOf(PacketError);
      expect(error!.message).toContain(`the peer answered with HTTP: is this a WebSocket port? use ws://127.0.0.1:${port} instead of tcp://`);
    } finally {
      http.closeAllConnections();
      await new Promise<void>((r) => http.close(() => r()));
    }
  });
});
