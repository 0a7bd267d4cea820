import { DarkRiftMessage, DarkRiftWriter } from "@darkrift/core";
import { afterEach, describe, expect, it } from "vitest";
import { connect, ConnectionClosedError, HandshakeError, TimeoutError, type DarkRiftClient } from "../src/index.js";
import { ByteStream, fixtureLoader, hex, RawServer, unhex, write } from "@darkrift/testkit";

const fixture = fixtureLoader(new URL("./fixtures/", import.meta.url));

interface Event {
  dir: "s->c" | "c->s";
  channel: "tcp" | "udp";
  hex: string;
  note: string;
}

const clientCapture = fixture<{ token: string; events: Event[] }>("handshake_csharp_client_capture.json");
const serverCapture = fixture<{ events: Event[]; client_id: number }>("handshake_csharp_server_capture.json");
const summary = fixture("handshake_summary.json");
const v0 = summary["v0_legacy (server setting protocolVersion=0, DarkRift <=2.10.x behaviour)"];

const raws: RawServer[] = [];
const clients: DarkRiftClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(raws.splice(0).map((r) => r.close()));
});

async function rawServer(): Promise<RawServer> {
  const r = await RawServer.start();
  raws.push(r);
  return r;
}

/** The payload the captures carry: int32[] {1,2,3,-1} then the UTF-16LE string "hé". */
function capturePayload(): Uint8Array {
  const w = new DarkRiftWriter();
  w.writeInt32s([1, 2, 3, -1]);
  w.writeString("hé");
  return w.toBytes().slice();
}

/**
 * Replays a capture's server side byte for byte against our client and checks that every byte the
 * client sends is the one the capture recorded from the C# client.
 */
async function replay(events: Event[], expectedId: number): Promise<void> {
  const raw = await rawServer();
  const connecting = connect("127.0.0.1", raw.tcpPort, raw.udpPort);
  const tcp = new ByteStream(await raw.accept());
  let udpPeer: { address: string; port: number } | undefined;
  let client: DarkRiftClient | undefined;
  const payload = capturePayload();
  let step = 0;
  for (const e of events) {
    const bytes = unhex(e.hex);
    if (e.dir === "s->c") {
      if (e.channel === "tcp") await write(tcp.socket, bytes);
      else await raw.sendUdp(bytes, udpPeer!);
      // After Configure the client is connected; later server messages must reach the app.
      if (e.channel === "tcp" && hex(bytes).startsWith("0000000580")) {
        client = await connecting;
        clients.push(client);
        expect(client.id).toBe(expectedId);
      } else if (client && step > 0) {
        const m = await client.recv();
        expect(hex(m.payload)).toBe(hex(payload));
        expect(m.reliable).toBe(e.channel === "tcp");
      }
      continue;
    }
    // c->s: make our client produce the message the C# client produced, then compare bytes.
    if (e.hex === "") {
      await client!.close();
      await tcp.waitEnd();
      continue;
    }
    if (!client) {
      // The UDP hello: sent by connect() itself.
      const { bytes: got, rinfo } = await raw.inbox.next();
      udpPeer = rinfo;
      expect(hex(got)).toBe(e.hex);
      // Bound to the same local IP as the TCP socket.
      expect(rinfo.address).toBe(tcp.socket.remoteAddress);
      continue;
    }
    step++;
    const flags = bytes[e.channel === "tcp" ? 4 : 0]!;
    const tagAt = e.channel === "tcp" ? 5 : 1;
    const tag = (bytes[tagAt]! << 8) | bytes[tagAt + 1]!;
    const message =
      flags & 0x40
        ? DarkRiftMessage.ping(tag, payload, (bytes[tagAt + 2]! << 8) | bytes[tagAt + 3]!)
        : new DarkRiftMessage(tag, payload);
    await client.send(message, { reliable: e.channel === "tcp" });
    if (e.channel === "tcp") expect(hex(await tcp.read(bytes.length))).toBe(e.hex);
    else expect(hex((await raw.inbox.next()).bytes)).toBe(e.hex);
  }
}

