import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer as createHttpsServer } from "node:https";
import { WsServer, connectWs } from "../src/index.js";
import { collect, msg, selfSignedCert } from "@sfs2x/testkit";

let cert: { key: string; cert: string };
let server: WsServer;

beforeAll(async () => {
  cert = selfSignedCert();
  server = new WsServer({ port: 0, tls: { key: cert.key, cert: cert.cert } });
  server.onConnection((conn) => conn.onMessage((m) => void conn.send(m)));
  await server.listen();
});
afterAll(() => server.close());

describe("wss://", () => {
  it("echoes over TLS with the self-signed certificate as CA", async () => {
    expect(server.secure).toBe(true);
    const c = await connectWs(`wss://127.0.0.1:${server.address!.port}/BlueBox/websocket`, { tls: { ca: cert.cert } });
    const got = collect(c);
    for (let i = 0; i < 100; i++) void c.send(msg(i, "wss"));
    const all = await got.next(100);
    expect(all.map((m) => m.params.getInt("i"))).toEqual(Array.from({ length: 100 }, (_, i) => i));
    await c.close();
  });

  it("refuses an untrusted certificate; rejectUnauthorized: false accepts it", async () => {
    await expect(connectWs(`wss://127.0.0.1:${server.address!.port}`)).rejects.toMatchObject({ code: "CONNECT_FAILED" });
    const c = await connectWs(`wss://127.0.0.1:${server.address!.port}`, { tls: { rejectUnauthorized: false } });
    const got = collect(c);
    await c.send(msg(1));
    expect((await got.next(1))[0]!.params.getInt("i")).toBe(1);
    await c.close();
  });

  it("attaches to an external https server", async () => {
    const https = createHttpsServer({ key: cert.key, cert: cert.cert }, (_req, res) => {
      res.writeHead(200);
      res.end("ok");
    });
    await new Promise<void>((r) => https.listen(0, "127.0.0.1", r));
    const attached = new WsServer({ server: https });
    attached.onConnection((conn) => conn.onMessage((m) => void conn.send(m)));
    await attached.listen();
    expect(attached.secure).toBe(true);
    const c = await connectWs(`wss://localhost:${attached.address!.port}`, { tls: { ca: cert.cert } });
    const got = collect(c);
    await c.send(msg(2));
    expect((await got.next(1))[0]!.params.getInt("i")).toBe(2);
    await c.close();
    await attached.close();
    await new Promise((r) => https.close(r));
  });
});
