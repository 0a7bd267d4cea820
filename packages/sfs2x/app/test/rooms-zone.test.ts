import { SFSArray, SFSDataType, SFSObject } from "@sfs2x/core";
import { SFSErrorCode, SysAction, type Message } from "@sfs2x/protocol";
import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import { silentLogger } from "@sfs2x/protocol";
import {
  MessageRecipientMode,
  MessageType,
  RoomError,
  SFSRoomVariable,
  SFSUserVariable,
  ZoneManager,
  handleRoomRequest,
  type Delivery,
  type User,
  type Zone,
  type ZoneSettings,
} from "../src/rooms/index.js";
import { createRoomRequest, joinRoomRequest, objectMessageRequest, privateMessageRequest } from "../src/client-state/index.js";

function world(zone: Partial<ZoneSettings> = {}, opts: ConstructorParameters<typeof ZoneManager>[0] = {}) {
  const manager = new ZoneManager({
    zones: [{ name: "z", rooms: [{ name: "Lobby", maxUsers: 3 }, { name: "Hall", maxUsers: 50 }], ...zone }],
    logger: silentLogger,
    ...opts,
  });
  const z = manager.getZone("z")!;
  const login = (name: string, privilegeId = 0): User => z.login({ name, privilegeId }).user;
  return { manager, z, login };
}

function refused(fn: () => unknown): RoomError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(RoomError);
    return e as RoomError;
  }
  throw new Error("expected a RoomError");
}

const names = (d: Delivery): string[] => d.to.map((u) => u.name);
const actions = (out: Delivery[]): number[] => out.map((d) => d.message.action);
const find = (out: Delivery[], action: number): Delivery[] => out.filter((d) => d.message.action === action);

describe("login", () => {
  it("allocates ids, names guests Guest#<id>, subscribes the default groups and lists their rooms", () => {
    const { z } = world({ defaultGroups: ["default"], rooms: [{ name: "A" }, { name: "G", groupId: "games" }] });
    const { user, roomList } = z.login({ name: "" });
    expect(user.name).toBe(`Guest#${user.id}`);
    expect(user.subscribedGroups).toEqual(["default"]);
    expect(roomList.size()).toBe(1);
    expect((roomList.get(0) as SFSArray).getUtfString(1)).toBe("A");
  });

  it("refuses a taken name (6), a full zone (5), guests when not allowed (10)", () => {
    const { z, login } = world({ maxUsers: 1, allowGuests: false });
    login("ann");
    expect(refused(() => z.login({ name: "ann" })).code).toBe(SFSErrorCode.LoginAlreadyLogged);
    expect(refused(() => z.login({ name: "bob" })).code).toBe(SFSErrorCode.LoginZoneFull);
    expect(refused(() => z.login({ name: "" })).code).toBe(SFSErrorCode.LoginGuestNotAllowed);
    const m = new ZoneManager();
    expect(refused(() => m.requireZone("nope")).code).toBe(SFSErrorCode.LoginBadZoneName);
  });

  it("refuses an id in use; room ids start at 0 and user ids at 1 by default", () => {
    const { z, manager } = world();
    const a = z.login({ name: "a" }).user;
    expect(a.id).toBe(1);
    expect(z.getRoomByName("Lobby")!.id).toBe(0);
    expect(z.getRoomByName("Hall")!.id).toBe(1);
    expect(refused(() => z.login({ id: a.id, name: "b" })).code).toBe(SFSErrorCode.GenericError);
    expect(manager.getUserById(a.id)).toBe(a);
  });
});

