import { SFSArray, type SFSObject } from "@sfs2x/core";
import { SFSErrorCode, type Message } from "@sfs2x/protocol";
import { push, type Delivery } from "./Delivery.js";
import { Room } from "./Room.js";
import { RoomError } from "./RoomError.js";
import * as M from "./RoomMessages.js";
import { MessageRecipientMode, MessageType } from "./RoomMessages.js";
import type { RoomSettings } from "./RoomSettings.js";
import type { SFSRoomVariable } from "./SFSRoomVariable.js";
import type { SFSUserVariable } from "./SFSUserVariable.js";
import { User, UserPrivilege } from "./User.js";
import type { ZoneManager } from "./ZoneManager.js";
import type { ZoneSettings } from "./ZoneSettings.js";

/** A room given by id, name or object. */
export type RoomRef = number | string | Room;

/** `joinRoom()` options (the JoinRoom request's `p`, `rl`, `sp`). */
export interface JoinRoomOptions {
  /** The room's password (plain, as the clients send it). */
  password?: string;
  /**
   * A joined room to leave once in the new one. `undefined` (the request has no `rl`): the last
   * joined room, the server's default; `null` or a negative id: none.
   */
  roomToLeave?: number | null;
  /** Join a game room as a spectator. */
  asSpectator?: boolean;
}

/** `createRoom()` options (the CreateRoom request's `aj`, `rl`). */
export interface CreateRoomOptions {
  /** The creator joins it at once (a JoinRoom response follows the room add). */
  autoJoin?: boolean;
  /** With `autoJoin`: as {@link JoinRoomOptions.roomToLeave}. */
  roomToLeave?: number | null;
}

/** What `joinRoom()` and `createRoom()` return. */
export interface RoomOutcome {
  room: Room;
  deliveries: Delivery[];
}

/** What `login()` returns. */
export interface LoginOutcome {
  user: User;
  /** The login reply's `rl`: room arrays of the user's subscribed groups. */
  roomList: SFSArray;
}

/** `login()` arguments. */
export interface ZoneLogin {
  /** User id (default: the manager allocates one). Must be unique on the server. */
  id?: number;
  /** User name; "" logs in a guest named by the zone's `guestName`. */
  name: string;
  /** 0 guest (default), 1 standard, 2 moderator, 3 administrator. */
  privilegeId?: number;
}

/** A moderator or admin message's target (`rm` + `rc`). */
export type SuperUserTarget =
  | { mode: MessageRecipientMode.ToUser; userId: number }
  | { mode: MessageRecipientMode.ToRoom; roomId: number }
  | { mode: MessageRecipientMode.ToGroup; groupId: string }
  | { mode: MessageRecipientMode.ToZone };

const err = RoomError.generic;

/**
 * A zone: its rooms, its logged-in users and the operations on them. Every operation checks its
 * input (throwing {@link RoomError} with the code the official clients know), changes the state,
 * and returns the {@link Delivery deliveries} it causes, in order: the server layer only sends
 * them. Create zones with {@link ZoneManager.createZone}.
 */
export class Zone {
  readonly name: string;
  readonly settings: Readonly<ZoneSettings>;
  private readonly roomsById = new Map<number, Room>();
  private readonly roomsByName = new Map<string, Room>();
  private readonly usersById = new Map<number, User>();
  private readonly usersByName = new Map<string, User>();
  private readonly subscribers = new Map<string, Set<User>>();
  private readonly knownGroups = new Set<string>();

  /** @internal Use `ZoneManager.createZone()`. */
  constructor(
    settings: ZoneSettings,
    /** The manager it belongs to. */
    readonly manager: ZoneManager,
  ) {
    this.name = settings.name;
    this.settings = Object.freeze({ ...settings });
    for (const g of this.defaultGroups) this.knownGroups.add(g);
    for (const g of settings.groups ?? []) this.knownGroups.add(g);
    for (const r of settings.rooms ?? []) this.addRoom(r, undefined);
  }

  private get defaultGroups(): readonly string[] {
    return this.settings.defaultGroups ?? ["default"];
  }

  // ------------------------------------------------------------------ lookups

