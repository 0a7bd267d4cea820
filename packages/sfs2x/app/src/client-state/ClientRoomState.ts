import { SFSArray, SFSDataType, SFSObject } from "@sfs2x/core";
import { ControllerId, SysAction, TypedEmitter, parseErrorReply, type Message } from "@sfs2x/protocol";
import { SFSClientError, SFSClientErrorCode } from "../errors/SFSClientError.js";
import { SFSError } from "../errors/SFSError.js";
import { RoomError } from "../rooms/RoomError.js";
import { MessageType } from "../rooms/RoomMessages.js";
import { SFSRoomVariable } from "../rooms/SFSRoomVariable.js";
import { SFSUserVariable } from "../rooms/SFSUserVariable.js";
import { eachArray } from "./readArray.js";
import { SFSRoom } from "./SFSRoom.js";
import { SFSUser } from "./SFSUser.js";

/** A refused request as the official client reports it: `errorCode`, `errorMessage`, plus the error. */
export interface RequestErrorEvent {
  errorCode: number;
  errorMessage: string;
  /** The action of the refused request. */
  action: number;
  error: SFSError;
}

/** A chat message (public, private, moderator, admin). `data` is the optional `p` SFSObject. */
export interface ChatMessageEvent {
  sender: SFSUser;
  message: string;
  data: SFSObject | undefined;
}

/**
 * Events of {@link ClientRoomState}: the official client's names and payload fields
 * (`userEnterRoom` → `{ user, room }`, `userCountChange` → `{ room, uCount, sCount }`, ...).
 */
export interface ClientRoomEvents {
  login: [{ user: SFSUser; zone: string }];
  logout: [{ zone: string }];
  roomJoin: [{ room: SFSRoom }];
  roomJoinError: [RequestErrorEvent];
  roomAdd: [{ room: SFSRoom }];
  roomCreationError: [RequestErrorEvent];
  roomRemove: [{ room: SFSRoom }];
  userEnterRoom: [{ user: SFSUser; room: SFSRoom }];
  userExitRoom: [{ user: SFSUser; room: SFSRoom }];
  userCountChange: [{ room: SFSRoom; uCount: number; sCount: number }];
  publicMessage: [ChatMessageEvent & { room: SFSRoom }];
  privateMessage: [ChatMessageEvent];
  moderatorMessage: [ChatMessageEvent];
  adminMessage: [ChatMessageEvent];
  objectMessage: [{ sender: SFSUser; message: SFSObject; room: SFSRoom | undefined }];
  roomVariablesUpdate: [{ room: SFSRoom; changedVars: string[] }];
  userVariablesUpdate: [{ user: SFSUser; changedVars: string[] }];
  roomGroupSubscribe: [{ groupId: string; newRooms: SFSRoom[] }];
  roomGroupSubscribeError: [RequestErrorEvent];
  roomGroupUnsubscribe: [{ groupId: string }];
  roomGroupUnsubscribeError: [RequestErrorEvent];
  /** An error reply to a request without its own error event (GenericMessage, variables, LeaveRoom). */
  requestError: [RequestErrorEvent];
  /** A server message that could not be applied (malformed); the state is unchanged by it. */
  error: [SFSClientError];
}

/** The system actions {@link ClientRoomState.apply} handles. */
export const CLIENT_ROOM_ACTIONS: readonly number[] = Object.freeze([
  SysAction.Login,
  SysAction.Logout,
  SysAction.JoinRoom,
  SysAction.CreateRoom,
  SysAction.GenericMessage,
  SysAction.SetRoomVariables,
  SysAction.SetUserVariables,
  SysAction.LeaveRoom,
  SysAction.SubscribeRoomGroup,
  SysAction.UnsubscribeRoomGroup,
  SysAction.UserEnterRoom,
  SysAction.UserCountChange,
  SysAction.UserLost,
  SysAction.RoomLost,
  SysAction.UserExitRoom,
]);

