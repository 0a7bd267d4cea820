import { DarkRiftMessage } from "@darkrift/core";
import { afterEach, describe, expect, it } from "vitest";
import { serve, silentLogger, type DarkRiftServer, type ServerClient, type ServerOptions } from "../src/index.js";
import { captureLogger, echoPlugin, until } from "./helpers.js";
import { fixtureLoader, hex, RawClient, unhex } from "@darkrift/testkit";

interface Event {
  dir: "s->c" | "c->s";
  channel: "tcp" | "udp";
  hex: string;
}
const fixture = fixtureLoader(new URL("./fixtures/", import.meta.url));
const clientCapture = fixture<{ events: Event[] }>("handshake_csharp_client_capture.json");
const summary = fixture("handshake_summary.json");

const servers: DarkRiftServer[] = [];
const raws: RawClient[] = [];
afterEach(async () => {
  for (const r of raws.splice(0)) r.close();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function start(handler: (c: ServerClient) => void | Promise<void> = echoPlugin, options: ServerOptions = {}): Promise<DarkRiftServer> {
  const server = await serve(handler, "127.0.0.1", 0, 0, { logger: silentLogger, ...options });
  servers.push(server);
  return server;
}

async function rawClient(server: DarkRiftServer): Promise<RawClient> {
  const r = await RawClient.connect(server.tcpPort, server.udpPort);
  raws.push(r);
  return r;
}

describe("server handshake, as the C# client sees it", () => {
  it("sends the 9-byte hello in one write, the 12-byte ack and the Configure frame, then replays the C# client's session", async () => {
    const server = await start();
    const raw = await rawClient(server);
    const hello = await raw.tcp.read(9);
    // ONE write: the C# client reads the hello with a single Receive of exactly 9 bytes.
    expect(raw.tcp.chunks[0]!.length).toBe(9);
    expect(hello[0]).toBe(1);
    expect(hello[1]! & 0x80).toBe(0); // bit 63 of the token
    expect(hello[5]! & 0x80).toBe(0); // bit 31
    await raw.sendUdp(hello); // the C# client echoes the 9 bytes
    const { bytes: ack } = await raw.inbox.next();
    expect(ack.length).toBe(12);
    expect(hex(ack.subarray(0, 8))).toBe(hex(hello.subarray(1)));
    expect(hex(ack.subarray(8))).toBe("00000000");
    expect(hex(await raw.tcp.read(9))).toBe(summary.v1.tcp_configure_frame_id0);
    await until(() => server.clients.size === 1);
    expect(server.clients.get(0)!.remoteUdpEndPoint.port).toBe(raw.udp.address().port);

    // The rest of the capture: what the real C# client sent, and what the echo plugin answered.
    const events = clientCapture.events.slice(4);
    for (let i = 0; i < events.length; i++) {
      const e = events[i]!;
      if (e.dir !== "c->s") continue;
      if (e.hex === "") {
        raw.tcp.socket.end();
        break;
      }
      const reply = events[i + 1]!;
      expect(reply.dir).toBe("s->c");
      if (e.channel === "tcp") {
        await raw.write(unhex(e.hex));
        expect(hex(await raw.tcp.read(reply.hex.length / 2))).toBe(reply.hex);
      } else {
        await raw.sendUdp(unhex(e.hex));
        expect(hex((await raw.inbox.next()).bytes)).toBe(reply.hex);
      }
    }
    await until(() => server.clients.size === 0);
  });

  it("speaks v0 to legacy clients: hello 00…, 1-byte ack 00", async () => {
    const server = await start(echoPlugin, { protocolVersion: 0 });
    const raw = await rawClient(server);
    const { hello, ack, id } = await raw.handshake();
    expect(hello[0]).toBe(0);
    expect(hex(ack)).toBe(summary["v0_legacy (server setting protocolVersion=0, DarkRift <=2.10.x behaviour)"].udp_server_to_client_ack_1_byte);
    expect(id).toBe(0);
  });

  it("assigns IDs 0, 1, 2 and does not reuse a freed ID at once", async () => {
    const server = await start();
    const ids: number[] = [];
    const r = [await rawClient(server), await rawClient(server), await rawClient(server)];
    for (const c of r) ids.push((await c.handshake()).id);
    expect(ids).toEqual([0, 1, 2]);
    r[1]!.close();
    await until(() => server.clients.size === 2);
    const next = await rawClient(server);
    expect((await next.handshake()).id).toBe(3);
    expect([...server.clients.keys()].sort()).toEqual([0, 2, 3]);
  });

  it("ignores UDP hellos of the wrong length or with an unknown token, then accepts the right one", async () => {
    const server = await start();
    const raw = await rawClient(server);
    const hello = await raw.tcp.read(9);
    await raw.sendUdp(hello.subarray(0, 8));
    const wrong = hello.slice();
    wrong[8] ^= 0xff;
    await raw.sendUdp(wrong);
    await raw.sendUdp(new Uint8Array(0));
    await new Promise((r) => setTimeout(r, 50));
    expect(raw.inbox.count).toBe(0);
    expect(server.pendingHandshakes).toBe(1);
    const other = hello.slice();
    other[0] = 0x7f; // byte 0 is ignored, as in C#
    await raw.sendUdp(other);
    expect((await raw.inbox.next()).bytes.length).toBe(12);
    expect(hex(await raw.tcp.read(9))).toBe("000000058000000000");
  });

  it("closes a client that never sends the UDP hello after handshakeTimeoutMs, with a logged reason", async () => {
    const { lines, logger } = captureLogger();
    const server = await start(echoPlugin, { handshakeTimeoutMs: 150, logger });
    const raw = await rawClient(server);
    await raw.tcp.read(9);
    expect(server.pendingHandshakes).toBe(1);
    await raw.tcp.waitEnd();
    expect(server.pendingHandshakes).toBe(0);
    expect(server.clients.size).toBe(0);
    expect(lines.some((l) => l.startsWith("warn") && l.includes("no UDP hello within 150 ms"))).toBe(true);
  });

  it("sends what the handler sends synchronously before Configure (C# ClientConnected order)", async () => {
    const server = await start((client) => {
      void client.send(new DarkRiftMessage(42, new Uint8Array([1])));
    });
    const raw = await rawClient(server);
    const hello = await raw.tcp.read(9);
    await raw.sendUdp(hello);
    await raw.inbox.next();
    expect(hex(await raw.tcp.read(8))).toBe("0000000400002a01");
    expect(hex(await raw.tcp.read(9))).toBe("000000058000000000");
  });

  it("calls onConnect / onDisconnect and keeps the client table", async () => {
    const server = await start();
    const events: string[] = [];
    server.onConnect((c) => events.push(`connect ${c.id}`));
    server.onDisconnect((c, reason) => events.push(`disconnect ${c.id} ${reason.code}`));
    const raw = await rawClient(server);
    await raw.handshake();
    expect(server.clients.has(0)).toBe(true);
    raw.tcp.socket.end();
    await until(() => events.length === 2);
    expect(events).toEqual(["connect 0", "disconnect 0 REMOTE_CLOSED"]);
    expect(server.clients.size).toBe(0);
  });
});