  getRoomById(id: number): Room | undefined {
    return this.roomsById.get(id);
  }
  getRoomByName(name: string): Room | undefined {
    return this.roomsByName.get(name);
  }
  /** A room by id, name or object (undefined when it is not in this zone). */
  getRoom(ref: RoomRef): Room | undefined {
    if (ref instanceof Room) return ref.zone === this && ref.isActive ? ref : undefined;
    return typeof ref === "number" ? this.roomsById.get(ref) : this.roomsByName.get(ref);
  }
  /** Every room, or the rooms of one group, in creation order. */
  getRoomList(groupId?: string): Room[] {
    const all = [...this.roomsById.values()];
    return groupId === undefined ? all : all.filter((r) => r.groupId === groupId);
  }
  /** Groups that exist: default and configured groups and those of existing rooms. */
  getGroups(): string[] {
    const out = new Set(this.knownGroups);
    for (const r of this.roomsById.values()) out.add(r.groupId);
    return [...out];
  }
  getUserById(id: number): User | undefined {
    return this.usersById.get(id);
  }
  getUserByName(name: string): User | undefined {
    return this.usersByName.get(name);
  }
  getUserList(): User[] {
    return [...this.usersById.values()];
  }
  get userCount(): number {
    return this.usersById.size;
  }
  /** Users subscribed to a room group (they get its room adds, removals and count changes). */
  getGroupSubscribers(groupId: string): User[] {
    return [...(this.subscribers.get(groupId) ?? [])];
  }

  // ------------------------------------------------------------------ users

  /**
   * Checks that a login may go ahead: guests allowed (ec 10), zone not full (ec 5), name free
   * (ec 6). `login()` runs the same checks; this lets a login handler refuse early.
   */
  checkLogin(name: string): void {
    if (name === "") {
      const g = this.settings.allowGuests ?? true;
      const ok = typeof g === "function" ? g({ zone: this.name }) : g;
      if (!ok) throw new RoomError(SFSErrorCode.LoginGuestNotAllowed, [this.name]);
    } else if (this.usersByName.has(name)) throw new RoomError(SFSErrorCode.LoginAlreadyLogged, [name, this.name]);
    const max = this.settings.maxUsers ?? 0;
    if (max > 0 && this.usersById.size >= max) throw new RoomError(SFSErrorCode.LoginZoneFull, [this.name]);
  }

  /**
   * Logs a user in: it subscribes to the default groups, and the outcome holds the login reply's
   * `rl`. Nothing is sent to others (as on the live server).
   */
  login(request: ZoneLogin): LoginOutcome {
    this.checkLogin(request.name);
    const id = request.id ?? this.manager._allocateUserId();
    if (!Number.isInteger(id) || id < -0x80000000 || id > 0x7fffffff) throw new TypeError(`user id ${id} is not an INT`);
    if (this.manager.getUserById(id) !== undefined) throw err(`User id ${id} is in use`);
    const name = request.name === "" ? (this.settings.guestName ?? ((n: number) => `Guest#${n}`))(id) : request.name;
    if (this.usersByName.has(name)) throw new RoomError(SFSErrorCode.LoginAlreadyLogged, [name, this.name]);
    const user = new User(id, name, request.privilegeId ?? UserPrivilege.Guest, this);
    this.usersById.set(id, user);
    this.usersByName.set(name, user);
    this.manager._registerUser(user);
    for (const g of this.defaultGroups) this.subscribe(user, g);
    const roomList = new SFSArray();
    for (const r of this.roomsById.values()) if (user._groups.has(r.groupId)) roomList.addSFSArray(r.toSFSArray());
    this.manager.emit("userLogin", user);
    return { user, roomList };
  }

