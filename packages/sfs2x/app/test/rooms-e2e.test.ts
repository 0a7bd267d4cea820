// End to end: two official sfs2x-api 1.8.6 clients (WebSocket) and two of our SFSClients (TCP
// and WebSocket) in the rooms of our SFSServer + RoomService, over real loopback sockets.
import { createRequire } from "node:module";
import { SFSObject } from "@sfs2x/core";
import { SFSErrorCode, silentLogger } from "@sfs2x/protocol";
import { WebSocket } from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RoomClient } from "../src/client-state/index.js";
import { RoomService, SFSRoomVariable, SFSUserVariable, type Room } from "../src/rooms/index.js";
import { SFSServer } from "../src/server/index.js";
import { SFSClientBase, SFSError } from "../src/shared.js";
import { clientTransports } from "../src/transportFromUrl.js";

// --- the official client in Node -----------------------------------------------------------

/* eslint-disable @typescript-eslint/no-explicit-any */
type Official = any;
const g = globalThis as any;
g.window ??= globalThis;
g.WebSocket ??= WebSocket;
const SFS2X: any = createRequire(import.meta.url)("sfs2x-api");

/** Resolves with the next `event` whose params satisfy `accept` (the test timeout bounds the wait). */
function next(sfs: Official, event: string, accept: (p: any) => boolean = () => true): Promise<any> {
  return new Promise((resolve) => {
    const fn = (p: any): void => {
      if (!accept(p)) return;
      sfs.removeEventListener(event, fn);
      resolve(p);
    };
    sfs.addEventListener(event, fn);
  });
}

/** Collects every `event` of an official client. */
function collect(sfs: Official, event: string): any[] {
  const out: any[] = [];
  sfs.addEventListener(event, (p: any) => out.push(p));
  return out;
}

async function official(port: number, name: string): Promise<Official> {
  const sfs = new SFS2X.SmartFox({ host: "127.0.0.1", port, useSSL: false, zone: "BasicExamples", debug: false });
  sfs.logger.level = SFS2X.LogLevel.ERROR;
  const connected = next(sfs, SFS2X.SFSEvent.CONNECTION);
  sfs.connect();
  expect((await connected).success).toBe(true);
  const login = next(sfs, SFS2X.SFSEvent.LOGIN);
  sfs.send(new SFS2X.LoginRequest(name));
  await login;
  return sfs;
}

/** Resolves when `predicate` holds (polling; the test timeout bounds it). */
async function until(predicate: () => boolean): Promise<void> {
  while (!predicate()) await new Promise((r) => setTimeout(r, 5));
}

// --- the scene -------------------------------------------------------------------------------

let service: RoomService;
let server: SFSServer;
let wsPort: number;
let tcpUrl: string;
let wsUrl: string;
const closers: (() => unknown)[] = [];

beforeAll(async () => {
  service = new RoomService({
    zones: [{ name: "BasicExamples", rooms: [{ name: "The Lobby", maxUsers: 150 }], groups: ["games"] }],
    logger: silentLogger,
  });
  server = new SFSServer(["tcp://127.0.0.1:0", "ws://127.0.0.1:0"], { roomListFor: service.roomListFor, logger: silentLogger });
  service.attach(server);
  await server.listen();
  tcpUrl = server.addresses[0]!.url;
  wsUrl = server.addresses[1]!.url;
  wsPort = server.addresses[1]!.port;
});

afterAll(async () => {
  for (const c of closers.splice(0)) await c();
  await server.close();
});

async function ours(url: string, name: string): Promise<{ client: SFSClientBase; rooms: RoomClient }> {
  const client = new SFSClientBase(url, { transport: clientTransports, zone: "BasicExamples", logger: silentLogger, requestTimeoutMs: 5000 });
  closers.push(() => client.close());
  const rooms = new RoomClient(client, { timeoutMs: 5000 });
  await client.connect();
  await client.login({ username: name });
  return { client, rooms };
}

