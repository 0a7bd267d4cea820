import { readFileSync } from "node:fs";
import { SFSArray, SFSDataType, SFSObject, fromHex } from "@sfs2x/core";
import { SysAction, decodePacket, encodePacket, silentLogger, type Message } from "@sfs2x/protocol";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ClientRoomState, type ClientRoomEvents } from "../src/client-state/index.js";
import { SFSRoomVariable, SFSUserVariable, VariableType, ZoneManager, type Delivery, type User } from "../src/rooms/index.js";

interface LivePacket {
  name: string;
  transport: string;
  hex?: string;
}
const capture = JSON.parse(readFileSync(new URL("./fixtures/rooms-live-capture.json", import.meta.url), "utf8")) as { packets: LivePacket[] };

/** A captured packet as the client receives it (decoded from its bytes). */
function live(transport: string, name: string, nth = 0): Message {
  const p = capture.packets.filter((x) => x.transport === transport && x.name === name)[nth];
  if (p?.hex === undefined) throw new Error(`no packet ${name} #${nth}`);
  return decodePacket(fromHex(p.hex));
}

/** Records every event of a state, as "name" plus a short description. */
function record(state: ClientRoomState): string[] {
  const log: string[] = [];
  const names: (keyof ClientRoomEvents)[] = [
    "login", "logout", "roomJoin", "roomJoinError", "roomAdd", "roomCreationError", "roomRemove", "userEnterRoom", "userExitRoom",
    "userCountChange", "publicMessage", "privateMessage", "moderatorMessage", "adminMessage", "objectMessage", "roomVariablesUpdate",
    "userVariablesUpdate", "roomGroupSubscribe", "roomGroupUnsubscribe", "requestError", "error",
  ];
  for (const n of names) {
    state.on(n, ((e: Record<string, unknown>) => {
      const parts: string[] = [n];
      const ev = e as Record<string, { name?: string; id?: number } | unknown>;
      if (ev.user && typeof ev.user === "object") parts.push(`user=${(ev.user as { name: string }).name}`);
      if (ev.sender && typeof ev.sender === "object") parts.push(`sender=${(ev.sender as { name: string }).name}`);
      if (ev.room && typeof ev.room === "object") parts.push(`room=${(ev.room as { name: string }).name}`);
      if (typeof ev.uCount === "number") parts.push(`uc=${ev.uCount}`);
      if (typeof ev.message === "string") parts.push(`m=${ev.message}`);
      if (Array.isArray(ev.changedVars)) parts.push(`vars=${ev.changedVars.join(",")}`);
      if (typeof ev.errorCode === "number") parts.push(`ec=${ev.errorCode}`);
      log.push(parts.join(" "));
    }) as never);
  }
  return log;
}

