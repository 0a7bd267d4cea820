import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { SFSObject } from "@sfs2x/core";
import { TransportError, encodePacket, type Message } from "@sfs2x/protocol";
import { CloseReason, WsServer, type HighWaterMarkPolicy, type WsConnection } from "../src/index.js";
import { closed, msg, sleep, until } from "./helpers.js";

const HWM = 256 * 1024;
function bigMessage(): Message {
  const p = new SFSObject();
  p.putByteArray("b", new Uint8Array(64 * 1024).fill(1));
  return { controller: 1, action: 13, params: p };
}
const PACKET = encodePacket(bigMessage(), { compressionThreshold: Infinity }).length;

const servers: WsServer[] = [];
const raws: WebSocket[] = [];
afterEach(async () => {
  for (const r of raws.splice(0)) r.terminate();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** A server with the given policy and a raw client that sends one packet, then stops reading. */
async function stalledPair(policy: HighWaterMarkPolicy): Promise<{ conn: WsConnection; raw: WebSocket; errors: Error[] }> {
  const server = new WsServer({ port: 0, highWaterMark: HWM, highWaterMarkPolicy: policy, compressionThreshold: Infinity, closeTimeoutMs: 200 });
  servers.push(server);
  const errors: Error[] = [];
  server.onError((e) => errors.push(e));
  const accepted = new Promise<WsConnection>((resolve) =>
    server.onConnection((c) => {
      c.onMessage(() => {});
      resolve(c);
    }),
  );
  await server.listen();
  const raw = new WebSocket(`ws://127.0.0.1:${server.address!.port}/BlueBox/websocket`);
  raws.push(raw);
  raw.on("error", () => {});
  await new Promise((r) => raw.once("open", r));
  raw.send(encodePacket(msg(0)));
  raw.pause(); // a peer that does not read
  return { conn: await accepted, raw, errors };
}

describe("send-queue high-water mark (WebSocket)", () => {
  it('"refuse": QUEUE_FULL at the mark, bounded buffer, onDrain after the peer reads', async () => {
    const { conn, raw } = await stalledPair("refuse");
    const m = bigMessage();
    let maxBuffered = 0;
    let refusal: unknown;
    for (let i = 0; i < 5000 && refusal === undefined; i++) {
      try {
        await conn.send(m);
        await new Promise((r) => setImmediate(r)); // let the corked writes go out
      } catch (e) {
        refusal = e;
      }
      maxBuffered = Math.max(maxBuffered, conn.bufferedAmount);
    }
    expect((refusal as TransportError).code).toBe("QUEUE_FULL");
    expect(maxBuffered).toBeLessThanOrEqual(HWM);
    const drained = new Promise<void>((r) => conn.onDrain(r));
    raw.resume();
    await drained;
    await conn.send(m);
  });

  it('"wait": send() waits for the socket to drain, memory stays bounded, everything arrives in order', async () => {
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
    expect(pending).toBeDefined();
    expect(maxBuffered).toBeLessThanOrEqual(2 * HWM);
    let refused = 0;
    const extra = Array.from({ length: 20 }, () => conn.send(m).catch((e: TransportError) => void (e.code === "QUEUE_FULL" && refused++)));
    expect(conn.bufferedAmount).toBeLessThanOrEqual(2 * HWM + PACKET);
    await sleep(0);
    expect(refused).toBeGreaterThan(0);
    let received = 0;
    raw.on("message", (d: Buffer) => {
      expect(d.length).toBe(PACKET);
      received++;
    });
    raw.resume();
    await pending;
    await Promise.all(extra);
    await until(() => received === sent + 1 + (20 - refused));
    expect(conn.closed).toBe(false);
  });

  it('"close": a peer that does not read is dropped with a typed error; send() rejects', async () => {
    const { conn, errors } = await stalledPair("close");
    const m = bigMessage();
    let refusal: unknown;
    let maxBuffered = 0;
    for (let i = 0; i < 5000 && refusal === undefined; i++) {
      try {
        await conn.send(m);
        await new Promise((r) => setImmediate(r));
      } catch (e) {
        refusal = e;
      }
      maxBuffered = Math.max(maxBuffered, conn.bufferedAmount);
    }
    expect((refusal as TransportError).code).toBe("QUEUE_FULL");
    expect(maxBuffered).toBeLessThanOrEqual(HWM);
    const info = await closed(conn);
    expect(info.reason).toBe(CloseReason.SLOW_CONSUMER);
    expect(errors).toHaveLength(1);
    await expect(conn.send(msg(1))).rejects.toMatchObject({ code: "CLOSED" });
  });
});
