/**
 * One conformance suite for every transport, parametrized by URL scheme: tcp://, tcps:// (TCP over
 * TLS), ws://, wss://. Real sockets on 127.0.0.1, port 0; the TLS certificate is self-signed
 * (`selfSignedCert` of @sfs2x/testkit, which also holds the small helpers used here). Servers and
 * clients come from the URL factories (`serverFromUrl`, `clientFromUrl`); raw peers (plain sockets, TLS sockets, `ws` clients) play the misbehaving clients.
 */
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { connect as netConnect, type Socket } from "node:net";
import { connect as tlsConnect } from "node:tls";
import { WebSocket } from "ws";
import { SFSObject } from "@sfs2x/core";
import {
  ConnectionClosedError,
  PacketError,
  PacketFlag,
  TransportError,
  encodePacket,
  type CloseInfo,
  type Message,
  type TransportConnection,
  type TransportServer,
} from "@sfs2x/protocol";
import { closed as closedInfo, collect, msg, selfSignedCert, sleep, until } from "@sfs2x/testkit";
import type { TcpConnection } from "@sfs2x/transport-tcp";
import type { WsConnection } from "@sfs2x/transport-ws";
import {
  TransportUrlError,
  clientFromUrl,
  serverFromUrl,
  type ClientFromUrlOptions,
  type ServerFromUrlOptions,
  type TransportScheme,
} from "../src/transportFromUrl.js";

// ---------------------------------------------------------------------------------------------
// Certificate (self-signed for localhost / 127.0.0.1) and helpers: from @sfs2x/testkit

let pem: { key: string; cert: string };

beforeAll(() => {
  pem = selfSignedCert();
});

const secure = (s: TransportScheme): boolean => s === "tcps" || s === "wss";
const isTcp = (s: TransportScheme): boolean => s === "tcp" || s === "tcps";

/**
 * The header bytes of the packets a connection receives, read off the wire (before decoding): the
 * TCP stream is re-framed from the size fields; over WebSocket every message is one packet.
 */
function wireHeaders(conn: TransportConnection): number[] {
  const headers: number[] = [];
  const ws = (conn as WsConnection).ws as WebSocket | undefined;
  if (ws !== undefined) {
    ws.on("message", (d: Buffer) => headers.push(d[0]!));
    return headers;
  }
  const socket = (conn as TcpConnection).socket;
  let pending = new Uint8Array(0);
  socket.on("data", (chunk: Buffer) => {
    const all = new Uint8Array(pending.length + chunk.length);
    all.set(pending);
    all.set(chunk, pending.length);
    let p = 0;
    for (;;) {
      if (all.length - p < 3) break;
      const flags = all[p]!;
      const big = (flags & PacketFlag.BIG_SIZE) !== 0;
      if (big && all.length - p < 5) break;
      const size = big ? new DataView(all.buffer, p + 1, 4).getUint32(0) : (all[p + 1]! << 8) | all[p + 2]!;
      const end = p + (big ? 5 : 3) + size;
      if (end > all.length) break;
      headers.push(flags);
      p = end;
    }
    pending = all.slice(p);
  });
  return headers;
}

/** A raw client for each scheme: one `write` is one WebSocket message over ws/wss. */
interface RawClient {
  write(bytes: Uint8Array): void;
  pause(): void;
  resume(): void;
  onData(listener: (bytes: Uint8Array) => void): void;
  closed: Promise<void>;
  destroy(): void;
}

async function rawClient(scheme: TransportScheme, port: number): Promise<RawClient> {
  if (isTcp(scheme)) {
    const socket: Socket =
      scheme === "tcps" ? tlsConnect({ host: "127.0.0.1", port, ca: pem.cert, servername: "localhost" }) : netConnect({ host: "127.0.0.1", port });
    socket.on("error", () => {});
    await new Promise((r) => socket.once(scheme === "tcps" ? "secureConnect" : "connect", r));
    const closed = new Promise<void>((r) => socket.once("close", () => r()));
    return {
      write: (b) => void socket.write(b),
      pause: () => void socket.pause(),
      resume: () => void socket.resume(),
      onData: (l) => void socket.on("data", l),
      closed,
      destroy: () => void socket.destroy(),
    };
  }
  const ws = new WebSocket(`${scheme}://127.0.0.1:${port}/BlueBox/websocket`, { ca: pem.cert });
  ws.on("error", () => {});
  await new Promise((r) => ws.once("open", r));
  const closed = new Promise<void>((r) => ws.once("close", () => r()));
  return {
    write: (b) => ws.send(b),
    pause: () => ws.pause(),
    resume: () => ws.resume(),
    onData: (l) => void ws.on("message", (d: Buffer) => l(d)),
    closed,
    destroy: () => ws.terminate(),
  };
}