  /**
   * The user leaves the zone (logout or disconnection): the occupants of its rooms get 1002
   * UserLost (once each, not 1004), then the deletion of the Room Variables it owned (a=11), then
   * the count changes (1001); empty rooms that should go are removed (1003).
   */
  logout(user: User): Delivery[] {
    const out: Delivery[] = [];
    if (!user._online || this.usersById.get(user.id) !== user) return out;
    user._online = false;
    const rooms = [...user._rooms.keys()];
    const others = new Set<User>();
    for (const room of rooms) for (const u of room._users.keys()) if (u !== user) others.add(u);
    push(out, [...others], M.userLost(user));
    // Gone from the zone first, so that it gets none of the count changes below.
    this.usersById.delete(user.id);
    this.usersByName.delete(user.name);
    for (const g of user._groups) this.subscribers.get(g)?.delete(user);
    user._groups.clear();
    this.manager._unregisterUser(user);
    for (const room of rooms) {
      this.detach(user, room);
      this.dropOwnedVariables(out, room, user, true);
      this.manager.emit("userLeaveRoom", user, room);
      if (!this.shouldRemove(room)) this.manager._countChanged(room, out);
    }
    // Persistent variables it left behind in rooms it is no longer in.
    for (const room of this.roomsById.values()) if (!rooms.includes(room)) this.dropOwnedVariables(out, room, user, true);
    for (const room of [...this.roomsById.values()]) if (this.shouldRemove(room)) this.removeInto(out, room);
    this.manager.emit("userLogout", user);
    return out;
  }

  // ------------------------------------------------------------------ rooms

  /**
   * Creates a room: by `creator` (a CreateRoom request: name, group, limits checked; the creator
   * and the group's subscribers get the room add a=6 `{r}`; with `autoJoin` the join follows), or
   * by server code (`creator` undefined: no creation limits; subscribers get the room add).
   */
  createRoom(creator: User | undefined, settings: RoomSettings, options: CreateRoomOptions = {}): RoomOutcome {
    if (creator !== undefined) this.assertHere(creator);
    this.checkRoomSettings(creator, settings);
    const out: Delivery[] = [];
    const room = this.addRoom(settings, creator);
    const subs = this.getGroupSubscribers(room.groupId);
    push(out, creator === undefined || subs.includes(creator) ? subs : [creator, ...subs], M.roomAdd(room));
    this.manager.emit("roomAdded", room);
    if (creator !== undefined && options.autoJoin === true) {
      out.push(...this.joinRoom(creator, room, { roomToLeave: options.roomToLeave, password: room.password }).deliveries);
    }
    return { room, deliveries: out };
  }

  /** Removes a room: its group's subscribers and its occupants get 1003 RoomLost. */
  removeRoom(ref: RoomRef): Delivery[] {
    const room = this.requireRoom(ref);
    const out: Delivery[] = [];
    this.removeInto(out, room);
    return out;
  }

  /**
   * Joins a room (spec §3.2 JoinRoom): room not found → 22 (`ep` empty, as live), already in it →
   * 19, wrong password → 21, no free slot → 20. The joiner gets `{ r, ul }`, the occupants 1000,
   * the room left (see `roomToLeave`) its 1004s, and the groups' subscribers 1001.
   */
  joinRoom(user: User, ref: RoomRef, options: JoinRoomOptions = {}): RoomOutcome {
    this.assertHere(user);
    const room = this.getRoom(ref);
    if (room === undefined) throw new RoomError(SFSErrorCode.JoinBadRoom, []);
    if (room._users.has(user)) throw new RoomError(SFSErrorCode.JoinAlreadyJoined, [user.name]);
    if (room.isPasswordProtected && options.password !== room.password) throw new RoomError(SFSErrorCode.JoinBadPassword, [room.name]);
    let playerId = 0;
    if (room.isGame && options.asSpectator === true) {
      if (room.spectatorCount >= room.maxSpectators) throw new RoomError(SFSErrorCode.JoinRoomFull, [room.name]);
      playerId = -1;
    } else {
      if (room.userCount >= room.maxUsers) throw new RoomError(SFSErrorCode.JoinRoomFull, [room.name]);
      if (room.isGame) playerId = room._freePlayerId() ?? 0;
    }
    const leave = this.roomToLeave(user, options.roomToLeave, room);
    const out: Delivery[] = [];
    room._users.set(user, playerId);
    user._rooms.set(room, playerId);
    user.lastJoinedRoom = room;
    push(out, [user], M.joinRoomResponse(room, user));
    if (room.events.allowUserEnter) push(out, this.others(room, user), M.userEnterRoom(room, user));
    if (leave !== undefined) this.leaveInto(out, user, leave);
    this.manager._countChanged(room, out);
    this.manager.emit("userJoinRoom", user, room);
    return { room, deliveries: out };
  }

