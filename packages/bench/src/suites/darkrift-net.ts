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
import { DarkRiftMessage } from "@darkrift/core";
import { connect, type DarkRiftClient } from "@darkrift/client";
import { encodeTcpFrame, encodeDatagram } from "@darkrift/protocol";
import { serve, silentLogger, type DarkRiftServer } from "@darkrift/server";
import { bareWindow, newBareClient, replyArrived, type BareClient } from "../bareClient.js";
import { INT32_FRAMING, connectBareTcp, portOf, startBareTcp } from "../bareTcp.js";
import { compare, printLatency } from "../harness.js";

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
  return udpWait(c);
}

/** The same window through the promise API: one `recv()` per reply. */
async function ourWindowRecv(c: DarkRiftClient): Promise<void> {
  for (let i = 0; i < WINDOW; i++) c.sendNow(MESSAGE, true);
  for (let i = 0; i < WINDOW; i++) await c.recv();
}

// ---------------------------------------------------------------------------------------------
// Bare node:net length-prefixed echo: the same work as ours minus the library (see the top of the file)

/** A bare client sending the DarkRift message body, framed by the bare code. */
async function bareTcpClient(port: number): Promise<BareClient> {
  const c = newBareClient();
  const connection = await connectBareTcp(port, INT32_FRAMING, () => replyArrived(c));
  c.send = () => connection.send(BODY);
  c.close = () => connection.socket.destroy();
  return c;
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
  return udpWait(c);
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Waits up to UDP_WAIT_MS for a window's WINDOW replies; returns how many were lost. */
async function udpWait(c: { received: number; wake?: () => void }): Promise<number> {
  const deadline = performance.now() + UDP_WAIT_MS;
  while (c.received < WINDOW) {
    const left = deadline - performance.now();
    if (left <= 0) break;
    await Promise.race([new Promise<void>((r) => (c.wake = r)), sleep(left)]);
  }
  c.wake = undefined;
  return WINDOW - Math.min(WINDOW, c.received);
}

export default async function darkriftNet(): Promise<void> {
  const ours = await startOurs();
  // Echo every message back from the per-message callback.
  const bareTcp = await startBareTcp(INT32_FRAMING, (body, from) => from.send(body));
  const bareTcpPort = portOf(bareTcp);
  const bareUdp = await startBareUdp();
  const all: DarkRiftClient[] = [];
  let bareClients: BareClient[] = [];
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
          run: () => Promise.all(bareClients.map((c) => bareWindow(c, WINDOW))),
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
            await bareWindow(bareOne, 1);
            bareSamples.push(performance.now() - t);
          },
        },
      ],
    );
    printLatency(["@darkrift/client + server, TCP", "bare node:net length-prefixed echo"], ourSamples, bareSamples);
  } finally {
    await Promise.all(all.map((c) => c.close()));
    for (const c of bareClients) c.close();
    await ours.close();
    await new Promise<void>((r) => bareTcp.close(() => r()));
    await new Promise<void>((r) => bareUdp.close(() => r()));
  }
}
