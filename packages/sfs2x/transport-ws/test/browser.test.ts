import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import * as browser from "../src/browser.js";
import { WsServer, type WebSocketConstructor, type WsConnection } from "../src/index.js";
import { closed, collect, msg, packet, sleep, until } from "@sfs2x/testkit";

// Node 20 has no global WebSocket: the `ws` client stands in for the browser's (same API surface).
const WS = WebSocket as unknown as WebSocketConstructor;
let server: WsServer;
const serverConns: WsConnection[] = [];

beforeAll(async () => {
  server = new WsServer({ port: 0 });
  server.onConnection((conn) => {
    serverConns.push(conn);
    conn.onMessage((m) => {
      if (m.action === 99) {
        for (let i = 0; i < 5; i++) void conn.send(msg(i)); // pushes before the client listens
      } else void conn.send(m);
    });
  });
  await server.listen();
});
afterAll(() => server.close());

describe("browser client (native WebSocket API)", () => {
  it("the browser entry exports the client under its own and the isomorphic names", () => {
    expect(browser.connectWs).toBe(browser.connectBrowserWs);
    expect(browser.wsClientFactory.schemes).toEqual(["ws", "wss"]);
    expect("WsServer" in browser).toBe(false);
  });

  it("echoes with binaryType arraybuffer, one packet per message", async () => {
    const c = await browser.connectBrowserWs(`ws://127.0.0.1:${server.address!.port}`, { WebSocket: WS });
    expect(c.ws.binaryType).toBe("arraybuffer");
    expect(c.remoteAddress).toBe(`127.0.0.1:${server.address!.port}`);
    const got = collect(c);
    for (let i = 0; i < 200; i++) void c.send(msg(i, "b"));
    const all = await got.next(200);
    expect(all.map((m) => m.params.getInt("i"))).toEqual(Array.from({ length: 200 }, (_, i) => i));
    await c.close();
    expect(c.closed).toBe(true);
    await expect(c.send(msg(1))).rejects.toMatchObject({ code: "CLOSED" });
  });

  it("holds messages that arrive before the first listener", async () => {
    const c = await browser.connectBrowserWs(`ws://127.0.0.1:${server.address!.port}`, { WebSocket: WS });
    await c.send(msg(0, undefined, 99));
    await sleep(50); // the five pushes have arrived by now
    const got = collect(c);
    const all = await got.next(5);
    expect(all.map((m) => m.params.getInt("i"))).toEqual([0, 1, 2, 3, 4]);
    await c.close();
  });

  it("sees the server close the connection", async () => {
    const c = await browser.connectBrowserWs(`ws://127.0.0.1:${server.address!.port}`, { WebSocket: WS });
    collect(c);
    await c.send(msg(1));
    await until(() => serverConns.length > 0 && serverConns.some((s) => !s.closed));
    const info = closed(c);
    await Promise.all(serverConns.filter((s) => !s.closed).map((s) => s.close("bye")));
    expect((await info).reason).toBe("peer closed");
    expect(c.closeCode).toBe(1000);
  });

  it("a garbage message from the server closes the browser connection with a typed error", async () => {
    const { WebSocketServer } = await import("ws");
    const evil = new WebSocketServer({ port: 0, host: "127.0.0.1" });
    await new Promise((r) => evil.once("listening", r));
    evil.on("connection", (ws) => ws.send(new Uint8Array([0x41, 0x41, 0x41])));
    const c = await browser.connectBrowserWs(`ws://127.0.0.1:${(evil.address() as { port: number }).port}`, { WebSocket: WS });
    const errors: Error[] = [];
    c.onError((e) => errors.push(e));
    const info = closed(c);
    collect(c);
    expect((await info).reason).toBe("bad packet");
    expect((errors[0] as { code?: string }).code).toBe("NOT_BINARY");
    await new Promise((r) => evil.close(r));
    expect(packet(msg(1)).length).toBeGreaterThan(0);
  });

  it("rejects when no WebSocket implementation exists, or the server is not there", async () => {
    await expect(browser.connectBrowserWs("ws://127.0.0.1:1")).rejects.toMatchObject({ code: "CONNECT_FAILED" });
    await expect(browser.connectBrowserWs("ws://127.0.0.1:1", { WebSocket: WS })).rejects.toMatchObject({ code: "CONNECT_FAILED" });
  });
});
