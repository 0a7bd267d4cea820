import type { SFSArray } from "@sfs2x/core";
import { SFSUserVariable } from "../rooms/SFSUserVariable.js";
import { eachArray, readInt, readOptionalArray, readString } from "./readArray.js";
import type { SFSRoom } from "./SFSRoom.js";

/**
 * A user as a client sees it (the official client's `SFSUser`): id, name, privilege, User
 * Variables and its player id in each room. One object per user id, shared by the rooms it is in.
 */
export class SFSUser {
  /** Free storage for the application. */
  readonly properties = new Map<string, unknown>();
  /** @internal */
  readonly _variables = new Map<string, SFSUserVariable>();
  /** @internal Room id → player id. */
  readonly _playerIds = new Map<number, number>();
  /** 0 guest, 1 standard, 2 moderator, 3 administrator. */
  privilegeId = 0;

  constructor(
    readonly id: number,
    readonly name: string,
    /** True for the client's own user. */
    readonly isItMe = false,
  ) {}

  /**
   * Reads a user array (`[id, name, privilege, playerId, variables]`, spec §3.3); the player id
   * applies to `room`. Throws `RoomError` when malformed.
   */
  static fromSFSArray(a: SFSArray, room?: SFSRoom, isItMe = false): SFSUser {
    const u = new SFSUser(readInt(a, 0, "user"), readString(a, 1, "user"), isItMe);
    u._update(a, room);
    return u;
  }

  /** @internal Applies privilege, player id and variables from a user array. */
  _update(a: SFSArray, room: SFSRoom | undefined): void {
    this.privilegeId = readInt(a, 2, "user");
    if (room !== undefined) this._playerIds.set(room.id, readInt(a, 3, "user"));
    const vars = readOptionalArray(a, 4, "user");
    if (vars === undefined) return;
    const next: SFSUserVariable[] = [];
    eachArray(vars, "user variable", (v) => next.push(SFSUserVariable.fromSFSArray(v)));
    this._variables.clear();
    for (const v of next) if (!v.isNull) this._variables.set(v.name, v);
  }

  get isGuest(): boolean {
    return this.privilegeId === 0;
  }
  get isStandardUser(): boolean {
    return this.privilegeId === 1;
  }
  get isModerator(): boolean {
    return this.privilegeId === 2;
  }
  get isAdmin(): boolean {
    return this.privilegeId === 3;
  }

  /** Its player id in `room`: 0 none (non-game room), 1..n player, -1 spectator. */
  getPlayerId(room: SFSRoom): number {
    return this._playerIds.get(room.id) ?? 0;
  }
  isPlayerInRoom(room: SFSRoom): boolean {
    return this.getPlayerId(room) > 0;
  }
  isSpectatorInRoom(room: SFSRoom): boolean {
    return this.getPlayerId(room) < 0;
  }
  isJoinedInRoom(room: SFSRoom): boolean {
    return room.containsUser(this);
  }

  getVariable(name: string): SFSUserVariable | undefined {
    return this._variables.get(name);
  }
  containsVariable(name: string): boolean {
    return this._variables.has(name);
  }
  getVariables(): SFSUserVariable[] {
    return [...this._variables.values()];
  }

  toString(): string {
    return `[User: ${this.name}, Id: ${this.id}, isMe: ${this.isItMe}]`;
  }
}