describe("client handshake against scripted servers replaying C# bytes", () => {
  it("completes the v1 capture made against the real C# client (fixed token), byte for byte", async () => {
    await replay(clientCapture.events, 0);
  });

  it("completes the capture of the real C# server (id 1, ping 0xBEEF), byte for byte", async () => {
    await replay(serverCapture.events, serverCapture.client_id);
  });

  it("measures round-trip time from the replayed ping acknowledgement", async () => {
    const raw = await rawServer();
    const connecting = connect("127.0.0.1", raw.tcpPort, raw.udpPort);
    const tcp = await raw.acceptWithHello();
    const { rinfo } = await raw.inbox.next();
    await raw.sendUdp(unhex("0123456789abcdef00000000"), rinfo);
    await write(tcp.socket, unhex("000000058000000000"));
    const client = await connecting;
    clients.push(client);
    const rtt = client.ping({ tag: 5 });
    const sent = await tcp.read(9);
    expect(hex(sent.subarray(0, 7))).toBe("00000005400005");
    // The scripted server acknowledges by setting 0x20 (flags 0x60), as the C# echo plugin does.
    const ack = sent.slice();
    ack[4] = 0x60;
    await write(tcp.socket, ack);
    expect(await rtt).toBeGreaterThanOrEqual(0);
    expect(client.roundTripTime.latest).toBe(await rtt);
    expect(client.roundTripTime.smoothed).toBe(await rtt);
    const delivered = await client.recv();
    expect(delivered.isPingAcknowledgement).toBe(true);
  });

  it("accepts a legacy v0 server (hello 00…, 1-byte ack)", async () => {
    const raw = await rawServer();
    const connecting = connect("127.0.0.1", raw.tcpPort, raw.udpPort);
    const tcp = new ByteStream(await raw.accept());
    await write(tcp.socket, unhex(v0.tcp_server_to_client_raw_9_bytes));
    const { bytes, rinfo } = await raw.inbox.next();
    expect(hex(bytes)).toBe(v0.udp_client_to_server_hello);
    await raw.sendUdp(unhex(v0.udp_server_to_client_ack_1_byte), rinfo);
    await write(tcp.socket, unhex("000000058000000007"));
    const client = await connecting;
    clients.push(client);
    expect(client.id).toBe(7);
    expect(client.protocolVersion).toBe(0);
    expect(client.localUdpEndPoint.address).toBe(client.localTcpEndPoint.address);
  });

  it("accumulates a hello split across TCP segments and keeps bytes that follow it", async () => {
    const raw = await rawServer();
    const connecting = connect("127.0.0.1", raw.tcpPort, raw.udpPort);
    const tcp = new ByteStream(await raw.accept());
    await write(tcp.socket, unhex("0101"));
    await new Promise((r) => setTimeout(r, 30));
    await write(tcp.socket, unhex("23456789abcdef"));
    const { bytes, rinfo } = await raw.inbox.next();
    expect(hex(bytes)).toBe("010123456789abcdef");
    await raw.sendUdp(unhex("0123456789abcdef00000000"), rinfo);
    // A user message and Configure in one segment; the message came before Configure (C# plugins
    // sending in ClientConnected) and must still reach the app.
    await write(tcp.socket, unhex("00000004000009ff" + "000000058000000003"));
    const client = await connecting;
    clients.push(client);
    expect(client.id).toBe(3);
    const m = await client.recv();
    expect(m.tag).toBe(9);
    expect(Array.from(m.payload)).toEqual([0xff]);
  });

  it("does not surface command messages and answers pings when autoAcknowledgePings is on", async () => {
    const raw = await rawServer();
    const connecting = connect("127.0.0.1", raw.tcpPort, raw.udpPort, { autoAcknowledgePings: true });
    const tcp = await raw.acceptWithHello();
    const { rinfo } = await raw.inbox.next();
    await raw.sendUdp(unhex("0123456789abcdef00000000"), rinfo);
    await write(tcp.socket, unhex("000000058000000000"));
    const client = await connecting;
    clients.push(client);
    // An Identify command, then a ping over TCP and one over UDP.
    await write(tcp.socket, unhex("0000000380000100000009400005beef0000002a"));
    await raw.sendUdp(unhex("400006cafe01"), rinfo);
    expect(hex(await tcp.read(13))).toBe("00000009600005beef0000002a");
    expect(hex((await raw.inbox.next()).bytes)).toBe("600006cafe01");
    // The two channels are not ordered with each other.
    const got = [await client.recv(), await client.recv()].sort((a, b) => a.tag - b.tag);
    expect(got.map((m) => [m.tag, m.isPing, m.reliable])).toEqual([
      [5, true, true],
      [6, true, false],
    ]);
  });
});