describe("joinRoom", () => {
  it("errors: not found 22 (ep empty), already joined 19, password 21, full 20", () => {
    const { z, login } = world({ rooms: [{ name: "Lobby", maxUsers: 1 }, { name: "Secret", password: "pw" }] });
    const a = login("a");
    const b = login("b");
    const e22 = refused(() => z.joinRoom(a, 99));
    expect([e22.code, e22.params]).toEqual([SFSErrorCode.JoinBadRoom, []]);
    z.joinRoom(a, "Lobby");
    expect(refused(() => z.joinRoom(a, "Lobby")).code).toBe(SFSErrorCode.JoinAlreadyJoined);
    expect(refused(() => z.joinRoom(b, "Lobby")).code).toBe(SFSErrorCode.JoinRoomFull);
    const e21 = refused(() => z.joinRoom(b, "Secret", { password: "no" }));
    expect([e21.code, e21.params]).toEqual([SFSErrorCode.JoinBadPassword, ["Secret"]]);
    expect(() => z.joinRoom(b, "Secret", { password: "pw" })).not.toThrow();
    // A refused join changes nothing.
    expect(b.joinedRooms.map((r) => r.name)).toEqual(["Secret"]);
  });

  it("leaves the last joined room by default (rl absent), none with rl < 0 or null, a given one with rl = id", () => {
    const { z, login } = world({ rooms: [{ name: "R1" }, { name: "R2" }, { name: "R3" }, { name: "R4" }] });
    const a = login("a");
    const watcher = login("w");
    z.joinRoom(watcher, "R1");
    z.joinRoom(a, "R1");
    const out = z.joinRoom(a, "R2").deliveries;
    expect(a.joinedRooms.map((r) => r.name)).toEqual(["R2"]);
    // Join reply, then the old room's 1004 (to a and the watcher), then the counts.
    expect(actions(out)).toEqual([SysAction.JoinRoom, SysAction.UserExitRoom, SysAction.UserCountChange, SysAction.UserCountChange]);
    expect(names(find(out, SysAction.UserExitRoom)[0]!)).toEqual(["a", "w"]);
    z.joinRoom(a, "R3", { roomToLeave: -1 });
    expect(a.joinedRooms.map((r) => r.name)).toEqual(["R2", "R3"]);
    z.joinRoom(a, "R4", { roomToLeave: z.getRoomByName("R2")!.id });
    expect(a.joinedRooms.map((r) => r.name)).toEqual(["R3", "R4"]);
    z.joinRoom(a, "R1", { roomToLeave: null });
    expect(a.joinedRooms.map((r) => r.name)).toEqual(["R3", "R4", "R1"]);
    expect(a.lastJoinedRoom!.name).toBe("R1");
  });

  it("the joiner's list shows its own private variables but not the others'", () => {
    const { z, login } = world();
    const a = login("a");
    const b = login("b");
    z.setUserVariables(b, [new SFSUserVariable("pub", 1), new SFSUserVariable("sec", 2, { isPrivate: true })]);
    z.setUserVariables(a, [new SFSUserVariable("mine", 3, { isPrivate: true })]);
    z.joinRoom(b, "Lobby");
    const out = z.joinRoom(a, "Lobby").deliveries;
    const ul = find(out, SysAction.JoinRoom)[0]!.message.params.getSFSArray("ul")!;
    const vars = (i: number): string[] => {
      const list = (ul.get(i) as SFSArray).getSFSArray(4)!;
      return Array.from({ length: list.size() }, (_, k) => (list.get(k) as SFSArray).getUtfString(0)!);
    };
    expect((ul.get(0) as SFSArray).getInt(0)).toBe(a.id); // sorted by id
    expect(vars(0)).toEqual(["mine"]);
    expect(vars(1)).toEqual(["pub"]);
    // The occupants' 1000 carries only the joiner's public variables.
    const u = find(out, SysAction.UserEnterRoom)[0]!.message.params.getSFSArray("u")!;
    expect(u.getSFSArray(4)!.size()).toBe(0);
  });

  it("game rooms: player ids 1..n (lowest free), spectators -1, 11-element room arrays, sc in 1001", () => {
    const { z, login } = world({ rooms: [{ name: "G", isGame: true, maxUsers: 2, maxSpectators: 1 }] });
    const [p1, p2, p3, s1, s2] = ["p1", "p2", "p3", "s1", "s2"].map((n) => login(n)) as [User, User, User, User, User];
    const g = z.getRoomByName("G")!;
    z.joinRoom(p1, g);
    z.joinRoom(p2, g);
    expect([p1.getPlayerId(g), p2.getPlayerId(g)]).toEqual([1, 2]);
    expect(refused(() => z.joinRoom(p3, g)).code).toBe(SFSErrorCode.JoinRoomFull);
    const out = z.joinRoom(s1, g, { asSpectator: true }).deliveries;
    expect(s1.getPlayerId(g)).toBe(-1);
    expect(refused(() => z.joinRoom(s2, g, { asSpectator: true })).code).toBe(SFSErrorCode.JoinRoomFull);
    const r = find(out, SysAction.JoinRoom)[0]!.message.params.getSFSArray("r")!;
    expect(r.size()).toBe(11);
    expect([r.getShort(6), r.getShort(7), r.getShort(9), r.getShort(10)]).toEqual([2, 2, 1, 1]);
    const count = find(out, SysAction.UserCountChange)[0]!.message.params;
    expect([count.getShort("uc"), count.getShort("sc")]).toEqual([2, 1]);
    z.leaveRoom(p1, g);
    z.joinRoom(p3, g);
    expect(p3.getPlayerId(g)).toBe(1);
  });

  it("room events can be switched off (no 1000 / 1001)", () => {
    const { z, login } = world({ rooms: [{ name: "Quiet", events: { allowUserEnter: false, allowUserCountChange: false } }] });
    const a = login("a");
    const b = login("b");
    z.joinRoom(a, "Quiet");
    expect(actions(z.joinRoom(b, "Quiet").deliveries)).toEqual([SysAction.JoinRoom]);
  });
});

