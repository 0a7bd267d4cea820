import { DarkRiftMessage, DarkRiftWriter } from "@darkrift/core";
import { connect, type DarkRiftClient } from "@darkrift/client";
import { decodeDatagram } from "@darkrift/protocol";
import { afterEach, describe, expect, it } from "vitest";
import { serve, silentLogger, type DarkRiftServer, type ServerClient, type ServerOptions } from "../src/index.js";
import { echoPlugin, until } from "./helpers.js";
import { RawClient } from "@darkrift/testkit";

const servers: DarkRiftServer[] = [];
const clients: DarkRiftClient[] = [];
const raws: RawClient[] = [];
afterEach(async () => {
  for (const r of raws.splice(0)) r.close();
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function start(handler: (c: ServerClient) => void | Promise<void>, options: ServerOptions = {}): Promise<DarkRiftServer> {
  const server = await serve(handler, "127.0.0.1", 0, 0, { logger: silentLogger, ...options });
  servers.push(server);
  return server;
}

async function client(server: DarkRiftServer, options = {}): Promise<DarkRiftClient> {
  const c = await connect("127.0.0.1", server.tcpPort, server.udpPort, options);
  clients.push(c);
  return c;
}

/** The seed's choose-number server: tag 1 carrying int32[] → tag 2 carrying one of them, same channel. */
async function chooseServer(c: ServerClient): Promise<void> {
  for await (const m of c) {
    if (m.tag !== 1) continue;
    const numbers = m.getReader().readInt32s();
    const w = new DarkRiftWriter();
    w.writeInt32(numbers[Math.floor(Math.random() * numbers.length)]!);
    await c.send(new DarkRiftMessage(2, w), { reliable: m.reliable });
  }
}

describe("loopback: our client against our server", () => {
  for (const reliable of [true, false]) {
    it(`plays choose-number ${reliable ? "reliably (TCP)" : "unreliably (UDP)"}`, async () => {
      const server = await start(chooseServer);
      const c = await client(server);
      for (let round = 0; round < 3; round++) {
        const numbers = Array.from({ length: 20 }, () => (Math.random() * 2 ** 32) | 0);
        const w = new DarkRiftWriter();
        w.writeInt32s(numbers);
        await c.send(new DarkRiftMessage(1, w), { reliable });
        const reply = await c.recv();
        expect(reply.tag).toBe(2);
        expect(reply.reliable).toBe(reliable);
        const r = reply.getReader();
        expect(numbers).toContain(r.readInt32());
        expect(r.remaining).toBe(0);
      }
    });
  }

  it("delivers 10 000 reliable messages in order, both ways", async () => {
    const server = await start(echoPlugin);
    const c = await client(server);
    const n = 10_000;
    const receiving = (async () => {
      let next = 0;
      for await (const m of c) {
        expect(m.tag).toBe(2);
        const seq = m.getReader().readInt32();
        if (seq !== next) throw new Error(`got ${seq}, expected ${next}`);
        if (++next === n) return next;
      }
      return next;
    })();
    for (let i = 0; i < n; i++) {
      const w = new DarkRiftWriter();
      w.writeInt32(i);
      await c.send(new DarkRiftMessage(1, w));
    }
    expect(await receiving).toBe(n);
  });

  it("keeps the receive queue bounded when the handler is slow, without losing reliable messages", async () => {
    let gate!: () => void;
    const opened = new Promise<void>((r) => (gate = r));
    let serverSide: ServerClient | undefined;
    let maxQueued = 0;
    const got: number[] = [];
    const server = await start(
      async (sc) => {
        serverSide = sc;
        await opened;
        for await (const m of sc) {
          got.push(m.getReader().readInt32());
          maxQueued = Math.max(maxQueued, sc.queuedMessages);
          if (got.length === 30_000) return;
        }
      },
      { receiveHighWaterMark: 256 },
    );
    const c = await client(server);
    for (let i = 0; i < 30_000; i++) {
      const w = new DarkRiftWriter();
      w.writeInt32(i);
      c.sendNow(new DarkRiftMessage(1, w));
    }
    await until(() => serverSide !== undefined && serverSide.queuedMessages >= 256);
    await new Promise((r) => setTimeout(r, 100));
    // TCP reading is paused: the queue stays near the mark (one read's worth of slack at most).
    const queued = serverSide!.queuedMessages;
    expect(queued).toBeGreaterThanOrEqual(256);
    expect(queued).toBeLessThan(30_000);
    gate();
    await until(() => got.length === 30_000, 10_000);
    expect(got.every((v, i) => v === i)).toBe(true);
    expect(maxQueued).toBeLessThan(30_000);
  });

  it("sends every unreliable message as exactly one datagram holding one message body", async () => {
    const sizes = Array.from({ length: 50 }, (_, i) => (i * 97) % 1200);
    const server = await start((sc) => {
      sc.onClose(() => {});
      for (let i = 0; i < sizes.length; i++) void sc.send(new DarkRiftMessage(i, new Uint8Array(sizes[i]!).fill(i)), { reliable: false });
    });
    const raw = await RawClient.connect(server.tcpPort, server.udpPort);
    raws.push(raw);
    await raw.handshake();
    for (let i = 0; i < sizes.length; i++) {
      const { bytes } = await raw.inbox.next();
      expect(bytes.length).toBe(3 + sizes[i]!);
      const m = decodeDatagram(bytes);
      expect(m.tag).toBe(i);
      expect(m.payload.every((b) => b === i)).toBe(true);
    }
  });

  it("carries a large reliable message (64 KiB − 2 body bytes, the server's maximum)", async () => {
    const server = await start(echoPlugin);
    const c = await client(server);
    const payload = new Uint8Array(65534 - 3).map((_, i) => i & 0xff);
    await c.send(new DarkRiftMessage(1, payload));
    const r = await c.recv();
    expect(r.payload.length).toBe(payload.length);
    expect(r.payload.every((b, i) => b === (i & 0xff))).toBe(true);
  });

  it("measures round-trip time with ping() (server auto-acknowledges)", async () => {
    const server = await start(async (sc) => {
      for await (const _ of sc) {
        // drain
      }
    }, { autoAcknowledgePings: true });
    const c = await client(server);
    const samples: number[] = [];
    for (let i = 0; i < 5; i++) samples.push(await c.ping({ reliable: i % 2 === 0 }));
    expect(samples.every((s) => s >= 0 && Number.isFinite(s))).toBe(true);
    expect(c.roundTripTime.latest).toBe(samples[4]);
    expect(c.roundTripTime.smoothed).toBeCloseTo(samples.reduce((a, b) => a + b) / 5, 6);
    // The acknowledgements are delivered to the app too, as in C#.
    const acks = [await c.recv(), await c.recv()];
    expect(acks.every((m) => m.isPingAcknowledgement)).toBe(true);
  });

  it("serves many clients at once with distinct IDs", async () => {
    const server = await start(echoPlugin);
    const cs = await Promise.all(Array.from({ length: 20 }, () => client(server)));
    expect(new Set(cs.map((c) => c.id)).size).toBe(20);
    await Promise.all(
      cs.map(async (c) => {
        const w = new DarkRiftWriter();
        w.writeUInt16(c.id);
        await c.send(new DarkRiftMessage(5, w));
        const r = await c.recv();
        expect(r.getReader().readUInt16()).toBe(c.id);
      }),
    );
  });

  it("delivers to onMessage listeners synchronously instead of queueing while one is registered", async () => {
    let sc: ServerClient | undefined;
    const heard: number[] = [];
    let off: (() => void) | undefined;
    const server = await start((c) => {
      sc = c;
      off = c.onMessage((m) => heard.push(m.tag));
    });
    const c = await client(server);
    for (const tag of [1, 2, 3]) await c.send(new DarkRiftMessage(tag));
    await until(() => heard.length === 3);
    expect(heard).toEqual([1, 2, 3]);
    expect(sc!.queuedMessages).toBe(0);
    off!();
    await c.send(new DarkRiftMessage(4), { reliable: false });
    const m = await sc!.recv();
    expect(m.tag).toBe(4);
    expect(heard).toEqual([1, 2, 3]);
  });

  it("a throwing onMessage listener closes that connection with HANDLER_ERROR", async () => {
    const server = await start((c) => {
      c.onMessage(() => {
        throw new Error("listener bug");
      });
    });
    const reasons: string[] = [];
    server.onDisconnect((_c, r) => reasons.push(`${r.code}: ${(r.cause as Error).message}`));
    const c = await client(server);
    await c.send(new DarkRiftMessage(1));
    expect((await c.closed).code).toBe("REMOTE_CLOSED");
    expect(reasons).toEqual(["HANDLER_ERROR: listener bug"]);
  });

  it("drops (and counts) unreliable messages when the receive queue is full", async () => {
    let sc: ServerClient | undefined;
    const server = await start((c) => {
      sc = c; // never reads
    }, { receiveHighWaterMark: 8 });
    const c = await client(server);
    for (let i = 0; i < 40; i++) c.sendNow(new DarkRiftMessage(i), false);
    await until(() => sc !== undefined && sc.queuedMessages + sc.droppedDatagrams === 40);
    expect(sc!.queuedMessages).toBe(8);
    expect(sc!.droppedDatagrams).toBe(32);
    expect((await sc!.recv()).tag).toBe(0);
  });
});
