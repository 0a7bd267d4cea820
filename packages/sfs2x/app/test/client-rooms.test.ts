// `client.rooms`: the RoomClient every SFSClient has, over real loopback sockets (TCP and WS).
import { SFSArray, SFSObject } from "@sfs2x/core";
import { SFSErrorCode, SysAction, silentLogger } from "@sfs2x/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RoomClient } from "../src/client-state/index.js";
import { SFSClient, SFSClientError, SFSError, SFSServer, TimeoutError, type Message } from "../src/index.js";
import { RoomService } from "../src/rooms/index.js";
import { until } from "./helpers.js";

let service: RoomService;
let server: SFSServer;
const closers: (() => unknown)[] = [];

beforeAll(async () => {
  service = new RoomService({ zones: [{ name: "Z", rooms: [{ name: "Lobby", maxUsers: 50 }] }], logger: silentLogger });
  server = new SFSServer(["tcp://127.0.0.1:0", "ws://127.0.0.1:0"], { roomListFor: service.roomListFor, logger: silentLogger });
  service.attach(server);
  await server.listen();
});

afterAll(async () => {
  for (const c of closers.splice(0)) await c();
  await server.close();
});

async function loggedIn(url: string, name: string, options: { requestTimeoutMs?: number } = {}): Promise<SFSClient> {
  const client = new SFSClient(url, { zone: "Z", logger: silentLogger, requestTimeoutMs: options.requestTimeoutMs ?? 5000 });
  closers.push(() => client.close());
  await client.connect();
  await client.login({ username: name });
  return client;
}

describe("client.rooms", () => {
  it("is there from the start, sees the login's room list, joins and chats (TCP and WS)", async () => {
    const [tcp, ws] = server.addresses;
    const a = await loggedIn(tcp!.url, "a");
    const b = await loggedIn(ws!.url, "b");
    for (const c of [a, b]) {
      expect(c.rooms).toBeInstanceOf(RoomClient);
      expect(c.rooms.client).toBe(c);
      expect(c.rooms.getRoomList().map((r) => r.name)).toEqual(["Lobby"]);
      expect(c.rooms.mySelf?.name).toBe(c.username);
    }
    await a.rooms.joinRoom("Lobby");
    const aSeesB = new Promise<string>((resolve) => a.rooms.once("userEnterRoom", (e) => resolve(e.user.name)));
    const lobby = await b.rooms.joinRoom("Lobby");
    expect(lobby.getUserList().map((u) => u.name).sort()).toEqual(["a", "b"]);
    expect(await aSeesB).toBe("b");
    expect(a.rooms.getRoomByName("Lobby")!.getUserList().length).toBe(2);

    const heard: string[] = [];
    for (const c of [a, b]) c.rooms.on("publicMessage", (e) => heard.push(`${c.username}<${e.sender.name}:${e.message}`));
    await b.rooms.sendPublicMessage("hi", undefined, new SFSObject().putInt("n", 1));
    await until(() => heard.length === 2);
    expect(heard.sort()).toEqual(["a<b:hi", "b<b:hi"]);

    await a.logout();
    expect(a.rooms.mySelf).toBeUndefined();
    expect(a.rooms.getRoomList()).toEqual([]);
  });

  it("takes no handler slot: the catch-all still sees room messages, and own handlers run after the state is updated", async () => {
    const client = new SFSClient(server.addresses[0]!.url, { zone: "Z", logger: silentLogger, requestTimeoutMs: 5000 });
    closers.push(() => client.close());
    const caught: number[] = [];
    client.onMessage((m: Message) => void caught.push(m.action));
    let joinedWhenHandled: boolean | undefined;
    client.on(SysAction.JoinRoom, () => void (joinedWhenHandled = client.rooms.getRoomByName("Lobby")?.isJoined));
    await client.connect();
    await client.login({ username: "watcher" });
    await client.rooms.joinRoom("Lobby");
    expect(joinedWhenHandled).toBe(true); // client.rooms applied the join before the handler ran
    await client.rooms.sendPublicMessage("echo");
    await until(() => caught.includes(SysAction.GenericMessage)); // no other handler takes it
    expect(caught).not.toContain(SysAction.JoinRoom); // the own handler took that one
  });

  it("another RoomClient of the same client works beside it; detach() stops client.rooms only", async () => {
    const client = new SFSClient(server.addresses[1]!.url, { zone: "Z", logger: silentLogger, requestTimeoutMs: 5000 });
    closers.push(() => client.close());
    const second = new RoomClient(client, { timeoutMs: 5000 });
    await client.connect();
    await client.login({ username: "twice" });
    expect(second.getRoomList().map((r) => r.name)).toEqual(["Lobby"]);
    await client.rooms.joinRoom("Lobby");
    expect(second.lastJoinedRoom?.name).toBe("Lobby");
    client.rooms.detach();
    await second.leaveRoom();
    expect(second.getJoinedRooms()).toEqual([]);
    expect(client.rooms.getJoinedRooms().map((r) => r.name)).toEqual(["Lobby"]); // it no longer follows
  });

  it("uses the client's requestTimeoutMs, and reports a room message it cannot apply to onError", async () => {
    const quiet = new SFSServer("tcp://127.0.0.1:0", { logger: silentLogger });
    closers.push(() => quiet.close());
    // JoinRoom: no reply at all; CreateRoom: a broken room add (r is not a room array).
    quiet.on(SysAction.JoinRoom, () => undefined);
    quiet.on(SysAction.CreateRoom, (_p, { session }) => {
      void session.send({ controller: 0, action: SysAction.CreateRoom, params: new SFSObject().putSFSArray("r", new SFSArray().addUtfString("x")) });
      return undefined;
    });
    await quiet.listen();
    const client = new SFSClient(quiet.addresses[0]!.url, { zone: "Z", logger: silentLogger, requestTimeoutMs: 150 });
    closers.push(() => client.close());
    const errors: Error[] = [];
    client.onError((e) => void errors.push(e));
    await client.connect();
    await client.login({ username: "t" });
    const timedOut = await client.rooms.joinRoom("Lobby").catch((e: unknown) => e);
    expect(timedOut).toBeInstanceOf(TimeoutError);
    expect((timedOut as TimeoutError).message).toMatch(/150 ms/);

    const failed = await client.rooms.createRoom({ name: "R" }).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(TimeoutError);
    expect(errors.some((e) => e instanceof SFSClientError && e.code === "BAD_RESPONSE" && /CreateRoom/.test(e.message))).toBe(true);
  });

  it("refusals reject with the server's code", async () => {
    const client = await loggedIn(server.addresses[1]!.url, "refused");
    const missing = await client.rooms.joinRoom("Nowhere").catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(SFSError);
    expect((missing as SFSError).code).toBe(SFSErrorCode.JoinBadRoom);
  });
});
