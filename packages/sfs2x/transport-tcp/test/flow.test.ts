import type { Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { SFSObject } from "@sfs2x/core";
import { TransportError, encodePacket, type Message } from "@sfs2x/protocol";
import { CloseReason, TcpServer, type HighWaterMarkPolicy, type TcpConnection } from "../src/index.js";
import { closed, msg, rawConnect, sleep } from "./helpers.js";

const HWM = 256 * 1024;
/** A 64 KiB (incompressible-enough, compression off) message. */
function bigMessage(): Message {
  const p = new SFSObject();
  p.putByteArray("b", new Uint8Array(64 * 1024).fill(1));
  return { controller: 1, action: 13, params: p };
}
const PACKET = encodePacket(bigMessage(), { compressionThreshold: Infinity }).length;

const servers: TcpServer[] = [];
const raws: Socket[] = [];
afterEach(async () => {
  for (const r of raws.splice(0)) r.destroy();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** A server with the given policy and a raw client that sends one packet, then stops reading. */
async function stalledPair(policy: HighWaterMarkPolicy): Promise<{ conn: TcpConnection; raw: Socket; server: TcpServer; errors: Error[] }> {
  const server = new TcpServer({ port: 0, highWaterMark: HWM, highWaterMarkPolicy: policy, compressionThreshold: Infinity, closeTimeoutMs: 200 });
  servers.push(server);
  const errors: Error[] = [];
  server.onError((e) => errors.push(e));
  const accepted = new Promise<TcpConnection>((resolve) => server.onConnection((c) => {
    c.onMessage(() => {});
    resolve(c);
  }));
  await server.listen();
  const raw = await rawConnect(server.address!.port);
  raws.push(raw);
  raw.on("error", () => {});
  raw.pause(); // a peer that does not read
  raw.write(encodePacket(msg(0)));
  return { conn: await accepted, raw, server, errors };
}

describe("send-queue high-water mark", () => {
  it('"refuse": send() rejects QUEUE_FULL at the mark, the buffer stays bounded, onDrain fires after the peer reads', async () => {
    const { conn, raw } = await stalledPair("refuse");
    const m = bigMessage();
    let maxBuffered = 0;
    let refusal: unknown;
    for (let i = 0; i < 5000 && refusal === undefined; i++) {
      try {
        await conn.send(m);
      } catch (e) {
        refusal = e;
      }
      maxBuffered = Math.max(maxBuffered, conn.bufferedAmount);
    }
    expect(refusal).toBeInstanceOf(TransportError);
    expect((refusal as TransportError).code).toBe("QUEUE_FULL");
    expect(maxBuffered).toBeLessThanOrEqual(HWM);
    expect(conn.closed).toBe(false);
    const drained = new Promise<void>((r) => conn.onDrain(r));
    raw.resume();
    await drained;
    expect(conn.bufferedAmount).toBeLessThan(HWM);
    await conn.send(m); // accepted again
  });

  it('"wait": send() waits for the socket to drain, memory stays bounded, everything arrives', async () => {
    const { conn, raw } = await stalledPair("wait");
    const m = bigMessage();
    let maxBuffered = 0;
    let sent = 0;
    let pending: Promise<void> | undefined;
    for (let i = 0; i < 5000; i++) {
      const p = conn.send(m);
      maxBuffered = Math.max(maxBuffered, conn.bufferedAmount);
      const settled = await Promise.race([p.then(() => true), sleep(150).then(() => false)]);
      if (!settled) {
        pending = p;
        break;
      }
      sent++;
    }
    expect(pending).toBeDefined(); // the socket is congested: the send is held
    expect(maxBuffered).toBeLessThanOrEqual(2 * HWM);
    // A caller that does not await cannot grow the queue past the waiting room.
    const extra: Promise<void>[] = [];
    let refused = 0;
    for (let i = 0; i < 20; i++) extra.push(conn.send(m).catch((e: TransportError) => void (e.code === "QUEUE_FULL" && refused++)));
    expect(conn.bufferedAmount).toBeLessThanOrEqual(2 * HWM + PACKET);
    await sleep(0);
    expect(refused).toBeGreaterThan(0);
    // The peer reads again: the held send completes and every accepted byte arrives.
    let received = 0;
    raw.on("data", (c: Buffer) => (received += c.length));
    raw.resume();
    await pending;
    await Promise.all(extra);
    const accepted = sent + 1 + (20 - refused);
    await until(() => received >= accepted * PACKET);
    expect(received).toBe(accepted * PACKET);
    expect(conn.closed).toBe(false);
  });

  it('"close": a peer that does not read is dropped with a typed error and send() rejects', async () => {
    const { conn, errors } = await stalledPair("close");
    const m = bigMessage();
    let refusal: unknown;
    let maxBuffered = 0;
    for (let i = 0; i < 5000 && refusal === undefined; i++) {
      try {
        await conn.send(m);
      } catch (e) {
        refusal = e;
      }
      maxBuffered = Math.max(maxBuffered, conn.bufferedAmount);
    }
    expect((refusal as TransportError).code).toBe("QUEUE_FULL");
    expect(maxBuffered).toBeLessThanOrEqual(HWM);
    const info = await closed(conn);
    expect(info.reason).toBe(CloseReason.SLOW_CONSUMER);
    expect((info.error as TransportError).code).toBe("QUEUE_FULL");
    expect(errors).toHaveLength(1);
    await expect(conn.send(msg(1))).rejects.toMatchObject({ code: "CLOSED" });
  });

  it("close() on a peer that never reads gives up after closeTimeoutMs", async () => {
    const { conn } = await stalledPair("refuse");
    const m = bigMessage();
    for (let i = 0; i < 5000; i++) {
      const ok = await conn.send(m).then(() => true, () => false);
      if (!ok) break;
    }
    await conn.close(); // resolves: the grace period destroys the socket
    expect(conn.closed).toBe(true);
  });
});

async function until(cond: () => boolean): Promise<void> {
  while (!cond()) await sleep(5);
}
