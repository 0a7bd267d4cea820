import type { SFSObject } from "@sfs2x/core";
import { SysAction, type Message } from "@sfs2x/protocol";
import type { SFSClientBase } from "../client/SFSClient.js";
import { SFSClientError, SFSClientErrorCode } from "../errors/SFSClientError.js";
import { TimeoutError } from "../errors/TimeoutError.js";
import type { RoomSettings } from "../rooms/RoomSettings.js";
import type { SFSRoomVariable } from "../rooms/SFSRoomVariable.js";
import type { SFSUserVariable } from "../rooms/SFSUserVariable.js";
import { CLIENT_ROOM_ACTIONS, ClientRoomState, type ClientRoomEvents, type RequestErrorEvent } from "./ClientRoomState.js";
import {
  createRoomRequest,
  joinRoomRequest,
  leaveRoomRequest,
  objectMessageRequest,
  privateMessageRequest,
  publicMessageRequest,
  setRoomVariablesRequest,
  setUserVariablesRequest,
  subscribeRoomGroupRequest,
  unsubscribeRoomGroupRequest,
} from "./RoomRequestBuilders.js";
import type { SFSRoom } from "./SFSRoom.js";

/** Options of {@link RoomClient}. */
export interface RoomClientOptions {
  /** How long the awaited requests (join, create, leave, variables, groups) wait, ms (default 10000). */
  timeoutMs?: number;
}

/** `joinRoom()` options. */
export interface JoinOptions {
  password?: string;
  /** A joined room to leave (default: the server leaves the last joined one; -1: none). */
  roomToLeave?: number | SFSRoom;
  asSpectator?: boolean;
}

/** `createRoom()` options. */
export interface CreateOptions {
  /** Join it at once (default false); the promise then waits for the join too. */
  autoJoin?: boolean;
  roomToLeave?: number | SFSRoom;
}

type Unsubscribe = () => void;

/** True while an `SFSClient` builds its own `client.rooms`, which it feeds itself (see {@link RoomClient._forClient}). */
let fedByClient = false;

/**
 * Rooms for an `SFSClient`: a {@link ClientRoomState} fed with every room message the client
 * receives, and the room requests as methods. Requests the server confirms resolve on that
 * confirmation (the join reply, the room add, the own 1004, the own variable update) and reject
 * with `SFSError` on an error reply or with `TimeoutError`.
 *
 * Every client has one already, created with it: `client.rooms`.
 *
 * ```ts
 * const client = new SFSClient("ws://127.0.0.1:8080", { zone: "BasicExamples" });
 * await client.login({ username: "ada" });       // client.rooms saw the login's room list
 * const lobby = await client.rooms.joinRoom("The Lobby");
 * client.rooms.on("publicMessage", (e) => console.log(e.sender.name, e.message));
 * await client.rooms.sendPublicMessage("hello");
 * ```
 *
 * `new RoomClient(client)` makes another, independent mirror of the same client (create it before
 * login so it sees the room list); it follows the client through handlers of the room actions.
 */
export class RoomClient extends ClientRoomState {
  private readonly offs: Unsubscribe[] = [];
  private readonly timeoutMs: number;
  /** `client.rooms`: the client calls {@link _feed} with each system message, before its handlers. */
  private readonly fed: boolean;
  private attached = true;

  constructor(
    readonly client: SFSClientBase,
    options: RoomClientOptions = {},
  ) {
    super();
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.fed = fedByClient;
    // client.rooms takes no handler slot: the client's catch-all (onMessage) still sees room messages.
    if (!this.fed) for (const action of CLIENT_ROOM_ACTIONS) this.offs.push(client.on(action, (_p, ctx) => void this.apply(ctx.message)));
    this.offs.push(client.onDisconnect(() => this.clear()));
  }

  /** @internal Builds `client.rooms` for an `SFSClient` (fed by the client itself). */
  static _forClient(client: SFSClientBase, options: RoomClientOptions): RoomClient {
    fedByClient = true;
    try {
      return new RoomClient(client, options);
    } finally {
      fedByClient = false;
    }
  }

  /** @internal One system message from the client that owns this `client.rooms`. */
  _feed(message: Message): void {
    if (this.attached) this.apply(message);
  }

  /** Stops following the client's messages. */
  detach(): void {
    this.attached = false;
    for (const off of this.offs.splice(0)) off();
  }

  private myId(): number {
    const me = this.mySelf;
    if (me === undefined) throw new SFSClientError(SFSClientErrorCode.BAD_STATE, "not logged in (create the RoomClient before login so it sees the login reply)");
    return me.id;
  }

  private target(room: number | SFSRoom | undefined): SFSRoom {
    const r = room === undefined ? this.lastJoinedRoom : typeof room === "number" ? this.getRoomById(room) : room;
    if (r === undefined) throw new SFSClientError(SFSClientErrorCode.BAD_ARGUMENT, room === undefined ? "no joined room" : `unknown room ${String(room)}`);
    return r;
  }