describe("leaveRoom and logout", () => {
  it("leave: 1004 to the leaver and the occupants, non-persistent variables of the leaver deleted, 1001", () => {
    const { z, login } = world();
    const a = login("a");
    const b = login("b");
    z.joinRoom(a, "Lobby");
    z.joinRoom(b, "Lobby");
    z.setRoomVariables(a, "Lobby", [new SFSRoomVariable("keep", 1, { isPersistent: true }), new SFSRoomVariable("drop", 2)]);
    const out = z.leaveRoom(a, "Lobby");
    expect(actions(out)).toEqual([SysAction.UserExitRoom, SysAction.SetRoomVariables, SysAction.UserCountChange]);
    expect(names(out[0]!)).toEqual(["a", "b"]);
    expect(out[0]!.message.params.getInt("u")).toBe(a.id);
    expect(names(out[1]!)).toEqual(["b"]);
    const vl = out[1]!.message.params.getSFSArray("vl")!;
    expect(vl.size()).toBe(1);
    expect((vl.get(0) as SFSArray).getUtfString(0)).toBe("drop");
    expect((vl.get(0) as SFSArray).getType(2)).toBe(SFSDataType.NULL);
    expect(z.getRoomByName("Lobby")!.getVariable("keep")).toBeDefined();
    // The persistent one goes when its owner leaves the zone.
    const gone = z.logout(a);
    expect(actions(gone)).toEqual([SysAction.SetRoomVariables]);
    expect(z.getRoomByName("Lobby")!.getVariable("keep")).toBeUndefined();
    expect(refused(() => z.leaveRoom(b, "Hall")).code).toBe(SFSErrorCode.GenericError);
  });

  it("logout: one 1002 per user who shared any room, then per-room variable deletions and counts", () => {
    const { z, login } = world();
    const [a, b, c] = ["a", "b", "c"].map((n) => login(n)) as [User, User, User];
    z.joinRoom(a, "Lobby");
    z.joinRoom(a, "Hall", { roomToLeave: -1 });
    z.joinRoom(b, "Lobby");
    z.joinRoom(b, "Hall", { roomToLeave: -1 });
    z.joinRoom(c, "Hall");
    const out = z.logout(a);
    expect(find(out, SysAction.UserLost)).toHaveLength(1);
    expect(names(find(out, SysAction.UserLost)[0]!).sort()).toEqual(["b", "c"]);
    expect(find(out, SysAction.UserExitRoom)).toHaveLength(0);
    expect(find(out, SysAction.UserCountChange)).toHaveLength(2);
    for (const d of find(out, SysAction.UserCountChange)) expect(names(d)).not.toContain("a");
    expect(a.isOnline).toBe(false);
    expect(z.getUserById(a.id)).toBeUndefined();
    expect(z.logout(a)).toEqual([]); // twice is harmless
    expect(refused(() => z.joinRoom(a, "Lobby")).code).toBe(SFSErrorCode.GenericError);
  });
});

