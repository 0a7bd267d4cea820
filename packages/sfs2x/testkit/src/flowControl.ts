import { afterEach, describe, expect, it } from "vitest";
import { SFSObject } from "@sfs2x/core";
import {
  CloseReason,
  PreparedMessage,
  TransportError,
  encodePacket,
  type HighWaterMarkPolicy,
  type Message,
  type TransportConnection,
  type TransportServer,
} from "@sfs2x/protocol";
import type { RawPeer, TransportHarness } from "./harness.js";
import { closed, msg, sleep, until } from "./helpers.js";

const HWM = 256 * 1024;

/** A 64 KiB message (compression off). */
function bigMessage(): Message {
  return { controller: 1, action: 13, params: new SFSObject().putByteArray("b", new Uint8Array(64 * 1024).fill(1)) };
}
const PACKET = encodePacket(bigMessage(), { compressionThreshold: Infinity }).length;

/** Lets the transport's end-of-tick writes go out. */
const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

/**
 * The send-queue high-water mark and its three policies (the shared `SendQueue` of
 * `@sfs2x/protocol`), run against one transport: a server sends to a raw peer that stopped reading.
 */
export function describeFlowControl(h: TransportHarness): void {
  const servers: TransportServer[] = [];
  const raws: RawPeer[] = [];
  afterEach(async () => {
    for (const r of raws.splice(0)) r.destroy();
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  /** A server with the given policy and a raw peer that sends one packet, then stops reading. */
  async function stalledPair(policy: HighWaterMarkPolicy): Promise<{ conn: TransportConnection; raw: RawPeer; errors: Error[] }> {
    const server = h.createServer({ host: "127.0.0.1", port: 0, highWaterMark: HWM, highWaterMarkPolicy: policy, compressionThreshold: Infinity, closeTimeoutMs: 200 });
    servers.push(server);
    const errors: Error[] = [];
    server.onError((e) => errors.push(e));
    const accepted = new Promise<TransportConnection>((resolve) =>
      server.onConnection((c) => {
        c.onMessage(() => {});
        resolve(c);
      }),
    );
    await server.listen();
    const raw = await h.rawPeer(server.address!.port);
    raws.push(raw);
    raw.send(encodePacket(msg(0)));
    raw.pause(); // a peer that does not read
    return { conn: await accepted, raw, errors };
  }

  /** Sends until the first refusal; returns it and the largest `bufferedAmount` seen. */
  async function sendUntilRefused(conn: TransportConnection, send: () => Promise<void>): Promise<{ refusal: unknown; maxBuffered: number }> {
    let maxBuffered = 0;
    let refusal: unknown;
    for (let i = 0; i < 5000 && refusal === undefined; i++) {
      try {
        await send();
        await tick();
      } catch (e) {
        refusal = e;
      }
      maxBuffered = Math.max(maxBuffered, conn.bufferedAmount);
    }
    return { refusal, maxBuffered };
  }

  describe(`${h.name}: send-queue high-water mark`, () => {
    it('"refuse": send() rejects QUEUE_FULL at the mark, the buffer stays bounded, onDrain fires after the peer reads', async () => {
      const { conn, raw } = await stalledPair("refuse");
      const m = bigMessage();
      const { refusal, maxBuffered } = await sendUntilRefused(conn, () => conn.send(m));
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

    it('"refuse" applies to sendPrepared too', async () => {
      const { conn } = await stalledPair("refuse");
      const prepared = new PreparedMessage(bigMessage());
      const { refusal, maxBuffered } = await sendUntilRefused(conn, () => conn.sendPrepared!(prepared));
      expect((refusal as TransportError).code).toBe("QUEUE_FULL");
      expect(maxBuffered).toBeLessThanOrEqual(HWM);
      expect(prepared.encodings).toBe(1);
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
      let refused = 0;
      const extra = Array.from({ length: 20 }, () => conn.send(m).catch((e: TransportError) => void (e.code === "QUEUE_FULL" && refused++)));
      expect(conn.bufferedAmount).toBeLessThanOrEqual(2 * HWM + PACKET);
      await sleep(0);
      expect(refused).toBeGreaterThan(0);
      // The peer reads again: the held send completes and every accepted byte arrives.
      let received = 0;
      raw.onData((bytes) => (received += bytes.length));
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
      const { refusal, maxBuffered } = await sendUntilRefused(conn, () => conn.send(m));
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
        await tick();
      }
      await conn.close(); // resolves: the grace period drops the socket
      expect(conn.closed).toBe(true);
    });
  });
}
