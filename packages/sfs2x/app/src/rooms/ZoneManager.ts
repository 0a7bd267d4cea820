import { SFSErrorCode, TypedEmitter } from "@sfs2x/protocol";
import { consoleLogger, type Logger } from "../util/logger.js";
import { push, type Delivery } from "./Delivery.js";
import type { Room } from "./Room.js";
import { RoomError } from "./RoomError.js";
import { userCountChange } from "./RoomMessages.js";
import type { SFSRoomVariable } from "./SFSRoomVariable.js";
import type { SFSUserVariable } from "./SFSUserVariable.js";
import type { User } from "./User.js";
import { Zone } from "./Zone.js";
import type { ZoneSettings } from "./ZoneSettings.js";

/** Events of a {@link ZoneManager}, for game code (fired after the change, synchronously). */
export interface ZoneEvents {
  userLogin: [user: User];
  userLogout: [user: User];
  userJoinRoom: [user: User, room: Room];
  userLeaveRoom: [user: User, room: Room];
  roomAdded: [room: Room];
  roomRemoved: [room: Room];
  /** `by` is the user who set them (undefined: server code, or deletions when the owner left). */
  roomVariablesUpdate: [room: Room, changed: SFSRoomVariable[], by: User | undefined];
  userVariablesUpdate: [user: User, changed: SFSUserVariable[]];
}

/** Options of a {@link ZoneManager}. */
export interface ZoneManagerOptions {
  /** Zones created at once. */
  zones?: readonly ZoneSettings[];
  /**
   * How long user count changes (1001) are batched, in ms. 0 (the default): each operation
   * returns its own 1001s, so results are deterministic. Above 0: the live server's behaviour
   * (its `userCountChangeUpdateInterval` is 1000 ms): a room's changes within the interval
   * become one 1001 with the final count, handed to `deliver`.
   */
  userCountUpdateIntervalMs?: number;
  /** Receives deliveries made outside an operation (the batched 1001s). */
  deliver?: (deliveries: Delivery[]) => void;
  /** The first room id (default 0: a live server's first room, "The Lobby", had id 0). */
  firstRoomId?: number;
  /** The first user id the manager allocates when a login gives none (default 1). */
  firstUserId?: number;
  /** Where listener failures are logged (default: the console). */
  logger?: Logger;
}

/**
 * The server-side world: zones, their rooms and users, and the events game code listens to.
 * Room and user ids are unique across zones. The operations live on {@link Zone}; the manager
 * finds things, allocates ids and batches user count changes.
 *
 * ```ts
 * const world = new ZoneManager({ zones: [{ name: "BasicExamples", rooms: [{ name: "The Lobby", maxUsers: 150 }] }] });
 * const zone = world.getZone("BasicExamples")!;
 * const { user, roomList } = zone.login({ name: "ada" });
 * const { deliveries } = zone.joinRoom(user, "The Lobby");
 * ```
 */
export class ZoneManager extends TypedEmitter<ZoneEvents> {
  private readonly zones = new Map<string, Zone>();
  private readonly users = new Map<number, User>();
  private readonly rooms = new Map<number, Room>();
  private readonly interval: number;
  private readonly dirty = new Set<Room>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private nextRoomId: number;
  private nextUserId: number;
  private readonly deliver: ((deliveries: Delivery[]) => void) | undefined;
  private readonly logger: Logger;

  constructor(options: ZoneManagerOptions = {}) {
    const logger = options.logger ?? consoleLogger;
    // A throwing listener must not break an operation half way nor crash the server.
    super((error, event) => logger.error(`[ZoneManager] ${String(event)} listener failed: ${(error as Error)?.message ?? String(error)}`));
    this.logger = logger;
    this.interval = Math.max(0, options.userCountUpdateIntervalMs ?? 0);
    this.deliver = options.deliver;
    this.nextRoomId = options.firstRoomId ?? 0;
    this.nextUserId = options.firstUserId ?? 1;
    for (const z of options.zones ?? []) this.createZone(z);
  }

  /** Creates a zone (and its configured rooms). Throws when the name is taken. */
  createZone(settings: ZoneSettings): Zone {
    if (this.zones.has(settings.name)) throw new TypeError(`zone ${JSON.stringify(settings.name)} exists already`);
    const zone = new Zone(settings, this);
    this.zones.set(zone.name, zone);
    return zone;
  }

  getZone(name: string): Zone | undefined {
    return this.zones.get(name);
  }
  getZoneList(): Zone[] {
    return [...this.zones.values()];
  }
  /** A zone by name, or `RoomError` 1 (LoginBadZoneName) as a login of an unknown zone gets. */
  requireZone(name: string): Zone {
    const z = this.zones.get(name);
    if (z === undefined) throw new RoomError(SFSErrorCode.LoginBadZoneName, [name]);
    return z;
  }
  /** A logged-in user of any zone. */
  getUserById(id: number): User | undefined {
    return this.users.get(id);
  }
  /** A room of any zone. */
  getRoomById(id: number): Room | undefined {
    return this.rooms.get(id);
  }

  /**
   * The batched 1001s due now (one per changed room, with its current count), and forgets them.
   * Called by the batching timer; call it yourself to flush early.
   */
  flushUserCounts(): Delivery[] {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    const out: Delivery[] = [];
    for (const room of this.dirty) if (room.isActive) this.countInto(out, room);
    this.dirty.clear();
    return out;
  }

  /** Stops the batching timer (pending count changes are dropped). */
  dispose(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.dirty.clear();
  }

  // ------------------------------------------------------------------ internal (used by Zone)

  /** @internal */
  _allocateRoomId(): number {
    while (this.rooms.has(this.nextRoomId)) this.nextRoomId++;
    return this.nextRoomId++;
  }
  /** @internal */
  _allocateUserId(): number {
    while (this.users.has(this.nextUserId)) this.nextUserId++;
    return this.nextUserId++;
  }
  /** @internal */
  _registerUser(user: User): void {
    this.users.set(user.id, user);
  }
  /** @internal */
  _unregisterUser(user: User): void {
    if (this.users.get(user.id) === user) this.users.delete(user.id);
  }
  /** @internal */
  _registerRoom(room: Room): void {
    this.rooms.set(room.id, room);
  }
  /** @internal */
  _unregisterRoom(room: Room): void {
    if (this.rooms.get(room.id) === room) this.rooms.delete(room.id);
    this.dirty.delete(room);
  }

  /** @internal A room's user count changed: its 1001 now (into `out`) or at the next batch. */
  _countChanged(room: Room, out: Delivery[]): void {
    if (!room.events.allowUserCountChange) return;
    if (this.interval === 0) {
      this.countInto(out, room);
      return;
    }
    this.dirty.add(room);
    if (this.timer === undefined) {
      this.timer = setTimeout(() => this.flushBatch(), this.interval);
      (this.timer as { unref?: () => void }).unref?.();
    }
  }

  private countInto(out: Delivery[], room: Room): void {
    push(out, room.zone.getGroupSubscribers(room.groupId), userCountChange(room));
  }

  private flushBatch(): void {
    this.timer = undefined;
    const out = this.flushUserCounts();
    if (out.length === 0) return;
    if (this.deliver === undefined) {
      this.logger.warn(`[ZoneManager] ${out.length} batched user count change(s) dropped: no deliver option`);
      return;
    }
    try {
      this.deliver(out);
    } catch (e) {
      this.logger.error(`[ZoneManager] deliver failed: ${(e as Error).message}`);
    }
  }
}