describe("createRoom and removal", () => {
  it("creator and group subscribers get the room add; autoJoin follows with the join", () => {
    const { z, login } = world();
    const a = login("a");
    const b = login("b");
    const { room, deliveries } = z.createRoom(a, { name: "Mine", maxUsers: 4 }, { autoJoin: true });
    expect(actions(deliveries)).toEqual([SysAction.CreateRoom, SysAction.JoinRoom, SysAction.UserCountChange]);
    expect(names(deliveries[0]!)).toEqual(["a", "b"]);
    const r = deliveries[0]!.message.params.getSFSArray("r")!;
    expect([r.getInt(0), r.getUtfString(1), r.getShort(6), r.getShort(7)]).toEqual([room.id, "Mine", 0, 4]);
    expect(room.owner).toBe(a);
    expect(b.joinedRooms).toEqual([]);
  });

  it("the creator outside the group still gets its room add; others of that group only", () => {
    const { z, login } = world({ groups: ["games"] });
    const a = login("a");
    const b = login("b");
    const c = login("c");
    z.subscribeRoomGroup(c, "games");
    const { deliveries } = z.createRoom(a, { name: "G1", groupId: "games" });
    expect(names(deliveries[0]!)).toEqual(["a", "c"]);
    expect(names(deliveries[0]!)).not.toContain(b.name);
  });

  it("errors: duplicate 12, bad group 13, name size 14, zone full 16, per-user limit 17, bad parameter 18", () => {
    const { z, login } = world({ publicGroups: ["default"], maxRooms: 4, maxRoomsCreatedPerUser: 1, roomNameLength: { min: 2, max: 8 } });
    const a = login("a");
    const b = login("b");
    expect(refused(() => z.createRoom(a, { name: "Lobby" })).code).toBe(SFSErrorCode.RoomDuplicateName);
    expect(refused(() => z.createRoom(a, { name: "X1", groupId: "vip" })).params).toEqual(["X1", "vip"]);
    expect(refused(() => z.createRoom(a, { name: "X" })).params).toEqual(["2", "8", "1"]);
    expect(refused(() => z.createRoom(a, { name: "X2", maxUsers: 0 })).params).toEqual(["maxUsers"]);
    z.createRoom(a, { name: "X3" });
    expect(refused(() => z.createRoom(a, { name: "X4" })).code).toBe(SFSErrorCode.CreateRoomExceedUserLimit);
    z.createRoom(b, { name: "X5" });
    const c = login("c");
    expect(refused(() => z.createRoom(c, { name: "X6" })).code).toBe(SFSErrorCode.CreateRoomZoneFull);
  });

  it("limits on what users may create: 3 rooms each by default, room variables capped by the zone", () => {
    const { z, login } = world({ maxRoomVariables: 4 });
    const a = login("a");
    for (const n of ["A1", "A2", "A3"]) z.createRoom(a, { name: n });
    expect(refused(() => z.createRoom(a, { name: "A4" })).params).toEqual(["3"]);
    const b = login("b");
    expect(z.createRoom(b, { name: "B1", maxVariables: 1000 }).room.maxVariables).toBe(4);
    const vars = [1, 2, 3, 4, 5].map((i) => new SFSRoomVariable(`v${i}`, i));
    expect(refused(() => z.createRoom(b, { name: "B2", maxVariables: 10, variables: vars })).params).toEqual(["variables"]);
    // Server code is not capped.
    expect(z.createRoom(undefined, { name: "S", maxVariables: 1000, variables: vars }).room.maxVariables).toBe(1000);
  });

  it("default remove mode: a user's game room goes when empty; a regular one when empty and its creator is gone", () => {
    const { z, login, manager } = world();
    const removed: string[] = [];
    manager.on("roomRemoved", (r) => removed.push(r.name));
    const a = login("a");
    login("b");
    z.createRoom(a, { name: "Game", isGame: true }, { autoJoin: true });
    const out = z.leaveRoom(a, "Game");
    expect(actions(out)).toEqual([SysAction.UserExitRoom, SysAction.RoomLost]);
    expect(names(out[1]!).sort()).toEqual(["a", "b"]);
    expect(z.getRoomByName("Game")).toBeUndefined();
    z.createRoom(a, { name: "Chat" }, { autoJoin: true });
    z.leaveRoom(a, "Chat");
    expect(z.getRoomByName("Chat")).toBeDefined();
    const bye = z.logout(a);
    expect(actions(bye)).toEqual([SysAction.RoomLost]);
    expect(names(bye[0]!)).toEqual(["b"]);
    expect(removed).toEqual(["Game", "Chat"]);
    // Server rooms stay.
    expect(z.getRoomByName("Lobby")).toBeDefined();
  });

  it("removeRoom tells subscribers and occupants (1003) and takes the occupants out", () => {
    const { z, login } = world();
    const a = login("a");
    z.joinRoom(a, "Hall");
    const out = z.removeRoom("Hall");
    expect(actions(out)).toEqual([SysAction.RoomLost]);
    expect(a.joinedRooms).toEqual([]);
    expect(a.lastJoinedRoom).toBeUndefined();
    expect(refused(() => z.removeRoom("Hall")).code).toBe(SFSErrorCode.JoinBadRoom);
  });
});

