/**
 * SFS2X transports: our TCP and WebSocket client + server beside bare sockets doing the same
 * framing without the SFS codec, in the same run.
 * - echo throughput: 50 connections, a window of 32 messages in flight each, 64-byte params
 *   (an 84-byte packet); ours decodes and re-encodes every message on both sides;
 * - the bare TCP peer frames the same packet bytes the same way (header byte + 2-byte size, a
 *   per-message callback, one write per tick); the bare WebSocket peer is `ws` echoing each message;
 * - reference rows (not targets): a bare `ws` echo that corks its socket per tick as our
 *   WebSocket transport does, and the bare peers (the corked one for WS) doing our codec work by
 *   hand (`encodePacket`/`decodePacket`), which isolates the transport's own cost;
 * - single-connection round-trip latency (p50/p99), one message in flight, TCP and WS;
 * - broadcast (room fan-out): the server sends each message to 200 connections, encoded once
 *   (`PreparedMessage` + `sendPrepared`, a new one per message), beside a bare `ws` / `node:net`
 *   server writing the same bytes to 200 sockets; the receivers are the same bare clients for both.
 *   Reference rows: the bare broadcasts with the socket corked per tick, as our transports batch.
 * Everything runs on loopback in this process, so both sides share the event loop alike.
 */
import { connect as tcpConnect, createServer, type Server, type Socket } from "node:net";
import { WebSocket, WebSocketServer } from "ws";
import { SFSObject } from "@sfs2x/core";
import { PreparedMessage, decodePacket, encodePacket, silentLogger, type Message, type TransportConnection, type TransportServer } from "@sfs2x/protocol";
import { TcpServer, connectTcp } from "@sfs2x/transport-tcp";
import { WsServer, connectWs } from "@sfs2x/transport-ws";
import { bareWindow, newBareClient, replyArrived, type BareClient } from "../bareClient.js";
import { SFS2X_FRAMING, connectBareTcp, portOf, startBareTcp } from "../bareTcp.js";
import { compare, printLatency } from "../harness.js";

const CONNECTIONS = 50;
const WINDOW = 32;

/** Params of exactly 64 serialized bytes: an INT, a LONG, a BOOL and a 30-character string. */
function params(): SFSObject {
  const p = new SFSObject();
  p.putInt("n", 123456);
  p.putLong("t", 1_700_000_000_000);
  p.putBool("b", true);
  p.putUtfString("s", "x".repeat(30));
  return p;
}
const MESSAGE: Message = { controller: 1, action: 13, params: params() };
const PARAMS_BYTES = params().toBinary().length;
const PACKET = encodePacket(MESSAGE).slice();
const BODY = PACKET.subarray(3);

// ---------------------------------------------------------------------------------------------
// Ours

/** Counts a connection's received messages through its message event, so a window can wait for them. */
interface Counted {
  conn: TransportConnection;
  received: number;
  want: number;
  wake?: () => void;
}

function counted(conn: TransportConnection): Counted {
  const c: Counted = { conn, received: 0, want: 0 };
  conn.onMessage(() => {
    c.received++;
    if (c.received >= c.want) c.wake?.();
  });
  return c;
}

async function ourWindow(c: Counted, count: number): Promise<void> {
  c.received = 0;
  c.want = count;
  // Fire and forget as a game server would; the send promises are not awaited.
  for (let i = 0; i < count; i++) void c.conn.send(MESSAGE);
  if (c.received < count) await new Promise<void>((r) => (c.wake = r));
  c.wake = undefined;
}

function echo(server: TransportServer): void {
  server.onConnection((conn) => conn.onMessage((m) => void conn.send(m)));
}

// ---------------------------------------------------------------------------------------------
// Bare node:net echo with the SFS2X framing (header byte, 2-byte size), no codec

/** `withCodec`: the server decodes each packet and encodes the reply (the codec work ours does, by hand). */
function startBareSfsTcp(withCodec = false): Promise<Server> {
  return withCodec
    ? startBareTcp(SFS2X_FRAMING, (body, from) => from.send(encodePacket(decodePacket(packetOf(body))).subarray(3)))
    : startBareTcp(SFS2X_FRAMING, (body, from) => from.send(body));
}

