// Request builders against the official JS client's packets (test/fixtures/packets.json, the
// shared golden vectors): whole packets, byte for byte, with the client's pre-handshake codec
// settings.
import { readFileSync } from "node:fs";
import { SFSObject, toHex } from "@sfs2x/core";
import { encodePacket, type Message } from "@sfs2x/protocol";
import { describe, expect, it } from "vitest";
import {
  SFSRoom,
  createRoomRequest,
  joinRoomRequest,
  leaveRoomRequest,
  objectMessageRequest,
  privateMessageRequest,
  publicMessageRequest,
  setRoomVariablesRequest,
  setUserVariablesRequest,
  subscribeRoomGroupRequest,
  superUserMessageRequest,
  unsubscribeRoomGroupRequest,
} from "../src/client-state/index.js";
import { MessageRecipientMode, MessageType, SFSRoomVariable, SFSUserVariable, parseCreateRoom, parseGenericMessage, parseJoinRoom } from "../src/rooms/index.js";

interface PacketVector {
  name: string;
  hex: string;
  codec: { compressionThreshold: number; maxMessageSize: number };
}
const vectors = new Map(
  (JSON.parse(readFileSync(new URL("./fixtures/packets.json", import.meta.url), "utf8")) as { vectors: PacketVector[] }).vectors.map((v) => [v.name, v]),
);

function packet(message: Message, name: string): { ours: string; official: string } {
  const v = vectors.get(name);
  if (v === undefined) throw new Error(`no vector ${name}`);
  return { ours: toHex(encodePacket(message, v.codec)), official: v.hex };
}

const cases: [string, () => Message][] = [
  ["join_room_by_name", () => joinRoomRequest("Lobby")],
  ["join_room_by_id_with_pass_leave", () => joinRoomRequest(7, "pw", 3, false)],
  ["join_room_as_spectator", () => joinRoomRequest("Game1", null, null, true)],
  ["leave_room", () => leaveRoomRequest(7)],
  ["create_room_basic", () => createRoomRequest({ name: "MyRoom", maxUsers: 10 })],
  ["public_message", () => publicMessageRequest("Hello", 7, 1)],
  ["public_message_params", () => publicMessageRequest("Hi", 7, 1, new SFSObject().putInt("color", 255))],
  ["private_message", () => privateMessageRequest("psst", 5)],
  ["object_message", () => objectMessageRequest(new SFSObject().putUtfString("k", "v"), 7)],
  ["set_user_variables", () => setUserVariablesRequest([new SFSUserVariable("score", 100), new SFSUserVariable("nick", "Bob")])],
  ["set_room_variables", () => setRoomVariablesRequest([new SFSRoomVariable("topic", "hi")], 7)],
];

describe("request builders are byte-identical to the official client's packets", () => {
  for (const [name, build] of cases) {
    it(name, () => {
      const { ours, official } = packet(build(), name);
      expect(ours).toBe(official);
    });
  }

  it("a room object joins by id", () => {
    const room = new SFSRoom(7, "Lobby");
    expect(toHex(encodePacket(joinRoomRequest(room, "pw", 3), { compressionThreshold: 1024 }))).toBe(vectors.get("join_room_by_id_with_pass_leave")!.hex);
  });
});

describe("requests the vectors do not cover (official key order)", () => {
  it("CreateRoom with every optional setting", () => {
    const m = createRoomRequest(
      {
        name: "G",
        groupId: "games",
        password: "x",
        isGame: true,
        maxUsers: 4,
        maxSpectators: 2,
        maxVariables: 3,
        variables: [new SFSRoomVariable("v", 1)],
        permissions: { allowPublicMessages: false },
        events: { allowUserEnter: true, allowUserCountChange: true },
        extension: { id: "ext", className: "com.Ext", propertiesFile: "p.txt" },
        allowOwnerOnlyInvitation: false,
      },
      true,
      5,
    );
    expect(m.params.getKeys()).toEqual(["n", "g", "p", "ig", "mu", "ms", "mv", "aji", "rv", "pm", "ev", "xn", "xc", "xp", "aj", "rl"]);
    expect(m.params.getBoolArray("pm")).toEqual([false, false, false, false]);
    expect(m.params.getBoolArray("ev")).toEqual([true, false, true, false]);
    // What the server reads back.
    const { settings, options } = parseCreateRoom(m.params);
    expect(settings).toMatchObject({ name: "G", groupId: "games", password: "x", isGame: true, maxUsers: 4, maxSpectators: 2, maxVariables: 3, allowOwnerOnlyInvitation: false });
    expect(settings.variables!.map((v) => v.name)).toEqual(["v"]);
    expect(settings.extension).toEqual({ id: "ext", className: "com.Ext", propertiesFile: "p.txt" });
    expect(options).toEqual({ autoJoin: true, roomToLeave: 5 });
  });

  it("object message recipients (deduplicated), moderator/admin messages, groups", () => {
    const o = objectMessageRequest(new SFSObject(), 7, [3, 4, 3]);
    expect(o.params.getKeys()).toEqual(["t", "r", "p", "rc"]);
    expect(o.params.getIntArray("rc")).toEqual([3, 4]);
    expect(parseGenericMessage(o.params)).toMatchObject({ type: MessageType.Object, roomId: 7, recipients: [3, 4] });
    const mod = superUserMessageRequest(MessageType.Moderator, "hey", { mode: MessageRecipientMode.ToGroup, groupId: "default" }, new SFSObject());
    expect(mod.params.getKeys()).toEqual(["t", "m", "p", "rm", "rc"]);
    expect(parseGenericMessage(mod.params)).toMatchObject({ type: MessageType.Moderator, text: "hey", target: { mode: 2, groupId: "default" } });
    const adm = superUserMessageRequest(MessageType.Admin, "all", { mode: MessageRecipientMode.ToZone });
    expect(adm.params.getKeys()).toEqual(["t", "m", "rm"]);
    expect(subscribeRoomGroupRequest("g").params.getUtfString("g")).toBe("g");
    expect(unsubscribeRoomGroupRequest("g").action).toBe(16);
  });

  it("what the server parses from a join request", () => {
    expect(parseJoinRoom(joinRoomRequest(7, "pw", 3).params)).toEqual({ room: 7, options: { password: "pw", roomToLeave: 3 } });
    expect(parseJoinRoom(joinRoomRequest("Game1", null, null, true).params)).toEqual({ room: "Game1", options: { asSpectator: true } });
  });
});