describe.each(["tcp", "ws"])("the live capture applied (%s)", (transport) => {
  const ids = transport === "tcp" ? { a: 8, b: 9, an: "rec-tcp-a", bn: "rec-tcp-b" } : { a: 11, b: 12, an: "rec-ws-a", bn: "rec-ws-b" };

  it("A: login, counts, join, own chat echo, own variables, room variable, refused join, logout", () => {
    const s = new ClientRoomState();
    const log = record(s);
    s.apply(live(transport, "login_named_response"));
    expect(s.mySelf!.id).toBe(ids.a);
    expect(s.mySelf!.isItMe).toBe(true);
    expect(s.zone).toBe("BasicExamples");
    expect(s.getRoomGroups()).toEqual(["default"]);
    const lobby = s.getRoomByName("The Lobby")!;
    expect([lobby.id, lobby.userCount, lobby.maxUsers, lobby.isJoined]).toEqual([0, 0, 150, false]);

    s.apply(live(transport, "late_A_0_1001", 0));
    expect(lobby.userCount).toBe(1);
    s.apply(live(transport, "join_room_response"));
    expect(s.getRoomById(0)).toBe(lobby); // the same object, updated
    expect(lobby.isJoined).toBe(true);
    expect(s.lastJoinedRoom).toBe(lobby);
    expect(lobby.getUserList().map((u) => u.id).sort()).toEqual([ids.a, ids.b].sort());
    expect(lobby.getUserById(ids.a)).toBe(s.mySelf);
    expect(s.getUserByName(ids.bn)!.isItMe).toBe(false);
    expect(lobby.userCount).toBe(2);
    s.apply(live(transport, "late_A_0_1001", 1));
    s.apply(live(transport, "public_message_echo"));
    s.apply(live(transport, "user_variables_update"));
    const me = s.mySelf!;
    expect(me.getVariable("vi")!.value).toBe(42);
    expect(me.getVariable("vi")!.type).toBe(VariableType.INT);
    expect(me.getVariable("vd")!.value).toBe(1.5);
    expect(me.getVariable("vd")!.type).toBe(VariableType.DOUBLE);
    expect(me.getVariable("vs")!.value).toBe("str");
    expect(me.getVariable("vb")!.value).toBe(true);
    s.apply(live(transport, "room_variables_update"));
    expect(lobby.getVariable("topic")!.value).toBe("hi");
    s.apply(live(transport, "join_unknown_room_error"));
    expect(lobby.isJoined).toBe(true);
    s.apply(live(transport, "logout_response_2"));
    expect(s.mySelf).toBeUndefined();
    expect(s.getRoomList()).toEqual([]);
    expect(log).toEqual([
      "login user=" + ids.an,
      "userCountChange room=The Lobby uc=1",
      "roomJoin room=The Lobby",
      "userCountChange room=The Lobby uc=2",
      `publicMessage sender=${ids.an} room=The Lobby m=Hello é日😀`,
      `userVariablesUpdate user=${ids.an} vars=vi,vd,vs,vb`,
      "roomVariablesUpdate room=The Lobby vars=topic",
      "roomJoinError ec=22",
      "logout",
    ]);
  });

  it("B (its login and join made by our zone): A enters, chats, sets variables, logs out", () => {
    const world = new ZoneManager({ zones: [{ name: "BasicExamples", rooms: [{ name: "The Lobby", maxUsers: 150 }] }] });
    const zone = world.getZone("BasicExamples")!;
    const { user: B, roomList } = zone.login({ id: ids.b, name: ids.bn });
    const s = new ClientRoomState();
    s.apply({ controller: 0, action: SysAction.Login, params: new SFSObject().putUtfString("zn", "BasicExamples").putUtfString("un", ids.bn).putShort("pi", 0).putSFSArray("rl", roomList).putInt("id", ids.b) });
    for (const d of zone.joinRoom(B, "The Lobby").deliveries) s.apply(d.message);
    const log = record(s);
    for (const [name, nth] of [
      ["user_enter_room_event", 0],
      ["user_count_change_event", 0],
      ["public_message_event", 0],
      ["user_variables_update_other", 0],
      ["late_B_0_11", 0],
      ["late_B_0_1002", 0],
      ["late_B_0_11", 1],
      ["late_B_0_1001", 0],
    ] as const) {
      s.apply(live(transport, name, nth));
    }
    expect(log).toEqual([
      `userEnterRoom user=${ids.an} room=The Lobby`,
      "userCountChange room=The Lobby uc=2",
      `publicMessage sender=${ids.an} room=The Lobby m=Hello é日😀`,
      `userVariablesUpdate user=${ids.an} vars=vi,vd,vs,vb`,
      "roomVariablesUpdate room=The Lobby vars=topic",
      `userExitRoom user=${ids.an} room=The Lobby`,
      "roomVariablesUpdate room=The Lobby vars=topic",
      "userCountChange room=The Lobby uc=1",
    ]);
    const lobby = s.getRoomByName("The Lobby")!;
    expect(lobby.getUserList().map((u) => u.name)).toEqual([ids.bn]);
    expect(s.getUserById(ids.a)).toBeUndefined();
    expect(lobby.getVariables()).toEqual([]);
    expect(lobby.userCount).toBe(1);
  });
});

