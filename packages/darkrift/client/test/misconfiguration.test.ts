// What a user sees when connect() is pointed at the wrong place: each error names what happened and the likely cause.
import { createSocket } from "node:dgram";
import { createServer as createHttpServer, type Server as HttpServer } from "node:http";
import { enableDebug, setDebugSink } from "@darkrift/core";
import { RawServer, unhex, write } from "@darkrift/testkit";
import { afterEach, describe, expect, it } from "vitest";
import { connect, HandshakeError, TimeoutError, type DarkRiftLogger } from "../src/index.js";

const fast = { connectTimeoutMs: 1000, tokenTimeoutMs: 200, ackTimeoutMs: 200, configureTimeoutMs: 200 };

const raws: RawServer[] = [];
const https: HttpServer[] = [];
afterEach(async () => {
  enableDebug(undefined);
  setDebugSink(undefined);
  await Promise.all(raws.splice(0).map((r) => r.close()));
  await Promise.all(https.splice(0).map((h) => new Promise<void>((r) => h.close(() => r()))));
});

async function rawServer(): Promise<RawServer> {
  const r = await RawServer.start();
  raws.push(r);
  return r;
}

async function failure(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error("connect() should have failed");
}

/** A UDP port on loopback where nothing listens. */
async function deadUdpPort(): Promise<number> {
  const u = createSocket("udp4");
  await new Promise<void>((r) => u.bind(0, "127.0.0.1", r));
  const port = u.address().port;
  await new Promise<void>((r) => u.close(() => r()));
  return port;
}

describe("a port that is not DarkRift", () => {
  it("a server that answers with HTTP: names the byte and suggests an HTTP/WebSocket port", async () => {
    const raw = await rawServer();
    const connecting = failure(connect("127.0.0.1", raw.tcpPort, raw.udpPort, fast));
    const s = await raw.accept();
    await write(s, new TextEncoder().encode("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n"));
    const e = await connecting;
    expect(e).toBeInstanceOf(HandshakeError);
    expect((e as HandshakeError).code).toBe("NOT_DARKRIFT");
    expect(e.message).toBe(
      `expected a DarkRift handshake (version 0 or 1) but the server sent 0x48 ('H') (its first bytes: "HTTP/1.1 400 Bad"): ` +
        "is this an HTTP/WebSocket port rather than a DarkRift server?",
    );
    expect(raw.inbox.count).toBe(0);
  });

  it("fails on the first byte, without waiting for nine", async () => {
    const raw = await rawServer();
    const connecting = failure(connect("127.0.0.1", raw.tcpPort, raw.udpPort, { ...fast, tokenTimeoutMs: 10_000 }));
    const s = await raw.accept();
    await write(s, new TextEncoder().encode("SSH"));
    const e = await connecting;
    expect((e as HandshakeError).code).toBe("NOT_DARKRIFT");
    expect(e.message).toMatch(/sent 0x53 \('S'\) \(its first bytes: "SSH"\): is this an SSH/);
  });

  it("a real HTTP server (it waits for a request): the token timeout says a DarkRift server speaks first", async () => {
    const http = createHttpServer((_req, res) => res.end("hi"));
    https.push(http);
    await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
    const port = (http.address() as { port: number }).port;
    const e = await failure(connect("127.0.0.1", port, port, fast));
    expect(e).toBeInstanceOf(TimeoutError);
    expect((e as TimeoutError).phase).toBe("token");
    expect(e.message).toBe(
      `no DarkRift handshake from 127.0.0.1:${port} within 200 ms (0 of 9 bytes received): ` +
        "a DarkRift server speaks first; a server that waits for the client (HTTP, WebSocket) is not a DarkRift server",
    );
  });

  it("a server that closes without a byte", async () => {
    const raw = await rawServer();
    const connecting = failure(connect("127.0.0.1", raw.tcpPort, raw.udpPort, fast));
    (await raw.accept()).end();
    const e = await connecting;
    expect((e as HandshakeError).code).toBe("CLOSED_DURING_HANDSHAKE");
    expect(e.message).toBe(
      `the server 127.0.0.1:${raw.tcpPort} closed the connection without sending the DarkRift handshake (9 bytes): ` +
        "is it a DarkRift server (and not full or refusing connections)?",
    );
  });

  it("a server that sends fewer than 9 bytes and closes", async () => {
    const raw = await rawServer();
    const connecting = failure(connect("127.0.0.1", raw.tcpPort, raw.udpPort, fast));
    const s = await raw.accept();
    await write(s, unhex("01012345"));
    s.end();
    const e = await connecting;
    expect((e as HandshakeError).code).toBe("CLOSED_DURING_HANDSHAKE");
    expect(e.message).toBe(`the server 127.0.0.1:${raw.tcpPort} closed the connection after 4 of the 9 handshake bytes (01012345): is it a DarkRift server?`);
  });
});

