// The live SmartFoxServer 2X 2.17 capture (test/fixtures/rooms-live-capture.json) replayed
// through our zone: the same scene (zone BasicExamples, room "The Lobby" id 0, users B then A)
// must produce the same packets' params, byte for byte (keys, order, types, values), to the same
// recipients.
import { readFileSync } from "node:fs";
import { SFSObject, fromHex, toHex } from "@sfs2x/core";
import { SysAction, decodePacket, type Message } from "@sfs2x/protocol";
import { describe, expect, it } from "vitest";
import { RoomError, SFSRoomVariable, SFSUserVariable, ZoneManager, type Delivery, type User } from "../src/rooms/index.js";

interface LivePacket {
  name: string;
  transport: string;
  connection: string;
  hex?: string;
}

const capture = JSON.parse(readFileSync(new URL("./fixtures/rooms-live-capture.json", import.meta.url), "utf8")) as { packets: LivePacket[] };
const packets = capture.packets;

/** The params of a captured packet, decoded (the decoder keeps the wire key order). */
function live(transport: string, name: string, nth = 0): SFSObject {
  const found = packets.filter((p) => p.transport === transport && p.name === name);
  const p = found[nth];
  if (p?.hex === undefined) throw new Error(`no packet ${name} #${nth} on ${transport}`);
  return decodePacket(fromHex(p.hex)).params;
}

const hex = (o: SFSObject): string => toHex(o.toBinary());

/** The single delivery of `action` in `out` (asserting there is exactly one). */
function only(out: Delivery[], action: number): Delivery {
  const ds = out.filter((d) => d.message.action === action);
  expect(ds, `deliveries of action ${action}`).toHaveLength(1);
  return ds[0]!;
}
const ids = (users: readonly User[]): number[] => users.map((u) => u.id);

const scenes = [
  { transport: "tcp", a: { id: 8, name: "rec-tcp-a" }, b: { id: 9, name: "rec-tcp-b" } },
  { transport: "ws", a: { id: 11, name: "rec-ws-a" }, b: { id: 12, name: "rec-ws-b" } },
];

describe.each(scenes)("live capture over $transport", ({ transport, a, b }) => {
  function scene() {
    const world = new ZoneManager({ zones: [{ name: "BasicExamples", rooms: [{ name: "The Lobby", maxUsers: 150 }] }] });
    const zone = world.getZone("BasicExamples")!;
    return { world, zone };
  }

  it("the login room list is the live rl (The Lobby has id 0, 9 elements, no variables)", () => {
    const { zone } = scene();
    const { roomList } = zone.login({ id: a.id, name: a.name });
    expect(toHex(roomList.toBinary())).toBe(toHex(live(transport, "login_named_response").getSFSArray("rl")!.toBinary()));
    expect(zone.getRoomByName("The Lobby")!.id).toBe(0);
  });

  it("join, user enter, count change, public message, variables and logout match the live packets", () => {
    const { zone } = scene();
    const B = zone.login({ id: b.id, name: b.name }).user;
    zone.joinRoom(B, "The Lobby");
    const A = zone.login({ id: a.id, name: a.name }).user;

    const join = zone.joinRoom(A, "The Lobby").deliveries;
    const reply = only(join, SysAction.JoinRoom);
    expect(ids(reply.to)).toEqual([a.id]);
    expect(hex(reply.message.params)).toBe(hex(live(transport, "join_room_response")));
    const enter = only(join, SysAction.UserEnterRoom);
    expect(ids(enter.to)).toEqual([b.id]);
    expect(hex(enter.message.params)).toBe(hex(live(transport, "user_enter_room_event")));
    const count = only(join, SysAction.UserCountChange);
    // Every subscriber of the group gets it, the joiner included (A received uc=2 as well).
    expect(ids(count.to).sort()).toEqual([a.id, b.id].sort());
    expect(hex(count.message.params)).toBe(hex(live(transport, "user_count_change_event")));
    expect(hex(count.message.params)).toBe(hex(live(transport, "late_A_0_1001", 1)));

    const chat = zone.sendPublicMessage(A, 0, "Hello é日😀", new SFSObject().putInt("n", 1));
    expect(chat).toHaveLength(1);
    expect(ids(chat[0]!.to).sort()).toEqual([a.id, b.id].sort());
    expect(hex(chat[0]!.message.params)).toBe(hex(live(transport, "public_message_echo")));
    expect(hex(chat[0]!.message.params)).toBe(hex(live(transport, "public_message_event")));

    const uv = zone.setUserVariables(A, [
      new SFSUserVariable("vi", 42),
      new SFSUserVariable("vd", 1.5),
      new SFSUserVariable("vs", "str"),
      new SFSUserVariable("vb", true),
    ]);
    expect(uv.map((d) => ids(d.to))).toEqual([[a.id], [b.id]]);
    expect(hex(uv[0]!.message.params)).toBe(hex(live(transport, "user_variables_update")));
    expect(hex(uv[1]!.message.params)).toBe(hex(live(transport, "user_variables_update_other")));

    const rv = zone.setRoomVariables(A, 0, [new SFSRoomVariable("topic", "hi")]);
    expect(rv).toHaveLength(1);
    expect(ids(rv[0]!.to)).toEqual([b.id, a.id]);
    expect(hex(rv[0]!.message.params)).toBe(hex(live(transport, "room_variables_update")));
    expect(hex(rv[0]!.message.params)).toBe(hex(live(transport, "late_B_0_11", 0)));

    let refused: unknown;
    try {
      zone.joinRoom(A, "No such room");
    } catch (e) {
      refused = e;
    }
    expect(refused).toBeInstanceOf(RoomError);
    const liveError = live(transport, "join_unknown_room_error");
    expect((refused as RoomError).code).toBe(liveError.getShort("ec"));
    expect((refused as RoomError).params).toEqual(liveError.getUtfStringArray("ep"));

    // Logout: B gets 1002 (not 1004), then the deletion of A's room variable, then uc=1.
    const out = zone.logout(A);
    expect(out.map((d) => d.message.action)).toEqual([SysAction.UserLost, SysAction.SetRoomVariables, SysAction.UserCountChange]);
    for (const d of out) expect(ids(d.to)).toEqual([b.id]);
    expect(hex(out[0]!.message.params)).toBe(hex(live(transport, "late_B_0_1002")));
    expect(hex(out[1]!.message.params)).toBe(hex(live(transport, "late_B_0_11", 1)));
    expect(hex(out[2]!.message.params)).toBe(hex(live(transport, "late_B_0_1001")));
  });

  it("B alone in the room: the uc=1 count change A received before its own join", () => {
    const { zone } = scene();
    const A = zone.login({ id: a.id, name: a.name }).user;
    const B = zone.login({ id: b.id, name: b.name }).user;
    const out = zone.joinRoom(B, "The Lobby").deliveries;
    const count = only(out, SysAction.UserCountChange);
    expect(ids(count.to)).toContain(A.id);
    expect(hex(count.message.params)).toBe(hex(live(transport, "late_A_0_1001", 0)));
  });
});

describe("message shapes", () => {
  it("root messages are System controller messages with the documented actions", () => {
    const world = new ZoneManager({ zones: [{ name: "z", rooms: [{ name: "r" }] }] });
    const zone = world.getZone("z")!;
    const u = zone.login({ name: "u" }).user;
    const msgs: Message[] = zone.joinRoom(u, "r").deliveries.map((d) => d.message);
    expect(msgs.every((m) => m.controller === 0)).toBe(true);
    expect(msgs.map((m) => m.action)).toEqual([SysAction.JoinRoom, SysAction.UserCountChange]);
  });
});
