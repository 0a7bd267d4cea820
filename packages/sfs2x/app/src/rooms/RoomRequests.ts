import { SFSArray, SFSDataType, SFSObject } from "@sfs2x/core";
import { ControllerId, SysAction, type Message } from "@sfs2x/protocol";
import type { Delivery } from "./Delivery.js";
import { RoomError } from "./RoomError.js";
import { MessageRecipientMode, MessageType } from "./RoomMessages.js";
import type { RoomEvents, RoomPermissions, RoomSettings } from "./RoomSettings.js";
import { SFSRoomVariable } from "./SFSRoomVariable.js";
import { SFSUserVariable } from "./SFSUserVariable.js";
import type { User } from "./User.js";
import type { CreateRoomOptions, JoinRoomOptions, SuperUserTarget } from "./Zone.js";

/** The system actions {@link handleRoomRequest} serves. */
export const ROOM_ACTIONS: readonly SysAction[] = Object.freeze([
  SysAction.JoinRoom,
  SysAction.CreateRoom,
  SysAction.GenericMessage,
  SysAction.SetRoomVariables,
  SysAction.SetUserVariables,
  SysAction.LeaveRoom,
  SysAction.SubscribeRoomGroup,
  SysAction.UnsubscribeRoomGroup,
]);

// ------------------------------------------------------------------ typed reads

function bad(action: number, detail: string): RoomError {
  return RoomError.generic(`Bad ${SysAction[action] ?? action} request: ${detail}`, action);
}

const INTS: readonly SFSDataType[] = [SFSDataType.INT, SFSDataType.SHORT, SFSDataType.BYTE];

function int(p: SFSObject, key: string, action: number, required: true): number;
function int(p: SFSObject, key: string, action: number, required?: false): number | undefined;
function int(p: SFSObject, key: string, action: number, required = false): number | undefined {
  const t = p.getType(key);
  if (t === undefined || t === SFSDataType.NULL) {
    if (required) throw bad(action, `missing ${key}`);
    return undefined;
  }
  if (!INTS.includes(t)) throw bad(action, `${key} must be an INT`);
  return p.get(key) as number;
}

function str(p: SFSObject, key: string, action: number, required: true): string;
function str(p: SFSObject, key: string, action: number, required?: false): string | undefined;
function str(p: SFSObject, key: string, action: number, required = false): string | undefined {
  const t = p.getType(key);
  if (t === undefined || t === SFSDataType.NULL) {
    if (required) throw bad(action, `missing ${key}`);
    return undefined;
  }
  if (t !== SFSDataType.UTF_STRING && t !== SFSDataType.TEXT) throw bad(action, `${key} must be a UTF_STRING`);
  return p.get(key) as string;
}

function bool(p: SFSObject, key: string, action: number): boolean | undefined {
  const t = p.getType(key);
  if (t === undefined || t === SFSDataType.NULL) return undefined;
  if (t !== SFSDataType.BOOL) throw bad(action, `${key} must be a BOOL`);
  return p.get(key) as boolean;
}

function obj(p: SFSObject, key: string, action: number): SFSObject | undefined {
  const t = p.getType(key);
  if (t === undefined || t === SFSDataType.NULL) return undefined;
  if (t !== SFSDataType.SFS_OBJECT) throw bad(action, `${key} must be an SFS_OBJECT`);
  return p.get(key) as SFSObject;
}

function arr(p: SFSObject, key: string, action: number, required = false): SFSArray | undefined {
  const t = p.getType(key);
  if (t === undefined || t === SFSDataType.NULL) {
    if (required) throw bad(action, `missing ${key}`);
    return undefined;
  }
  if (t !== SFSDataType.SFS_ARRAY) throw bad(action, `${key} must be an SFS_ARRAY`);
  return p.get(key) as SFSArray;
}

function bools4(p: SFSObject, key: string, action: number): boolean[] | undefined {
  const t = p.getType(key);
  if (t === undefined || t === SFSDataType.NULL) return undefined;
  if (t !== SFSDataType.BOOL_ARRAY) throw bad(action, `${key} must be a BOOL_ARRAY`);
  const v = p.get(key) as boolean[];
  if (v.length < 4) throw bad(action, `${key} needs 4 flags`);
  return v;
}

function variables<V>(list: SFSArray, action: number, read: (a: SFSArray) => V): V[] {
  const out: V[] = [];
  for (let i = 0; i < list.size(); i++) {
    if (list.getType(i) !== SFSDataType.SFS_ARRAY) throw bad(action, `vl[${i}] must be an SFS_ARRAY`);
    out.push(read(list.get(i) as SFSArray));
  }
  return out;
}

// ------------------------------------------------------------------ parsers

