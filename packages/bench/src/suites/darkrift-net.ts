/**
 * DarkRift bichannel networking: our client + server beside bare Node sockets doing the same work.
 * - echo throughput over TCP: 50 clients, window 32, 32-byte payloads, beside a bare `node:net`
 *   int32-length-prefixed echo (same frame bytes, one write per window, frames echoed per chunk);
 * - echo throughput over UDP: same shape, beside a bare `node:dgram` echo;
 * - single-client round-trip latency (p50/p99) over TCP, beside the bare `node:net` echo.
 * Everything runs on loopback in this process, so both sides share the event loop alike.
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
// Bare node:net length-prefixed echo

function bareFrameCounter(socket: Socket): { wait: (n: number) => Promise<void> } {
  // Counts whole int32-length-prefixed frames as they arrive (a 4-byte scratch for split prefixes).
  const header = new Uint8Array(4);
  const headerView = new DataView(header.buffer);
  let headerFill = 0;
  let skip = 0;
  let count = 0;
  let want = 0;
  let wake: (() => void) | undefined;
  socket.on("data", (chunk: Uint8Array) => {
    const view = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const len = chunk.length;
    let p = 0;
    while (p < len) {
      if (skip > 0) {
        const n = Math.min(skip, len - p);
        skip -= n;
        p += n;
        if (skip === 0) count++;
        continue;
      }
      if (headerFill === 0 && len - p >= 4) {
        skip = view.getInt32(p);
        p += 4;
        continue;
      }
      while (headerFill < 4 && p < len) header[headerFill++] = chunk[p++]!;
      if (headerFill === 4) {
        skip = headerView.getInt32(0);
        headerFill = 0;
      }
    }
    if (wake && count >= want) {
      const w = wake;
      wake = undefined;
      w();
    }
  });
  return {
    wait: (n) => {
      want = n;
      if (count >= n) {
        count -= n;
        return Promise.resolve();
      }
      return new Promise<void>((r) => {
        wake = () => {
          count -= n;
          r();
        };
      });
    },
  };
}

async function startBareTcp(): Promise<Server> {
  const server = createServer({ noDelay: true }, (s) => {
    // Echo every complete frame back: one write per chunk of complete frames.
    let rest: Uint8Array = new Uint8Array(0);
    s.on("data", (data: Uint8Array) => {
      const chunk = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
      let buf = chunk;
      if (rest.length > 0) {
        buf = new Uint8Array(rest.length + chunk.length);
        buf.set(rest);
        buf.set(chunk, rest.length);
      }
      const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
      let p = 0;
      while (buf.length - p >= 4) {
        const len = view.getInt32(p);
        if (buf.length - p - 4 < len) break;
        p += 4 + len;
      }
      if (p > 0) s.write(buf.subarray(0, p));
      rest = buf.subarray(p);
    });
    s.on("error", () => {});
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return server;
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

function concatWindow(): Uint8Array {
  const out = new Uint8Array(FRAME.length * WINDOW);
  for (let i = 0; i < WINDOW; i++) out.set(FRAME, i * FRAME.length);
  return out;
}

export default async function darkriftNet(): Promise<void> {
  const ours = await startOurs();
  const bareTcp = await startBareTcp();
  const bareTcpPort = (bareTcp.address() as { port: number }).port;
  const bareUdp = await startBareUdp();
  const window = concatWindow();
  const all: DarkRiftClient[] = [];
  let bareClients: { socket: Socket; counter: ReturnType<typeof bareFrameCounter> }[] = [];
  let ourUdpLost = 0;
  let bareUdpLost = 0;

  const connectOurs = async (): Promise<DarkRiftClient> => {
    const c = await connect("127.0.0.1", ours.tcpPort, ours.udpPort);
    all.push(c);
    return c;
  };
  const connectBare = async (): Promise<{ socket: Socket; counter: ReturnType<typeof bareFrameCounter> }> => {
    const socket = tcpConnect({ host: "127.0.0.1", port: bareTcpPort, noDelay: true });
    await new Promise<void>((r) => socket.once("connect", () => r()));
    return { socket, counter: bareFrameCounter(socket) };
  };

  try {
    // Clients receiving through the message event, and clients receiving through recv().
    const evented = (await Promise.all(Array.from({ length: CLIENTS }, connectOurs))).map(counted);
    const awaiting = await Promise.all(Array.from({ length: CLIENTS }, connectOurs));
    bareClients = await Promise.all(Array.from({ length: CLIENTS }, connectBare));

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
          run: () =>
            Promise.all(
              bareClients.map((c) => {
                c.socket.write(window);
                return c.counter.wait(WINDOW);
              }),
            ),
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
            bareOne.socket.write(FRAME);
            await bareOne.counter.wait(1);
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
    for (const c of bareClients) c.socket.destroy();
    await ours.close();
    await new Promise<void>((r) => bareTcp.close(() => r()));
    await new Promise<void>((r) => bareUdp.close(() => r()));
  }
}
