import { DarkRiftMessage } from "@darkrift/core";
import { connect, type DarkRiftClient } from "@darkrift/client";
import { afterEach, describe, expect, it } from "vitest";
import { serve, silentLogger, type DarkRiftServer, type ServerClient, type ServerOptions } from "../src/index.js";
import { captureLogger, echoPlugin, until } from "./helpers.js";
import { hex, RawClient, unhex } from "@darkrift/testkit";

const servers: DarkRiftServer[] = [];
const raws: RawClient[] = [];
const clients: DarkRiftClient[] = [];
afterEach(async () => {
  for (const r of raws.splice(0)) r.close();
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function start(options: ServerOptions = {}, handler: (c: ServerClient) => void | Promise<void> = echoPlugin): Promise<DarkRiftServer> {
  const server = await serve(handler, "127.0.0.1", 0, 0, { logger: silentLogger, ...options });
  servers.push(server);
  return server;
}

async function connectedRaw(server: DarkRiftServer): Promise<{ raw: RawClient; id: number; client: ServerClient }> {
  const raw = await RawClient.connect(server.tcpPort, server.udpPort);
  raws.push(raw);
  const { id } = await raw.handshake();
  await until(() => server.clients.has(id));
  return { raw, id, client: server.clients.get(id)! };
}

async function ourClient(server: DarkRiftServer): Promise<DarkRiftClient> {
  const c = await connect("127.0.0.1", server.tcpPort, server.udpPort);
  clients.push(c);
  return c;
}

describe("strikes and bad input", () => {
  it("a command from a client is a strike of 5: dropped, and with maxStrikes 3 the client is disconnected", async () => {
    const { lines, logger } = captureLogger();
    const server = await start({ logger });
    const { raw, id } = await connectedRaw(server);
    await raw.write(unhex("00000003800001"));
    await raw.tcp.waitEnd();
    await until(() => !server.clients.has(id));
    expect(lines.some((l) => l.startsWith("warn") && l.includes("STRIKES") && l.includes("5/3"))).toBe(true);
  });

  it("below maxStrikes a command is dropped and the connection goes on", async () => {
    const server = await start({ maxStrikes: 100 });
    const { raw, client } = await connectedRaw(server);
    await raw.write(unhex("00000003800001" + "00000004000001aa"));
    expect(hex(await raw.tcp.read(8))).toBe("00000004000002aa");
    expect(client.strikes).toBe(5);
  });

  it("an unknown ping acknowledgement is a strike of 1 and is still delivered", async () => {
    const seen: string[] = [];
    const server = await start({ maxStrikes: 3 }, async (c) => {
      for await (const m of c) seen.push(`${m.tag}:${m.isPingAcknowledgement}`);
    });
    const { raw, client } = await connectedRaw(server);
    await raw.write(unhex("00000005600001beef"));
    await raw.write(unhex("00000005600002beef"));
    await until(() => seen.length === 2);
    expect(client.strikes).toBe(2);
    expect(client.isClosed).toBe(false);
    await raw.write(unhex("00000005600003beef"));
    await raw.tcp.waitEnd();
    expect(seen).toEqual(["1:true", "2:true"]);
  });

  it("an acknowledgement of a ping the server sent is not a strike and gives a round-trip time", async () => {
    let serverClient: ServerClient | undefined;
    const server = await start({}, (c) => {
      serverClient = c;
    });
    const c = await connect("127.0.0.1", server.tcpPort, server.udpPort, { autoAcknowledgePings: true });
    clients.push(c);
    await until(() => serverClient !== undefined);
    const rtt = await serverClient!.ping({ tag: 3 });
    expect(rtt).toBeGreaterThanOrEqual(0);
    expect(serverClient!.roundTripTime.latest).toBe(rtt);
    expect(serverClient!.strikes).toBe(0);
  });

  it("an oversize TCP frame closes only that client; the others continue", async () => {
    const { lines, logger } = captureLogger();
    const server = await start({ logger });
    const good = await ourClient(server);
    const { raw, id } = await connectedRaw(server);
    const other = await ourClient(server);
    await raw.write(unhex("0000ffff")); // 65535 ≥ maxTcpBodyLength: strike 10, nothing buffered
    await raw.tcp.waitEnd();
    await until(() => !server.clients.has(id));
    expect(lines.some((l) => l.includes(`client ${id} disconnected: STRIKES`) && l.includes("65535"))).toBe(true);
    for (const c of [good, other]) {
      await c.send(new DarkRiftMessage(10, new Uint8Array([c.id])));
      const r = await c.recv();
      expect(r.tag).toBe(11);
      expect(Array.from(r.payload)).toEqual([c.id]);
    }
    expect(server.clients.size).toBe(2);
  });

  it("garbage TCP bytes (negative length) close only that client", async () => {
    const { lines, logger } = captureLogger();
    const server = await start({ logger });
    const good = await ourClient(server);
    const { raw, id } = await connectedRaw(server);
    await raw.write(unhex("deadbeefdeadbeef"));
    await raw.tcp.waitEnd();
    await until(() => !server.clients.has(id));
    expect(lines.some((l) => l.includes(`client ${id} disconnected: PROTOCOL_ERROR`))).toBe(true);
    await good.send(new DarkRiftMessage(1));
    expect((await good.recv()).tag).toBe(2);
  });

  it("a body shorter than its header is a strike of 5", async () => {
    const server = await start({ maxStrikes: 100 });
    const { raw, client } = await connectedRaw(server);
    await raw.write(unhex("00000002aabb" + "00000003000007"));
    expect(hex(await raw.tcp.read(7))).toBe("00000003000008");
    expect(client.strikes).toBe(5);
  });

  it("a datagram shorter than a header from a known endpoint is a strike of 5", async () => {
    const server = await start({ maxStrikes: 100 });
    const { raw, client } = await connectedRaw(server);
    await raw.sendUdp(unhex("0001"));
    await raw.sendUdp(unhex("000009"));
    expect(hex((await raw.inbox.next()).bytes)).toBe("00000a");
    expect(client.strikes).toBe(5);
  });

  it("a client that disconnects mid-frame is removed from the client table", async () => {
    const server = await start();
    const reasons: string[] = [];
    server.onDisconnect((_c, r) => reasons.push(r.code));
    const { raw, id } = await connectedRaw(server);
    await raw.write(unhex("000000100000010102")); // announces 16 bytes, sends 5
    raw.tcp.socket.destroy();
    await until(() => !server.clients.has(id));
    expect(reasons).toEqual(["REMOTE_CLOSED"]);
    expect(server.clients.size).toBe(0);
  });

  it("drops a connection that sends too much before its handshake completes", async () => {
    const { lines, logger } = captureLogger();
    const server = await start({ maxEarlyBytes: 1000, logger });
    const raw = await RawClient.connect(server.tcpPort, server.udpPort);
    raws.push(raw);
    await raw.tcp.read(9);
    await raw.write(new Uint8Array(2000));
    await raw.tcp.waitEnd();
    expect(server.pendingHandshakes).toBe(0);
    expect(lines.some((l) => l.includes("before the handshake completed"))).toBe(true);
  });

  it("TCP bytes sent right after the UDP hello (before Configure) are kept and processed", async () => {
    const server = await start();
    const raw = await RawClient.connect(server.tcpPort, server.udpPort);
    raws.push(raw);
    const hello = await raw.tcp.read(9);
    await raw.write(unhex("00000003000001"));
    await new Promise((r) => setTimeout(r, 20));
    await raw.sendUdp(hello);
    await raw.inbox.next();
    expect(hex(await raw.tcp.read(9))).toBe("000000058000000000");
    expect(hex(await raw.tcp.read(7))).toBe("00000003000002");
  });

  it("a handler that throws disconnects its client with a logged reason", async () => {
    const { lines, logger } = captureLogger();
    const server = await start({ logger }, () => {
      throw new Error("boom");
    });
    const raw = await RawClient.connect(server.tcpPort, server.udpPort);
    raws.push(raw);
    await raw.handshake().catch(() => {});
    await raw.tcp.waitEnd();
    await until(() => server.clients.size === 0);
    expect(lines.some((l) => l.startsWith("error") && l.includes("handler of client 0 failed"))).toBe(true);
    expect(lines.some((l) => l.includes("HANDLER_ERROR"))).toBe(true);
  });
});

describe("server lifecycle", () => {
  it("close() disconnects every client (they see the server close) and frees the ports", async () => {
    const server = await serve(echoPlugin, "127.0.0.1", 0, 0, { logger: silentLogger });
    const a = await connect("127.0.0.1", server.tcpPort, server.udpPort);
    const b = await connect("127.0.0.1", server.tcpPort, server.udpPort);
    await server.close();
    expect((await a.closed).code).toBe("REMOTE_CLOSED");
    expect((await b.closed).code).toBe("REMOTE_CLOSED");
    expect(server.clients.size).toBe(0);
    // The port is free again.
    const again = await serve(echoPlugin, "127.0.0.1", server.tcpPort, server.udpPort, { logger: silentLogger });
    await again.close();
  });

  it("uses the TCP port number for UDP when no UDP port is given", async () => {
    const server = await serve(echoPlugin, "127.0.0.1", 0, undefined, { logger: silentLogger });
    servers.push(server);
    expect(server.udpPort).toBe(server.tcpPort);
    const c = await connect("127.0.0.1", server.tcpPort);
    clients.push(c);
    await c.send(new DarkRiftMessage(1), { reliable: false });
    expect((await c.recv()).tag).toBe(2);
  });

  it("broadcasts once-encoded messages over either channel, with exceptions", async () => {
    const server = await start({}, () => {});
    const cs = [await ourClient(server), await ourClient(server), await ourClient(server)];
    await until(() => server.clients.size === 3);
    expect(server.broadcast(new DarkRiftMessage(7, new Uint8Array([1])), { except: cs[0]!.id })).toBe(2);
    expect(server.broadcast(new DarkRiftMessage(8), { reliable: false, except: [cs[1]!.id] })).toBe(2);
    expect((await cs[1]!.recv()).tag).toBe(7);
    const got2 = [await cs[2]!.recv(), await cs[2]!.recv()].map((m) => `${m.tag}${m.reliable ? "r" : "u"}`).sort();
    expect(got2).toEqual(["7r", "8u"]);
    const got0 = await cs[0]!.recv();
    expect(`${got0.tag}${got0.reliable ? "r" : "u"}`).toBe("8u");
  });
});