  /**
   * Leaves a room (LeaveRoom a=14): the leaver and the occupants get 1004 (there is no a=14
   * reply), the Room Variables the leaver owned and that are not persistent are deleted (a=11),
   * the subscribers get 1001, and an empty room that should go is removed (1003).
   */
  leaveRoom(user: User, ref: RoomRef): Delivery[] {
    this.assertHere(user);
    const room = this.getRoom(ref);
    if (room === undefined || !room._users.has(user)) throw err(`User ${user.name} is not joined in room ${typeof ref === "object" ? ref.name : String(ref)}`);
    const out: Delivery[] = [];
    this.leaveInto(out, user, room);
    return out;
  }

  // ------------------------------------------------------------------ messages

  /** Public message (a=7 t=0): the same `{ p?, r, t, u, m }` to every occupant, the sender included. */
  sendPublicMessage(sender: User, ref: RoomRef, text: string, params?: SFSObject): Delivery[] {
    const room = this.joinedRoom(sender, ref);
    if (!room.permissions.allowPublicMessages) throw err(`Public messages are not allowed in room ${room.name}`);
    const out: Delivery[] = [];
    push(out, room.getUserList(), M.publicMessage(room, sender, text, params));
    return out;
  }

  /**
   * Private message (a=7 t=1) to a user of the zone and back to the sender. The recipient's copy
   * carries `sd` (the sender's user array) when they share no room.
   */
  sendPrivateMessage(sender: User, recipientId: number, text: string, params?: SFSObject): Delivery[] {
    this.assertHere(sender);
    const to = this.usersById.get(recipientId);
    if (to === undefined) throw err(`User #${recipientId} is not in zone ${this.name}`);
    const out: Delivery[] = [];
    const shared = [...sender._rooms.keys()].some((r) => r._users.has(to));
    push(out, [to], M.userMessage(MessageType.Private, sender, text, params, !shared && to !== sender));
    if (to !== sender) push(out, [sender], M.userMessage(MessageType.Private, sender, text, params, false));
    return out;
  }

  /**
   * Object message (a=7 t=4) `{ p, r, t, u }`: to the occupants but the sender, or to the listed
   * recipients that are in the room.
   */
  sendObjectMessage(sender: User, ref: RoomRef, params: SFSObject, recipientIds?: readonly number[]): Delivery[] {
    const room = this.joinedRoom(sender, ref);
    let to: User[];
    if (recipientIds === undefined) to = this.others(room, sender);
    else {
      const ids = new Set(recipientIds);
      to = room.getUserList().filter((u) => ids.has(u.id));
    }
    const out: Delivery[] = [];
    push(out, to, M.objectMessage(room, sender, params));
    return out;
  }

  /**
   * Moderator (t=2, privilege ≥ 2) or admin (t=3, privilege 3) message with `sd`, to a user, a
   * room's occupants, a group's subscribers or the whole zone.
   */
  sendSuperUserMessage(sender: User, type: MessageType.Moderator | MessageType.Admin, text: string, target: SuperUserTarget, params?: SFSObject): Delivery[] {
    this.assertHere(sender);
    const need = type === MessageType.Admin ? UserPrivilege.Administrator : UserPrivilege.Moderator;
    if (sender.privilegeId < need) throw err(`User ${sender.name} may not send ${type === MessageType.Admin ? "admin" : "moderator"} messages`);
    let to: User[];
    switch (target.mode) {
      case MessageRecipientMode.ToUser: {
        const u = this.usersById.get(target.userId);
        if (u === undefined) throw err(`User #${target.userId} is not in zone ${this.name}`);
        to = [u];
        break;
      }
      case MessageRecipientMode.ToRoom:
        to = this.requireRoom(target.roomId).getUserList();
        break;
      case MessageRecipientMode.ToGroup:
        to = this.getGroupSubscribers(target.groupId);
        break;
      case MessageRecipientMode.ToZone:
        to = this.getUserList();
        break;
      default:
        throw err(`Bad recipient mode ${String((target as { mode: unknown }).mode)}`);
    }
    const out: Delivery[] = [];
    push(out, to, M.userMessage(type, sender, text, params, true));
    return out;
  }

