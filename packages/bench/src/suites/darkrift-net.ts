/**
 * DarkRift bichannel networking: our client + server beside bare Node sockets doing the same work.
 * - echo throughput over TCP: 50 clients, window 32, 32-byte payloads, beside a bare `node:net`
 *   int32-length-prefixed echo;
 * - echo throughput over UDP: same shape, beside a bare `node:dgram` echo;
 * - single-client round-trip latency (p50/p99) over TCP, beside the bare `node:net` echo.
 * Everything runs on loopback in this process, so both sides share the event loop alike.
 *
 * Fairness of the bare TCP peer: it is the same work minus our library. Both its client and its
 * server cut every received frame out of the stream individually (split prefixes and bodies
 * included) and hand it to a per-message callback as a view of its body; the server's callback
 * echoes that message by framing it back, and the client's callback counts it. Sends frame one
 * message at a time into a batch that is written once per tick (`process.nextTick`), which is
 * exactly our batching policy (FrameBatcher: frames of one turn of the event loop in one write).
 * The bytes on the wire are the same as ours (the DarkRift frame of the same message); what the
 * bare peer skips is the library: message objects, validation, the connection state machine.
 */
import { createSocket, type Socket as UdpSocket } from "node:dgram";
import { connect as tcpConnect, createServer, type Server, type Socket } from "node:net";
import { DarkRiftMessage } from "@darkrift/core";
import { connect, type DarkRiftClient } from "@darkrift/client";
import { encodeTcpFrame, encodeDatagram } from "@darkrift/protocol";
import { serve, silentLogger, type DarkRiftServer } from "@darkrift/server";
import { compare, percentiles } from "../harness.js";

const CLIENTS = 50;
const WINDOW = 32;
const PAYLOAD = new Uint8Array(32).fill(7);
const MESSAGE = new DarkRiftMessage(1, PAYLOAD);
const FRAME = encodeTcpFrame(MESSAGE); // 39 bytes
/** What the bare peer sends: the same DarkRift message body, framed by the bare code. */
const BODY = FRAME.subarray(4);
const DATAGRAM = encodeDatagram(MESSAGE); // 35 bytes
const UDP_WAIT_MS = 250;
/** Both UDP servers get the same socket buffers (all 50 clients' windows land in one socket). */
const UDP_BUFFER = 4 * 1024 * 1024;

// ---------------------------------------------------------------------------------------------
// Ours

async function startOurs(): Promise<DarkRiftServer> {
  return serve(
    (client) => {
      // Echo every message back on the channel it came on (the message itself: zero copy), from the
      // synchronous message event (C#'s MessageReceived), as a server plugin would.
      client.onMessage((m) => client.sendNow(m, m.reliable));
    },
    "127.0.0.1",
    0,
    0,
    { logger: silentLogger, udpReceiveBufferSize: UDP_BUFFER, udpSendBufferSize: UDP_BUFFER },
  );
}

/**
 * Counts a client's received messages through the message event (C#'s MessageReceived), so a
 * window can wait for its replies without a promise per message.
 */
interface Counted {
  client: DarkRiftClient;
  received: number;
  wake?: () => void;
}

function counted(client: DarkRiftClient): Counted {
  const c: Counted = { client, received: 0 };
  client.onMessage(() => {
    c.received++;
    if (c.received >= WINDOW) c.wake?.();
  });
  return c;
}

/** One window per client: WINDOW sends, then wait for WINDOW replies. Returns messages lost (UDP only). */
async function ourWindow(c: Counted, reliable: boolean): Promise<number> {
  c.received = 0;
  for (let i = 0; i < WINDOW; i++) c.client.sendNow(MESSAGE, reliable);
  if (reliable) {
    if (c.received < WINDOW) await new Promise<void>((r) => (c.wake = r));
    c.wake = undefined;
    return 0;
  }
  const deadline = performance.now() + UDP_WAIT_MS;
  while (c.received < WINDOW) {
    const left = deadline - performance.now();
    if (left <= 0) break;
    await Promise.race([new Promise<void>((r) => (c.wake = r)), sleep(left)]);
  }
  c.wake = undefined;
  return WINDOW - Math.min(WINDOW, c.received);
}

