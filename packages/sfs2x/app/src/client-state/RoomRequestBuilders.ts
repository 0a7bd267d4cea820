import { SFSArray, SFSObject } from "@sfs2x/core";
import { ControllerId, SysAction, type Message } from "@sfs2x/protocol";
import { MessageRecipientMode, MessageType } from "../rooms/RoomMessages.js";
import type { RoomSettings } from "../rooms/RoomSettings.js";
import type { SFSRoomVariable } from "../rooms/SFSRoomVariable.js";
import type { SFSUserVariable } from "../rooms/SFSUserVariable.js";
import type { SFSRoom } from "./SFSRoom.js";

// Request messages exactly as the official JS client 1.8.6 writes them (same keys, types and key
// order; checked byte for byte against its packets in the tests).

const sys = (action: number, params: SFSObject): Message => ({ controller: ControllerId.System, action, params });
const roomId = (room: number | SFSRoom): number => (typeof room === "number" ? room : room.id);

/**
 * JoinRoom (a=4): `i` INT (by id or room object) or `n` (by name), then `p` password, `rl` room to
 * leave (omitted when null: the server leaves the last joined room; a negative id leaves none),
 * `sp` true for a spectator.
 */
export function joinRoomRequest(room: number | string | SFSRoom, password?: string | null, roomIdToLeave?: number | null, asSpectator = false): Message {
  const p = new SFSObject();
  if (typeof room === "string") p.putUtfString("n", room);
  else p.putInt("i", roomId(room));
  if (password !== undefined && password !== null) p.putUtfString("p", password);
  if (roomIdToLeave !== undefined && roomIdToLeave !== null) p.putInt("rl", roomIdToLeave);
  if (asSpectator) p.putBool("sp", true);
  return sys(SysAction.JoinRoom, p);
}

/**
 * CreateRoom (a=6) with the official `RoomSettings` defaults (group "default", password "",
 * maxUsers 10, maxSpectators 0, maxVariables 5, allowOwnerOnlyInvitation true): `n g p ig mu ms mv
 * aji`, then `rv` (when there are variables), `pm`, `ev`, `xn xc xp` (when given), `aj`, `rl`.
 * `isHidden` and `removeMode` are not part of the request.
 */
export function createRoomRequest(settings: RoomSettings, autoJoin = false, roomToLeave?: number | SFSRoom | null): Message {
  const p = new SFSObject()
    .putUtfString("n", settings.name)
    .putUtfString("g", settings.groupId ?? "default")
    .putUtfString("p", settings.password ?? "")
    .putBool("ig", settings.isGame ?? false)
    .putShort("mu", settings.maxUsers ?? 10)
    .putShort("ms", settings.maxSpectators ?? 0)
    .putShort("mv", settings.maxVariables ?? 5)
    .putBool("aji", settings.allowOwnerOnlyInvitation ?? true);
  const vars = settings.variables ?? [];
  if (vars.length > 0) {
    const rv = new SFSArray();
    for (const v of vars) rv.addSFSArray(v.toSFSArray());
    p.putSFSArray("rv", rv);
  }
  const pm = settings.permissions;
  if (pm !== undefined) {
    p.putBoolArray("pm", [pm.allowNameChange ?? false, pm.allowPasswordStateChange ?? false, pm.allowPublicMessages ?? true, pm.allowResizing ?? false]);
  }
  const ev = settings.events;
  if (ev !== undefined) {
    p.putBoolArray("ev", [ev.allowUserEnter ?? false, ev.allowUserExit ?? false, ev.allowUserCountChange ?? false, ev.allowUserVariablesUpdate ?? false]);
  }
  const x = settings.extension;
  if (x !== undefined) {
    p.putUtfString("xn", x.id).putUtfString("xc", x.className);
    if (x.propertiesFile !== undefined && x.propertiesFile.length > 0) p.putUtfString("xp", x.propertiesFile);
  }
  p.putBool("aj", autoJoin);
  if (roomToLeave !== undefined && roomToLeave !== null) p.putInt("rl", roomId(roomToLeave));
  return sys(SysAction.CreateRoom, p);
}