describe("messages", () => {
  function twoInLobby() {
    const w = world();
    const a = w.login("a");
    const b = w.login("b");
    const c = w.login("c");
    w.z.joinRoom(a, "Lobby");
    w.z.joinRoom(b, "Lobby");
    return { ...w, a, b, c };
  }

  it("public: everyone in the room, the sender included; refused outside the room or when not allowed", () => {
    const { z, a, c } = twoInLobby();
    const out = z.sendPublicMessage(a, "Lobby", "hi");
    expect(names(out[0]!)).toEqual(["a", "b"]);
    expect(out[0]!.message.params.getKeys()).toEqual(["r", "t", "u", "m"]);
    expect(out[0]!.message.params.getType("t")).toBe(SFSDataType.BYTE);
    expect(refused(() => z.sendPublicMessage(c, "Lobby", "x")).code).toBe(SFSErrorCode.GenericError);
    const { z: z2, login } = world({ rooms: [{ name: "Mute", permissions: { allowPublicMessages: false } }] });
    const d = login("d");
    z2.joinRoom(d, "Mute");
    expect(() => z2.sendPublicMessage(d, "Mute", "x")).toThrow(RoomError);
  });

  it("private: to the recipient (with sd when they share no room) and back to the sender", () => {
    const { z, a, b, c } = twoInLobby();
    const shared = z.sendPrivateMessage(a, b.id, "psst");
    expect(shared.map(names)).toEqual([["b"], ["a"]]);
    expect(shared[0]!.message.params.containsKey("sd")).toBe(false);
    const stranger = z.sendPrivateMessage(a, c.id, "hello", new SFSObject().putInt("x", 1));
    const sd = stranger[0]!.message.params.getSFSArray("sd")!;
    expect([sd.getInt(0), sd.getUtfString(1)]).toEqual([a.id, "a"]);
    expect(stranger[0]!.message.params.getKeys()).toEqual(["p", "t", "u", "m", "sd"]);
    expect(stranger[1]!.message.params.containsKey("sd")).toBe(false);
    expect(refused(() => z.sendPrivateMessage(a, 999, "x")).code).toBe(SFSErrorCode.GenericError);
  });

  it("object: the occupants but the sender, or the listed recipients in the room", () => {
    const { z, a, b, c, login } = twoInLobby();
    const d = login("d");
    z.joinRoom(d, "Lobby");
    const p = new SFSObject().putUtfString("k", "v");
    const all = z.sendObjectMessage(a, "Lobby", p);
    expect(names(all[0]!)).toEqual(["b", "d"]);
    expect(all[0]!.message.params.getKeys()).toEqual(["p", "r", "t", "u"]);
    const some = z.sendObjectMessage(a, "Lobby", p, [d.id, c.id]);
    expect(names(some[0]!)).toEqual(["d"]);
    expect(z.sendObjectMessage(a, "Lobby", p, [c.id])).toEqual([]);
    void b;
  });

  it("moderator/admin messages need the privilege and carry sd", () => {
    const { z, login } = world();
    const guest = login("g");
    const mod = login("m", 2);
    const admin = login("ad", 3);
    z.joinRoom(guest, "Hall");
    expect(() => z.sendSuperUserMessage(guest, MessageType.Moderator, "x", { mode: MessageRecipientMode.ToZone })).toThrow(RoomError);
    expect(() => z.sendSuperUserMessage(mod, MessageType.Admin, "x", { mode: MessageRecipientMode.ToZone })).toThrow(RoomError);
    const zone = z.sendSuperUserMessage(admin, MessageType.Admin, "all", { mode: MessageRecipientMode.ToZone });
    expect(zone[0]!.to).toHaveLength(3);
    const room = z.sendSuperUserMessage(mod, MessageType.Moderator, "hall", { mode: MessageRecipientMode.ToRoom, roomId: z.getRoomByName("Hall")!.id });
    expect(names(room[0]!)).toEqual(["g"]);
    expect(room[0]!.message.params.getSFSArray("sd")!.getUtfString(1)).toBe("m");
    const user = z.sendSuperUserMessage(mod, MessageType.Moderator, "you", { mode: MessageRecipientMode.ToUser, userId: guest.id });
    expect(names(user[0]!)).toEqual(["g"]);
    const group = z.sendSuperUserMessage(mod, MessageType.Moderator, "grp", { mode: MessageRecipientMode.ToGroup, groupId: "default" });
    expect(group[0]!.to).toHaveLength(3);
  });

  it("broadcast (game code) goes to the occupants, optionally but one", () => {
    const { z, a } = twoInLobby();
    const m: Message = { controller: 1, action: 13, params: new SFSObject().putUtfString("c", "tick").putSFSObject("p", new SFSObject()) };
    expect(names(z.broadcast("Lobby", m)[0]!)).toEqual(["a", "b"]);
    expect(names(z.broadcast("Lobby", m, a)[0]!)).toEqual(["b"]);
  });
});

