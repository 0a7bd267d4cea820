import { SFSArray, SFSObject } from "@sfs2x/core";
import { ControllerId, SysAction, type Message } from "@sfs2x/protocol";
import type { Room } from "./Room.js";
import type { BaseVariable } from "./BaseVariable.js";
import type { User } from "./User.js";

// The server messages of rooms, users and variables. Keys are written in the order a live
// SmartFoxServer 2X 2.17 sends them (spec §1.2), so our packets match its bytes where the
// content is the same; clients must not depend on the order anyway.

/** GenericMessage `t` values (spec §3.2). */
export enum MessageType {
  Public = 0,
  Private = 1,
  Moderator = 2,
  Admin = 3,
  Object = 4,
  Buddy = 5,
}

/** Moderator/admin message recipient modes (`rm`). */
export enum MessageRecipientMode {
  ToUser = 0,
  ToRoom = 1,
  ToGroup = 2,
  ToZone = 3,
}

const sys = (action: number, params: SFSObject): Message => ({ controller: ControllerId.System, action, params });

/** JoinRoom response (a=4): `{ r: room array, ul: user arrays }`; `ul` sorted by user id as the live server sends it. */
export function joinRoomResponse(room: Room, joiner: User): Message {
  const ul = new SFSArray();
  const users = room.getUserList().sort((a, b) => a.id - b.id);
  for (const u of users) ul.addSFSArray(u.toSFSArray(room, joiner));
  return sys(SysAction.JoinRoom, new SFSObject().putSFSArray("r", room.toSFSArray()).putSFSArray("ul", ul));
}

/** CreateRoom response and room-add event (a=6): `{ r: room array }`. */
export function roomAdd(room: Room): Message {
  return sys(SysAction.CreateRoom, new SFSObject().putSFSArray("r", room.toSFSArray()));
}

/** 1000 UserEnterRoom: `{ r INT, u user array }` (the user's public variables). */
export function userEnterRoom(room: Room, user: User): Message {
  return sys(SysAction.UserEnterRoom, new SFSObject().putInt("r", room.id).putSFSArray("u", user.toSFSArray(room)));
}

/** 1001 UserCountChange: `{ r INT, uc SHORT }`, plus `sc SHORT` for a game room (a non-game room has none, as live). */
export function userCountChange(room: Room): Message {
  const p = new SFSObject().putInt("r", room.id).putShort("uc", room.userCount);
  if (room.isGame) p.putShort("sc", room.spectatorCount);
  return sys(SysAction.UserCountChange, p);
}

/** 1002 UserLost: `{ u INT }`. */
export function userLost(user: User): Message {
  return sys(SysAction.UserLost, new SFSObject().putInt("u", user.id));
}

/** 1003 RoomLost: `{ r INT }`. */
export function roomLost(room: Room): Message {
  return sys(SysAction.RoomLost, new SFSObject().putInt("r", room.id));
}

/** 1004 UserExitRoom: `{ r INT, u INT }`. */
export function userExitRoom(room: Room, user: User): Message {
  return sys(SysAction.UserExitRoom, new SFSObject().putInt("r", room.id).putInt("u", user.id));
}

/** Public message (a=7, t=0): `{ p?, r INT, t BYTE 0, u INT sender, m }`, the same bytes for every occupant. */
export function publicMessage(room: Room, sender: User, text: string, params: SFSObject | undefined): Message {
  const p = new SFSObject();
  if (params !== undefined) p.putSFSObject("p", params);
  p.putInt("r", room.id).putByte("t", MessageType.Public).putInt("u", sender.id).putUtfString("m", text);
  return sys(SysAction.GenericMessage, p);
}

/**
 * Private, moderator or admin message (a=7): `{ p?, t BYTE, u INT sender, m, sd? }`; `sd` is the
 * sender's user array, for receivers that may not know the sender.
 */
export function userMessage(type: MessageType, sender: User, text: string, params: SFSObject | undefined, withSender: boolean): Message {
  const p = new SFSObject();
  if (params !== undefined) p.putSFSObject("p", params);
  p.putByte("t", type).putInt("u", sender.id).putUtfString("m", text);
  if (withSender) p.putSFSArray("sd", sender.toSFSArray());
  return sys(SysAction.GenericMessage, p);
}

/** Object message (a=7, t=4): `{ p SFS_OBJECT, r INT, t BYTE 4, u INT sender }`. */
export function objectMessage(room: Room, sender: User, params: SFSObject): Message {
  const p = new SFSObject().putSFSObject("p", params).putInt("r", room.id).putByte("t", MessageType.Object).putInt("u", sender.id);
  return sys(SysAction.GenericMessage, p);
}

function variableList(vars: readonly BaseVariable[]): SFSArray {
  const vl = new SFSArray();
  for (const v of vars) vl.addSFSArray(v.toSFSArray());
  return vl;
}

/** SetRoomVariables update (a=11): `{ r INT, vl }`. */
export function roomVariablesUpdate(room: Room, vars: readonly BaseVariable[]): Message {
  return sys(SysAction.SetRoomVariables, new SFSObject().putInt("r", room.id).putSFSArray("vl", variableList(vars)));
}

/** SetUserVariables update (a=12): `{ u INT, vl }`. */
export function userVariablesUpdate(user: User, vars: readonly BaseVariable[]): Message {
  return sys(SysAction.SetUserVariables, new SFSObject().putInt("u", user.id).putSFSArray("vl", variableList(vars)));
}

/** SubscribeRoomGroup response (a=15): `{ g, rl }`. */
export function subscribeRoomGroupResponse(group: string, rooms: readonly Room[]): Message {
  const rl = new SFSArray();
  for (const r of rooms) rl.addSFSArray(r.toSFSArray());
  return sys(SysAction.SubscribeRoomGroup, new SFSObject().putUtfString("g", group).putSFSArray("rl", rl));
}

/** UnsubscribeRoomGroup response (a=16): `{ g }`. */
export function unsubscribeRoomGroupResponse(group: string): Message {
  return sys(SysAction.UnsubscribeRoomGroup, new SFSObject().putUtfString("g", group));
}
