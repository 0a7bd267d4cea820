import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { WebSocket } from "ws";
import { SFSObject } from "@sfs2x/core";
import { PacketError, TransportError, encodePacket, type Message } from "@sfs2x/protocol";
import { WsServer } from "../src/index.js";
import { sleep } from "@sfs2x/testkit";

interface Seen {
  messages: Message[];
  errors: Error[];
  closedReason?: string;
}

let server: WsServer;
const seen: Seen[] = [];

beforeAll(async () => {
  server = new WsServer({ port: 0, maxMessageSize: 100_000 });
  server.onConnection((conn) => {
    const s: Seen = { messages: [], errors: [] };
    seen.push(s);
    conn.onMessage((m) => s.messages.push(m));
    conn.onError((e) => s.errors.push(e));
    conn.onClose((info) => (s.closedReason = info.reason));
  });
  await server.listen();
});
afterAll(() => server.close());

async function open(): Promise<{ ws: WebSocket; s: Seen }> {
  const before = seen.length;
  const ws = new WebSocket(`ws://127.0.0.1:${server.address!.port}/BlueBox/websocket`);
  ws.on("error", () => {});
  await new Promise((r) => ws.once("open", r));
  while (seen.length === before) await sleep(1);
  return { ws, s: seen[before]! };
}

describe("WebSocket framing properties (real sockets)", () => {
  it("every message of a random sequence arrives whole and in order", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ i: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), s: fc.string({ maxLength: 30 }), pad: fc.nat({ max: 3000 }) }), {
          minLength: 1,
          maxLength: 10,
        }),
        async (specs) => {
          const { ws, s } = await open();
          for (const x of specs) {
            const p = new SFSObject();
            p.putInt("i", x.i);
            p.putUtfString("s", x.s + "q".repeat(x.pad));
            ws.send(encodePacket({ controller: 1, action: 13, params: p }));
          }
          while (s.messages.length < specs.length && s.closedReason === undefined) await sleep(1);
          ws.terminate();
          expect(s.messages.map((m) => m.params.getInt("i"))).toEqual(specs.map((x) => x.i));
          expect(s.messages.map((m) => m.params.getUtfString("s"))).toEqual(specs.map((x) => x.s + "q".repeat(x.pad)));
        },
      ),
      { numRuns: 30 },
    );
  });

  it("random messages give a message, a skipped packet or a close with a typed error; never a crash", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 0, maxLength: 200 }), async (bytes) => {
        const { ws, s } = await open();
        ws.send(bytes);
        ws.send(encodePacket({ controller: 0, action: 29, params: new SFSObject() }));
        // Either the connection survives (the PingPong after it arrives) or it is closed.
        while (s.closedReason === undefined && !s.messages.some((m) => m.action === 29)) await sleep(1);
        ws.terminate();
        for (const e of s.errors) expect(e instanceof PacketError || e instanceof TransportError).toBe(true);
        if (s.closedReason !== undefined && !s.messages.some((m) => m.action === 29)) expect(s.errors.length).toBeGreaterThan(0);
      }),
      { numRuns: 40 },
    );
    const { ws, s } = await open();
    ws.send(encodePacket({ controller: 0, action: 29, params: new SFSObject() }));
    while (s.messages.length === 0) await sleep(1);
    expect(s.messages[0]!.action).toBe(29);
    ws.terminate();
  });
});