describe("variables", () => {
  it("room variables: occupants only; a private one only its owner may change; the room's limit; NULL deletes", () => {
    const { z, login } = world({ rooms: [{ name: "R", maxVariables: 2 }] });
    const a = login("a");
    const b = login("b");
    const out0 = login("out");
    z.joinRoom(a, "R");
    z.joinRoom(b, "R");
    const set = z.setRoomVariables(a, "R", [new SFSRoomVariable("mine", 1, { isPrivate: true })]);
    expect(names(set[0]!)).toEqual(["a", "b"]);
    expect(names(set[0]!)).not.toContain(out0.name);
    expect(refused(() => z.setRoomVariables(b, "R", [new SFSRoomVariable("mine", 2)])).code).toBe(SFSErrorCode.GenericError);
    z.setRoomVariables(b, "R", [new SFSRoomVariable("b1", 1)]);
    expect(() => z.setRoomVariables(b, "R", [new SFSRoomVariable("b2", 1)])).toThrow(RoomError); // limit 2
    expect(z.getRoomByName("R")!.getVariables().map((v) => v.name)).toEqual(["mine", "b1"]);
    // Server code is not limited and may change anything.
    z.setRoomVariables(undefined, "R", [new SFSRoomVariable("mine", 9), new SFSRoomVariable("s", "x")]);
    expect(z.getRoomByName("R")!.getVariable("mine")!.value).toBe(9);
    const del = z.setRoomVariables(b, "R", [new SFSRoomVariable("b1", null)]);
    expect((del[0]!.message.params.getSFSArray("vl")!.get(0) as SFSArray).getByte(1)).toBe(0);
    expect(z.setRoomVariables(b, "R", [new SFSRoomVariable("nothing", null)])).toEqual([]);
    expect(refused(() => z.setRoomVariables(out0, "R", [new SFSRoomVariable("x", 1)])).code).toBe(SFSErrorCode.GenericError);
  });

  it("user variables: all to the owner, the public part to users sharing a room, the zone's limit", () => {
    const { z, login } = world({ maxUserVariables: 2 });
    const a = login("a");
    const b = login("b");
    const c = login("c");
    z.joinRoom(a, "Lobby");
    z.joinRoom(b, "Lobby");
    z.joinRoom(a, "Hall", { roomToLeave: -1 });
    z.joinRoom(c, "Hall");
    const out = z.setUserVariables(a, [new SFSUserVariable("pub", 1), new SFSUserVariable("sec", 2, { isPrivate: true })]);
    expect(out.map(names)).toEqual([["a"], ["b", "c"]]);
    expect(out[0]!.message.params.getSFSArray("vl")!.size()).toBe(2);
    expect(out[1]!.message.params.getSFSArray("vl")!.size()).toBe(1);
    expect(z.setUserVariables(a, [new SFSUserVariable("sec", 3, { isPrivate: true })]).map(names)).toEqual([["a"]]);
    expect(() => z.setUserVariables(a, [new SFSUserVariable("third", 1)])).toThrow(RoomError);
    expect(z.setUserVariables(a, [new SFSUserVariable("third", 1)], true)).toHaveLength(2);
    const del = z.setUserVariables(a, [new SFSUserVariable("sec", null)]);
    expect(del.map(names)).toEqual([["a"]]);
    expect(a.getVariable("sec")).toBeUndefined();
  });
});

describe("groups", () => {
  it("subscribe (24/25) and unsubscribe (26/27)", () => {
    const { z, login } = world({ groups: ["games"], rooms: [{ name: "Lobby" }, { name: "G", groupId: "games" }] });
    const a = login("a");
    const out = z.subscribeRoomGroup(a, "games");
    expect(out[0]!.message.params.getUtfString("g")).toBe("games");
    expect(out[0]!.message.params.getSFSArray("rl")!.size()).toBe(1);
    expect(refused(() => z.subscribeRoomGroup(a, "games")).code).toBe(SFSErrorCode.SubscribeGroupAlreadySubscribed);
    expect(refused(() => z.subscribeRoomGroup(a, "none")).code).toBe(SFSErrorCode.SubscribeGroupNotFound);
    z.unsubscribeRoomGroup(a, "games");
    expect(refused(() => z.unsubscribeRoomGroup(a, "games")).code).toBe(SFSErrorCode.UnsubscribeGroupNotSubscribed);
    expect(refused(() => z.unsubscribeRoomGroup(a, "none")).code).toBe(SFSErrorCode.UnsubscribeGroupNotFound);
    // Unsubscribed users get no count changes of that group.
    const b = login("b");
    const count = find(z.joinRoom(b, "G").deliveries, SysAction.UserCountChange);
    expect(count).toHaveLength(0);
  });
});

