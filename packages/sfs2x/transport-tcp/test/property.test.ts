import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { SFSObject } from "@sfs2x/core";
import { PacketError, TransportError, encodePacket, type Message } from "@sfs2x/protocol";
import { TcpServer, type TcpConnection } from "../src/index.js";
import { sleep } from "@sfs2x/testkit";
import { rawConnect } from "./helpers.js";

/** Per raw connection: what the server decoded and how it ended. */
interface Seen {
  messages: Message[];
  error?: Error;
  closedReason?: string;
}

let server: TcpServer;
const seen: Seen[] = [];

beforeAll(async () => {
  server = new TcpServer({ port: 0, maxMessageSize: 100_000, firstPacketTimeoutMs: 300, idleTimeoutMs: 300 });
  server.onConnection((conn: TcpConnection) => {
    const s: Seen = { messages: [] };
    seen.push(s);
    conn.onMessage((m) => s.messages.push(m));
    conn.onError((e) => (s.error ??= e));
    conn.onClose((info) => (s.closedReason = info.reason));
  });
  await server.listen();
});
afterAll(() => server.close());

const arbMessage = fc.record({
  i: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
  s: fc.string({ maxLength: 40 }),
  pad: fc.nat({ max: 3000 }), // sometimes over the compression threshold
});

/** Splits `bytes` at the given (sorted, deduplicated) points. */
function split(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let at = 0;
  for (const p of points) {
    out.push(bytes.subarray(at, p));
    at = p;
  }
  out.push(bytes.subarray(at));
  return out.filter((c) => c.length > 0);
}

async function sendChunks(chunks: Uint8Array[]): Promise<Seen> {
  const before = seen.length;
  const raw = await rawConnect(server.address!.port);
  raw.on("error", () => {});
  while (seen.length === before) await sleep(1);
  const s = seen[before]!;
  for (const c of chunks) {
    raw.write(c);
    await new Promise((r) => setImmediate(r));
  }
  return Object.assign(s, { raw });
}

describe("TCP framing properties (real sockets)", () => {
  it("any chunking of a packet stream yields the same messages, in order", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(arbMessage, { minLength: 1, maxLength: 8 }), fc.array(fc.nat(), { maxLength: 20 }), async (specs, cuts) => {
        const stream = specs.map((x) => {
          const p = new SFSObject();
          p.putInt("i", x.i);
          p.putUtfString("s", x.s + "p".repeat(x.pad));
          return encodePacket({ controller: 1, action: 13, params: p });
        });
        const bytes = new Uint8Array(stream.reduce((n, b) => n + b.length, 0));
        let at = 0;
        for (const b of stream) {
          bytes.set(b, at);
          at += b.length;
        }
        const s = (await sendChunks(split(bytes, cuts))) as Seen & { raw: import("node:net").Socket };
        while (s.messages.length < specs.length && s.closedReason === undefined) await sleep(1);
        s.raw.destroy();
        expect(s.messages.map((m) => m.params.getInt("i"))).toEqual(specs.map((x) => x.i));
        expect(s.messages.map((m) => m.params.getUtfString("s"))).toEqual(specs.map((x) => x.s + "p".repeat(x.pad)));
      }),
      { numRuns: 40 },
    );
  });

  it("random bytes never crash the server: each connection gets messages or a typed error and a close", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 300 }), fc.array(fc.nat(), { maxLength: 5 }), async (bytes, cuts) => {
        const s = (await sendChunks(split(bytes, cuts))) as Seen & { raw: import("node:net").Socket };
        // Either the server closes it (bad packet, or a timeout for an incomplete packet)...
        const deadline = Date.now() + 2000;
        while (s.closedReason === undefined && Date.now() < deadline) await sleep(5);
        s.raw.destroy();
        expect(s.closedReason).toBeDefined();
        if (s.error !== undefined) expect(s.error instanceof PacketError || s.error instanceof TransportError).toBe(true);
      }),
      { numRuns: 25 },
    );
    // ...and the server still serves.
    const s = (await sendChunks([encodePacket({ controller: 0, action: 29, params: new SFSObject() })])) as Seen & { raw: import("node:net").Socket };
    while (s.messages.length === 0) await sleep(1);
    expect(s.messages[0]!.action).toBe(29);
    s.raw.destroy();
  });
});
