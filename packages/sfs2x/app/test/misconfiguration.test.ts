import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { SFSObject } from "@sfs2x/core";
import { afterEach, describe, expect, it } from "vitest";
import { SFSClient, SFSServer, clientFromUrl, serverFromUrl } from "../src/index.js";
import { quiet } from "./helpers.js";

/** An error's message and its causes' messages, joined. */
function chain(e: unknown): string {
  const out: string[] = [];
  for (let c: unknown = e; c instanceof Error; c = c.cause) out.push(c.message);
  return out.join(" <- ");
}

async function caught(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error("expected a rejection");
}

const open: { close(): Promise<unknown> }[] = [];
afterEach(async () => {
  await Promise.allSettled(open.splice(0).map((o) => o.close()));
});

async function startServer(urls: string[], options: ConstructorParameters<typeof SFSServer>[1] = {}): Promise<SFSServer> {
  const server = new SFSServer(urls, { logger: quiet, ...options });
  open.push(server);
  await server.listen();
  return server;
}

describe("a port already in use", () => {
  it("names the listener and says 'port in use' (ws and tcp)", async () => {
    const first = await startServer(["ws://127.0.0.1:0", "tcp://127.0.0.1:0"]);
    const [ws, tcp] = first.addresses;
    const again = new SFSServer([ws!.url], { logger: quiet });
    open.push(again);
    const e1 = await caught(again.listen());
    expect(e1).toMatchObject({ name: "TransportError", code: "LISTEN_FAILED" });
    expect((e1 as Error).message).toContain(`cannot listen on ws://127.0.0.1:${ws!.port}: port in use`);
    expect((e1 as Error).cause).toMatchObject({ code: "EADDRINUSE" });

    const tcpAgain = new SFSServer(["ws://127.0.0.1:0", tcp!.url], { logger: quiet });
    open.push(tcpAgain);
    const e2 = await caught(tcpAgain.listen());
    expect((e2 as Error).message).toContain(`cannot listen on tcp://127.0.0.1:${tcp!.port}: port in use`);
    // The listener that did bind was closed again.
    expect(tcpAgain.addresses.every((a) => a.port !== tcp!.port)).toBe(true);
  });

  it("the transports' listen() say the same", async () => {
    const first = await startServer(["ws://127.0.0.1:0", "tcp://127.0.0.1:0"]);
    for (const a of first.addresses) {
      const t = serverFromUrl(a.url, { logger: quiet });
      await expect(t.listen()).rejects.toThrow(`cannot listen on ${a.url}: port in use`);
      await t.close();
    }
  });
});

describe("a TCP client pointed at something that is not SFS2X", () => {
  it("hints that an HTTP answer means a WebSocket port", async () => {
    const server = await startServer(["ws://127.0.0.1:0"]);
    const port = server.addresses[0]!.port;
    const c = new SFSClient(`tcp://127.0.0.1:${port}`, { logger: quiet, requestTimeoutMs: 5000 });
    open.push(c);
    await c.connect();
    const e = await caught(c.handshake());
    const text = chain(e);
    expect(text).toContain("the peer answered with HTTP: is this a WebSocket port?");
    expect(text).toContain(`use ws://127.0.0.1:${port} instead of tcp://`);
  });

  it("the raw transport's close reason carries the same hint", async () => {
    const server = await startServer(["ws://127.0.0.1:0"]);
    const port = server.addresses[0]!.port;
    const conn = await clientFromUrl(`tcp://127.0.0.1:${port}`, { logger: quiet });
    conn.onMessage(() => {}); // reading starts with the first message listener
    const closed = new Promise<unknown>((resolve) => conn.onClose((info) => resolve(info.error)));
    void conn.send({ controller: 0, action: 0, params: new SFSObject() }).catch(() => {});
    const error = await closed;
    expect(error).toMatchObject({ name: "PacketError", code: "NOT_BINARY", offset: 0 });
    expect((error as Error).message).toContain(`is this a WebSocket port? use ws://127.0.0.1:${port}`);
  });
});

describe("URLs the factories cannot use", () => {
  const schemes = "tcp://, tcps://, ws://, wss://";
  it("name the URL and list the supported schemes", async () => {
    for (const [url, code] of [
      ["http://127.0.0.1:8080", "UNSUPPORTED_SCHEME"],
      ["tcp://127.0.0.1", "MISSING_PORT"],
      ["127.0.0.1:9933", "BAD_URL"],
      ["not a url", "BAD_URL"],
    ] as const) {
      const e1 = await caught(clientFromUrl(url));
      expect(e1).toMatchObject({ name: "TransportUrlError", code, url });
      expect((e1 as Error).message).toContain(url);
      expect((e1 as Error).message).toContain(schemes);
      let e2: unknown;
      try {
        serverFromUrl(url);
      } catch (e) {
        e2 = e;
      }
      expect(e2).toMatchObject({ name: "TransportUrlError", code });
      expect((e2 as Error).message).toContain(schemes);
    }
  });
});