describe("user count batching", () => {
  afterEach(() => vi.useRealTimers());

  it("0 (default): each operation returns its own 1001s", () => {
    const { z, login } = world();
    expect(find(z.joinRoom(login("a"), "Hall").deliveries, SysAction.UserCountChange)).toHaveLength(1);
  });

  it("> 0: one 1001 per room per interval with the final count, handed to deliver", () => {
    vi.useFakeTimers();
    const delivered: Delivery[][] = [];
    const { z, login } = world({}, { userCountUpdateIntervalMs: 1000, deliver: (d) => delivered.push(d) });
    const a = login("a");
    const b = login("b");
    expect(find(z.joinRoom(a, "Hall").deliveries, SysAction.UserCountChange)).toHaveLength(0);
    z.joinRoom(b, "Hall");
    z.joinRoom(b, "Lobby", { roomToLeave: -1 });
    expect(delivered).toHaveLength(0);
    vi.advanceTimersByTime(1000);
    expect(delivered).toHaveLength(1);
    const batch = delivered[0]!;
    expect(batch).toHaveLength(2);
    const byRoom = new Map(batch.map((d) => [d.message.params.getInt("r"), d.message.params.getShort("uc")]));
    expect(byRoom.get(z.getRoomByName("Hall")!.id)).toBe(2);
    expect(byRoom.get(z.getRoomByName("Lobby")!.id)).toBe(1);
    expect(batch[0]!.to.map((u) => u.name).sort()).toEqual(["a", "b"]);
    vi.advanceTimersByTime(5000);
    expect(delivered).toHaveLength(1); // nothing new, nothing sent
  });

  it("flushUserCounts() sends early; a removed room's pending change is dropped", () => {
    const { z, login, manager } = world({}, { userCountUpdateIntervalMs: 60_000 });
    const a = login("a");
    z.createRoom(a, { name: "Tmp", isGame: true }, { autoJoin: true });
    z.joinRoom(a, "Hall", { roomToLeave: -1 });
    z.leaveRoom(a, "Tmp"); // removed (empty game room)
    const out = manager.flushUserCounts();
    expect(out.map((d) => d.message.params.getInt("r"))).toEqual([z.getRoomByName("Hall")!.id]);
    expect(manager.flushUserCounts()).toEqual([]);
    manager.dispose();
  });
});

describe("events", () => {
  it("fire after the change; a throwing listener does not break the operation", () => {
    const { z, login, manager } = world();
    const seen: string[] = [];
    manager.on("userJoinRoom", (u, r) => seen.push(`join ${u.name} ${r.name} ${r.userCount}`));
    manager.on("userJoinRoom", () => {
      throw new Error("boom");
    });
    manager.on("userLeaveRoom", (u, r) => seen.push(`leave ${u.name} ${r.name}`));
    manager.on("userLogin", (u) => seen.push(`login ${u.name}`));
    manager.on("userLogout", (u) => seen.push(`logout ${u.name}`));
    manager.on("roomAdded", (r) => seen.push(`add ${r.name}`));
    manager.on("userVariablesUpdate", (u, vs) => seen.push(`uvars ${u.name} ${vs.map((v) => v.name).join()}`));
    manager.on("roomVariablesUpdate", (r, vs, by) => seen.push(`rvars ${r.name} ${vs.map((v) => v.name).join()} ${by?.name ?? "-"}`));
    const a = login("a");
    expect(z.joinRoom(a, "Lobby").deliveries.length).toBeGreaterThan(0);
    z.setUserVariables(a, [new SFSUserVariable("x", 1)]);
    z.setRoomVariables(a, "Lobby", [new SFSRoomVariable("t", "x")]);
    z.createRoom(undefined, { name: "New" });
    z.logout(a);
    expect(seen).toEqual([
      "login a",
      "join a Lobby 1",
      "uvars a x",
      "rvars Lobby t a",
      "add New",
      "rvars Lobby t -",
      "leave a Lobby",
      "logout a",
    ]);
  });
});