describe("a wrong UDP port", () => {
  it("nothing listens there (ECONNREFUSED): names the UDP endpoint and says DarkRift needs TCP and UDP", async () => {
    const raw = await rawServer();
    const udpPort = await deadUdpPort();
    const connecting = failure(connect("127.0.0.1", raw.tcpPort, udpPort, { ...fast, ackTimeoutMs: 5000 }));
    await raw.acceptWithHello();
    const e = await connecting;
    expect(e).toBeInstanceOf(HandshakeError);
    expect((e as HandshakeError).code).toBe("SOCKET_ERROR");
    expect(((e as HandshakeError).cause as NodeJS.ErrnoException).code).toBe("ECONNREFUSED");
    expect(e.message).toMatch(new RegExp(`^no DarkRift server answered on UDP 127\\.0\\.0\\.1:${udpPort} \\(.*ECONNREFUSED: nothing listens on that UDP port\\)\\. `));
    expect(e.message).toContain("DarkRift needs both TCP and UDP: check connect()'s udpPort argument (default: the TCP port number)");
  });

  it("a UDP port that stays silent: the ack timeout says the same", async () => {
    const raw = await rawServer();
    const connecting = failure(connect("127.0.0.1", raw.tcpPort, raw.udpPort, fast));
    await raw.acceptWithHello();
    const e = await connecting;
    expect((e as TimeoutError).phase).toBe("ack");
    expect(e.message).toBe(
      `no UDP acknowledgement from 127.0.0.1:${raw.udpPort} within 200 ms. DarkRift needs both TCP and UDP: ` +
        "check connect()'s udpPort argument (default: the TCP port number) and that nothing blocks UDP",
    );
  });
});

describe("client logging", () => {
  /** A raw server that completes a v1 handshake with client ID 7. */
  async function handshake(raw: RawServer): Promise<void> {
    const tcp = await raw.acceptWithHello();
    const { rinfo } = await raw.inbox.next();
    await raw.sendUdp(unhex("0123456789abcdef00000000"), rinfo);
    await write(tcp.socket, unhex("000000058000000007"));
  }

  it("a logger option receives the handshake steps and the close reason", async () => {
    const raw = await rawServer();
    const lines: string[] = [];
    const logger: DarkRiftLogger = { debug: (m) => lines.push(m), info: (m) => lines.push(m), warn: (m) => lines.push(m), error: (m) => lines.push(m) };
    const connecting = connect("127.0.0.1", raw.tcpPort, raw.udpPort, { ...fast, logger });
    await handshake(raw);
    const client = await connecting;
    expect(client.id).toBe(7);
    await client.close();
    const at = `127.0.0.1:${raw.tcpPort}`;
    expect(lines[0]).toBe(`connecting to TCP ${at} (UDP port ${raw.udpPort})`);
    expect(lines).toContain(`received the v1 hello; sending it back over UDP to 127.0.0.1:${raw.udpPort}`);
    expect(lines).toContain(`connected to ${at} as client 7 (protocol v1)`);
    expect(lines.at(-1)).toBe("client 7 disconnected: CLOSED: the connection was closed locally");
  });

  it("the default logger prints under darkrift:client when DEBUG enables it, and nothing otherwise", async () => {
    const printed: string[] = [];
    setDebugSink((line) => printed.push(line));
    const raw = await rawServer();

    enableDebug("darkrift:server");
    let connecting = connect("127.0.0.1", raw.tcpPort, raw.udpPort, fast);
    await handshake(raw);
    await (await connecting).close();
    expect(printed).toEqual([]);

    enableDebug("darkrift:*");
    connecting = connect("127.0.0.1", raw.tcpPort, raw.udpPort, fast);
    await handshake(raw);
    await (await connecting).close();
    expect(printed.some((l) => / darkrift:client connected to 127\.0\.0\.1:\d+ as client 7 \(protocol v1\)$/.test(l))).toBe(true);
  });
});
