import { afterEach, describe, expect, it } from "vitest";
import { SFSObject } from "@sfs2x/core";
import {
  CloseReason,
  ConnectionClosedError,
  PacketError,
  PacketFlag,
  PreparedMessage,
  TransportError,
  type Message,
  type TransportConnection,
  type TransportOptions,
  type TransportServer,
  type TransportServerOptions,
} from "@sfs2x/protocol";
import type { RawPeer, TransportHarness } from "./harness.js";
import { closed, collect, msg, packet, sleep, until } from "./helpers.js";

/**
 * The behaviour every SFS2X transport shares (the `TransportConnection` contract, most of it
 * implemented once in `ConnectionBase`), run against one transport over real loopback sockets:
 * echo and ordering, size limits, codec options, bad input, timeouts, closing, broadcast with
 * `sendPrepared`.
 */
export function describeTransportConformance(h: TransportHarness): void {
  const servers: TransportServer[] = [];
  const clients: TransportConnection[] = [];
  const raws: RawPeer[] = [];

  afterEach(async () => {
    for (const r of raws.splice(0)) r.destroy();
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  async function server(options: TransportServerOptions = {}, onConnection?: (conn: TransportConnection) => void): Promise<{ server: TransportServer; port: number; errors: [Error, TransportConnection | undefined][] }> {
    const s = h.createServer({ host: "127.0.0.1", port: 0, ...options });
    servers.push(s);
    const errors: [Error, TransportConnection | undefined][] = [];
    s.onError((e, c) => errors.push([e, c]));
    s.onConnection(onConnection ?? ((conn) => conn.onMessage((m) => void conn.send(m).catch(() => {}))));
    await s.listen();
    return { server: s, port: s.address!.port, errors };
  }

  async function client(port: number, options?: TransportOptions): Promise<TransportConnection> {
    const c = await h.connect(port, options);
    clients.push(c);
    return c;
  }

  async function raw(port: number): Promise<RawPeer> {
    const r = await h.rawPeer(port);
    raws.push(r);
    return r;
  }

  describe(`${h.name}: messages`, () => {
    it("echoes a request; the message keeps controller, action and typed params", async () => {
      const { port } = await server();
      const c = await client(port);
      const got = collect(c);
      await c.send(msg(42, "héllo ✓"));
      const [m] = await got.next(1);
      expect([m!.controller, m!.action]).toEqual([1, 13]);
      expect(m!.params.getInt("i")).toBe(42);
      expect(m!.params.getUtfString("s")).toBe("héllo ✓");
      expect(c.remoteAddress).toBe(`127.0.0.1:${port}`);
    });

    it("delivers 1000 messages in order both ways", async () => {
      const { port } = await server();
      const c = await client(port);
      const got = collect(c);
      for (let i = 0; i < 1000; i++) void c.send(msg(i));
      const all = await got.next(1000);
      expect(all.map((m) => m.params.getInt("i"))).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    });

    it("sends a 1 MB message with the 4-byte size when maxMessageSize allows it", async () => {
      const big = { maxMessageSize: 2_000_000, compressionThreshold: Infinity };
      const { port } = await server(big);
      const c = await client(port, big);
      const got = collect(c);
      const bytes = new Uint8Array(1_000_000).map((_, i) => i * 7);
      await c.send({ controller: 1, action: 13, params: new SFSObject().putByteArray("b", bytes) });
      const [m] = await got.next(1);
      const back = m!.params.getByteArray("b")!;
      expect(back).toBeInstanceOf(Uint8Array);
      expect(Buffer.compare(back, bytes)).toBe(0); // toEqual on 1 MB is slow
    });

    it("refuses to send a packet over maxMessageSize (nothing is sent) and says so through onError", async () => {
      const { port } = await server();
      const c = await client(port, { compressionThreshold: Infinity });
      const errors: Error[] = [];
      c.onError((e) => errors.push(e));
      const p = new SFSObject().putByteArray("b", new Uint8Array(600_000));
      await expect(c.send({ controller: 1, action: 13, params: p })).rejects.toMatchObject({ code: "TOO_LARGE" });
      expect((errors[0] as PacketError).code).toBe("TOO_LARGE");
      expect(c.closed).toBe(false);
      expect(c.bufferedAmount).toBe(0);
      const got = collect(c);
      await c.send(msg(1));
      expect((await got.next(1))[0]!.params.getInt("i")).toBe(1);
    });

    it("setCodecOptions rejects invalid options and keeps the old ones", async () => {
      const { port } = await server();
      const c = await client(port);
      expect(() => c.setCodecOptions({ maxMessageSize: -1 })).toThrow(PacketError);
      expect(() => c.setCodecOptions({ compressionLevel: 12 as never })).toThrow(PacketError);
      const got = collect(c);
      await c.send(msg(5, "x".repeat(2000)));
      const [m] = await got.next(1);
      expect(m!.params.getInt("i")).toBe(5);
      expect(m!.params.getUtfString("s")).toHaveLength(2000);
    });

    it("a throwing message listener is reported and does not stop the connection", async () => {
      const seen: number[] = [];
      const errors: Error[] = [];
      const { port } = await server({}, (conn) => {
        conn.onError((e) => errors.push(e));
        conn.onMessage((m) => {
          seen.push(m.params.getInt("i") as number);
          if (m.params.getInt("i") === 1) throw new Error("boom");
        });
      });
      const c = await client(port);
      void c.send(msg(1));
      void c.send(msg(2));
      await until(() => seen.length === 2);
      expect(seen).toEqual([1, 2]);
      expect(errors[0]?.message).toBe("boom");
    });

    it("holds messages that arrive before the first listener, then delivers them in order", async () => {
      let serverConn: TransportConnection | undefined;
      const { port } = await server({}, (conn) => (serverConn = conn));
      const c = await client(port);
      for (let i = 0; i < 20; i++) void c.send(msg(i));
      await until(() => serverConn !== undefined);
      await sleep(50); // everything has arrived, nobody listens yet
      const got = collect(serverConn!);
      const all = await got.next(20);
      expect(all.map((m) => m.params.getInt("i"))).toEqual(Array.from({ length: 20 }, (_, i) => i));
    });
  });

  describe(`${h.name}: bad input and timeouts`, () => {
    it("drops a peer that sends garbage, reports it with the connection, keeps serving others", async () => {
      const { port, errors } = await server();
      const good = await client(port);
      const got = collect(good);
      const r = await raw(port);
      r.send(new Uint8Array(64).fill(0x41));
      await r.closed;
      await until(() => errors.length === 1);
      const [error, conn] = errors[0]!;
      expect(error).toBeInstanceOf(PacketError);
      expect((error as PacketError).code).toBe("NOT_BINARY");
      expect((await closed(conn!)).reason).toBe(CloseReason.BAD_PACKET);
      await good.send(msg(1));
      expect((await got.next(1))[0]!.params.getInt("i")).toBe(1);
    });

    it("skips a packet with bad zlib data and goes on with the next one", async () => {
      const received: Message[] = [];
      const connErrors: Error[] = [];
      const { server: s, port } = await server({}, (conn) => {
        conn.onMessage((m) => received.push(m));
        conn.onError((e) => connErrors.push(e));
      });
      const r = await raw(port);
      r.send(new Uint8Array([0xa0, 0x00, 0x04, 1, 2, 3, 4]));
      r.send(packet(msg(9)));
      await until(() => received.length === 1);
      expect(received[0]!.params.getInt("i")).toBe(9);
      expect((connErrors[0] as PacketError).code).toBe("BAD_ZLIB");
      expect(s.connections.size).toBe(1);
    });

    it("closes a connection that sends nothing within firstPacketTimeoutMs", async () => {
      const { port, errors } = await server({ firstPacketTimeoutMs: 150 });
      const r = await raw(port);
      await r.closed;
      await until(() => errors.length === 1);
      expect(errors[0]![0]).toBeInstanceOf(TransportError);
      expect((errors[0]![0] as TransportError).code).toBe("TIMEOUT");
      expect((await closed(errors[0]![1]!)).reason).toBe(CloseReason.FIRST_PACKET_TIMEOUT);
    });

    it("closes a connection idle for idleTimeoutMs, with reason idle; traffic keeps it open", async () => {
      const { server: s, port } = await server({ idleTimeoutMs: 200 });
      const c = await client(port);
      const got = collect(c);
      for (let i = 0; i < 4; i++) {
        await c.send(msg(i));
        await sleep(100);
      }
      expect(c.closed).toBe(false); // 400 ms of traffic every 100 ms: still open
      const serverConn = [...s.connections][0]!;
      const info = await closed(serverConn);
      expect(info.reason).toBe(CloseReason.IDLE);
      expect((info.error as TransportError).code).toBe("TIMEOUT");
      expect((await closed(c)).reason).toBe(CloseReason.PEER_CLOSED);
      expect(got.messages.length).toBe(4);
    });
  });

  describe(`${h.name}: closing`, () => {
    it("send after close rejects with ConnectionClosedError; close is idempotent", async () => {
      const { port } = await server();
      const c = await client(port);
      const p1 = c.close("bye");
      const p2 = c.close();
      await expect(c.send(msg(1))).rejects.toBeInstanceOf(ConnectionClosedError);
      await expect(c.sendPrepared!(new PreparedMessage(msg(1)))).rejects.toBeInstanceOf(ConnectionClosedError);
      await p1;
      await p2;
      expect(c.closed).toBe(true);
      expect((await closed(c)).reason).toBe("bye");
      await expect(c.send(msg(1))).rejects.toMatchObject({ code: "CLOSED" });
    });

    it("close() flushes what was accepted before closing", async () => {
      const received: number[] = [];
      let serverInfo: Promise<{ reason: string }> | undefined;
      const { port } = await server({}, (conn) => {
        serverInfo = closed(conn);
        conn.onMessage((m) => received.push(m.params.getInt("i") as number));
      });
      const c = await client(port);
      const sends = Array.from({ length: 300 }, (_, i) => c.send(msg(i, "z".repeat(100))));
      await c.close();
      await Promise.all(sends);
      await until(() => serverInfo !== undefined && received.length === 300);
      expect((await serverInfo!).reason).toBe(CloseReason.PEER_CLOSED);
      expect(received).toEqual(Array.from({ length: 300 }, (_, i) => i));
    });

    it("the server's close closes every connection; the clients see the peer close", async () => {
      const s = h.createServer({ host: "127.0.0.1", port: 0 });
      s.onConnection((conn) => conn.onMessage(() => {}));
      await s.listen();
      const a = await client(s.address!.port);
      const b = await client(s.address!.port);
      const infos = Promise.all([closed(a), closed(b)]);
      await until(() => s.connections.size === 2);
      await s.close();
      expect((await infos).map((i) => i.reason)).toEqual([CloseReason.PEER_CLOSED, CloseReason.PEER_CLOSED]);
      expect(s.connections.size).toBe(0);
    });

    it("onClose after the close still hears about it", async () => {
      const { port } = await server();
      const c = await client(port);
      await c.close();
      const info = await closed(c);
      expect(info.reason).toBe(CloseReason.CLOSED);
    });
  });

  describe(`${h.name}: broadcast with sendPrepared`, () => {
    /** A server whose connections are collected, and `n` clients that collect what they receive. */
    async function fanOut(n: number, clientOptions: (i: number) => TransportOptions = () => ({})) {
      const conns: TransportConnection[] = [];
      const { port } = await server({}, (conn) => {
        conns.push(conn);
        conn.onMessage(() => {});
      });
      const received: ReturnType<typeof collect>[] = [];
      for (let i = 0; i < n; i++) {
        const c = await client(port, clientOptions(i));
        received.push(collect(c));
        await c.send(msg(-1)); // the server starts reading
      }
      await until(() => conns.length === n);
      return { conns, received };
    }

    it("encodes once for every connection with the same codec options; each one gets the message", async () => {
      const { conns, received } = await fanOut(5);
      const prepared = new PreparedMessage(msg(7, "to everyone"));
      await Promise.all(conns.map((c) => c.sendPrepared!(prepared)));
      expect(prepared.encodings).toBe(1);
      for (const r of received) {
        const [m] = await r.next(1);
        expect(m!.params.getInt("i")).toBe(7);
        expect(m!.params.getUtfString("s")).toBe("to everyone");
      }
    });

    it("encodes once per distinct option set: each connection gets its own compression", async () => {
      const flags: number[][] = [[], [], [], []];
      const conns: TransportConnection[] = [];
      const { port } = await server({}, (conn) => {
        conns.push(conn);
        conn.onMessage(() => {});
      });
      for (let i = 0; i < 4; i++) {
        const r = await raw(port);
        r.onData((bytes) => flags[i]!.push(bytes[0]!));
        r.send(packet(msg(i)));
        await until(() => conns.length === i + 1);
      }
      conns[1]!.setCodecOptions({ compressionThreshold: Infinity });
      conns[3]!.setCodecOptions({ compressionThreshold: Infinity });
      const prepared = new PreparedMessage(msg(1, "y".repeat(3000))); // compressed at the default threshold
      await Promise.all(conns.map((c) => c.sendPrepared!(prepared)));
      expect(prepared.encodings).toBe(2);
      await until(() => flags.every((f) => f.length > 0));
      expect(flags.map((f) => f[0]! & PacketFlag.COMPRESSED)).toEqual([PacketFlag.COMPRESSED, 0, PacketFlag.COMPRESSED, 0]);
    });

    it("an encoding error (over one connection's maxMessageSize) rejects that connection's send only", async () => {
      const { conns, received } = await fanOut(2);
      conns[1]!.setCodecOptions({ maxMessageSize: 100, compressionThreshold: Infinity });
      const errors: Error[] = [];
      conns[1]!.onError((e) => errors.push(e));
      const prepared = new PreparedMessage(msg(3, "w".repeat(500)));
      await conns[0]!.sendPrepared!(prepared);
      await expect(conns[1]!.sendPrepared!(prepared)).rejects.toMatchObject({ code: "TOO_LARGE" });
      expect((errors[0] as PacketError).code).toBe("TOO_LARGE");
      expect(conns[1]!.closed).toBe(false);
      expect((await received[0]!.next(1))[0]!.params.getInt("i")).toBe(3);
    });
  });
}