/** The whole packet around a body handed out by BareConnection (a view: the 3 header bytes precede it). */
function packetOf(body: Uint8Array): Uint8Array {
  return body.byteOffset >= 3 ? new Uint8Array(body.buffer, body.byteOffset - 3, body.length + 3) : PACKET;
}

async function bareTcpClient(port: number, withCodec = false): Promise<BareClient> {
  const c = newBareClient();
  const conn = await connectBareTcp(port, SFS2X_FRAMING, (body) => {
    if (withCodec) decodePacket(packetOf(body));
    replyArrived(c);
  });
  c.send = withCodec ? () => conn.send(encodePacket(MESSAGE).subarray(3)) : () => conn.send(BODY);
  c.close = () => conn.socket.destroy();
  return c;
}

// ---------------------------------------------------------------------------------------------
// Bare ws echo: one packet's bytes per binary message, no codec

/** Sends on `ws` with its socket corked until the end of the tick (what our transport does). */
function corkedSender(ws: WebSocket, socket: Socket): (data: Uint8Array) => void {
  let corked = false;
  const uncork = (): void => {
    corked = false;
    socket.uncork();
  };
  return (data) => {
    if (!corked) {
      corked = true;
      socket.cork();
      process.nextTick(uncork);
    }
    ws.send(data, { binary: true });
  };
}

/** `withCodec`: decode + encode each message by hand; `cork`: cork the socket per tick. */
async function startBareWs(withCodec = false, cork = false): Promise<WebSocketServer> {
  const wss = new WebSocketServer({ host: "127.0.0.1", port: 0, perMessageDeflate: false });
  wss.on("connection", (ws, req) => {
    const send = cork ? corkedSender(ws, req.socket as Socket) : (data: Uint8Array) => ws.send(data, { binary: true });
    ws.on("message", (data: Buffer) => send(withCodec ? encodePacket(decodePacket(data)) : data));
  });
  await new Promise<void>((r) => wss.once("listening", () => r()));
  return wss;
}

async function bareWsClient(port: number, withCodec = false, cork = false): Promise<BareClient> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/BlueBox/websocket`, { perMessageDeflate: false });
  let socket: Socket | undefined;
  ws.once("upgrade", (res) => (socket = res.socket as Socket));
  await new Promise<void>((r) => ws.once("open", () => r()));
  const send = cork ? corkedSender(ws, socket!) : (data: Uint8Array) => ws.send(data, { binary: true });
  const c = newBareClient();
  ws.on("message", (data: Buffer) => {
    if (withCodec) decodePacket(data);
    replyArrived(c);
  });
  c.send = withCodec ? () => send(encodePacket(MESSAGE)) : () => send(PACKET);
  c.close = () => ws.terminate();
  return c;
}

// ---------------------------------------------------------------------------------------------

async function latency(title: string, ours: Counted, bare: BareClient, label: [string, string]): Promise<void> {
  const ourSamples: number[] = [];
  const bareSamples: number[] = [];
  await compare(
    title,
    {
      name: label[0],
      run: async () => {
        const t = performance.now();
        await ourWindow(ours, 1);
        ourSamples.push(performance.now() - t);
      },
    },
    [
      {
        name: label[1],
        run: async () => {
          const t = performance.now();
          await bareWindow(bare, 1);
          bareSamples.push(performance.now() - t);
        },
      },
    ],
  );
  printLatency(label, ourSamples, bareSamples);
}

// ---------------------------------------------------------------------------------------------
// Broadcast: one server, 200 receivers, the same packet to each

const FAN_OUT = 200;
/** Messages broadcast back to back per measured call. */
const BURST = 4;

/** A receiver that counts whole packets of PACKET.length bytes (TCP stream or one WS message each). */
interface Receiver {
  received: number;
  close: () => void;
}

/** Resolves once every receiver has `count` packets (polled on the event loop: receivers are many). */
function allReceived(receivers: Receiver[], count: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const check = (): void => {
      if (receivers.every((r) => r.received >= count)) resolve();
      else setImmediate(check);
    };
    check();
  });
}

async function tcpReceiver(port: number): Promise<Receiver> {
  const socket = tcpConnect({ host: "127.0.0.1", port, noDelay: true });
  await new Promise<void>((r) => socket.once("connect", () => r()));
  let bytes = 0;
  const r: Receiver = { received: 0, close: () => socket.destroy() };
  socket.on("data", (d: Buffer) => {
    bytes += d.length;
    r.received = Math.floor(bytes / PACKET.length);
  });
  socket.on("error", () => {});
  return r;
}

async function wsReceiver(port: number): Promise<Receiver> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/BlueBox/websocket`, { perMessageDeflate: false });
  await new Promise<void>((r) => ws.once("open", () => r()));
  const r: Receiver = { received: 0, close: () => ws.terminate() };
  ws.on("message", () => r.received++);
  ws.on("error", () => {});
  return r;
}