/** The same window through the promise API: one `recv()` per reply. */
async function ourWindowRecv(c: DarkRiftClient): Promise<void> {
  for (let i = 0; i < WINDOW; i++) c.sendNow(MESSAGE, true);
  for (let i = 0; i < WINDOW; i++) await c.recv();
}

// ---------------------------------------------------------------------------------------------
// Bare node:net length-prefixed echo: the same work as ours minus the library (see the top of the file)

/**
 * A hand-written int32-length-prefixed message connection: every received frame is cut out and
 * handed to `onMessage` as a view of its body (no copy), and `send(body)` frames one message into a
 * batch that goes out in one write per tick (`process.nextTick`, as our FrameBatcher does for
 * Node sockets). Split prefixes and bodies are assembled like a real decoder must.
 */
class BareConnection {
  private out = new Uint8Array(1024);
  private outView = new DataView(this.out.buffer);
  private outLen = 0;
  private scheduled = false;
  private readonly header = new Uint8Array(4);
  private headerFill = 0;
  private bodyLength = -1;
  private parts: Uint8Array[] = [];
  private bodyFill = 0;
  private readonly flushBound = (): void => {
    this.scheduled = false;
    const n = this.outLen;
    if (n === 0) return;
    const bytes = Buffer.allocUnsafe(n); // pooled for small batches, like Node's own writers
    bytes.set(this.out.subarray(0, n));
    this.outLen = 0;
    this.socket.write(bytes);
  };

  constructor(
    readonly socket: Socket,
    private readonly onMessage: (body: Uint8Array, from: BareConnection) => void,
  ) {
    socket.on("data", (data: Uint8Array) => this.receive(data));
    socket.on("error", () => {});
  }

  /** Frames one message body (int32 BE length, then the body) into the batch. */
  send(body: Uint8Array): void {
    const n = body.length;
    if (this.outLen + 4 + n > this.out.length) {
      let cap = this.out.length * 2;
      while (cap < this.outLen + 4 + n) cap *= 2;
      const next = new Uint8Array(cap);
      next.set(this.out.subarray(0, this.outLen));
      this.out = next;
      this.outView = new DataView(next.buffer);
    }
    this.outView.setInt32(this.outLen, n);
    this.out.set(body, this.outLen + 4);
    this.outLen += 4 + n;
    if (!this.scheduled) {
      this.scheduled = true;
      process.nextTick(this.flushBound);
    }
  }

  private receive(data: Uint8Array): void {
    const len = data.length;
    const ab = data.buffer;
    const base = data.byteOffset;
    const chunk = new Uint8Array(ab, base, len);
    let p = 0;
    while (p < len) {
      if (this.bodyLength < 0) {
        if (this.headerFill === 0 && len - p >= 4) {
          this.bodyLength = (chunk[p]! << 24) | (chunk[p + 1]! << 16) | (chunk[p + 2]! << 8) | chunk[p + 3]!;
          p += 4;
        } else {
          while (this.headerFill < 4 && p < len) this.header[this.headerFill++] = chunk[p++]!;
          if (this.headerFill < 4) break;
          const h = this.header;
          this.bodyLength = (h[0]! << 24) | (h[1]! << 16) | (h[2]! << 8) | h[3]!;
          this.headerFill = 0;
        }
        if (this.bodyLength < 0) throw new Error("bad length prefix");
      }
      const n = this.bodyLength;
      if (this.bodyFill === 0 && len - p >= n) {
        this.bodyLength = -1;
        this.onMessage(new Uint8Array(ab, base + p, n), this);
        p += n;
        continue;
      }
      const take = Math.min(n - this.bodyFill, len - p);
      this.parts.push(chunk.subarray(p, p + take));
      this.bodyFill += take;
      p += take;
      if (this.bodyFill < n) break;
      const body = new Uint8Array(n);
      let q = 0;
      for (const part of this.parts) {
        body.set(part, q);
        q += part.length;
      }
      this.parts = [];
      this.bodyFill = 0;
      this.bodyLength = -1;
      this.onMessage(body, this);
    }
  }
}

