import { SFSArray } from "@sfs2x/core";
import type { Room } from "./Room.js";
import type { SFSUserVariable } from "./SFSUserVariable.js";
import type { Zone } from "./Zone.js";

/** Privilege ids (`pi`, user array `[2]`). */
export enum UserPrivilege {
  Guest = 0,
  Standard = 1,
  Moderator = 2,
  Administrator = 3,
}

/**
 * A logged-in user of a {@link Zone} (server side): id, name, privilege, User Variables, the
 * rooms it joined (with its player id in each) and the room groups it subscribes to.
 */
export class User {
  /** Its User Variables by name, in the order they were first set. */
  readonly variables = new Map<string, SFSUserVariable>();
  /** Free storage for game code. */
  readonly properties = new Map<string, unknown>();
  /** @internal Joined rooms → player id (0 in a non-game room, 1..n player, -1 spectator), in join order. */
  readonly _rooms = new Map<Room, number>();
  /** @internal Room groups it receives room list events for. */
  readonly _groups = new Set<string>();
  /** @internal Rooms it created that still exist. */
  _createdRooms = 0;
  /** @internal False once it left the zone. */
  _online = true;
  /** The room it joined last (undefined when it is in none). */
  lastJoinedRoom: Room | undefined = undefined;

  constructor(
    /** User id (INT), unique on the server. */
    readonly id: number,
    /** User name, unique in the zone. */
    readonly name: string,
    /** 0 guest, 1 standard, 2 moderator, 3 administrator. */
    public privilegeId: number,
    /** Its zone. */
    readonly zone: Zone,
  ) {}

  /** True until it logs out or disconnects. */
  get isOnline(): boolean {
    return this._online;
  }

  get isGuest(): boolean {
    return this.privilegeId === UserPrivilege.Guest;
  }
  get isModerator(): boolean {
    return this.privilegeId >= UserPrivilege.Moderator;
  }
  get isAdmin(): boolean {
    return this.privilegeId >= UserPrivilege.Administrator;
  }

  /** The rooms it is in, in join order. */
  get joinedRooms(): Room[] {
    return [...this._rooms.keys()];
  }

  /** The room groups it subscribes to. */
  get subscribedGroups(): string[] {
    return [...this._groups];
  }

  isJoinedInRoom(room: Room): boolean {
    return this._rooms.has(room);
  }

  /** Its player id in `room`: 0 in a non-game room (or not joined), 1..n as a player, -1 as a spectator. */
  getPlayerId(room: Room): number {
    return this._rooms.get(room) ?? 0;
  }
  isPlayerInRoom(room: Room): boolean {
    return this.getPlayerId(room) > 0;
  }
  isSpectatorInRoom(room: Room): boolean {
    return this.getPlayerId(room) < 0;
  }

  getVariable(name: string): SFSUserVariable | undefined {
    return this.variables.get(name);
  }
  containsVariable(name: string): boolean {
    return this.variables.has(name);
  }
  getVariables(): SFSUserVariable[] {
    return [...this.variables.values()];
  }

  /**
   * The user array (spec §3.3): `[id INT, name, privilege SHORT, playerId SHORT, variables]`, 5
   * elements. `room` gives the player id (0 without); private variables are included only when
   * `viewer` is the user itself.
   */
  toSFSArray(room?: Room, viewer?: User): SFSArray {
    const vars = new SFSArray();
    const all = viewer === this;
    for (const v of this.variables.values()) if (all || !v.isPrivate) vars.addSFSArray(v.toSFSArray());
    return new SFSArray()
      .addInt(this.id)
      .addUtfString(this.name)
      .addShort(this.privilegeId)
      .addShort(room === undefined ? 0 : this.getPlayerId(room))
      .addSFSArray(vars);
  }

  toString(): string {
    return `[User: ${this.name}, Id: ${this.id}]`;
  }
}