describe("encryption misconfigured", () => {
  it("a fixed key of the wrong length is refused up front with the reason", () => {
    const bad = { key: new Uint8Array(8), iv: new Uint8Array(16) };
    expect(() => new SFSClient("tcp://127.0.0.1:9933", { encryption: { key: bad } })).toThrow(
      /encryption\.key is unusable: cipher\.key must be a Uint8Array of 16 bytes \(AES-128\), got 8 bytes/,
    );
    expect(() => new SFSServer("tcp://127.0.0.1:0", { encryption: { key: bad } })).toThrow(/SFSServer encryption\.key is unusable: .*got 8 bytes/);
  });

  it("a refused key fetch gives the underlying reason, not just 'fetch failed'", async () => {
    const server = await startServer(["tcp://127.0.0.1:0"]);
    // A port nothing listens on: bind one, note it, close it.
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
    const dead = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const c = new SFSClient(server.addresses[0]!.url, { logger: quiet, encryption: { keyUrl: `http://127.0.0.1:${dead}/BlueBox/CryptoManager` } });
    open.push(c);
    await c.connect();
    const e = await caught(c.handshake());
    expect(e).toMatchObject({ name: "SFSClientError", code: "ENCRYPTION_FAILED" });
    expect((e as Error).message).toMatch(/could not get the AES key from http:\/\/127\.0\.0\.1:\d+\/BlueBox\/CryptoManager: fetch failed: .*ECONNREFUSED/);
  });

  it("an HTTP error of the key endpoint gives its status", async () => {
    const server = await startServer(["tcp://127.0.0.1:0"]);
    const http: Server = createServer((_req, res) => {
      res.writeHead(503, { "content-type": "text/plain" });
      res.end("maintenance\n");
    });
    await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
    open.push({ close: () => new Promise<void>((r) => http.close(() => r())) });
    const keyUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}/BlueBox/CryptoManager`;
    const c = new SFSClient(server.addresses[0]!.url, { logger: quiet, encryption: { keyUrl } });
    open.push(c);
    await c.connect();
    const e = await caught(c.handshake());
    expect((e as Error).message).toContain(`could not get the AES key from ${keyUrl}: HTTP 503 Service Unavailable: maintenance`);
  });
});

describe("login zone", () => {
  it("an empty zone name is refused with ec 1 when the server lists no zones", async () => {
    const server = await startServer(["tcp://127.0.0.1:0"]);
    const c = new SFSClient(server.addresses[0]!.url, { logger: quiet });
    open.push(c);
    await c.connect();
    await expect(c.login({ username: "ada" })).rejects.toMatchObject({ name: "SFSError", code: 1 });
    // A named zone is still accepted.
    await c.login({ zone: "Anything", username: "ada" });
    expect(server.sessionByName("Anything", "ada")).toBeDefined();
  });

  it('zones: "*" accepts any zone, the empty one included', async () => {
    const server = await startServer(["tcp://127.0.0.1:0"], { zones: "*" });
    const c = new SFSClient(server.addresses[0]!.url, { logger: quiet });
    open.push(c);
    await c.connect();
    await c.login({ username: "ada" });
    expect(server.sessionByName("", "ada")).toBeDefined();
  });

  it("a listed zone set refuses the empty zone and other names", async () => {
    const server = await startServer(["tcp://127.0.0.1:0"], { zones: ["Z"] });
    const c = new SFSClient(server.addresses[0]!.url, { logger: quiet });
    open.push(c);
    await c.connect();
    await expect(c.login({ username: "ada" })).rejects.toMatchObject({ code: 1 });
    await expect(c.login({ zone: "Other", username: "ada" })).rejects.toMatchObject({ code: 1 });
    await c.login({ zone: "Z", username: "ada" });
  });
});

describe("a body that is neither an SFSObject nor a model", () => {
  const message = /a message body must be a model instance(, an SFSObject or a Message| or an SFSObject) \(got (number|Object|string|null)\)/;

  it("session.sendExtension / send throw synchronously (no unhandled rejection later)", async () => {
    const server = await startServer(["tcp://127.0.0.1:0"], { zones: ["Z"] });
    const thrown: unknown[] = [];
    server.onExtension("go", (_params, ctx) => {
      for (const bad of [42, { plain: true }, null, "text"]) {
        try {
          void ctx.session.sendExtension("x", bad as never);
        } catch (e) {
          thrown.push(e);
        }
      }
      try {
        void ctx.session.send({ plain: true } as never, { command: "x" });
      } catch (e) {
        thrown.push(e);
      }
      try {
        void ctx.session.sendExtension(7 as never, new SFSObject());
      } catch (e) {
        thrown.push(e);
      }
      return new SFSObject().putInt("n", thrown.length);
    });
    const c = new SFSClient(server.addresses[0]!.url, { logger: quiet });
    open.push(c);
    await c.connect();
    await c.login({ zone: "Z", username: "ada" });
    const reply = await c.request(new SFSObject(), { command: "go" });
    expect(reply.getInt("n")).toBe(6);
    for (const e of thrown) expect(e).toMatchObject({ name: "SFSClientError", code: "BAD_ARGUMENT" });
    for (const e of thrown.slice(0, 5)) expect((e as Error).message).toMatch(message);
    expect((thrown[5] as Error).message).toContain("an extension command must be a string (got number)");
  });

  it("the client's send / callExtension / request throw synchronously too", async () => {
    const server = await startServer(["tcp://127.0.0.1:0"], { zones: ["Z"] });
    const c = new SFSClient(server.addresses[0]!.url, { logger: quiet });
    open.push(c);
    await c.connect();
    expect(() => c.callExtension("x", { plain: true } as never)).toThrow(message);
    expect(() => c.callExtension(42 as never)).toThrow(message);
    expect(() => c.send("text" as never, { command: "x" })).toThrow(message);
    expect(() => c.request(null as never, { command: "x" })).toThrow(message);
    expect(() => c.request({ plain: true } as never, { command: "x" })).toThrow(message);
    // Still usable afterwards.
    await c.login({ zone: "Z", username: "ada" });
  });
});