  /**
   * Sends `message` and waits until `watch` settles: it subscribes to the events that answer the
   * request and returns their unsubscribe functions; a `requestError` of `action` rejects.
   */
  private exchange<T>(message: Message, action: number, watch: (resolve: (v: T) => void, reject: (e: Error) => void) => Unsubscribe[]): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const offs: Unsubscribe[] = [];
      const done = (): void => {
        if (timer !== undefined) clearTimeout(timer);
        for (const off of offs) off();
      };
      const ok = (v: T): void => {
        done();
        resolve(v);
      };
      const fail = (e: Error): void => {
        done();
        reject(e);
      };
      offs.push(...watch(ok, fail));
      offs.push(this.on("requestError", (e: RequestErrorEvent) => e.action === action && fail(e.error)));
      timer = setTimeout(() => fail(new TimeoutError(`no answer to ${SysAction[action] ?? action} within ${this.timeoutMs} ms`, this.timeoutMs)), this.timeoutMs);
      this.client.send(message).then(undefined, fail);
    });
  }

  /** Joins a room (by id, name or object); resolves with the joined room. */
  joinRoom(room: number | string | SFSRoom, options: JoinOptions = {}): Promise<SFSRoom> {
    const leave = options.roomToLeave === undefined ? undefined : typeof options.roomToLeave === "number" ? options.roomToLeave : options.roomToLeave.id;
    const msg = joinRoomRequest(room, options.password, leave, options.asSpectator ?? false);
    return this.exchange<SFSRoom>(msg, SysAction.JoinRoom, (ok, fail) => [
      this.on("roomJoin", (e) => ok(e.room)),
      this.on("roomJoinError", (e) => fail(e.error)),
    ]);
  }

  /** Creates a room; resolves with it once the server added it (and, with `autoJoin`, once joined). */
  createRoom(settings: RoomSettings, options: CreateOptions = {}): Promise<SFSRoom> {
    const msg = createRoomRequest(settings, options.autoJoin ?? false, options.roomToLeave ?? null);
    return this.exchange<SFSRoom>(msg, SysAction.CreateRoom, (ok, fail) => {
      let added: SFSRoom | undefined;
      return [
        this.on("roomAdd", (e) => {
          if (e.room.name !== settings.name) return;
          if (options.autoJoin === true) added = e.room;
          else ok(e.room);
        }),
        this.on("roomJoin", (e) => added !== undefined && e.room === added && ok(added)),
        this.on("roomCreationError", (e) => fail(e.error)),
        this.on("roomJoinError", (e) => options.autoJoin === true && fail(e.error)),
      ];
    });
  }

  /** Leaves a room (default: the last joined one); resolves on the own 1004. */
  async leaveRoom(room?: number | SFSRoom): Promise<void> {
    const r = this.target(room);
    await this.exchange<void>(leaveRoomRequest(r), SysAction.LeaveRoom, (ok) => [
      this.on("userExitRoom", (e) => e.user.isItMe && e.room.id === r.id && ok()),
    ]);
  }

  /** Sends a public message to a joined room (default: the last joined one). Resolves once sent. */
  sendPublicMessage(message: string, room?: number | SFSRoom, params?: SFSObject): Promise<void> {
    try {
      return this.client.send(publicMessageRequest(message, this.target(room), this.myId(), params));
    } catch (e) {
      return Promise.reject(e as Error);
    }
  }

  /** Sends a private message to a user id. Resolves once sent. */
  sendPrivateMessage(message: string, recipientId: number, params?: SFSObject): Promise<void> {
    return this.client.send(privateMessageRequest(message, recipientId, params));
  }

  /** Sends an object message to a room's occupants (or the listed users). Resolves once sent. */
  sendObjectMessage(params: SFSObject, room?: number | SFSRoom, recipientIds?: readonly number[]): Promise<void> {
    try {
      return this.client.send(objectMessageRequest(params, this.target(room), recipientIds));
    } catch (e) {
      return Promise.reject(e as Error);
    }
  }

  /** Sets own User Variables; resolves when the server's update for the own user arrives. */
  setUserVariables(variables: readonly SFSUserVariable[]): Promise<void> {
    return this.exchange<void>(setUserVariablesRequest(variables), SysAction.SetUserVariables, (ok) => [
      this.on("userVariablesUpdate", (e) => e.user.isItMe && ok()),
    ]);
  }

  /** Sets Room Variables of a joined room (default: the last joined one); resolves on the room's update. */
  setRoomVariables(variables: readonly SFSRoomVariable[], room?: number | SFSRoom): Promise<void> {
    let r: SFSRoom;
    try {
      r = this.target(room);
    } catch (e) {
      return Promise.reject(e as Error);
    }
    const names = new Set(variables.map((v) => v.name));
    return this.exchange<void>(setRoomVariablesRequest(variables, r), SysAction.SetRoomVariables, (ok) => [
      this.on("roomVariablesUpdate", (e) => e.room.id === r.id && e.changedVars.some((n) => names.has(n)) && ok()),
    ]);
  }

  /** Subscribes to a room group; resolves with its rooms. */
  subscribeRoomGroup(groupId: string): Promise<SFSRoom[]> {
    return this.exchange<SFSRoom[]>(subscribeRoomGroupRequest(groupId), SysAction.SubscribeRoomGroup, (ok, fail) => [
      this.on("roomGroupSubscribe", (e) => e.groupId === groupId && ok(e.newRooms)),
      this.on("roomGroupSubscribeError", (e) => fail(e.error)),
    ]);
  }

  /** Unsubscribes from a room group. */
  unsubscribeRoomGroup(groupId: string): Promise<void> {
    return this.exchange<void>(unsubscribeRoomGroupRequest(groupId), SysAction.UnsubscribeRoomGroup, (ok, fail) => [
      this.on("roomGroupUnsubscribe", (e) => e.groupId === groupId && ok()),
      this.on("roomGroupUnsubscribeError", (e) => fail(e.error)),
    ]);
  }
}

export type { ClientRoomEvents };
