/**
 * @sfs2x/app rooms:
 * 1. Client side: a stream of room traffic packets (user enter, user variables, public message,
 *    count change, user exit) decoded and applied to our `ClientRoomState`, beside the official
 *    JS client (sfs2x-api 1.8.6) decoding the same bytes (`onPacketRead`) and applying them to its
 *    RoomManager/UserManager (`SmartFox._onSocketData`), in a joined room of 50 users.
 * 2. Server side, in memory: a public message request served by the rooms layer (parse, checks,
 *    message build) and its packet fetched for each of the room's 50 occupants from one
 *    `PreparedMessage` (what `RoomService.deliver` does: one encoding per codec-option set),
 *    beside building the outgoing message by hand and encoding it once (the least any server
 *    does), and, for reference, encoding it once per occupant (what delivery cost before
 *    `PreparedMessage`).
 * 3. Fan-out over real sockets (issue 6): one user of a room of 200 sends public messages to an
 *    `SFSServer` + `RoomService` over WebSocket, and the server delivers each to the 200 occupants
 *    (deliveries/s), beside a bare `ws` server that answers each trigger message by sending one
 *    prebuilt packet (the same bytes our server sends) to 200 connected `ws` clients. The 200
 *    receivers are the same bare `ws` clients on both sides (they only count messages), and the
 *    sender keeps several messages in flight, so this measures throughput, not latency. A
 *    reference row corks the bare sockets per tick, as our WebSocket transport does.
 */
import type { Socket } from "node:net";
import { WebSocket, WebSocketServer } from "ws";
import { SFSObject } from "@sfs2x/core";
import { PreparedMessage, decodePacket, encodePacket, silentLogger, type Message } from "@sfs2x/protocol";
import {
  ClientRoomState,
  RoomMessages,
  RoomService,
  SFSServer,
  SFSUserVariable,
  SysAction,
  ZoneManager,
  handleRoomRequest,
  joinRoomRequest,
  publicMessageRequest,
  type User,
} from "@sfs2x/app";
import { compare } from "../harness.js";
import { loadOfficial } from "../official.js";

interface OfficialApi {
  SmartFox: new (config: object) => OfficialSmartFox;
  LogLevel: { ERROR: number };
  SFSEvent: Record<string, string>;
}
interface OfficialSmartFox {
  logger: { level: number };
  _socketEngine: { _protocolCodec: { onPacketRead(data: ArrayBuffer): unknown } };
  _onSocketData(message: unknown): void;
  addEventListener(event: string, fn: (p: unknown) => void): void;
  getJoinedRooms(): unknown[];
}

const ROOM_USERS = 50;

/** A zone with "Lobby" and 50 users in it, each with two variables; `me` joined first. */
function scene() {
  const world = new ZoneManager({ zones: [{ name: "Bench", rooms: [{ name: "Lobby", maxUsers: 1000 }] }] });
  const zone = world.getZone("Bench")!;
  const users: User[] = [];
  let loginReply: Message | undefined;
  for (let i = 0; i < ROOM_USERS; i++) {
    const { user, roomList } = zone.login({ name: `user${i}` });
    zone.setUserVariables(user, [new SFSUserVariable("score", i * 10), new SFSUserVariable("nick", `nick${i}`)]);
    if (i === 0) {
      const params = new SFSObject().putUtfString("zn", "Bench").putUtfString("un", user.name).putInt("id", user.id).putShort("pi", 0).putSFSArray("rl", roomList).putShort("rs", 0);
      loginReply = { controller: 0, action: 1, params };
    }
    users.push(user);
  }
  for (const u of users) zone.joinRoom(u, "Lobby");
  // The join reply as users[0] would see it with everyone in the room.
  const joinReply = RoomMessages.joinRoomResponse(zone.getRoomByName("Lobby")!, users[0]!);
  return { world, zone, users, loginReply: loginReply!, joinReply };
}

/** One round of traffic seen by users[0]: a visitor enters, sets variables, chats, counts change, leaves. */
function trafficPackets(): Uint8Array[] {
  const { zone, users } = scene();
  const me = users[0]!;
  const visitor = zone.login({ name: "visitor" }).user;
  const packets: Uint8Array[] = [];
  const take = (deliveries: { to: readonly User[]; message: Message }[]) => {
    for (const d of deliveries) if (d.to.includes(me)) packets.push(encodePacket(d.message).slice());
  };
  take(zone.joinRoom(visitor, "Lobby").deliveries);
  take(zone.setUserVariables(visitor, [new SFSUserVariable("score", 5), new SFSUserVariable("ready", true)]));
  take(zone.sendPublicMessage(visitor, "Lobby", "hello everyone", new SFSObject().putInt("color", 3)));
  take(zone.setUserVariables(visitor, [new SFSUserVariable("score", 6)]));
  take(zone.leaveRoom(visitor, "Lobby"));
  return packets;
}