/** Broadcasts BURST messages from `send` and waits until every receiver has them. */
function burst(receivers: Receiver[], send: () => void): Promise<void> {
  for (const r of receivers) r.received = 0;
  for (let i = 0; i < BURST; i++) send();
  return allReceived(receivers, BURST);
}

async function fanOut(): Promise<void> {
  // Ours: the transports' servers.
  // The receivers never send: no first-packet timeout.
  const tcp = new TcpServer({ port: 0, logger: silentLogger, firstPacketTimeoutMs: 0 });
  const ws = new WsServer({ port: 0, logger: silentLogger, firstPacketTimeoutMs: 0 });
  for (const s of [tcp, ws]) s.onConnection((conn) => conn.onMessage(() => {}));
  await tcp.listen();
  await ws.listen();
  // Bare: the same bytes written to every socket, plain or corked per tick.
  const bareTcpSockets: Socket[] = [];
  const bareTcp = createServer({ noDelay: true }, (s) => {
    bareTcpSockets.push(s);
    s.on("error", () => {});
  });
  await new Promise<void>((r) => bareTcp.listen(0, "127.0.0.1", r));
  const bareWs = new WebSocketServer({ host: "127.0.0.1", port: 0, perMessageDeflate: false });
  const bareWsSockets: { ws: WebSocket; socket: Socket }[] = [];
  bareWs.on("connection", (w, req) => bareWsSockets.push({ ws: w, socket: req.socket as Socket }));
  await new Promise<void>((r) => bareWs.once("listening", () => r()));

  const receivers: Receiver[] = [];
  try {
    const ourTcp = await Promise.all(Array.from({ length: FAN_OUT }, () => tcpReceiver(tcp.address!.port)));
    const ourWs = await Promise.all(Array.from({ length: FAN_OUT }, () => wsReceiver(ws.address!.port)));
    const plainTcp = await Promise.all(Array.from({ length: FAN_OUT }, () => tcpReceiver(portOf(bareTcp))));
    const plainWs = await Promise.all(Array.from({ length: FAN_OUT }, () => wsReceiver(portOf(bareWs))));
    receivers.push(...ourTcp, ...ourWs, ...plainTcp, ...plainWs);
    await new Promise<void>((r) => {
      const check = (): void =>
        tcp.connections.size === FAN_OUT && ws.connections.size === FAN_OUT && bareTcpSockets.length === FAN_OUT && bareWsSockets.length === FAN_OUT
          ? r()
          : void setTimeout(check, 5);
      check();
    });
    const tcpConns = [...tcp.connections];
    const wsConns = [...ws.connections];
    const ops = FAN_OUT * BURST;

    const corked = <T>(items: T[], socketOf: (t: T) => Socket, write: (t: T) => void): (() => void) => {
      let scheduled = false;
      const uncork = (): void => {
        scheduled = false;
        for (const t of items) socketOf(t).uncork();
      };
      return () => {
        if (!scheduled) {
          scheduled = true;
          for (const t of items) socketOf(t).cork();
          process.nextTick(uncork);
        }
        for (const t of items) write(t);
      };
    };

    await compare(
      `SFS2X TCP broadcast: 1 message to ${FAN_OUT} connections, ${PARAMS_BYTES}-byte params (deliveries/s)`,
      {
        name: "@sfs2x/transport-tcp: new PreparedMessage + sendPrepared to each connection",
        ops,
        bytesPerOp: PACKET.length,
        run: () =>
          burst(ourTcp, () => {
            const prepared = new PreparedMessage(MESSAGE);
            for (const c of tcpConns) void c.sendPrepared(prepared);
          }),
      },
      [
        {
          name: "bare node:net: socket.write of the same bytes to each socket",
          ops,
          bytesPerOp: PACKET.length,
          run: () =>
            burst(plainTcp, () => {
              for (const s of bareTcpSockets) s.write(PACKET);
            }),
        },
        {
          name: "(reference) the same, sockets corked per tick",
          ops,
          bytesPerOp: PACKET.length,
          run: () => burst(plainTcp, corked(bareTcpSockets, (s) => s, (s) => void s.write(PACKET))),
        },
      ],
    );
    await compare(
      `SFS2X WebSocket broadcast: 1 message to ${FAN_OUT} connections, ${PARAMS_BYTES}-byte params (deliveries/s)`,
      {
        name: "@sfs2x/transport-ws: new PreparedMessage + sendPrepared to each connection",
        ops,
        bytesPerOp: PACKET.length,
        run: () =>
          burst(ourWs, () => {
            const prepared = new PreparedMessage(MESSAGE);
            for (const c of wsConns) void c.sendPrepared(prepared);
          }),
      },
      [
        {
          name: "bare ws: ws.send of the same bytes to each socket",
          ops,
          bytesPerOp: PACKET.length,
          run: () =>
            burst(plainWs, () => {
              for (const c of bareWsSockets) c.ws.send(PACKET, { binary: true });
            }),
        },
        {
          name: "(reference) the same, sockets corked per tick",
          ops,
          bytesPerOp: PACKET.length,
          run: () => burst(plainWs, corked(bareWsSockets, (c) => c.socket, (c) => c.ws.send(PACKET, { binary: true }))),
        },
      ],
    );
  } finally {
    for (const r of receivers) r.close();
    await tcp.close();
    await ws.close();
    for (const s of bareTcpSockets) s.destroy();
    await new Promise<void>((r) => bareTcp.close(() => r()));
    for (const c of bareWsSockets) c.ws.terminate();
    await new Promise<void>((r) => bareWs.close(() => r()));
  }
}