const num = (p: SFSObject, key: string): number | undefined => {
  const v = p.get(key);
  return typeof v === "number" ? v : undefined;
};
const text = (p: SFSObject, key: string): string | undefined => {
  const v = p.get(key);
  return typeof v === "string" ? v : undefined;
};
const sfsArray = (p: SFSObject, key: string): SFSArray | undefined => (p.getType(key) === SFSDataType.SFS_ARRAY ? (p.get(key) as SFSArray) : undefined);
const sfsObject = (p: SFSObject, key: string): SFSObject | undefined => (p.getType(key) === SFSDataType.SFS_OBJECT ? (p.get(key) as SFSObject) : undefined);

/**
 * The client's view of rooms and users, kept up to date from server messages as the official
 * client's RoomManager and UserManager do: the room list (rooms of the subscribed groups), joined
 * rooms with their users, User and Room Variables (typed), and the own user. It is pure (no I/O,
 * browser-safe): feed it every system message with {@link apply} (a {@link RoomClient} does it
 * for an `SFSClient`) and listen to its events.
 */
export class ClientRoomState extends TypedEmitter<ClientRoomEvents> {
  private readonly rooms = new Map<number, SFSRoom>();
  private readonly users = new Map<number, SFSUser>();
  private readonly groups = new Set<string>();
  private me: SFSUser | undefined;
  private last: SFSRoom | undefined;
  private zoneName: string | undefined;

  // ------------------------------------------------------------------ reading

  /** The own user (after login). */
  get mySelf(): SFSUser | undefined {
    return this.me;
  }
  /** The zone logged into. */
  get zone(): string | undefined {
    return this.zoneName;
  }
  /** The room joined last (undefined when in none). */
  get lastJoinedRoom(): SFSRoom | undefined {
    return this.last;
  }
  getRoomById(id: number): SFSRoom | undefined {
    return this.rooms.get(id);
  }
  getRoomByName(name: string): SFSRoom | undefined {
    for (const r of this.rooms.values()) if (r.name === name) return r;
    return undefined;
  }
  /** Known rooms (subscribed groups and joined rooms). */
  getRoomList(): SFSRoom[] {
    return [...this.rooms.values()];
  }
  getRoomListFromGroup(groupId: string): SFSRoom[] {
    return this.getRoomList().filter((r) => r.groupId === groupId);
  }
  getJoinedRooms(): SFSRoom[] {
    return this.getRoomList().filter((r) => r.isJoined);
  }
  /** Subscribed room groups. */
  getRoomGroups(): string[] {
    return [...this.groups];
  }
  containsGroup(groupId: string): boolean {
    return this.groups.has(groupId);
  }
  /** Users the client knows (itself and the users of its joined rooms). */
  getUserById(id: number): SFSUser | undefined {
    return this.users.get(id);
  }
  getUserByName(name: string): SFSUser | undefined {
    for (const u of this.users.values()) if (u.name === name) return u;
    return undefined;
  }
  getUserList(): SFSUser[] {
    return [...this.users.values()];
  }
  /** The rooms a user is in (among the known ones). */
  getUserRooms(user: SFSUser): SFSRoom[] {
    return this.getRoomList().filter((r) => r.containsUser(user));
  }

  /** Forgets everything (after a logout or a disconnection). */
  clear(): void {
    this.rooms.clear();
    this.users.clear();
    this.groups.clear();
    this.me = this.last = this.zoneName = undefined;
  }

  // ------------------------------------------------------------------ applying

  /**
   * Applies one server message; returns false when it is not one the state handles (another
   * controller or action). A malformed message changes nothing and is reported as an `error`
   * event; it never throws.
   */
  apply(message: Message): boolean {
    if (message.controller !== ControllerId.System || !CLIENT_ROOM_ACTIONS.includes(message.action)) return false;
    try {
      this.dispatch(message.action, message.params);
    } catch (e) {
      const cause = e as Error;
      this.emit(
        "error",
        new SFSClientError(SFSClientErrorCode.BAD_RESPONSE, `could not apply ${SysAction[message.action] ?? message.action}: ${cause.message}`, { cause }),
      );
    }
    return true;
  }