describe("handleRoomRequest (requests as the official client sends them)", () => {
  it("serves JoinRoom, CreateRoom, messages and variables from raw params", () => {
    const { z, login } = world();
    const a = login("a");
    const b = login("b");
    expect(actions(handleRoomRequest(a, joinRoomRequest("Lobby")))[0]).toBe(SysAction.JoinRoom);
    handleRoomRequest(b, joinRoomRequest(z.getRoomByName("Lobby")!.id));
    const created = handleRoomRequest(a, createRoomRequest({ name: "Mine", maxUsers: 5, variables: [new SFSRoomVariable("v", 1)] }, true, null));
    expect(actions(created)).toContain(SysAction.CreateRoom);
    const mine = z.getRoomByName("Mine")!;
    expect(mine.maxUsers).toBe(5);
    expect(mine.getVariableOwner("v")).toBe(a);
    expect(a.joinedRooms.map((r) => r.name)).toEqual(["Mine"]); // left Lobby (rl absent = last joined)
    const pm = handleRoomRequest(a, privateMessageRequest("psst", b.id));
    expect(pm.map(names)).toEqual([["b"], ["a"]]);
    const om = handleRoomRequest(a, objectMessageRequest(new SFSObject().putInt("k", 1), mine.id));
    expect(om).toEqual([]); // alone in the room
  });

  it("malformed requests are RoomError 28, never another exception", () => {
    const { login } = world();
    const a = login("a");
    const bad: SFSObject[] = [
      new SFSObject(),
      new SFSObject().putUtfString("i", "x"),
      new SFSObject().putInt("i", 0).putInt("p", 1),
      new SFSObject().putInt("i", 0).putUtfString("sp", "yes"),
    ];
    for (const p of bad) expect(refused(() => handleRoomRequest(a, { controller: 0, action: SysAction.JoinRoom, params: p })).code).toBe(28);
    expect(refused(() => handleRoomRequest(a, { controller: 0, action: SysAction.GenericMessage, params: new SFSObject().putByte("t", 5) })).code).toBe(28);
    expect(refused(() => handleRoomRequest(a, { controller: 0, action: SysAction.SetUserVariables, params: new SFSObject().putSFSArray("vl", new SFSArray().addInt(1)) })).code).toBe(28);
    expect(refused(() => handleRoomRequest(a, { controller: 0, action: SysAction.PingPong, params: new SFSObject() })).code).toBe(28);
  });

  it("random params for every room action give deliveries or a RoomError", () => {
    const key = fc.constantFrom("i", "n", "p", "rl", "sp", "r", "t", "m", "u", "rc", "rm", "vl", "g", "mu", "ms", "mv", "ig", "aj", "pm", "ev", "rv");
    const val = fc.oneof(
      fc.integer({ min: -5, max: 5 }).map((n) => ({ t: SFSDataType.INT, v: n })),
      fc.integer({ min: 0, max: 6 }).map((n) => ({ t: SFSDataType.BYTE, v: n })),
      fc.string({ maxLength: 8 }).map((s) => ({ t: SFSDataType.UTF_STRING, v: s })),
      fc.boolean().map((b) => ({ t: SFSDataType.BOOL, v: b })),
      fc.array(fc.boolean(), { maxLength: 5 }).map((b) => ({ t: SFSDataType.BOOL_ARRAY, v: b })),
      fc.constant({ t: SFSDataType.SFS_ARRAY, v: new SFSArray().addSFSArray(new SFSArray().addUtfString("v").addByte(2).addInt(1)) }),
      fc.constant({ t: SFSDataType.SFS_OBJECT, v: new SFSObject() }),
      fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 3 }).map((a) => ({ t: SFSDataType.INT_ARRAY, v: a })),
    );
    const action = fc.constantFrom(4, 6, 7, 11, 12, 14, 15, 16);
    fc.assert(
      fc.property(action, fc.array(fc.tuple(key, val), { maxLength: 8 }), (a, entries) => {
        const { z, login } = world();
        const u = login("u");
        login("v");
        z.joinRoom(u, "Lobby");
        const p = new SFSObject();
        for (const [k, e] of entries) p.put(k, e.t as never, e.v as never);
        try {
          const out = handleRoomRequest(u, { controller: 0, action: a, params: p });
          expect(Array.isArray(out)).toBe(true);
        } catch (e) {
          expect(e).toBeInstanceOf(RoomError);
        }
      }),
      { numRuns: 400 },
    );
  });
});

describe("lookups", () => {
  it("zone and manager find rooms and users; entity helpers", () => {
    const { z, manager, login } = world();
    const a = login("a");
    const lobby = z.getRoomByName("Lobby")!;
    z.joinRoom(a, lobby);
    expect(manager.getRoomById(lobby.id)).toBe(lobby);
    expect(z.getRoom(lobby.id)).toBe(lobby);
    expect(lobby.getUserByName("a")).toBe(a);
    expect(lobby.getUserById(a.id)).toBe(a);
    expect(lobby.containsUser(a)).toBe(true);
    expect(z.getUserByName("a")).toBe(a);
    expect(z.getGroups()).toEqual(["default"]);
    expect(lobby.capacity).toBe(3);
    expect(a.isJoinedInRoom(lobby)).toBe(true);
    expect(manager.getZoneList().map((x: Zone) => x.name)).toEqual(["z"]);
    expect(() => manager.createZone({ name: "z" })).toThrow(TypeError);
  });
});