describe("client handshake failures", () => {
  const fast = { connectTimeoutMs: 1000, tokenTimeoutMs: 150, ackTimeoutMs: 150, configureTimeoutMs: 150 };

  async function expectFailure(p: Promise<unknown>): Promise<Error> {
    try {
      await p;
    } catch (e) {
      return e as Error;
    }
    throw new Error("connect() should have failed");
  }

  it("refuses a server with a newer protocol version", async () => {
    const raw = await rawServer();
    const connecting = expectFailure(connect("127.0.0.1", raw.tcpPort, raw.udpPort, fast));
    const tcp = new ByteStream(await raw.accept());
    await write(tcp.socket, unhex("020123456789abcdef"));
    const e = await connecting;
    expect(e).toBeInstanceOf(HandshakeError);
    expect((e as HandshakeError).code).toBe("UNSUPPORTED_VERSION");
    await tcp.waitEnd();
    expect(raw.inbox.count).toBe(0); // no UDP hello was sent
  });

  it("times out waiting for the token", async () => {
    const raw = await rawServer();
    const connecting = expectFailure(connect("127.0.0.1", raw.tcpPort, raw.udpPort, fast));
    const tcp = new ByteStream(await raw.accept());
    const e = await connecting;
    expect(e).toBeInstanceOf(TimeoutError);
    expect((e as TimeoutError).phase).toBe("token");
    await tcp.waitEnd();
  });

  it("times out waiting for the UDP ack (hello sent once, no retry)", async () => {
    const raw = await rawServer();
    const connecting = expectFailure(connect("127.0.0.1", raw.tcpPort, raw.udpPort, fast));
    const tcp = await raw.acceptWithHello();
    const e = await connecting;
    expect((e as TimeoutError).phase).toBe("ack");
    expect(raw.inbox.count).toBe(1);
    await tcp.waitEnd();
  });

  it("fails on an ack that does not match the token", async () => {
    const raw = await rawServer();
    const connecting = expectFailure(connect("127.0.0.1", raw.tcpPort, raw.udpPort, fast));
    const tcp = await raw.acceptWithHello();
    const { rinfo } = await raw.inbox.next();
    await raw.sendUdp(unhex("0123456789abcdee00000000"), rinfo);
    const e = await connecting;
    expect((e as HandshakeError).code).toBe("BAD_ACK");
    await tcp.waitEnd();
  });

  it("fails on an empty (darkriftpy-style) ack only by timing out: empty datagrams are ignored", async () => {
    const raw = await rawServer();
    const connecting = expectFailure(connect("127.0.0.1", raw.tcpPort, raw.udpPort, fast));
    const tcp = await raw.acceptWithHello();
    const { rinfo } = await raw.inbox.next();
    await raw.sendUdp(new Uint8Array(0), rinfo);
    const e = await connecting;
    expect((e as TimeoutError).phase).toBe("ack");
    await tcp.waitEnd();
  });

  it("times out waiting for Configure", async () => {
    const raw = await rawServer();
    const connecting = expectFailure(connect("127.0.0.1", raw.tcpPort, raw.udpPort, fast));
    const tcp = await raw.acceptWithHello();
    const { rinfo } = await raw.inbox.next();
    await raw.sendUdp(unhex("0123456789abcdef00000000"), rinfo);
    const e = await connecting;
    expect(e).toBeInstanceOf(TimeoutError);
    expect((e as TimeoutError).phase).toBe("configure");
    await tcp.waitEnd();
  });

  it("fails when the server closes during the handshake", async () => {
    const raw = await rawServer();
    const connecting = expectFailure(connect("127.0.0.1", raw.tcpPort, raw.udpPort, fast));
    const s = await raw.accept();
    await write(s, unhex("0101"));
    s.end();
    const e = await connecting;
    expect((e as HandshakeError).code).toBe("CLOSED_DURING_HANDSHAKE");
  });

  it("fails when the server closes before Configure", async () => {
    const raw = await rawServer();
    const connecting = expectFailure(connect("127.0.0.1", raw.tcpPort, raw.udpPort, fast));
    const tcp = await raw.acceptWithHello();
    const { rinfo } = await raw.inbox.next();
    await raw.sendUdp(unhex("0123456789abcdef00000000"), rinfo);
    tcp.socket.end();
    const e = await connecting;
    expect(e).toBeInstanceOf(HandshakeError);
    expect((e as HandshakeError).code).toBe("CLOSED_DURING_HANDSHAKE");
  });

  it("reports a refused connection as a HandshakeError with the socket error as cause", async () => {
    const raw = await rawServer();
    const port = raw.tcpPort;
    await raw.close();
    raws.length = 0;
    const e = await expectFailure(connect("127.0.0.1", port, port, fast));
    expect((e as HandshakeError).code).toBe("SOCKET_ERROR");
    expect(((e as HandshakeError).cause as NodeJS.ErrnoException).code).toBe("ECONNREFUSED");
  });
});