  private dispatch(action: number, p: SFSObject): void {
    const failure = parseErrorReply(p);
    if (failure !== undefined) {
      const error = new SFSError(failure.code, failure.params, undefined, { action });
      const ev: RequestErrorEvent = { errorCode: failure.code, errorMessage: error.message, action, error };
      switch (action) {
        case SysAction.Login:
          return; // the login call reports it
        case SysAction.JoinRoom:
          this.emit("roomJoinError", ev);
          return;
        case SysAction.CreateRoom:
          this.emit("roomCreationError", ev);
          return;
        case SysAction.SubscribeRoomGroup:
          this.emit("roomGroupSubscribeError", ev);
          return;
        case SysAction.UnsubscribeRoomGroup:
          this.emit("roomGroupUnsubscribeError", ev);
          return;
        default:
          this.emit("requestError", ev);
          return;
      }
    }
    switch (action) {
      case SysAction.Login:
        return this.onLogin(p);
      case SysAction.Logout:
        this.clear();
        this.emit("logout", { zone: text(p, "zn") ?? "" });
        return;
      case SysAction.JoinRoom:
        return this.onJoin(p);
      case SysAction.CreateRoom:
        return this.onRoomAdd(p);
      case SysAction.GenericMessage:
        return this.onGenericMessage(p);
      case SysAction.SetRoomVariables:
        return this.onRoomVariables(p);
      case SysAction.SetUserVariables:
        return this.onUserVariables(p);
      case SysAction.SubscribeRoomGroup:
        return this.onSubscribe(p);
      case SysAction.UnsubscribeRoomGroup:
        return this.onUnsubscribe(p);
      case SysAction.UserEnterRoom:
        return this.onUserEnter(p);
      case SysAction.UserCountChange:
        return this.onUserCount(p);
      case SysAction.UserLost:
        return this.onUserLost(p);
      case SysAction.RoomLost:
        return this.onRoomLost(p);
      case SysAction.UserExitRoom:
        return this.onUserExit(p);
      // LeaveRoom has no success reply (1004 confirms it).
    }
  }

  private onLogin(p: SFSObject): void {
    const id = num(p, "id");
    const name = text(p, "un");
    const rl = sfsArray(p, "rl");
    if (id === undefined || name === undefined || rl === undefined) throw RoomError.generic("a login reply needs id, un and rl");
    const rooms = this.readRooms(rl);
    this.clear();
    this.zoneName = text(p, "zn") ?? "";
    const me = new SFSUser(id, name, true);
    me.privilegeId = num(p, "pi") ?? 0;
    this.me = me;
    this.users.set(id, me);
    for (const r of rooms) this.replaceRoom(r, true);
    this.emit("login", { user: me, zone: this.zoneName });
  }

  private onJoin(p: SFSObject): void {
    const r = sfsArray(p, "r");
    const ul = sfsArray(p, "ul");
    if (r === undefined || ul === undefined) throw RoomError.generic("a join reply needs r and ul");
    const fresh = SFSRoom.fromSFSArray(r);
    const list: SFSArray[] = [];
    eachArray(ul, "user", (a) => list.push(a));
    // Check every user array before changing anything.
    for (const a of list) SFSUser.fromSFSArray(a);
    const room = this.replaceRoom(fresh, this.groups.has(fresh.groupId));
    room._users.clear();
    for (const a of list) {
      const u = this.userFrom(a, room);
      room._users.set(u.id, u);
    }
    room.isJoined = true;
    this.last = room;
    this.emit("roomJoin", { room });
  }

  private onRoomAdd(p: SFSObject): void {
    const r = sfsArray(p, "r");
    if (r === undefined) throw RoomError.generic("a room add needs r");
    const room = this.replaceRoom(SFSRoom.fromSFSArray(r), true);
    this.emit("roomAdd", { room });
  }

