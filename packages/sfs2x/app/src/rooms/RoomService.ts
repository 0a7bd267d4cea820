import type { SFSArray } from "@sfs2x/core";
import { PreparedMessage, TransportError, TransportErrorCode, type Message } from "@sfs2x/protocol";
import { toMessage, type SendOptions } from "../dispatch/target.js";
import type { Body } from "../dispatch/toParams.js";
import { ServerError, ServerErrorCode } from "../errors/ServerError.js";
import type { SFSServer } from "../server/SFSServer.js";
import type { Session } from "../server/Session.js";
import type { Delivery } from "./Delivery.js";
import type { Room } from "./Room.js";
import { RoomError } from "./RoomError.js";
import { ROOM_ACTIONS, handleRoomRequest } from "./RoomRequests.js";
import type { RoomSettings } from "./RoomSettings.js";
import type { SFSRoomVariable } from "./SFSRoomVariable.js";
import type { SFSUserVariable } from "./SFSUserVariable.js";
import type { User } from "./User.js";
import { consoleLogger, type Logger } from "../util/logger.js";
import type { CreateRoomOptions, JoinRoomOptions, RoomRef, Zone } from "./Zone.js";
import { ZoneManager, type ZoneManagerOptions } from "./ZoneManager.js";

/** Options of {@link RoomService}: those of its {@link ZoneManager} (its `deliver` is the service's). */
export type RoomServiceOptions = Omit<ZoneManagerOptions, "deliver">;

/**
 * Zones and rooms served by an {@link SFSServer}: it logs users into the zones, serves the room
 * requests (JoinRoom, CreateRoom, LeaveRoom, public/private/object/moderator messages, Room and
 * User Variables, room groups), tells the others when a user logs out or disconnects, and
 * delivers what the operations cause to the users' sessions. Game code uses the same operations
 * through its methods (they deliver too) or {@link world} directly (then call {@link deliver}).
 *
 * ```ts
 * const rooms = new RoomService({ zones: [{ name: "BasicExamples", rooms: [{ name: "The Lobby", maxUsers: 150 }] }] });
 * const server = new SFSServer("ws://127.0.0.1:8080", { roomListFor: rooms.roomListFor });
 * rooms.attach(server);
 * await server.listen();
 * ```
 *
 * Logins: `roomListFor` puts the session's user into its zone and returns the login reply's
 * room list; an unknown zone is refused with ec 1, a full zone with ec 5, and (zones with
 * `allowGuests: false`) a guest with ec 10. The server names guests `Guest#<id>`, so the zone's
 * `guestName` does not apply here, and a login is taken for a guest's when its name is exactly that.
 */
export class RoomService {
  /** The zones, rooms and users. */
  readonly world: ZoneManager;
  private readonly sessions = new Map<User, Session>();
  private readonly users = new WeakMap<Session, User>();
  private readonly failHandlers = new WeakMap<Session, (e: unknown) => void>();
  private server: SFSServer | undefined;
  private readonly logger: Logger;

  constructor(options: RoomServiceOptions = {}) {
    this.logger = options.logger ?? consoleLogger;
    this.world = new ZoneManager({ ...options, deliver: (d) => this.deliver(d) });
  }

  /**
   * The `roomListFor` option of `SFSServer`: logs the session's user into its zone (throwing
   * `RoomError` refuses the login with that code) and returns the room list of its groups.
   */
  readonly roomListFor = (session: Session): SFSArray => {
    const zone = this.world.requireZone(session.zone ?? "");
    const id = session.userId;
    const name = session.username;
    if (id === undefined || name === undefined) throw RoomError.generic("Login required");
    const stale = this.world.getUserById(id);
    if (stale !== undefined) this.dropUser(stale);
    if (name === `Guest#${id}`) zone.checkLogin(""); // the guest policy
    const { user, roomList } = zone.login({ id, name, privilegeId: session.privilegeId });
    this.sessions.set(user, session);
    this.users.set(session, user);
    return roomList;
  };

  /**
   * Serves room requests on `server` and follows its logouts and disconnections. The server must
   * also use {@link roomListFor}. Returns a function that detaches.
   */
  attach(server: SFSServer): () => void {
    if (this.server !== undefined) throw new TypeError("RoomService.attach(): already attached to a server");
    this.server = server;
    const offs: (() => void)[] = [];
    for (const action of ROOM_ACTIONS) {
      offs.push(
        server.on(action, (_params, ctx) => {
          const user = this.users.get(ctx.session);
          if (user === undefined || !user.isOnline) throw RoomError.generic("Login required");
          this.deliver(handleRoomRequest(user, ctx.message));
          return undefined;
        }),
      );
    }
    // Before the logout reply, while the session is still logged in; the others get 1002.
    offs.push(server.onLogout((_req, ctx) => this.sessionLeft(ctx.session)));
    offs.push(server.onDisconnect((session) => this.sessionLeft(session)));
    return () => {
      for (const off of offs) off();
      this.server = undefined;
    };
  }

  /** The user of a logged-in session. */
  userOf(session: Session): User | undefined {
    return this.users.get(session);
  }

  /** The session of a user. */
  sessionOf(user: User): Session | undefined {
    return this.sessions.get(user);
  }