  /** Sends any message to a room's occupants (`except` one of them): for game code. */
  broadcast(ref: RoomRef, message: Message, except?: User): Delivery[] {
    const room = this.requireRoom(ref);
    const out: Delivery[] = [];
    push(out, except === undefined ? room.getUserList() : this.others(room, except), message);
    return out;
  }

  // ------------------------------------------------------------------ variables

  /**
   * Sets Room Variables (a=11), by an occupant (`setter`) or by server code (undefined). A NULL
   * variable deletes. A user may not change another user's private variable nor create more
   * than the room's `maxVariables`; then nothing changes and a `RoomError` (28) says why. The
   * occupants get `{ r, vl }` with what changed.
   */
  setRoomVariables(setter: User | undefined, ref: RoomRef, variables: readonly SFSRoomVariable[]): Delivery[] {
    const room = setter === undefined ? this.requireRoom(ref) : this.joinedRoom(setter, ref);
    const last = dedupe(variables);
    if (setter !== undefined) {
      let added = 0;
      for (const v of last.values()) {
        const cur = room._variables.get(v.name);
        if (cur !== undefined && cur.variable.isPrivate && cur.owner !== setter) {
          throw err(`Room variable ${v.name} is private to ${cur.owner === undefined ? "the server" : `user ${cur.owner.name}`}`);
        }
        if (cur === undefined && !v.isNull) added++;
      }
      if (added > 0 && room._variables.size + added > room.maxVariables) throw err(`Too many Room Variables in room ${room.name} (max ${room.maxVariables})`);
    }
    const changed: SFSRoomVariable[] = [];
    for (const v of last.values()) {
      if (v.isNull) {
        const cur = room._variables.get(v.name);
        if (cur !== undefined) {
          room._variables.delete(v.name);
          changed.push(cur.variable.toNull());
        }
      } else {
        room._variables.set(v.name, { variable: v, owner: setter });
        changed.push(v);
      }
    }
    const out: Delivery[] = [];
    if (changed.length === 0) return out;
    push(out, room.getUserList(), M.roomVariablesUpdate(room, changed));
    this.manager.emit("roomVariablesUpdate", room, changed, setter);
    return out;
  }

  /**
   * Sets a user's User Variables (a=12). A NULL variable deletes. The user gets `{ u, vl }` with
   * everything that changed; users sharing a room with it (whose room sends variable updates) get
   * the non-private part. Users may hold at most the zone's `maxUserVariables` (server code:
   * `fromCode` true, no limit).
   */
  setUserVariables(user: User, variables: readonly SFSUserVariable[], fromCode = false): Delivery[] {
    this.assertHere(user);
    const last = dedupe(variables);
    if (!fromCode) {
      let added = 0;
      for (const v of last.values()) if (!v.isNull && !user.variables.has(v.name)) added++;
      const max = this.settings.maxUserVariables ?? 5;
      if (added > 0 && user.variables.size + added > max) throw err(`Too many User Variables for user ${user.name} (max ${max})`);
    }
    const changed: SFSUserVariable[] = [];
    for (const v of last.values()) {
      if (v.isNull) {
        const cur = user.variables.get(v.name);
        if (cur !== undefined) {
          user.variables.delete(v.name);
          changed.push(cur.toNull());
        }
      } else {
        user.variables.set(v.name, v);
        changed.push(v);
      }
    }
    const out: Delivery[] = [];
    if (changed.length === 0) return out;
    push(out, [user], M.userVariablesUpdate(user, changed));
    const visible = changed.filter((v) => !v.isPrivate);
    if (visible.length > 0) {
      const to = new Set<User>();
      for (const room of user._rooms.keys()) {
        if (!room.events.allowUserVariablesUpdate) continue;
        for (const u of room._users.keys()) if (u !== user) to.add(u);
      }
      push(out, [...to], M.userVariablesUpdate(user, visible));
    }
    this.manager.emit("userVariablesUpdate", user, changed);
    return out;
  }

  // ------------------------------------------------------------------ groups