/** JoinRoom (a=4): `i` INT id or `n` name, `p` password, `rl` room to leave, `sp` spectator. */
export function parseJoinRoom(p: SFSObject): { room: number | string; options: JoinRoomOptions } {
  const a = SysAction.JoinRoom;
  const id = int(p, "i", a);
  const name = id === undefined ? str(p, "n", a) : undefined;
  if (id === undefined && name === undefined) throw bad(a, "needs i (room id) or n (room name)");
  const options: JoinRoomOptions = {};
  const pw = str(p, "p", a);
  if (pw !== undefined) options.password = pw;
  const rl = int(p, "rl", a);
  if (rl !== undefined) options.roomToLeave = rl;
  if (bool(p, "sp", a) === true) options.asSpectator = true;
  return { room: id ?? name!, options };
}

/** CreateRoom (a=6): the keys of spec §3.2 (`n g p ig mu ms mv aji rv pm ev xn xc xp aj rl`). */
export function parseCreateRoom(p: SFSObject): { settings: RoomSettings; options: CreateRoomOptions } {
  const a = SysAction.CreateRoom;
  const settings: RoomSettings = { name: str(p, "n", a, true) };
  const g = str(p, "g", a);
  if (g !== undefined) settings.groupId = g;
  const pw = str(p, "p", a);
  if (pw !== undefined) settings.password = pw;
  const ig = bool(p, "ig", a);
  if (ig !== undefined) settings.isGame = ig;
  const mu = int(p, "mu", a);
  if (mu !== undefined) settings.maxUsers = mu;
  const ms = int(p, "ms", a);
  if (ms !== undefined) settings.maxSpectators = ms;
  const mv = int(p, "mv", a);
  if (mv !== undefined) settings.maxVariables = mv;
  const aji = bool(p, "aji", a);
  if (aji !== undefined) settings.allowOwnerOnlyInvitation = aji;
  const rv = arr(p, "rv", a);
  if (rv !== undefined) settings.variables = variables(rv, a, (x) => SFSRoomVariable.fromSFSArray(x));
  const pm = bools4(p, "pm", a);
  if (pm !== undefined) {
    const perms: RoomPermissions = { allowNameChange: pm[0]!, allowPasswordStateChange: pm[1]!, allowPublicMessages: pm[2]!, allowResizing: pm[3]! };
    settings.permissions = perms;
  }
  const ev = bools4(p, "ev", a);
  if (ev !== undefined) {
    const events: RoomEvents = { allowUserEnter: ev[0]!, allowUserExit: ev[1]!, allowUserCountChange: ev[2]!, allowUserVariablesUpdate: ev[3]! };
    settings.events = events;
  }
  const xn = str(p, "xn", a);
  const xc = str(p, "xc", a);
  if (xn !== undefined && xc !== undefined) {
    const xp = str(p, "xp", a);
    settings.extension = xp === undefined ? { id: xn, className: xc } : { id: xn, className: xc, propertiesFile: xp };
  }
  const options: CreateRoomOptions = {};
  if (bool(p, "aj", a) === true) options.autoJoin = true;
  const rl = int(p, "rl", a);
  if (rl !== undefined) options.roomToLeave = rl;
  return { settings, options };
}

/** LeaveRoom (a=14): `r` INT. */
export function parseLeaveRoom(p: SFSObject): number {
  return int(p, "r", SysAction.LeaveRoom, true);
}

/** A parsed GenericMessage (a=7) request. */
export type GenericMessageRequest =
  | { type: MessageType.Public; roomId: number; text: string; params?: SFSObject }
  | { type: MessageType.Private; recipientId: number; text: string; params?: SFSObject }
  | { type: MessageType.Object; roomId: number; params: SFSObject; recipients?: number[] }
  | { type: MessageType.Moderator | MessageType.Admin; text: string; target: SuperUserTarget; params?: SFSObject };