async function startBareTcp(): Promise<Server> {
  const server = createServer({ noDelay: true }, (s) => {
    // Echo every message back from the per-message callback.
    new BareConnection(s, (body, from) => from.send(body));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return server;
}

/** A bare client: counts replies from its per-message callback, so a window can wait for them. */
interface BareTcpClient {
  connection: BareConnection;
  received: number;
  want: number;
  wake?: () => void;
}

async function bareTcpClient(port: number): Promise<BareTcpClient> {
  const socket = tcpConnect({ host: "127.0.0.1", port, noDelay: true });
  await new Promise<void>((r) => socket.once("connect", () => r()));
  const c = { received: 0, want: 0 } as BareTcpClient;
  c.connection = new BareConnection(socket, () => {
    c.received++;
    if (c.received >= c.want) c.wake?.();
  });
  return c;
}

/** Sends `count` messages (one frame each, batched per tick) and waits for as many replies. */
async function bareTcpWindow(c: BareTcpClient, count: number): Promise<void> {
  c.received = 0;
  c.want = count;
  for (let i = 0; i < count; i++) c.connection.send(BODY);
  if (c.received < count) await new Promise<void>((r) => (c.wake = r));
  c.wake = undefined;
}

// ---------------------------------------------------------------------------------------------
// Bare node:dgram echo

async function startBareUdp(): Promise<UdpSocket> {
  const udp = createSocket({ type: "udp4", recvBufferSize: UDP_BUFFER, sendBufferSize: UDP_BUFFER });
  udp.on("message", (msg, rinfo) => udp.send(msg, rinfo.port, rinfo.address));
  await new Promise<void>((r) => udp.bind(0, "127.0.0.1", r));
  return udp;
}

interface BareUdpClient {
  socket: UdpSocket;
  received: number;
  wake?: () => void;
}

async function bareUdpClient(port: number): Promise<BareUdpClient> {
  const socket = createSocket("udp4");
  const c: BareUdpClient = { socket, received: 0 };
  socket.on("message", () => {
    c.received++;
    c.wake?.();
  });
  await new Promise<void>((r) => socket.bind(0, "127.0.0.1", r));
  await new Promise<void>((r) => socket.connect(port, "127.0.0.1", r));
  return c;
}

async function bareUdpWindow(c: BareUdpClient): Promise<number> {
  c.received = 0;
  for (let i = 0; i < WINDOW; i++) c.socket.send(DATAGRAM);
  const deadline = performance.now() + UDP_WAIT_MS;
  while (c.received < WINDOW) {
    const left = deadline - performance.now();
    if (left <= 0) break;
    await Promise.race([new Promise<void>((r) => (c.wake = r)), sleep(left)]);
  }
  c.wake = undefined;
  return WINDOW - Math.min(WINDOW, c.received);
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export default async function darkriftNet(): Promise<void> {
  const ours = await startOurs();
  const bareTcp = await startBareTcp();
  const bareTcpPort = (bareTcp.address() as { port: number }).port;
  const bareUdp = await startBareUdp();
  const all: DarkRiftClient[] = [];
  let bareClients: BareTcpClient[] = [];
  let ourUdpLost = 0;
  let bareUdpLost = 0;

  const connectOurs = async (): Promise<DarkRiftClient> => {
    const c = await connect("127.0.0.1", ours.tcpPort, ours.udpPort);
    all.push(c);
    return c;
  };
  try {
    // Clients receiving through the message event, and clients receiving through recv().
    const evented = (await Promise.all(Array.from({ length: CLIENTS }, connectOurs))).map(counted);
    const awaiting = await Promise.all(Array.from({ length: CLIENTS }, connectOurs));
    bareClients = await Promise.all(Array.from({ length: CLIENTS }, () => bareTcpClient(bareTcpPort)));

    await compare(
      `DarkRift TCP echo: ${CLIENTS} clients × window ${WINDOW}, 32-byte payload (messages/s)`,
      {
        name: "@darkrift/client + server, TCP (message events)",
        ops: CLIENTS * WINDOW,
        bytesPerOp: FRAME.length,
        run: () => Promise.all(evented.map((c) => ourWindow(c, true))),
      },
      [
        {
          name: "bare node:net length-prefixed echo",
          ops: CLIENTS * WINDOW,
          bytesPerOp: FRAME.length,
          run: () => Promise.all(bareClients.map((c) => bareTcpWindow(c, WINDOW))),
        },
        {
          name: "(ours again, clients awaiting recv() per reply)",
          ops: CLIENTS * WINDOW,
          bytesPerOp: FRAME.length,
          run: () => Promise.all(awaiting.map(ourWindowRecv)),
        },
      ],
    );

    const bareUdpClients = await Promise.all(Array.from({ length: CLIENTS }, () => bareUdpClient(bareUdp.address().port)));
    try {
      await compare(
        `DarkRift UDP echo: ${CLIENTS} clients × window ${WINDOW}, 32-byte payload (messages/s)`,
        {
          name: "@darkrift/client + server, UDP (message events)",
          ops: CLIENTS * WINDOW,
          bytesPerOp: DATAGRAM.length,
          run: async () => {
            const lost = await Promise.all(evented.map((c) => ourWindow(c, false)));
            ourUdpLost += lost.reduce((a, b) => a + b, 0);
          },
        },
        [
          {
            name: "bare node:dgram echo",
            ops: CLIENTS * WINDOW,
            bytesPerOp: DATAGRAM.length,
            run: async () => {
              const lost = await Promise.all(bareUdpClients.map(bareUdpWindow));
              bareUdpLost += lost.reduce((a, b) => a + b, 0);
            },
          },
        ],
      );
      console.log(`(UDP datagrams lost during the run: ours ${ourUdpLost}, bare ${bareUdpLost}; a window waits ≤ ${UDP_WAIT_MS} ms for losses)`);
    } finally {
      for (const c of bareUdpClients) c.socket.close();
    }

    // Latency: one client, one message in flight, request/response with recv().
    const one = awaiting[0]!;
    const bareOne = bareClients[0]!;
    const ourSamples: number[] = [];
    const bareSamples: number[] = [];
    await compare(
      "DarkRift TCP round trip, 1 client, 1 message in flight (round trips/s)",
      {
        name: "@darkrift/client + server, TCP (send + recv())",
        run: async () => {
          const t = performance.now();
          one.sendNow(MESSAGE);
          await one.recv();
          ourSamples.push(performance.now() - t);
        },
      },
      [
        {
          name: "bare node:net length-prefixed echo",
          run: async () => {
            const t = performance.now();
            await bareTcpWindow(bareOne, 1);
            bareSamples.push(performance.now() - t);
          },
        },
      ],
    );
    const o = percentiles(ourSamples);
    const b = percentiles(bareSamples);
    const us = (ms: number): string => `${(ms * 1000).toFixed(1)} µs`;
    console.log("\n| round-trip latency | p50 | p99 |");
    console.log("|---|---:|---:|");
    console.log(`| @darkrift/client + server, TCP | ${us(o.p50)} | ${us(o.p99)} |`);
    console.log(`| bare node:net length-prefixed echo | ${us(b.p50)} | ${us(b.p99)} |`);
    console.log(`(p50 ours ÷ bare: ${(o.p50 / b.p50).toFixed(2)}×, p99 ours ÷ bare: ${(o.p99 / b.p99).toFixed(2)}×; lower is better)`);
  } finally {
    await Promise.all(all.map((c) => c.close()));
    for (const c of bareClients) c.connection.socket.destroy();
    await ours.close();
    await new Promise<void>((r) => bareTcp.close(() => r()));
    await new Promise<void>((r) => bareUdp.close(() => r()));
  }
}