  /** SubscribeRoomGroup (a=15): the user then gets the group's room events; reply `{ g, rl }`. Errors 24 (subscribed), 25 (no such group). */
  subscribeRoomGroup(user: User, groupId: string): Delivery[] {
    this.assertHere(user);
    if (user._groups.has(groupId)) throw new RoomError(SFSErrorCode.SubscribeGroupAlreadySubscribed, [groupId]);
    if (!this.getGroups().includes(groupId)) throw new RoomError(SFSErrorCode.SubscribeGroupNotFound, [groupId]);
    this.subscribe(user, groupId);
    return [{ to: [user], message: M.subscribeRoomGroupResponse(groupId, this.getRoomList(groupId)) }];
  }

  /** UnsubscribeRoomGroup (a=16): reply `{ g }`. Errors 26 (not subscribed), 27 (no such group). */
  unsubscribeRoomGroup(user: User, groupId: string): Delivery[] {
    this.assertHere(user);
    if (!this.getGroups().includes(groupId)) throw new RoomError(SFSErrorCode.UnsubscribeGroupNotFound, [groupId]);
    if (!user._groups.has(groupId)) throw new RoomError(SFSErrorCode.UnsubscribeGroupNotSubscribed, [groupId]);
    user._groups.delete(groupId);
    this.subscribers.get(groupId)?.delete(user);
    return [{ to: [user], message: M.unsubscribeRoomGroupResponse(groupId) }];
  }

  // ------------------------------------------------------------------ internals

  private subscribe(user: User, groupId: string): void {
    user._groups.add(groupId);
    let set = this.subscribers.get(groupId);
    if (set === undefined) this.subscribers.set(groupId, (set = new Set()));
    set.add(user);
  }

  private assertHere(user: User): void {
    if (user.zone !== this || !user._online) throw err(`User ${user.name} is not logged in to zone ${this.name}`);
  }

  private requireRoom(ref: RoomRef): Room {
    const room = this.getRoom(ref);
    if (room === undefined) throw new RoomError(SFSErrorCode.JoinBadRoom, []);
    return room;
  }

  private joinedRoom(user: User, ref: RoomRef): Room {
    this.assertHere(user);
    const room = this.requireRoom(ref);
    if (!room._users.has(user)) throw err(`User ${user.name} is not joined in room ${room.name}`);
    return room;
  }

  private others(room: Room, user: User): User[] {
    const out: User[] = [];
    for (const u of room._users.keys()) if (u !== user) out.push(u);
    return out;
  }

  private roomToLeave(user: User, rl: number | null | undefined, joining: Room): Room | undefined {
    if (rl === null) return undefined;
    if (rl === undefined) return user.lastJoinedRoom !== joining ? user.lastJoinedRoom : undefined;
    if (rl < 0) return undefined;
    for (const r of user._rooms.keys()) if (r.id === rl && r !== joining) return r;
    return undefined;
  }

  private checkRoomSettings(creator: User | undefined, s: RoomSettings): void {
    const z = this.settings;
    if (creator !== undefined && z.allowRoomCreation === false) throw new RoomError(SFSErrorCode.CreateRoomWrongParameter, ["room creation is disabled"]);
    if (typeof s.name !== "string") throw new RoomError(SFSErrorCode.CreateRoomWrongParameter, ["name"]);
    const { min, max } = z.roomNameLength ?? { min: 1, max: 64 };
    const len = [...s.name].length;
    if (len < min || len > max) throw new RoomError(SFSErrorCode.RoomNameBadSize, [String(min), String(max), String(len)]);
    if (this.roomsByName.has(s.name)) throw new RoomError(SFSErrorCode.RoomDuplicateName, [s.name]);
    const group = s.groupId ?? "default";
    if (creator !== undefined && z.publicGroups !== undefined && !z.publicGroups.includes(group)) throw new RoomError(SFSErrorCode.CreateRoomBadGroup, [s.name, group]);
    const maxRooms = z.maxRooms ?? 0;
    if (maxRooms > 0 && this.roomsById.size >= maxRooms) throw new RoomError(SFSErrorCode.CreateRoomZoneFull, []);
    const perUser = z.maxRoomsCreatedPerUser ?? 3;
    if (creator !== undefined && perUser > 0 && creator._createdRooms >= perUser) throw new RoomError(SFSErrorCode.CreateRoomExceedUserLimit, [String(perUser)]);
    const short = (v: number | undefined, lo: number): boolean => v === undefined || (Number.isInteger(v) && v >= lo && v <= 0x7fff);
    if (!short(s.maxUsers, 1)) throw new RoomError(SFSErrorCode.CreateRoomWrongParameter, ["maxUsers"]);
    if (!short(s.maxSpectators, 0)) throw new RoomError(SFSErrorCode.CreateRoomWrongParameter, ["maxSpectators"]);
    if (!short(s.maxVariables, 0)) throw new RoomError(SFSErrorCode.CreateRoomWrongParameter, ["maxVariables"]);
    const allowed = Math.min(s.maxVariables ?? 5, z.maxRoomVariables ?? 20);
    if (creator !== undefined && (s.variables?.length ?? 0) > allowed) throw new RoomError(SFSErrorCode.CreateRoomWrongParameter, ["variables"]);
  }