/** GenericMessage (a=7): `t` BYTE then the keys of its type (spec §3.2). Buddy messages (t=5) are refused. */
export function parseGenericMessage(p: SFSObject): GenericMessageRequest {
  const a = SysAction.GenericMessage;
  const t = int(p, "t", a, true);
  const params = obj(p, "p", a);
  const withParams = <T extends object>(m: T): T => (params === undefined ? m : { ...m, params });
  switch (t) {
    case MessageType.Public:
      return withParams({ type: MessageType.Public, roomId: int(p, "r", a, true), text: str(p, "m", a, true) });
    case MessageType.Private:
      return withParams({ type: MessageType.Private, recipientId: int(p, "rc", a, true), text: str(p, "m", a, true) });
    case MessageType.Object: {
      if (params === undefined) throw bad(a, "an object message needs p");
      const rct = p.getType("rc");
      let recipients: number[] | undefined;
      if (rct === SFSDataType.INT_ARRAY) recipients = [...(p.get("rc") as number[])];
      else if (rct !== undefined && rct !== SFSDataType.NULL) throw bad(a, "rc must be an INT_ARRAY");
      const m = { type: MessageType.Object as const, roomId: int(p, "r", a, true), params };
      return recipients === undefined ? m : { ...m, recipients };
    }
    case MessageType.Moderator:
    case MessageType.Admin: {
      const mode = int(p, "rm", a, true);
      let target: SuperUserTarget;
      switch (mode) {
        case MessageRecipientMode.ToUser:
          target = { mode, userId: int(p, "rc", a, true) };
          break;
        case MessageRecipientMode.ToRoom:
          target = { mode, roomId: int(p, "rc", a, true) };
          break;
        case MessageRecipientMode.ToGroup:
          target = { mode, groupId: str(p, "rc", a, true) };
          break;
        case MessageRecipientMode.ToZone:
          target = { mode };
          break;
        default:
          throw bad(a, `unknown recipient mode ${mode}`);
      }
      return withParams({ type: t, text: str(p, "m", a, true), target });
    }
    default:
      throw bad(a, `message type ${t} is not supported`);
  }
}

/** SetRoomVariables (a=11): `vl` room variable arrays, `r` INT room. */
export function parseSetRoomVariables(p: SFSObject): { roomId: number; variables: SFSRoomVariable[] } {
  const a = SysAction.SetRoomVariables;
  const roomId = int(p, "r", a, true);
  return { roomId, variables: variables(arr(p, "vl", a, true)!, a, (x) => SFSRoomVariable.fromSFSArray(x)) };
}

/** SetUserVariables (a=12): `vl` user variable arrays. */
export function parseSetUserVariables(p: SFSObject): SFSUserVariable[] {
  const a = SysAction.SetUserVariables;
  return variables(arr(p, "vl", a, true)!, a, (x) => SFSUserVariable.fromSFSArray(x));
}

/** Subscribe/UnsubscribeRoomGroup (a=15/16): `g` group id. */
export function parseGroup(p: SFSObject, action: number): string {
  return str(p, "g", action, true);
}

// ------------------------------------------------------------------ dispatch

/**
 * Serves one room request of a logged-in user: JoinRoom, CreateRoom, GenericMessage,
 * SetRoomVariables, SetUserVariables, LeaveRoom, Subscribe/UnsubscribeRoomGroup (see
 * {@link ROOM_ACTIONS}). Returns the deliveries; throws {@link RoomError} for a refused or
 * malformed request (the server answers it with `{ ec, ep }` on the request's action).
 */
export function handleRoomRequest(user: User, message: Message): Delivery[] {
  if (message.controller !== ControllerId.System) throw RoomError.generic(`Not a room request: controller ${message.controller}`);
  const zone = user.zone;
  const p = message.params;
  try {
    switch (message.action) {
      case SysAction.JoinRoom: {
        const r = parseJoinRoom(p);
        return zone.joinRoom(user, r.room, r.options).deliveries;
      }
      case SysAction.CreateRoom: {
        const r = parseCreateRoom(p);
        return zone.createRoom(user, r.settings, r.options).deliveries;
      }
      case SysAction.LeaveRoom:
        return zone.leaveRoom(user, parseLeaveRoom(p));
      case SysAction.GenericMessage: {
        const m = parseGenericMessage(p);
        switch (m.type) {
          case MessageType.Public:
            return zone.sendPublicMessage(user, m.roomId, m.text, m.params);
          case MessageType.Private:
            return zone.sendPrivateMessage(user, m.recipientId, m.text, m.params);
          case MessageType.Object:
            return zone.sendObjectMessage(user, m.roomId, m.params, m.recipients);
          default:
            return zone.sendSuperUserMessage(user, m.type, m.text, m.target, m.params);
        }
      }
      case SysAction.SetRoomVariables: {
        const r = parseSetRoomVariables(p);
        return zone.setRoomVariables(user, r.roomId, r.variables);
      }
      case SysAction.SetUserVariables:
        return zone.setUserVariables(user, parseSetUserVariables(p));
      case SysAction.SubscribeRoomGroup:
        return zone.subscribeRoomGroup(user, parseGroup(p, message.action));
      case SysAction.UnsubscribeRoomGroup:
        return zone.unsubscribeRoomGroup(user, parseGroup(p, message.action));
      default:
        throw RoomError.generic(`Not a room request: action ${message.action}`, message.action);
    }
  } catch (e) {
    // Values that do not fit their wire type (e.g. a string too long to echo) refuse the request too.
    if (e instanceof RoomError) throw e;
    if (e instanceof TypeError || (e as { name?: string })?.name === "SFSValueError") {
      throw RoomError.generic(`Bad ${SysAction[message.action] ?? message.action} request: ${(e as Error).message}`, message.action);
    }
    throw e;
  }
}