describe("connected client", () => {
  async function connected(options = {}): Promise<{ client: DarkRiftClient; tcp: ByteStream; raw: RawServer; rinfo: { address: string; port: number } }> {
    const raw = await rawServer();
    const connecting = connect("127.0.0.1", raw.tcpPort, raw.udpPort, options);
    const tcp = await raw.acceptWithHello();
    const { rinfo } = await raw.inbox.next();
    await raw.sendUdp(unhex("0123456789abcdef00000000"), rinfo);
    await write(tcp.socket, unhex("000000058000000000"));
    const client = await connecting;
    clients.push(client);
    return { client, tcp, raw, rinfo };
  }

  it("ends iteration, resolves closed and rejects send/recv when the server closes", async () => {
    const { client, tcp } = await connected();
    await write(tcp.socket, unhex("00000003000001"));
    tcp.socket.end();
    const got: number[] = [];
    for await (const m of client) got.push(m.tag);
    expect(got).toEqual([1]); // received before the close: still delivered
    const reason = await client.closed;
    expect(reason).toBeInstanceOf(ConnectionClosedError);
    expect(reason.code).toBe("REMOTE_CLOSED");
    expect(client.isClosed).toBe(true);
    await expect(client.send(new DarkRiftMessage(1))).rejects.toBeInstanceOf(ConnectionClosedError);
    await expect(client.send(new DarkRiftMessage(1), { reliable: false })).rejects.toBeInstanceOf(ConnectionClosedError);
    await expect(client.recv()).rejects.toBeInstanceOf(ConnectionClosedError);
    await expect(client.ping()).rejects.toBeInstanceOf(ConnectionClosedError);
  });

  it("a pending recv() rejects when the connection closes; onClose is told once", async () => {
    const { client } = await connected();
    const reasons: string[] = [];
    client.onClose((r) => reasons.push(r.code));
    const pending = expect(client.recv()).rejects.toMatchObject({ code: "CLOSED" });
    await client.close();
    await pending;
    expect(reasons).toEqual(["CLOSED"]);
  });

  it("closes on malformed TCP data from the server (PROTOCOL_ERROR)", async () => {
    const { client, tcp } = await connected();
    await write(tcp.socket, unhex("ffffffff"));
    const reason = await client.closed;
    expect(reason.code).toBe("PROTOCOL_ERROR");
    expect((reason.cause as { code: string }).code).toBe("NEGATIVE_LENGTH");
    await tcp.waitEnd();
  });

  it("never sends an empty datagram and sends one datagram per unreliable message", async () => {
    const { client, raw } = await connected();
    for (let i = 0; i < 20; i++) await client.send(new DarkRiftMessage(i, new Uint8Array(i)), { reliable: false });
    for (let i = 0; i < 20; i++) {
      const { bytes } = await raw.inbox.next();
      expect(bytes.length).toBe(3 + i);
      expect((bytes[1]! << 8) | bytes[2]!).toBe(i);
    }
  });

  it("ping() times out when nobody acknowledges", async () => {
    const { client } = await connected();
    const e = await client.ping({ timeoutMs: 50 }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(TimeoutError);
    expect((e as TimeoutError).phase).toBe("ping");
    expect(client.roundTripTime.outstanding).toBe(0);
  });

  it("bounds the send queue: a peer that never reads makes send() wait, then the hard limit closes", async () => {
    const { client, tcp } = await connected({ highWaterMark: 256 * 1024, maxQueuedBytes: 1024 * 1024 });
    tcp.socket.pause(); // the scripted server stops reading
    const big = new DarkRiftMessage(1, new Uint8Array(60_000));
    let waiting: Promise<void> | undefined;
    let overflow: unknown;
    let maxBuffered = 0;
    for (let i = 0; i < 5000 && !overflow; i++) {
      let settled = false;
      const p = client.send(big).then(
        () => void (settled = true),
        (e: unknown) => {
          settled = true;
          throw e;
        },
      );
      p.catch(() => {});
      await Promise.resolve();
      await Promise.resolve();
      if (!settled && !waiting) waiting = p;
      try {
        // Keep pushing without waiting, as a careless sender would.
        client.sendNow(big);
      } catch (e) {
        overflow = e;
      }
      maxBuffered = Math.max(maxBuffered, client.bufferedAmount);
    }
    expect(waiting).toBeDefined();
    expect(overflow).toBeInstanceOf(ConnectionClosedError);
    expect((overflow as ConnectionClosedError).code).toBe("SEND_QUEUE_OVERFLOW");
    expect(maxBuffered).toBeLessThanOrEqual(1024 * 1024);
    expect((await client.closed).code).toBe("SEND_QUEUE_OVERFLOW");
    await expect(waiting).rejects.toBeInstanceOf(ConnectionClosedError);
  });

  it("send() above the high-water mark resolves once the peer reads", async () => {
    const { client, tcp } = await connected({ highWaterMark: 64 * 1024, maxQueuedBytes: 64 * 1024 * 1024 });
    tcp.socket.pause();
    const big = new DarkRiftMessage(1, new Uint8Array(60_000));
    let sent = 0;
    let blocked: Promise<void> | undefined;
    while (!blocked && sent < 2000) {
      const p = client.send(big);
      sent++;
      let settled = false;
      void p.then(() => (settled = true));
      await new Promise((r) => setImmediate(r));
      if (!settled) blocked = p;
    }
    expect(blocked).toBeDefined();
    expect(client.bufferedAmount).toBeGreaterThan(64 * 1024);
    tcp.socket.resume();
    await blocked;
    const frame = 4 + 3 + 60_000;
    await tcp.read(frame * sent, 10_000);
    expect(client.isClosed).toBe(false);
  });
});