export default async function suite(): Promise<void> {
  const api = await loadOfficial<OfficialApi>("SmartFox");
  const { loginReply, joinReply } = scene();
  const loginBytes = encodePacket(loginReply).slice();
  const joinBytes = encodePacket(joinReply).slice();
  const traffic = trafficPackets();
  const trafficBuffers = traffic.map((p) => p.buffer.slice(p.byteOffset, p.byteOffset + p.byteLength) as ArrayBuffer);
  const trafficBytes = traffic.reduce((n, p) => n + p.length, 0);
  let sink = 0;

  // --- 1. client side ----------------------------------------------------------------------
  let ours: ClientRoomState | undefined;
  let official: OfficialSmartFox | undefined;
  await compare(
    `rooms, client side: ${traffic.length} room packets (enter, variables, chat, counts, exit) decoded + applied, room of ${ROOM_USERS}`,
    {
      name: "ours: decodePacket + ClientRoomState.apply",
      ops: traffic.length,
      bytesPerOp: trafficBytes / traffic.length,
      setup: () => {
        ours = new ClientRoomState();
        ours.on("publicMessage", () => sink++);
        ours.apply(decodePacket(loginBytes));
        ours.apply(decodePacket(joinBytes));
        if (ours.getJoinedRooms()[0]?.getUserList().length !== ROOM_USERS) throw new Error("ours: join not applied");
      },
      run: () => {
        for (const p of traffic) ours!.apply(decodePacket(p));
      },
    },
    [
      {
        name: "official sfs2x-api: onPacketRead + SmartFox._onSocketData",
        ops: traffic.length,
        bytesPerOp: trafficBytes / traffic.length,
        setup: () => {
          official = new api.SmartFox({ zone: "Bench" });
          official.logger.level = api.LogLevel.ERROR;
          official.addEventListener(api.SFSEvent.PUBLIC_MESSAGE!, () => sink++);
          const codec = official._socketEngine._protocolCodec;
          const feed = (b: Uint8Array) => official!._onSocketData(codec.onPacketRead(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer));
          feed(loginBytes);
          feed(joinBytes);
          if (official.getJoinedRooms().length !== 1) throw new Error("official: join not applied");
        },
        run: () => {
          const codec = official!._socketEngine._protocolCodec;
          for (const b of trafficBuffers) official!._onSocketData(codec.onPacketRead(b));
        },
      },
    ],
  );

  // --- 2. server side ----------------------------------------------------------------------
  const { zone, users } = scene();
  const sender = users[1]!;
  const lobby = zone.getRoomByName("Lobby")!;
  const request = publicMessageRequest("hello everyone", lobby.id, sender.id, new SFSObject().putInt("color", 3));
  const color = new SFSObject().putInt("color", 3);
  const prebuilt = RoomMessages.publicMessage(lobby, sender, "hello everyone", color);
  await compare(
    `rooms, server side: a public message to a room of ${ROOM_USERS} (request served + a packet for each occupant)`,
    {
      name: "ours: handleRoomRequest + PreparedMessage.packetFor per recipient",
      run: () => {
        for (const d of handleRoomRequest(sender, request)) {
          const prepared = new PreparedMessage(d.message);
          for (let i = 0; i < d.to.length; i++) sink += prepared.packetFor().length;
        }
      },
    },
    [
      {
        // The least any server does per public message: build the outgoing object, encode it once.
        name: "bare: build the message's SFSObject by hand + encodePacket once",
        run: () => {
          const params = new SFSObject().putSFSObject("p", color).putInt("r", lobby.id).putByte("t", 0).putInt("u", sender.id).putUtfString("m", "hello everyone");
          sink += encodePacket({ controller: 0, action: SysAction.GenericMessage, params }).length;
        },
      },
      {
        name: `(reference) encodePacket of a prebuilt message × ${ROOM_USERS}`,
        run: () => {
          for (let i = 0; i < ROOM_USERS; i++) sink += encodePacket(prebuilt).length;
        },
      },
    ],
  );
  if (sink < 0) console.log(sink);

  await fanOut();
}