describe("rooms end to end: official sfs2x-api clients and our SFSClients on one SFSServer", () => {
  it("join, chat, variables, private/object messages, create, errors, leave, disconnect, logout", async () => {
    const o1 = await official(wsPort, "o1");
    closers.push(() => o1.disconnect());
    const o2 = await official(wsPort, "o2");
    closers.push(() => o2.disconnect());
    const c1 = await ours(tcpUrl, "c1");
    const c2 = await ours(wsUrl, "c2");

    // The login room list reached everyone.
    expect(o1.roomManager.getRoomList().map((r: any) => r.name)).toEqual(["The Lobby"]);
    expect(c1.rooms.getRoomList().map((r) => r.name)).toEqual(["The Lobby"]);
    expect(c1.rooms.mySelf!.name).toBe("c1");

    // Joins: official by name, ours by name and by id.
    const o1Join = next(o1, SFS2X.SFSEvent.ROOM_JOIN);
    o1.send(new SFS2X.JoinRoomRequest("The Lobby"));
    const lobbyO1 = (await o1Join).room;
    expect(lobbyO1.id).toBe(0);
    expect(lobbyO1.userCount).toBe(1);

    const o1SeesC1 = next(o1, SFS2X.SFSEvent.USER_ENTER_ROOM);
    const lobby = await c1.rooms.joinRoom("The Lobby");
    expect(lobby.getUserList().map((u) => u.name).sort()).toEqual(["c1", "o1"]);
    expect((await o1SeesC1).user.name).toBe("c1");

    const c1SeesO2 = new Promise<string>((resolve) => c1.rooms.once("userEnterRoom", (e) => resolve(e.user.name)));
    const o2Join = next(o2, SFS2X.SFSEvent.ROOM_JOIN);
    o2.send(new SFS2X.JoinRoomRequest("The Lobby"));
    await o2Join;
    expect(await c1SeesO2).toBe("o2");
    await c2.rooms.joinRoom(0);
    await until(() => lobbyO1.getUserList().length === 4);
    await until(() => lobbyO1.userCount === 4);

    // Public message from an official client: everyone gets it, the sender its echo.
    const got: string[] = [];
    for (const r of [c1.rooms, c2.rooms]) r.on("publicMessage", (e) => got.push(`${r.mySelf!.name}<${e.sender.name}:${e.message}:${e.data?.getInt("n")}`));
    const o1Echo = next(o1, SFS2X.SFSEvent.PUBLIC_MESSAGE);
    const o2Chat = next(o2, SFS2X.SFSEvent.PUBLIC_MESSAGE);
    const extra = new SFS2X.SFSObject();
    extra.putInt("n", 1);
    o1.send(new SFS2X.PublicMessageRequest("Hello é日😀", extra));
    expect((await o1Echo).sender.name).toBe("o1");
    const chat = await o2Chat;
    expect([chat.sender.name, chat.message, chat.data.getInt("n")]).toEqual(["o1", "Hello é日😀", 1]);
    await until(() => got.length === 2);
    expect(got.sort()).toEqual(["c1<o1:Hello é日😀:1", "c2<o1:Hello é日😀:1"]);

    // Our public message reaches the official clients.
    const o2FromC2 = next(o2, SFS2X.SFSEvent.PUBLIC_MESSAGE, (p) => p.sender.name === "c2");
    await c2.rooms.sendPublicMessage("hi from c2");
    expect((await o2FromC2).message).toBe("hi from c2");

    // User Variables: the public part reaches the official client, typed.
    const o1Vars = next(o1, SFS2X.SFSEvent.USER_VARIABLES_UPDATE, (p) => p.user.name === "c1");
    await c1.rooms.setUserVariables([new SFSUserVariable("score", 10), new SFSUserVariable("ratio", 0.5), new SFSUserVariable("secret", "x", { isPrivate: true })]);
    expect(c1.rooms.mySelf!.getVariable("secret")!.value).toBe("x");
    const uv = await o1Vars;
    expect(uv.changedVars.sort()).toEqual(["ratio", "score"]);
    expect(uv.user.getVariable("score").value).toBe(10);
    expect(uv.user.getVariable("score").type).toBe("int");
    expect(uv.user.getVariable("ratio").type).toBe("double");
    expect(uv.user.containsVariable("secret")).toBe(false);

    // Room Variables set by an official client reach ours.
    const c2Topic = new Promise<unknown>((resolve) => c2.rooms.once("roomVariablesUpdate", (e) => resolve(e.room.getVariable("topic")?.value)));
    o2.send(new SFS2X.SetRoomVariablesRequest([new SFS2X.SFSRoomVariable("topic", "hi")]));
    expect(await c2Topic).toBe("hi");

    // Private message ours → official, object message official → the room but the sender.
    const pm = next(o1, SFS2X.SFSEvent.PRIVATE_MESSAGE);
    await c2.rooms.sendPrivateMessage("psst", o1.mySelf.id);
    const pmEvent = await pm;
    expect([pmEvent.sender.name, pmEvent.message]).toEqual(["c2", "psst"]);
    const objects: string[] = [];
    for (const r of [c1.rooms, c2.rooms]) r.on("objectMessage", (e) => objects.push(`${r.mySelf!.name}<${e.sender.name}:${e.message.getUtfString("k")}`));
    const o2Obj = next(o2, SFS2X.SFSEvent.OBJECT_MESSAGE);
    const o1Objects = collect(o1, SFS2X.SFSEvent.OBJECT_MESSAGE);
    const payload = new SFS2X.SFSObject();
    payload.putUtfString("k", "v");
    o1.send(new SFS2X.ObjectMessageRequest(payload));
    expect((await o2Obj).message.getUtfString("k")).toBe("v");
    await until(() => objects.length === 2);
    expect(objects.sort()).toEqual(["c1<o1:v", "c2<o1:v"]);
    expect(o1Objects).toEqual([]);

    // CreateRoom with auto-join: subscribers get the room add; the creator leaves the Lobby (rl absent).
    const o2Add = next(o2, SFS2X.SFSEvent.ROOM_ADD);
    const o1SeesC1Leave = next(o1, SFS2X.SFSEvent.USER_EXIT_ROOM, (p) => p.user.name === "c1");
    const game = await c1.rooms.createRoom({ name: "Game 1", groupId: "default", isGame: true, maxUsers: 2 }, { autoJoin: true });
    expect(game.isJoined).toBe(true);
    expect(c1.rooms.mySelf!.getPlayerId(game)).toBe(1);
    expect((await o2Add).room.name).toBe("Game 1");
    await o1SeesC1Leave;
    expect(c1.rooms.getJoinedRooms().map((r) => r.name)).toEqual(["Game 1"]);

    // An official client joins the game and stays in the Lobby too (rl = -1); it gets player id 2.
    const o2Game = next(o2, SFS2X.SFSEvent.ROOM_JOIN);
    o2.send(new SFS2X.JoinRoomRequest("Game 1", null, -1));
    const gameO2 = (await o2Game).room;
    expect(gameO2.isGame).toBe(true);
    expect(o2.mySelf.getPlayerId(gameO2)).toBe(2);
    expect(o2.getJoinedRooms().length).toBe(2);

    // Errors with the official codes: room not found (22) and room full (20).
    const o1Err = next(o1, SFS2X.SFSEvent.ROOM_JOIN_ERROR);
    o1.send(new SFS2X.JoinRoomRequest("No such room"));
    expect((await o1Err).errorCode).toBe(SFSErrorCode.JoinBadRoom);
    const full = await c2.rooms.joinRoom("Game 1").catch((e: unknown) => e);
    expect(full).toBeInstanceOf(SFSError);
    expect((full as SFSError).code).toBe(SFSErrorCode.JoinRoomFull);
    const dup = await c2.rooms.createRoom({ name: "Game 1" }).catch((e: unknown) => e);
    expect((dup as SFSError).code).toBe(SFSErrorCode.RoomDuplicateName);

    // Our leave: the official occupant sees the exit.
    const o1SeesC2Leave = next(o1, SFS2X.SFSEvent.USER_EXIT_ROOM, (p) => p.user.name === "c2");
    await c2.rooms.leaveRoom();
    await o1SeesC2Leave;
    expect(c2.rooms.getJoinedRooms()).toEqual([]);

    // An official client drops its connection: 1002 → ours see it leave the game, o1 the Lobby.
    const c1SeesO2Lost = new Promise<string>((resolve) => c1.rooms.once("userExitRoom", (e) => resolve(`${e.user.name}@${e.room.name}`)));
    const o1SeesO2Lost = next(o1, SFS2X.SFSEvent.USER_EXIT_ROOM, (p) => p.user.name === "o2");
    o2.disconnect();
    expect(await c1SeesO2Lost).toBe("o2@Game 1");
    await o1SeesO2Lost;
    expect(lobbyO1.getUserList().map((u: any) => u.name)).toEqual(["o1"]);

    // Our creator logs out: its empty game room goes away (1003), seen by the official client.
    const removed = next(o1, SFS2X.SFSEvent.ROOM_REMOVE);
    await c1.rooms.leaveRoom(game);
    expect((await removed).room.name).toBe("Game 1");
    expect(o1.roomManager.getRoomList().map((r: any) => r.name)).toEqual(["The Lobby"]);
    await c1.client.logout();
    expect(c1.rooms.mySelf).toBeUndefined();
    expect(service.world.getZone("BasicExamples")!.getUserByName("c1")).toBeUndefined();
  });

  it("game code: room variables and extension pushes to a room, rooms created from code", async () => {
    const o = await official(wsPort, "watcher");
    closers.push(() => o.disconnect());
    const c = await ours(wsUrl, "player");
    const joined = next(o, SFS2X.SFSEvent.ROOM_JOIN);
    o.send(new SFS2X.JoinRoomRequest("The Lobby"));
    await joined;
    await c.rooms.joinRoom("The Lobby");
    const zone = service.getZone("BasicExamples")!;
    const lobby = zone.getRoomByName("The Lobby") as Room;

    const oVars = next(o, SFS2X.SFSEvent.ROOM_VARIABLES_UPDATE);
    service.setRoomVariables(lobby, [new SFSRoomVariable("round", 3)]);
    expect((await oVars).room.getVariable("round").value).toBe(3);

    const push = next(o, SFS2X.SFSEvent.EXTENSION_RESPONSE);
    const ours2 = new Promise<number | undefined>((resolve) => c.client.onExtension("tick", (p) => resolve(p.getInt("t"))));
    service.broadcast(lobby, new SFSObject().putInt("t", 7), { command: "tick", roomId: lobby.id });
    const ext = await push;
    expect([ext.cmd, ext.params.getInt("t")]).toEqual(["tick", 7]);
    expect(await ours2).toBe(7);

    const added = next(o, SFS2X.SFSEvent.ROOM_ADD);
    const arena = service.createRoom("BasicExamples", { name: "Arena", maxUsers: 20 });
    expect((await added).room.name).toBe("Arena");
    const moved = service.joinRoom(zone.getUserByName("player")!, arena);
    expect(moved.name).toBe("Arena");
    await until(() => c.rooms.lastJoinedRoom?.name === "Arena");
    const gone = next(o, SFS2X.SFSEvent.ROOM_REMOVE);
    service.removeRoom(arena);
    expect((await gone).room.name).toBe("Arena");
    await until(() => c.rooms.getJoinedRooms().length === 0);
  });

  it("room requests need a login; unknown zones are refused with ec 1", async () => {
    const client = new SFSClientBase(tcpUrl, { transport: clientTransports, logger: silentLogger, requestTimeoutMs: 5000 });
    closers.push(() => client.close());
    await client.connect();
    await client.handshake();
    const rooms = new RoomClient(client, { timeoutMs: 5000 });
    const refused = await rooms.joinRoom("The Lobby").catch((e: unknown) => e);
    expect((refused as SFSError).code).toBe(SFSErrorCode.GenericError);
    const bad = await client.login({ zone: "Nowhere", username: "x" }).catch((e: unknown) => e);
    expect((bad as SFSError).code).toBe(SFSErrorCode.LoginBadZoneName);
  });
});