  private onGenericMessage(p: SFSObject): void {
    const t = num(p, "t");
    const data = sfsObject(p, "p");
    const m = text(p, "m") ?? "";
    switch (t) {
      case MessageType.Public: {
        const room = this.rooms.get(num(p, "r") ?? -1);
        const sender = this.users.get(num(p, "u") ?? -1);
        // Like the official client: messages for rooms (or senders) it does not know are dropped.
        if (room === undefined || sender === undefined) return;
        this.emit("publicMessage", { room, sender, message: m, data });
        return;
      }
      case MessageType.Private: {
        const sender = this.users.get(num(p, "u") ?? -1) ?? this.senderData(p);
        if (sender === undefined) return;
        this.emit("privateMessage", { sender, message: m, data });
        return;
      }
      case MessageType.Moderator:
      case MessageType.Admin: {
        const sender = this.senderData(p) ?? this.users.get(num(p, "u") ?? -1);
        if (sender === undefined) return;
        this.emit(t === MessageType.Moderator ? "moderatorMessage" : "adminMessage", { sender, message: m, data });
        return;
      }
      case MessageType.Object: {
        const sender = this.users.get(num(p, "u") ?? -1);
        if (sender === undefined || data === undefined) return;
        this.emit("objectMessage", { sender, message: data, room: this.rooms.get(num(p, "r") ?? -1) });
        return;
      }
    }
  }

  private senderData(p: SFSObject): SFSUser | undefined {
    const sd = sfsArray(p, "sd");
    return sd === undefined ? undefined : SFSUser.fromSFSArray(sd);
  }

  private onRoomVariables(p: SFSObject): void {
    const room = this.rooms.get(num(p, "r") ?? -1);
    const vl = sfsArray(p, "vl");
    if (room === undefined || vl === undefined) return;
    const vars: SFSRoomVariable[] = [];
    eachArray(vl, "room variable", (a) => vars.push(SFSRoomVariable.fromSFSArray(a)));
    const changed = new Set<string>();
    for (const v of vars) {
      if (v.isNull) room._variables.delete(v.name);
      else room._variables.set(v.name, v);
      changed.add(v.name);
    }
    this.emit("roomVariablesUpdate", { room, changedVars: [...changed] });
  }

  private onUserVariables(p: SFSObject): void {
    const user = this.users.get(num(p, "u") ?? -1);
    const vl = sfsArray(p, "vl");
    if (user === undefined || vl === undefined) return;
    const vars: SFSUserVariable[] = [];
    eachArray(vl, "user variable", (a) => vars.push(SFSUserVariable.fromSFSArray(a)));
    const changed = new Set<string>();
    for (const v of vars) {
      if (v.isNull) user._variables.delete(v.name);
      else user._variables.set(v.name, v);
      changed.add(v.name);
    }
    this.emit("userVariablesUpdate", { user, changedVars: [...changed] });
  }

  private onSubscribe(p: SFSObject): void {
    const g = text(p, "g");
    const rl = sfsArray(p, "rl");
    if (g === undefined || rl === undefined) throw RoomError.generic("a group subscription reply needs g and rl");
    const rooms = this.readRooms(rl);
    this.groups.add(g);
    for (const r of rooms) this.replaceRoom(r, true);
    this.emit("roomGroupSubscribe", { groupId: g, newRooms: this.getRoomListFromGroup(g) });
  }

  private onUnsubscribe(p: SFSObject): void {
    const g = text(p, "g");
    if (g === undefined) throw RoomError.generic("a group unsubscription reply needs g");
    this.groups.delete(g);
    for (const r of this.getRoomListFromGroup(g)) {
      if (r.isJoined) r._isManaged = false;
      else this.dropRoom(r);
    }
    this.emit("roomGroupUnsubscribe", { groupId: g });
  }