export default async function sfs2xTransport(): Promise<void> {
  console.log(`\n(SFS2X transport suite: ${PARAMS_BYTES}-byte params, ${PACKET.length}-byte packets)`);
  const tcp = new TcpServer({ port: 0, logger: silentLogger });
  echo(tcp);
  await tcp.listen();
  const ws = new WsServer({ port: 0, logger: silentLogger });
  echo(ws);
  await ws.listen();
  const bareTcp = await startBareSfsTcp();
  const bareWs = await startBareWs();
  const codecTcp = await startBareSfsTcp(true);
  const codecWs = await startBareWs(true, true);
  const corkWs = await startBareWs(false, true);
  const ours: TransportConnection[] = [];
  const bares: BareClient[] = [];
  try {
    const ourTcp = await Promise.all(Array.from({ length: CONNECTIONS }, () => connectTcp(`tcp://127.0.0.1:${tcp.address!.port}`)));
    const ourWs = await Promise.all(Array.from({ length: CONNECTIONS }, () => connectWs(`ws://127.0.0.1:${ws.address!.port}`)));
    ours.push(...ourTcp, ...ourWs);
    const tcpCounted = ourTcp.map(counted);
    const wsCounted = ourWs.map(counted);
    const bareTcpClients = await Promise.all(Array.from({ length: CONNECTIONS }, () => bareTcpClient(portOf(bareTcp))));
    const bareWsClients = await Promise.all(Array.from({ length: CONNECTIONS }, () => bareWsClient(portOf(bareWs))));
    const codecTcpClients = await Promise.all(Array.from({ length: CONNECTIONS }, () => bareTcpClient(portOf(codecTcp), true)));
    const codecWsClients = await Promise.all(Array.from({ length: CONNECTIONS }, () => bareWsClient(portOf(codecWs), true, true)));
    const corkWsClients = await Promise.all(Array.from({ length: CONNECTIONS }, () => bareWsClient(portOf(corkWs), false, true)));
    bares.push(...bareTcpClients, ...bareWsClients, ...codecTcpClients, ...codecWsClients, ...corkWsClients);

    const ops = CONNECTIONS * WINDOW;
    await compare(
      `SFS2X TCP echo: ${CONNECTIONS} connections × window ${WINDOW}, ${PARAMS_BYTES}-byte params (messages/s)`,
      {
        name: "@sfs2x/transport-tcp client + server (decode + encode both sides)",
        ops,
        bytesPerOp: PACKET.length,
        run: () => Promise.all(tcpCounted.map((c) => ourWindow(c, WINDOW))),
      },
      [
        {
          name: "bare node:net echo, same framing, no codec",
          ops,
          bytesPerOp: PACKET.length,
          run: () => Promise.all(bareTcpClients.map((c) => bareWindow(c, WINDOW))),
        },
        {
          name: "(reference) the same bare echo + encodePacket/decodePacket by hand",
          ops,
          bytesPerOp: PACKET.length,
          run: () => Promise.all(codecTcpClients.map((c) => bareWindow(c, WINDOW))),
        },
      ],
    );
    await compare(
      `SFS2X WebSocket echo: ${CONNECTIONS} connections × window ${WINDOW}, ${PARAMS_BYTES}-byte params (messages/s)`,
      {
        name: "@sfs2x/transport-ws client + server (decode + encode both sides)",
        ops,
        bytesPerOp: PACKET.length,
        run: () => Promise.all(wsCounted.map((c) => ourWindow(c, WINDOW))),
      },
      [
        {
          name: "bare ws echo, one packet per message, no codec",
          ops,
          bytesPerOp: PACKET.length,
          run: () => Promise.all(bareWsClients.map((c) => bareWindow(c, WINDOW))),
        },
        {
          name: "(reference) the same bare ws echo, socket corked per tick as ours does",
          ops,
          bytesPerOp: PACKET.length,
          run: () => Promise.all(corkWsClients.map((c) => bareWindow(c, WINDOW))),
        },
        {
          name: "(reference) the corked bare ws echo + encodePacket/decodePacket by hand",
          ops,
          bytesPerOp: PACKET.length,
          run: () => Promise.all(codecWsClients.map((c) => bareWindow(c, WINDOW))),
        },
      ],
    );
    await latency("SFS2X TCP round trip, 1 connection, 1 message in flight (round trips/s)", tcpCounted[0]!, bareTcpClients[0]!, [
      "@sfs2x/transport-tcp",
      "bare node:net echo",
    ]);
    await latency("SFS2X WebSocket round trip, 1 connection, 1 message in flight (round trips/s)", wsCounted[0]!, bareWsClients[0]!, [
      "@sfs2x/transport-ws",
      "bare ws echo",
    ]);
  } finally {
    await Promise.all(ours.map((c) => c.close()));
    for (const c of bares) c.close();
    await tcp.close();
    await ws.close();
    await new Promise<void>((r) => bareTcp.close(() => r()));
    await new Promise<void>((r) => bareWs.close(() => r()));
    await new Promise<void>((r) => codecTcp.close(() => r()));
    await new Promise<void>((r) => codecWs.close(() => r()));
    await new Promise<void>((r) => corkWs.close(() => r()));
  }
  await fanOut();
}
