/**
 * @sfs2x/app rooms:
 * 1. Client side: a stream of room traffic packets (user enter, user variables, public message,
 *    count change, user exit) decoded and applied to our `ClientRoomState`, beside the official
 *    JS client (sfs2x-api 1.8.6) decoding the same bytes (`onPacketRead`) and applying them to its
 *    RoomManager/UserManager (`SmartFox._onSocketData`), in a joined room of 50 users.
 * 2. Server side: a public message request served by the rooms layer (parse, checks, message
 *    build) and encoded for each of the room's 50 occupants, beside the bare cost of encoding
 *    one prebuilt message 50 times (what any server must do to send it).
 */
import { SFSObject } from "@sfs2x/core";
import { decodePacket, encodePacket, type Message } from "@sfs2x/protocol";
import { ClientRoomState, RoomMessages, SFSUserVariable, ZoneManager, handleRoomRequest, publicMessageRequest, type User } from "@sfs2x/app";
import { compare } from "../harness.js";

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

async function loadOfficial(): Promise<OfficialApi> {
  (globalThis as { window?: unknown }).window = globalThis;
  const m = (await import("sfs2x-api")) as unknown as Record<string, unknown>;
  for (const c of [m, m.default, m.SFS2X, (m.default as Record<string, unknown> | undefined)?.SFS2X]) {
    if (c && typeof (c as OfficialApi).SmartFox === "function") return c as OfficialApi;
  }
  throw new Error("sfs2x-api: SmartFox not found");
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
  const api = await loadOfficial();
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
  const prebuilt = RoomMessages.publicMessage(lobby, sender, "hello everyone", new SFSObject().putInt("color", 3));
  await compare(
    `rooms, server side: a public message to a room of ${ROOM_USERS} (request served + ${ROOM_USERS} packets encoded)`,
    {
      name: "ours: handleRoomRequest + encodePacket per recipient",
      run: () => {
        for (const d of handleRoomRequest(sender, request)) for (let i = 0; i < d.to.length; i++) sink += encodePacket(d.message).length;
      },
    },
    [
      {
        name: `bare: encodePacket of a prebuilt message × ${ROOM_USERS}`,
        run: () => {
          for (let i = 0; i < ROOM_USERS; i++) sink += encodePacket(prebuilt).length;
        },
      },
    ],
  );
  if (sink < 0) console.log(sink);
}