  private onUserEnter(p: SFSObject): void {
    const room = this.rooms.get(num(p, "r") ?? -1);
    const ua = sfsArray(p, "u");
    if (room === undefined) return;
    if (ua === undefined) throw RoomError.generic("a user enter event needs u");
    const user = this.userFrom(ua, room);
    room._users.set(user.id, user);
    this.emit("userEnterRoom", { user, room });
  }

  private onUserCount(p: SFSObject): void {
    const room = this.rooms.get(num(p, "r") ?? -1);
    const uc = num(p, "uc");
    if (room === undefined || uc === undefined) return;
    room._userCount = uc;
    room._specCount = num(p, "sc") ?? 0;
    this.emit("userCountChange", { room, uCount: uc, sCount: room._specCount });
  }

  private onUserLost(p: SFSObject): void {
    const user = this.users.get(num(p, "u") ?? -1);
    if (user === undefined || user === this.me) return;
    const rooms = this.getUserRooms(user);
    for (const r of rooms) r._users.delete(user.id);
    this.users.delete(user.id);
    for (const room of rooms) this.emit("userExitRoom", { user, room });
  }

  private onRoomLost(p: SFSObject): void {
    const room = this.rooms.get(num(p, "r") ?? -1);
    if (room === undefined) return;
    const users = room.getUserList();
    room._users.clear();
    room.isJoined = false;
    this.dropRoom(room);
    for (const u of users) this.forgetIfUnseen(u);
    this.emit("roomRemove", { room });
  }

  private onUserExit(p: SFSObject): void {
    const room = this.rooms.get(num(p, "r") ?? -1);
    const user = this.users.get(num(p, "u") ?? -1);
    if (room === undefined || user === undefined) return;
    room._users.delete(user.id);
    if (user === this.me && room.isJoined) {
      room.isJoined = false;
      for (const u of room.getUserList()) {
        room._users.delete(u.id);
        this.forgetIfUnseen(u);
      }
      if (this.last === room) this.last = this.getJoinedRooms().at(-1);
      if (!room._isManaged) this.dropRoom(room);
    }
    this.forgetIfUnseen(user);
    this.emit("userExitRoom", { user, room });
  }

  // ------------------------------------------------------------------ helpers

  /** Reads every room array of a list first, so a bad one changes nothing. */
  private readRooms(list: SFSArray): SFSRoom[] {
    const out: SFSRoom[] = [];
    eachArray(list, "room", (a) => out.push(SFSRoom.fromSFSArray(a)));
    return out;
  }

  /** Keeps one object per room id: a known room takes the fresh fields, else the fresh one is added. */
  private replaceRoom(fresh: SFSRoom, managed: boolean): SFSRoom {
    const cur = this.rooms.get(fresh.id);
    if (cur !== undefined) {
      cur._merge(fresh);
      if (managed) cur._isManaged = true;
      return cur;
    }
    fresh._isManaged = managed;
    if (managed) this.groups.add(fresh.groupId);
    this.rooms.set(fresh.id, fresh);
    return fresh;
  }

  private dropRoom(room: SFSRoom): void {
    if (this.rooms.get(room.id) === room) this.rooms.delete(room.id);
    if (this.last === room) this.last = this.getJoinedRooms().at(-1);
  }

  /** The known user of an array (its variables and player id refreshed), or a new one. */
  private userFrom(a: SFSArray, room: SFSRoom): SFSUser {
    const probe = SFSUser.fromSFSArray(a, room);
    const cur = this.users.get(probe.id);
    if (cur === undefined) {
      this.users.set(probe.id, probe);
      return probe;
    }
    cur._update(a, room);
    return cur;
  }

  /** Drops a user from the known users once it is in no known room (never the own user). */
  private forgetIfUnseen(user: SFSUser): void {
    if (user === this.me) return;
    for (const r of this.rooms.values()) if (r._users.get(user.id) === user) return;
    this.users.delete(user.id);
  }
}