// ---------------------------------------------------------------------------------------------
// The suite

const SCHEMES: TransportScheme[] = ["tcp", "tcps", "ws", "wss"];

describe.each(SCHEMES)("%s:// transport conformance", (scheme) => {
  const servers: TransportServer[] = [];
  const clients: TransportConnection[] = [];
  const raws: RawClient[] = [];

  afterEach(async () => {
    for (const r of raws.splice(0)) r.destroy();
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  const serverOptions = (extra: ServerFromUrlOptions = {}): ServerFromUrlOptions =>
    secure(scheme) ? { ...extra, tls: { key: pem.key, cert: pem.cert } } : extra;
  const clientOptions = (extra: ClientFromUrlOptions = {}): ClientFromUrlOptions => (secure(scheme) ? { ...extra, tls: { ca: pem.cert } } : extra);

  /** A server from the URL factory; `onConn` sets up each connection (default: echo). */
  async function startServer(
    extra: ServerFromUrlOptions = {},
    onConn: (conn: TransportConnection) => void = (conn) => conn.onMessage((m) => void conn.send(m).catch(() => {})),
  ): Promise<{ server: TransportServer; port: number; errors: [Error, TransportConnection | undefined][] }> {
    const server = serverFromUrl(`${scheme}://127.0.0.1:0`, serverOptions(extra));
    const errors: [Error, TransportConnection | undefined][] = [];
    server.onError((e, c) => errors.push([e, c]));
    server.onConnection(onConn);
    await server.listen();
    servers.push(server);
    return { server, port: server.address!.port, errors };
  }

  async function connect(port: number, extra: ClientFromUrlOptions = {}): Promise<TransportConnection> {
    const c = await clientFromUrl(`${scheme}://127.0.0.1:${port}`, clientOptions(extra));
    clients.push(c);
    return c;
  }

  it("request → echo", async () => {
    const { port } = await startServer();
    const c = await connect(port);
    const got = collect(c);
    await c.send(msg(42, "héllo ✓"));
    const [m] = await got.next(1);
    expect(m!.controller).toBe(1);
    expect(m!.action).toBe(13);
    expect(m!.params.getInt("i")).toBe(42);
    expect(m!.params.getUtfString("s")).toBe("héllo ✓");
  });

  it("1000 messages arrive in order", async () => {
    const { port } = await startServer();
    const c = await connect(port);
    const got = collect(c);
    for (let i = 0; i < 1000; i++) void c.send(msg(i));
    const all = await got.next(1000);
    expect(all.map((m) => m.params.getInt("i"))).toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });

  it("a 1 MB message goes with the 4-byte size field (maxMessageSize raised)", async () => {
    const big = { maxMessageSize: 2_000_000, compressionThreshold: Infinity };
    const { port } = await startServer(big);
    const c = await connect(port, big);
    const headers = wireHeaders(c);
    const got = collect(c);
    const bytes = new Uint8Array(1_000_000).map((_, i) => (i * 31) & 0xff);
    const p = new SFSObject();
    p.putByteArray("b", bytes);
    await c.send({ controller: 1, action: 13, params: p });
    const [m] = await got.next(1);
    const back = m!.params.getByteArray("b")!;
    expect(back.length).toBe(bytes.length);
    expect(Buffer.compare(back, bytes)).toBe(0);
    expect(headers).toEqual([PacketFlag.BINARY | PacketFlag.BIG_SIZE]);
  });

  it("compresses above the threshold, both ways (wire flag 0x20)", async () => {
    const toServer: number[][] = [];
    const { port } = await startServer({ compressionThreshold: 100 }, (conn) => {
      toServer.push(wireHeaders(conn));
      conn.onMessage((m) => void conn.send(m));
    });
    const c = await connect(port, { compressionThreshold: 100 });
    const toClient = wireHeaders(c);
    const got = collect(c);
    const long = "compress me ".repeat(50);
    await c.send(msg(1, long));
    await c.send(msg(2, "short"));
    const [a, b] = await got.next(2);
    expect(a!.params.getUtfString("s")).toBe(long);
    expect(b!.params.getUtfString("s")).toBe("short");
    expect(toServer[0]).toEqual([0xa0, 0x80]);
    expect(toClient).toEqual([0xa0, 0x80]);
  });

  it.runIf(isTcp(scheme))("decodes a stream written one byte at a time", async () => {
    const received: Message[] = [];
    const { port } = await startServer({}, (conn) => conn.onMessage((m) => received.push(m)));
    const raw = await rawClient(scheme, port);
    raws.push(raw);
    const bytes = new Uint8Array([...encodePacket(msg(1, "one")), ...encodePacket(msg(2, "x".repeat(3000))), ...encodePacket(msg(3))]);
    for (const b of bytes) {
      raw.write(new Uint8Array([b]));
      if (b % 4 === 0) await new Promise((r) => setImmediate(r));
    }
    await until(() => received.length === 3);
    expect(received.map((m) => m.params.getInt("i"))).toEqual([1, 2, 3]);
    expect(received[1]!.params.getUtfString("s")).toBe("x".repeat(3000));
  });

  it("a client sending garbage is dropped (typed error on the server, with the connection); another keeps working", async () => {
    const { port, errors } = await startServer();
    const good = await connect(port);
    const got = collect(good);
    const raw = await rawClient(scheme, port);
    raws.push(raw);
    raw.write(new Uint8Array(64).fill(0x41));
    await raw.closed;
    await until(() => errors.length === 1);
    const [error, conn] = errors[0]!;
    expect(error).toBeInstanceOf(PacketError);
    expect((error as PacketError).code).toBe("NOT_BINARY");
    expect(conn).toBeDefined();
    expect((await closedInfo(conn!)).reason).toBe("bad packet");
    await good.send(msg(7));
    expect((await got.next(1))[0]!.params.getInt("i")).toBe(7);
  });

  it("a client announcing an oversize packet is dropped before sending the body; another keeps working", async () => {
    const { port, errors } = await startServer();
    const good = await connect(port);
    const got = collect(good);
    const raw = await rawClient(scheme, port);
    raws.push(raw);
    raw.write(new Uint8Array([0x88, 0x00, 0x09, 0x27, 0xc0])); // BIG_SIZE 600000 > 500000, header only
    await raw.closed;
    await until(() => errors.length === 1);
    expect((errors[0]![0] as PacketError).code).toBe("TOO_LARGE");
    await good.send(msg(8));
    expect((await got.next(1))[0]!.params.getInt("i")).toBe(8);
  });

  it("a client that connects and says nothing is closed after firstPacketTimeoutMs", async () => {
    const { port, errors } = await startServer({ firstPacketTimeoutMs: 200 });
    const raw = await rawClient(scheme, port);
    raws.push(raw);
    await raw.closed;
    await until(() => errors.length === 1);
    expect(errors[0]![0]).toBeInstanceOf(TransportError);
    expect((errors[0]![0] as TransportError).code).toBe("TIMEOUT");
    expect((await closedInfo(errors[0]![1]!)).reason).toBe("first packet timeout");
  });

  describe.each(["close", "wait"] as const)("a peer that stops reading (policy %s)", (policy) => {
    it("does not grow the server's send queue past the high-water mark", async () => {
      const HWM = 256 * 1024;
      let serverConn: TransportConnection | undefined;
      const { port, errors } = await startServer({ highWaterMark: HWM, highWaterMarkPolicy: policy, compressionThreshold: Infinity, closeTimeoutMs: 300 }, (conn) => {
        serverConn = conn;
        conn.onMessage(() => {});
      });
      const raw = await rawClient(scheme, port);
      raws.push(raw);
      raw.write(encodePacket(msg(0)));
      raw.pause();
      await until(() => serverConn !== undefined);
      const conn = serverConn!;
      const p = new SFSObject();
      p.putByteArray("b", new Uint8Array(64 * 1024).fill(5));
      const big: Message = { controller: 1, action: 13, params: p };
      const packetSize = encodePacket(big, { compressionThreshold: Infinity }).length;

      let maxBuffered = 0;
      let outcome: "refused" | "held" | undefined;
      let failure: unknown;
      let held: Promise<void> | undefined;
      let sent = 0;
      for (let i = 0; i < 5000 && outcome === undefined; i++) {
        const s = conn.send(big);
        maxBuffered = Math.max(maxBuffered, conn.bufferedAmount);
        const r = await Promise.race([s.then(() => "ok" as const, (e: unknown) => ((failure = e), "refused" as const)), sleep(200).then(() => "held" as const)]);
        if (r === "held") held = s;
        if (r !== "ok") outcome = r;
        else sent++;
        await new Promise((res) => setImmediate(res));
      }
      expect(sent).toBeGreaterThan(0);
      if (policy === "close") {
        // The slow connection is closed with a typed error; send() rejected with it.
        expect(outcome).toBe("refused");
        expect((failure as TransportError).code).toBe("QUEUE_FULL");
        expect(maxBuffered).toBeLessThanOrEqual(HWM);
        const info = await closedInfo(conn);
        expect(info.reason).toBe("send queue over high-water mark");
        expect((info.error as TransportError).code).toBe("QUEUE_FULL");
        expect(errors.map(([e]) => (e as TransportError).code)).toEqual(["QUEUE_FULL"]);
      } else {
        // send() waits for the socket: the queue holds at most the mark plus one waiting packet.
        expect(outcome).toBe("held");
        expect(maxBuffered).toBeLessThanOrEqual(HWM + packetSize);
        let received = 0;
        raw.onData((d) => (received += d.length));
        raw.resume();
        await held;
        expect(conn.closed).toBe(false);
        await until(() => received >= (sent + 1) * packetSize);
      }
    });
  });

  it("send() after close() rejects with ConnectionClosedError", async () => {
    const { port } = await startServer();
    const c = await connect(port);
    await c.close();
    expect(c.closed).toBe(true);
    await expect(c.send(msg(1))).rejects.toBeInstanceOf(ConnectionClosedError);
  });
});

describe("clientFromUrl / serverFromUrl URLs", () => {
  it("refuse other schemes and missing ports with a TransportUrlError", async () => {
    await expect(clientFromUrl("http://127.0.0.1:80")).rejects.toMatchObject({ name: "TransportUrlError", code: "UNSUPPORTED_SCHEME" });
    await expect(clientFromUrl("tcp://127.0.0.1")).rejects.toMatchObject({ code: "MISSING_PORT" });
    await expect(clientFromUrl("ws://127.0.0.1/BlueBox/websocket")).rejects.toMatchObject({ code: "MISSING_PORT" });
    await expect(clientFromUrl("nonsense")).rejects.toBeInstanceOf(TransportUrlError);
    expect(() => serverFromUrl("udp://127.0.0.1:9933")).toThrow(TransportUrlError);
    expect(() => serverFromUrl("ws://127.0.0.1")).toThrow(/no port/);
    expect(() => serverFromUrl("wss://127.0.0.1:0")).toThrow(expect.objectContaining({ code: "MISSING_TLS" }));
    expect(() => serverFromUrl("tcps://127.0.0.1:0")).toThrow(expect.objectContaining({ code: "MISSING_TLS" }));
  });

  it("ws:// with an explicit path serves and connects on that path", async () => {
    const server = serverFromUrl("ws://127.0.0.1:0/game");
    server.onConnection((conn) => conn.onMessage((m) => void conn.send(m)));
    await server.listen();
    try {
      const c = await clientFromUrl(`ws://127.0.0.1:${server.address!.port}/game`);
      const got = collect(c);
      await c.send(msg(9));
      expect((await got.next(1))[0]!.params.getInt("i")).toBe(9);
      await c.close();
      await expect(clientFromUrl(`ws://127.0.0.1:${server.address!.port}`)).rejects.toMatchObject({ code: "CONNECT_FAILED" });
    } finally {
      await server.close();
    }
  });
});