/** LeaveRoom (a=14): `{ r INT }`. */
export function leaveRoomRequest(room: number | SFSRoom): Message {
  return sys(SysAction.LeaveRoom, new SFSObject().putInt("r", roomId(room)));
}

/** Public message (a=7): `{ t BYTE 0, r INT room, u INT own user id, m, p? }`. */
export function publicMessageRequest(message: string, room: number | SFSRoom, senderId: number, params?: SFSObject): Message {
  const p = new SFSObject().putByte("t", MessageType.Public).putInt("r", roomId(room)).putInt("u", senderId).putUtfString("m", message);
  if (params !== undefined) p.putSFSObject("p", params);
  return sys(SysAction.GenericMessage, p);
}

/** Private message (a=7): `{ t BYTE 1, rc INT recipient id, m, p? }`. */
export function privateMessageRequest(message: string, recipientId: number, params?: SFSObject): Message {
  const p = new SFSObject().putByte("t", MessageType.Private).putInt("rc", recipientId).putUtfString("m", message);
  if (params !== undefined) p.putSFSObject("p", params);
  return sys(SysAction.GenericMessage, p);
}

/** Object message (a=7): `{ t BYTE 4, r INT room, p, rc? INT_ARRAY recipients }` (`rc` only when some are given; duplicates dropped). */
export function objectMessageRequest(params: SFSObject, room: number | SFSRoom, recipientIds?: readonly number[]): Message {
  const p = new SFSObject().putByte("t", MessageType.Object).putInt("r", roomId(room)).putSFSObject("p", params);
  const rc = [...new Set(recipientIds ?? [])];
  if (rc.length > 0) p.putIntArray("rc", rc);
  return sys(SysAction.GenericMessage, p);
}

/** A moderator/admin message target. */
export type SuperUserRecipient =
  | { mode: MessageRecipientMode.ToUser; userId: number }
  | { mode: MessageRecipientMode.ToRoom; roomId: number }
  | { mode: MessageRecipientMode.ToGroup; groupId: string }
  | { mode: MessageRecipientMode.ToZone };

/** Moderator (t=2) or admin (t=3) message (a=7): `{ t, m, p?, rm INT, rc? }`. */
export function superUserMessageRequest(type: MessageType.Moderator | MessageType.Admin, message: string, recipient: SuperUserRecipient, params?: SFSObject): Message {
  const p = new SFSObject().putByte("t", type).putUtfString("m", message);
  if (params !== undefined) p.putSFSObject("p", params);
  p.putInt("rm", recipient.mode);
  switch (recipient.mode) {
    case MessageRecipientMode.ToUser:
      p.putInt("rc", recipient.userId);
      break;
    case MessageRecipientMode.ToRoom:
      p.putInt("rc", recipient.roomId);
      break;
    case MessageRecipientMode.ToGroup:
      p.putUtfString("rc", recipient.groupId);
      break;
  }
  return sys(SysAction.GenericMessage, p);
}

/** SetUserVariables (a=12): `{ vl }` (4-element variable arrays). */
export function setUserVariablesRequest(variables: readonly SFSUserVariable[]): Message {
  const vl = new SFSArray();
  for (const v of variables) vl.addSFSArray(v.toSFSArray());
  return sys(SysAction.SetUserVariables, new SFSObject().putSFSArray("vl", vl));
}

/** SetRoomVariables (a=11): `{ vl, r INT }` (5-element variable arrays). */
export function setRoomVariablesRequest(variables: readonly SFSRoomVariable[], room: number | SFSRoom): Message {
  const vl = new SFSArray();
  for (const v of variables) vl.addSFSArray(v.toSFSArray());
  return sys(SysAction.SetRoomVariables, new SFSObject().putSFSArray("vl", vl).putInt("r", roomId(room)));
}

/** SubscribeRoomGroup (a=15): `{ g }`. */
export function subscribeRoomGroupRequest(groupId: string): Message {
  return sys(SysAction.SubscribeRoomGroup, new SFSObject().putUtfString("g", groupId));
}

/** UnsubscribeRoomGroup (a=16): `{ g }`. */
export function unsubscribeRoomGroupRequest(groupId: string): Message {
  return sys(SysAction.UnsubscribeRoomGroup, new SFSObject().putUtfString("g", groupId));
}