  /**
   * Sends each delivery's message to its recipients' sessions, in order. A message for several
   * recipients is encoded once per distinct codec-option set (a {@link PreparedMessage}: one
   * packet for a whole room of WebSocket clients) and the same bytes go to each connection. A
   * failed send is reported to the server's `onError` (or logged), and a connection whose send
   * queue is full (a client that does not read) is closed; a recipient whose connection already
   * closed is skipped.
   */
  deliver(deliveries: readonly Delivery[]): void {
    for (const d of deliveries) {
      const to = d.to;
      if (to.length === 1) {
        const session = this.sessions.get(to[0]!);
        if (session !== undefined && !session.connection.closed) this.watch(session, session.connection.send(d.message));
        continue;
      }
      const prepared = new PreparedMessage(d.message);
      for (let i = 0; i < to.length; i++) {
        const session = this.sessions.get(to[i]!);
        if (session === undefined) continue;
        const conn = session.connection;
        // Gone already (e.g. many users leaving at once): no send, no error to build and discard.
        if (conn.closed) continue;
        // Transports without sendPrepared (it is optional) encode the message themselves.
        this.watch(session, conn.sendPrepared === undefined ? conn.send(d.message) : conn.sendPrepared(prepared));
      }
    }
  }

  // ------------------------------------------------------------------ game code (delivering)

  /** A zone by name (undefined when unknown). */
  getZone(name: string): Zone | undefined {
    return this.world.getZone(name);
  }

  /** Creates a room (by server code unless `creator`), tells the group's subscribers, returns it. */
  createRoom(zone: string | Zone, settings: RoomSettings, creator?: User, options?: CreateRoomOptions): Room {
    const z = typeof zone === "string" ? this.world.requireZone(zone) : zone;
    const { room, deliveries } = z.createRoom(creator, settings, options);
    this.deliver(deliveries);
    return room;
  }

  /** Removes a room (1003 to its group's subscribers and occupants). */
  removeRoom(room: Room): void {
    this.deliver(room.zone.removeRoom(room));
  }

  /** Makes a user join a room, as if it had asked. */
  joinRoom(user: User, room: RoomRef, options?: JoinRoomOptions): Room {
    const out = user.zone.joinRoom(user, room, options);
    this.deliver(out.deliveries);
    return out.room;
  }

  /** Takes a user out of a room, as if it had asked. */
  leaveRoom(user: User, room: RoomRef): void {
    this.deliver(user.zone.leaveRoom(user, room));
  }

  /** Sets Room Variables from server code (owned by the server: not removed when users leave). */
  setRoomVariables(room: Room, variables: readonly SFSRoomVariable[]): void {
    this.deliver(room.zone.setRoomVariables(undefined, room, variables));
  }

  /** Sets a user's User Variables from server code (no count limit). */
  setUserVariables(user: User, variables: readonly SFSUserVariable[]): void {
    this.deliver(user.zone.setUserVariables(user, variables, true));
  }

  /**
   * Sends a model, SFSObject or message to a room's occupants (but `except`): an extension
   * push with `{ command }` (or a model bound to a command), a system message with `{ action }`.
   */
  broadcast(room: Room, body: Body | Message, options: SendOptions & { except?: User } = {}): void {
    const { except, ...send } = options;
    this.deliver(room.zone.broadcast(room, toMessage(body, send), except));
  }

  /** Sends a model, SFSObject or message to some users (as {@link broadcast}). */
  sendTo(users: readonly User[], body: Body | Message, options: SendOptions = {}): void {
    this.deliver([{ to: users, message: toMessage(body, options) }]);
  }

  // ------------------------------------------------------------------ internals

  private sessionLeft(session: Session): void {
    const user = this.users.get(session);
    if (user === undefined) return;
    this.users.delete(session);
    this.dropUser(user);
  }

  private dropUser(user: User): void {
    const out = user.zone.logout(user);
    this.sessions.delete(user);
    this.deliver(out);
  }

  /**
   * Gives a send's promise its failure handler. Transports may hand out one promise for a whole
   * batch of writes (and the server's own replies share the session's `lastSend`): one handler
   * per distinct promise reports a failed batch once, without a closure per message.
   */
  private watch(session: Session, p: Promise<void>): void {
    if (p === session.lastSend) return;
    session.lastSend = p;
    let onFail = this.failHandlers.get(session);
    if (onFail === undefined) {
      onFail = (e: unknown) => this.sendFailed(session, e);
      this.failHandlers.set(session, onFail);
    }
    p.then(undefined, onFail);
  }

  private sendFailed(session: Session, e: unknown): void {
    if (e instanceof TransportError && e.code === TransportErrorCode.CLOSED) return;
    const error = e instanceof Error ? e : new Error(String(e));
    const report = new ServerError(ServerErrorCode.SEND_FAILED, `room message to session ${session.id} not sent: ${error.message}`, { cause: error });
    if (this.server !== undefined) this.server.reportError(report, session);
    else this.logger.error(`[RoomService] ${report.message}`);
    // The peer does not read: drop it rather than skip messages silently (as the server does for replies).
    if (error instanceof TransportError && error.code === TransportErrorCode.QUEUE_FULL) void session.connection.close("send queue full (the client does not read)");
  }
}