  private addRoom(settings: RoomSettings, creator: User | undefined): Room {
    if (this.roomsByName.has(settings.name)) throw new RoomError(SFSErrorCode.RoomDuplicateName, [settings.name]);
    const cap = this.settings.maxRoomVariables ?? 20;
    // A user's room may not allow more variables than the zone's cap (memory held for other users).
    const s = creator !== undefined && (settings.maxVariables ?? 5) > cap ? { ...settings, maxVariables: cap } : settings;
    const room = new Room(this.manager._allocateRoomId(), s, this, creator);
    for (const v of dedupe(settings.variables ?? []).values()) if (!v.isNull) room._variables.set(v.name, { variable: v, owner: creator });
    this.roomsById.set(room.id, room);
    this.roomsByName.set(room.name, room);
    this.manager._registerRoom(room);
    if (creator !== undefined) creator._createdRooms++;
    return room;
  }

  private detach(user: User, room: Room): void {
    room._users.delete(user);
    user._rooms.delete(room);
    if (user.lastJoinedRoom === room) {
      let last: Room | undefined;
      for (const r of user._rooms.keys()) last = r;
      user.lastJoinedRoom = last;
    }
  }

  private leaveInto(out: Delivery[], user: User, room: Room): void {
    const others = this.others(room, user);
    this.detach(user, room);
    push(out, room.events.allowUserExit ? [user, ...others] : [user], M.userExitRoom(room, user));
    this.dropOwnedVariables(out, room, user, false);
    this.manager.emit("userLeaveRoom", user, room);
    if (this.shouldRemove(room)) this.removeInto(out, room);
    else this.manager._countChanged(room, out);
  }

  /** Deletes the Room Variables `owner` set (persistent ones too when `all`) and tells the occupants. */
  private dropOwnedVariables(out: Delivery[], room: Room, owner: User, all: boolean): void {
    const gone: SFSRoomVariable[] = [];
    for (const [name, e] of room._variables) {
      if (e.owner === owner && (all || !e.variable.isPersistent)) {
        room._variables.delete(name);
        gone.push(e.variable.toNull());
      }
    }
    if (gone.length === 0) return;
    push(out, room.getUserList(), M.roomVariablesUpdate(room, gone));
    this.manager.emit("roomVariablesUpdate", room, gone, undefined);
  }

  private shouldRemove(room: Room): boolean {
    if (!room._active || room._users.size > 0) return false;
    const owner = room.owner;
    switch (room.removeMode) {
      case "never":
        return false;
      case "whenEmpty":
        return true;
      case "whenEmptyAndCreatorIsGone":
        return owner !== undefined && !owner._online;
      default:
        return owner !== undefined && (room.isGame || !owner._online);
    }
  }

  private removeInto(out: Delivery[], room: Room): void {
    const occupants = room.getUserList();
    for (const u of occupants) this.detach(u, room);
    room._active = false;
    this.roomsById.delete(room.id);
    this.roomsByName.delete(room.name);
    this.manager._unregisterRoom(room);
    if (room.owner !== undefined) room.owner._createdRooms--;
    const to = new Set<User>(this.subscribers.get(room.groupId));
    for (const u of occupants) to.add(u);
    push(out, [...to], M.roomLost(room));
    this.manager.emit("roomRemoved", room);
  }
}

/** The last variable of each name, in first-seen order. */
function dedupe<V extends { name: string }>(vars: readonly V[]): Map<string, V> {
  const m = new Map<string, V>();
  for (const v of vars) m.set(v.name, v);
  return m;
}
