import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect as tlsConnect } from "node:tls";
import { TcpServer, connectTcp } from "../src/index.js";
import { closed, collect, msg, selfSignedCert, sleep } from "@sfs2x/testkit";

let cert: { key: string; cert: string };
let server: TcpServer;
const errors: Error[] = [];

beforeAll(async () => {
  cert = selfSignedCert();
  server = new TcpServer({ port: 0, tls: { key: cert.key, cert: cert.cert } });
  server.onError((e) => errors.push(e));
  server.onConnection((conn) => conn.onMessage((m) => void conn.send(m)));
  await server.listen();
});
afterAll(() => server.close());

describe("TLS", () => {
  it("echoes over TLS with the self-signed certificate as CA", async () => {
    expect(server.secure).toBe(true);
    const c = await connectTcp(`tcp://127.0.0.1:${server.address!.port}`, { tls: { ca: cert.cert } });
    const got = collect(c);
    for (let i = 0; i < 100; i++) void c.send(msg(i, "tls"));
    const all = await got.next(100);
    expect(all.map((m) => m.params.getInt("i"))).toEqual(Array.from({ length: 100 }, (_, i) => i));
    await c.close();
  });

  it("refuses an untrusted certificate with CONNECT_FAILED (tls: true, or the tcps:// scheme)", async () => {
    await expect(connectTcp(`tcp://127.0.0.1:${server.address!.port}`, { tls: true })).rejects.toMatchObject({ code: "CONNECT_FAILED" });
    await expect(connectTcp(`tcps://127.0.0.1:${server.address!.port}`)).rejects.toMatchObject({ code: "CONNECT_FAILED" });
  });

  it("tcps:// connects over TLS with the given CA", async () => {
    const c = await connectTcp(`tcps://localhost:${server.address!.port}`, { tls: { ca: cert.cert } });
    const got = collect(c);
    await c.send(msg(11));
    expect((await got.next(1))[0]!.params.getInt("i")).toBe(11);
    await c.close();
  });

  it("accepts it with rejectUnauthorized: false", async () => {
    const c = await connectTcp(`tcp://127.0.0.1:${server.address!.port}`, { tls: { rejectUnauthorized: false } });
    const got = collect(c);
    await c.send(msg(7));
    expect((await got.next(1))[0]!.params.getInt("i")).toBe(7);
    await c.close();
  });

  it("a plain-TCP client sending to the TLS port does not disturb the server", async () => {
    const { connect } = await import("node:net");
    const raw = connect({ host: "127.0.0.1", port: server.address!.port });
    raw.on("error", () => {});
    raw.write(new Uint8Array(64).fill(0x41));
    await new Promise((r) => raw.once("close", r));
    const c = await connectTcp(`tcp://127.0.0.1:${server.address!.port}`, { tls: { ca: cert.cert } });
    const got = collect(c);
    await c.send(msg(8));
    expect((await got.next(1))[0]!.params.getInt("i")).toBe(8);
    await c.close();
  });

  it("garbage inside a TLS session drops that connection only", async () => {
    const before = errors.length;
    const raw = tlsConnect({ host: "127.0.0.1", port: server.address!.port, ca: cert.cert, servername: "localhost" });
    raw.on("error", () => {});
    await new Promise((r) => raw.once("secureConnect", r));
    raw.write(new Uint8Array(10).fill(0x41));
    await new Promise((r) => raw.once("close", r));
    while (errors.length === before) await sleep(5);
    expect((errors[errors.length - 1] as { code?: string }).code).toBe("NOT_BINARY");
    const c = await connectTcp(`tcp://127.0.0.1:${server.address!.port}`, { tls: { ca: cert.cert } });
    const info = closed(c);
    await c.close();
    expect((await info).reason).toBe("closed");
  });
});