describe("other server messages", () => {
  function loggedIn() {
    const world = new ZoneManager({ zones: [{ name: "z", groups: ["games"], rooms: [{ name: "Lobby" }, { name: "Hall" }, { name: "G", groupId: "games", isGame: true, maxUsers: 2, maxSpectators: 2 }] }] });
    const z = world.getZone("z")!;
    const states = new Map<User, ClientRoomState>();
    const login = (name: string): [User, ClientRoomState] => {
      const { user, roomList } = z.login({ name });
      const s = new ClientRoomState();
      s.apply({ controller: 0, action: 1, params: new SFSObject().putUtfString("zn", "z").putUtfString("un", user.name).putInt("id", user.id).putShort("pi", 0).putSFSArray("rl", roomList) });
      states.set(user, s);
      return [user, s];
    };
    /** Delivers over the wire: encode, decode, apply. */
    const deliver = (out: Delivery[]): void => {
      for (const d of out) for (const u of d.to) states.get(u)?.apply(decodePacket(encodePacket(d.message)));
    };
    return { z, login, deliver };
  }

  it("own leave (1004), rooms of unsubscribed groups dropped once left, room add and removal", () => {
    const { z, login, deliver } = loggedIn();
    const [a, sa] = login("a");
    const log = record(sa);
    expect(sa.getRoomList().map((r) => r.name)).toEqual(["Lobby", "Hall"]);
    deliver(z.joinRoom(a, "G", { asSpectator: true }).deliveries);
    const g = sa.getRoomByName("G")!;
    expect(g.isJoined).toBe(true);
    expect(sa.mySelf!.isSpectatorInRoom(g)).toBe(true);
    expect(g.spectatorCount).toBe(1);
    expect(g.userCount).toBe(0);
    deliver(z.leaveRoom(a, "G"));
    expect(sa.getRoomByName("G")).toBeUndefined(); // not in a subscribed group
    expect(sa.lastJoinedRoom).toBeUndefined();
    deliver(z.createRoom(undefined, { name: "Extra" }).deliveries);
    expect(sa.getRoomByName("Extra")).toBeDefined();
    deliver(z.removeRoom("Extra"));
    expect(sa.getRoomByName("Extra")).toBeUndefined();
    expect(log).toEqual(["roomJoin room=G", "userExitRoom user=a room=G", "roomAdd room=Extra", "roomRemove room=Extra"]);
  });

  it("private message from a stranger (sd), object messages, group subscription", () => {
    const { z, login, deliver } = loggedIn();
    const [a, sa] = login("a");
    const [b, sb] = login("b");
    const log = record(sb);
    deliver(z.sendPrivateMessage(a, b.id, "hello"));
    deliver(z.joinRoom(a, "Hall").deliveries);
    deliver(z.joinRoom(b, "Hall").deliveries);
    deliver(z.sendObjectMessage(a, "Hall", new SFSObject().putInt("x", 1)));
    deliver(z.subscribeRoomGroup(b, "games"));
    expect(sb.getRoomByName("G")).toBeDefined();
    deliver(z.unsubscribeRoomGroup(b, "games"));
    expect(sb.getRoomByName("G")).toBeUndefined();
    expect(log).toEqual([
      "privateMessage sender=a m=hello",
      "userCountChange room=Hall uc=1",
      "roomJoin room=Hall",
      "userCountChange room=Hall uc=2",
      "objectMessage sender=a room=Hall",
      "roomGroupSubscribe",
      "roomGroupUnsubscribe",
    ]);
    void sa;
  });

  it("error replies become error events with the code; the state is unchanged", () => {
    const s = new ClientRoomState();
    const log = record(s);
    const err = (action: number, ec: number) => ({ controller: 0, action, params: new SFSObject().putShort("ec", ec).putUtfStringArray("ep", ["X"]) });
    s.apply(err(SysAction.CreateRoom, 12));
    s.apply(err(SysAction.GenericMessage, 28));
    s.apply(err(SysAction.SetUserVariables, 28));
    s.apply(err(SysAction.Login, 3));
    expect(log).toEqual(["roomCreationError ec=12", "requestError ec=28", "requestError ec=28"]);
    expect(s.getRoomList()).toEqual([]);
  });

  it("malformed messages are error events, never exceptions, and change nothing", () => {
    const s = new ClientRoomState();
    const errors: Error[] = [];
    s.on("error", (e) => errors.push(e));
    s.apply({ controller: 0, action: SysAction.Login, params: new SFSObject().putInt("id", 1).putUtfString("un", "a").putSFSArray("rl", new SFSArray().addInt(3)) });
    expect(s.mySelf).toBeUndefined();
    s.apply({ controller: 0, action: SysAction.Login, params: new SFSObject().putInt("id", 1).putUtfString("un", "a").putSFSArray("rl", new SFSArray()) });
    s.apply({ controller: 0, action: SysAction.JoinRoom, params: new SFSObject().putSFSArray("r", new SFSArray().addInt(1)).putSFSArray("ul", new SFSArray()) });
    expect(s.getRoomList()).toEqual([]);
    expect(errors).toHaveLength(2);
    expect(errors.every((e) => e.name === "SFSClientError")).toBe(true);
    expect(s.apply({ controller: 1, action: 13, params: new SFSObject() })).toBe(false);
    expect(s.apply({ controller: 0, action: SysAction.PingPong, params: new SFSObject() })).toBe(false);
  });

  it("random params for every handled action never throw", () => {
    const val = fc.oneof(
      fc.integer({ min: -2, max: 3 }).map((v) => ({ t: SFSDataType.INT, v })),
      fc.integer({ min: 0, max: 5 }).map((v) => ({ t: SFSDataType.BYTE, v })),
      fc.integer({ min: 0, max: 5 }).map((v) => ({ t: SFSDataType.SHORT, v })),
      fc.string({ maxLength: 4 }).map((v) => ({ t: SFSDataType.UTF_STRING, v })),
      fc.boolean().map((v) => ({ t: SFSDataType.BOOL, v })),
      fc.constant({ t: SFSDataType.SFS_OBJECT, v: new SFSObject() }),
      fc.constant({ t: SFSDataType.SFS_ARRAY, v: new SFSArray().addSFSArray(new SFSArray().addInt(1).addUtfString("r").addUtfString("default").addBool(false).addBool(false).addBool(false).addShort(1).addShort(5).addSFSArray(new SFSArray())) }),
      fc.constant({ t: SFSDataType.SFS_ARRAY, v: new SFSArray().addInt(2).addUtfString("u").addShort(0).addShort(0).addSFSArray(new SFSArray()) }),
      fc.constant({ t: SFSDataType.SFS_ARRAY, v: new SFSArray().addInt(1).addUtfString("r").addUtfString("default").addBool(true).addBool(false).addBool(false).addShort(1).addShort(5).addNull() }),
    );
    const key = fc.constantFrom("r", "ul", "u", "uc", "sc", "id", "un", "rl", "zn", "pi", "t", "m", "p", "sd", "vl", "g", "ec", "ep");
    const action = fc.constantFrom(1, 2, 4, 6, 7, 11, 12, 14, 15, 16, 1000, 1001, 1002, 1003, 1004);
    fc.assert(
      fc.property(fc.array(fc.tuple(action, fc.array(fc.tuple(key, val), { maxLength: 6 })), { maxLength: 12 }), (script) => {
        const s = new ClientRoomState();
        s.on("error", () => {});
        for (const [a, entries] of script) {
          const p = new SFSObject();
          for (const [k, e] of entries) p.put(k, e.t as never, e.v as never);
          expect(s.apply({ controller: 0, action: a, params: p })).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe("model check: every client's view matches the server after random operations", () => {
  it("joined rooms, occupants, variables and counts agree", () => {
    const op = fc.oneof(
      fc.record({ k: fc.constant("join" as const), u: fc.nat(3), r: fc.nat(3), rl: fc.constantFrom(undefined, -1) }),
      fc.record({ k: fc.constant("leave" as const), u: fc.nat(3), r: fc.nat(3) }),
      fc.record({ k: fc.constant("uvar" as const), u: fc.nat(3), n: fc.constantFrom("a", "b", "c"), v: fc.oneof(fc.constant(null), fc.integer(), fc.string({ maxLength: 3 })), priv: fc.boolean() }),
      fc.record({ k: fc.constant("rvar" as const), u: fc.nat(3), r: fc.nat(3), n: fc.constantFrom("x", "y"), v: fc.oneof(fc.constant(null), fc.boolean(), fc.double({ noNaN: true, noDefaultInfinity: true })), pers: fc.boolean() }),
      fc.record({ k: fc.constant("create" as const), u: fc.nat(3), game: fc.boolean(), join: fc.boolean() }),
      fc.record({ k: fc.constant("relog" as const), u: fc.nat(3) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        const world = new ZoneManager({ zones: [{ name: "z", rooms: [{ name: "R0", maxUsers: 3 }, { name: "R1" }, { name: "R2", isGame: true, maxUsers: 2, maxSpectators: 1 }] }], logger: silentLogger });
        const z = world.getZone("z")!;
        const users: (User | undefined)[] = [];
        const states = new Map<User, ClientRoomState>();
        const deliver = (out: Delivery[]): void => {
          for (const d of out) for (const u of d.to) states.get(u)!.apply(decodePacket(encodePacket(d.message)));
        };
        const login = (i: number): void => {
          const { user, roomList } = z.login({ name: `u${i}` });
          const s = new ClientRoomState();
          s.on("error", (e) => {
            throw e;
          });
          s.apply({ controller: 0, action: 1, params: new SFSObject().putUtfString("zn", "z").putUtfString("un", user.name).putInt("id", user.id).putShort("pi", 0).putSFSArray("rl", roomList) });
          states.set(user, s);
          users[i] = user;
        };
        for (let i = 0; i < 4; i++) login(i);
        let created = 0;
        const roomAt = (i: number) => z.getRoomList()[i % z.getRoomList().length]!;
        for (const o of ops) {
          const u = users[o.u]!;
          try {
            switch (o.k) {
              case "join":
                deliver(z.joinRoom(u, roomAt(o.r), { roomToLeave: o.rl }).deliveries);
                break;
              case "leave":
                deliver(z.leaveRoom(u, roomAt(o.r)));
                break;
              case "uvar":
                deliver(z.setUserVariables(u, [new SFSUserVariable(o.n, o.v, { isPrivate: o.priv })]));
                break;
              case "rvar":
                deliver(z.setRoomVariables(u, roomAt(o.r), [new SFSRoomVariable(o.n, o.v, { isPersistent: o.pers })]));
                break;
              case "create":
                deliver(z.createRoom(u, { name: `C${created++}`, isGame: o.game, maxUsers: 2 }, { autoJoin: o.join }).deliveries);
                break;
              case "relog":
                deliver(z.logout(u));
                states.delete(u);
                login(o.u);
                break;
            }
          } catch (e) {
            if ((e as Error).name !== "RoomError") throw e;
          }
        }
        for (const u of users) {
          const s = states.get(u!)!;
          // Room list: rooms of the subscribed groups, with the server's counts.
          expect(s.getRoomList().map((r) => r.id).sort()).toEqual(z.getRoomList().map((r) => r.id).sort());
          for (const r of z.getRoomList()) {
            const mine = s.getRoomById(r.id)!;
            expect([mine.userCount, mine.spectatorCount]).toEqual([r.userCount, r.spectatorCount]);
          }
          expect(s.getJoinedRooms().map((r) => r.id).sort()).toEqual(u!.joinedRooms.map((r) => r.id).sort());
          for (const room of u!.joinedRooms) {
            const mine = s.getRoomById(room.id)!;
            expect(mine.getUserList().map((x) => x.id).sort()).toEqual(room.getUserList().map((x) => x.id).sort());
            expect(mine.getVariables().map((v) => `${v.name}=${String(v.value)}`).sort()).toEqual(room.getVariables().map((v) => `${v.name}=${String(v.value)}`).sort());
            for (const other of room.getUserList()) {
              const seen = mine.getUserById(other.id)!;
              expect(seen.getPlayerId(mine)).toBe(other.getPlayerId(room));
              const expected = other.getVariables().filter((v) => other === u || !v.isPrivate);
              expect(seen.getVariables().map((v) => `${v.name}=${String(v.value)}`).sort()).toEqual(expected.map((v) => `${v.name}=${String(v.value)}`).sort());
            }
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