// --- 3. fan-out over WebSocket ---------------------------------------------------------------

const FAN_OUT = 200;
/** Public messages in flight per measured call (the sender does not wait for each one). */
const WINDOW = 16;
const WS_PATH = "/BlueBox/websocket";

/** Counts every binary message of its sockets; resolves `wait(n)` once `n` more have arrived. */
class Counter {
  private count = 0;
  private target = Infinity;
  private done: (() => void) | undefined;
  readonly hit = (): void => {
    if (++this.count === this.target) this.done!();
  };
  /** Resolves once `n` messages arrived since this call. */
  wait(n: number): Promise<void> {
    return new Promise<void>((resolve) => {
      this.count = 0;
      this.target = n;
      this.done = resolve;
    });
  }
  reset(): void {
    this.count = 0;
    this.target = Infinity;
  }
}

function openWs(port: number): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}${WS_PATH}`, { perMessageDeflate: false });
    ws.binaryType = "nodebuffer";
    ws.once("open", () => resolve(ws));
    ws.once("error", reject);
  });
}

/** Sends one packet on a raw socket and resolves with the next reply of `action` (controller 0). */
function exchange(ws: WebSocket, message: Message, action: number): Promise<Message> {
  return new Promise((resolve, reject) => {
    const fn = (data: Buffer): void => {
      const m = decodePacket(new Uint8Array(data.buffer, data.byteOffset, data.length));
      if (m.controller !== 0 || m.action !== action) return;
      ws.off("message", fn);
      if (m.params.containsKey("ec")) reject(new Error(`action ${action} refused: ${m.params.getDump()}`));
      else resolve(m);
    };
    ws.on("message", fn);
    ws.send(encodePacket(message));
  });
}

interface Receiver {
  ws: WebSocket;
  userId: number;
  roomId: number;
}

/** A bare `ws` client that logs in to our server and joins `room` with the official request packets. */
async function sfsReceiver(port: number, name: string, room: string): Promise<Receiver> {
  const ws = await openWs(port);
  const sys = (action: number, params: SFSObject): Message => ({ controller: 0, action, params });
  await exchange(ws, sys(SysAction.Handshake, new SFSObject().putUtfString("api", "1.8.6").putUtfString("cl", "JavaScript")), SysAction.Handshake);
  const login = await exchange(ws, sys(SysAction.Login, new SFSObject().putUtfString("zn", "Bench").putUtfString("un", name).putUtfString("pw", "")), SysAction.Login);
  const join = await exchange(ws, joinRoomRequest(room), SysAction.JoinRoom);
  return { ws, userId: login.params.getInt("id")!, roomId: join.params.getSFSArray("r")!.getInt(0)! };
}

async function until(predicate: () => boolean): Promise<void> {
  while (!predicate()) await new Promise((r) => setTimeout(r, 5));
}

async function fanOut(): Promise<void> {
  // Ours: SFSServer + RoomService, one room of 200.
  const rooms = new RoomService({ zones: [{ name: "Bench", rooms: [{ name: "Lobby", maxUsers: FAN_OUT }] }], logger: silentLogger });
  const server = new SFSServer(`ws://127.0.0.1:0`, { roomListFor: rooms.roomListFor, logger: silentLogger, userIdleTimeoutMs: 0, sessionIdleTimeoutMs: 0 });
  rooms.attach(server);
  await server.listen();
  const ourPort = server.addresses[0]!.port;
  // Bare: a ws server that answers each message of the sender with the prebuilt packet to every socket.
  const bare = new WebSocketServer({ host: "127.0.0.1", port: 0, path: WS_PATH, perMessageDeflate: false });
  await new Promise<void>((r) => bare.once("listening", () => r()));
  const barePort = (bare.address() as { port: number }).port;

  const sockets: WebSocket[] = [];
  try {
    // Log in and join one by one (each join tells everyone already in), then let the join traffic settle.
    const ours: Receiver[] = [];
    for (let i = 0; i < FAN_OUT; i++) ours.push(await sfsReceiver(ourPort, `u${i}`, "Lobby"));
    sockets.push(...ours.map((o) => o.ws));
    const lobby = rooms.getZone("Bench")!.getRoomByName("Lobby")!;
    if (lobby.userCount !== FAN_OUT) throw new Error(`ours: ${lobby.userCount} users in the room`);
    const sender = ours[0]!;
    const request = encodePacket(publicMessageRequest("hello everyone", sender.roomId, sender.userId, new SFSObject().putInt("color", 3))).slice();
    // The exact bytes our server sends to each occupant: the bare server sends the same ones.
    const packet = await new Promise<Uint8Array>((resolve) => {
      const watcher = ours[FAN_OUT - 1]!.ws;
      const fn = (data: Buffer): void => {
        const m = decodePacket(new Uint8Array(data.buffer, data.byteOffset, data.length));
        if (m.action !== SysAction.GenericMessage) return;
        watcher.off("message", fn);
        resolve(new Uint8Array(data).slice());
      };
      watcher.on("message", fn);
      sender.ws.send(request);
    });
    await new Promise((r) => setTimeout(r, 200));
    // Check the scene once: a window of messages reaches every occupant as public messages, nothing else.
    const seen = ours.map(() => [] as number[]);
    const checkers = ours.map((o, i) => {
      const fn = (data: Buffer): void => void seen[i]!.push(decodePacket(new Uint8Array(data.buffer, data.byteOffset, data.length)).action);
      o.ws.on("message", fn);
      return fn;
    });
    for (let i = 0; i < WINDOW; i++) sender.ws.send(request);
    await until(() => seen.every((s) => s.length >= WINDOW));
    await new Promise((r) => setTimeout(r, 50));
    if (!seen.every((s) => s.length === WINDOW && s.every((a) => a === SysAction.GenericMessage))) throw new Error("ours: the occupants did not get exactly the public messages");
    ours.forEach((o, i) => o.ws.off("message", checkers[i]!));
    const ourCounter = new Counter();
    for (const o of ours) o.ws.on("message", ourCounter.hit);

    const bareConns: WebSocket[] = [];
    const bareRaw: Socket[] = [];
    bare.on("connection", (ws, req) => {
      bareConns.push(ws);
      bareRaw.push(req.socket as Socket);
    });
    const bareClients: WebSocket[] = [];
    for (let i = 0; i < FAN_OUT; i++) bareClients.push(await openWs(barePort));
    sockets.push(...bareClients);
    await until(() => bareConns.length === FAN_OUT);
    const bareCounter = new Counter();
    for (const ws of bareClients) ws.on("message", bareCounter.hit);
    const bareSender = bareClients[0]!;
    let corkPerTick = false;
    let corked = false;
    const uncork = (): void => {
      corked = false;
      for (const s of bareRaw) s.uncork();
    };
    const broadcast = (): void => {
      if (corkPerTick && !corked) {
        corked = true;
        for (const s of bareRaw) s.cork();
        process.nextTick(uncork);
      }
      for (const ws of bareConns) ws.send(bareBuffer, { binary: true });
    };
    // A Node ws server would hold its prebuilt packet as a Buffer (ws.send takes it as is).
    const bareBuffer = Buffer.from(packet);
    // The trigger: the messages of the sending socket (its server side is the first connection).
    bareConns[0]!.on("message", broadcast);
    const ops = FAN_OUT * WINDOW;
    const bareRun = (): Promise<void> => {
      const done = bareCounter.wait(ops);
      for (let i = 0; i < WINDOW; i++) bareSender.send(request);
      return done;
    };

    await compare(
      `rooms fan-out over WebSocket: public messages in a room of ${FAN_OUT}, ${packet.length}-byte packets, ${WINDOW} in flight (deliveries/s)`,
      {
        name: `ours: SFSServer + RoomService (public message → ${FAN_OUT} occupants)`,
        ops,
        bytesPerOp: packet.length,
        run: () => {
          const done = ourCounter.wait(ops);
          for (let i = 0; i < WINDOW; i++) sender.ws.send(request);
          return done;
        },
      },
      [
        {
          name: `bare ws: trigger → ws.send of the same bytes to ${FAN_OUT} sockets`,
          ops,
          bytesPerOp: packet.length,
          run: () => {
            corkPerTick = false;
            return bareRun();
          },
        },
        {
          // Our WebSocket transport corks each socket until the end of the tick: messages sent in
          // one tick leave in one write. This row shows the bare broadcast doing the same.
          name: "(reference) the same, sockets corked per tick",
          ops,
          bytesPerOp: packet.length,
          run: () => {
            corkPerTick = true;
            return bareRun();
          },
        },
      ],
    );
    ourCounter.reset();
    bareCounter.reset();
  } finally {
    for (const ws of sockets) ws.terminate();
    await server.close();
    for (const ws of bare.clients) ws.terminate();
    await new Promise<void>((r) => bare.close(() => r()));
  }
}
