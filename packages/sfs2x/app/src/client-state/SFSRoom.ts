import type { SFSArray } from "@sfs2x/core";
import { SFSRoomVariable } from "../rooms/SFSRoomVariable.js";
import { eachArray, readBool, readInt, readOptionalArray, readOptionalInt, readString } from "./readArray.js";
import type { SFSUser } from "./SFSUser.js";

/**
 * A room as a client sees it (the official client's `SFSRoom`). Rooms the client is not in carry
 * the counts the server last sent; joined rooms also know their users.
 */
export class SFSRoom {
  /** Free storage for the application. */
  readonly properties = new Map<string, unknown>();
  /** @internal */
  readonly _users = new Map<number, SFSUser>();
  /** @internal */
  readonly _variables = new Map<string, SFSRoomVariable>();
  isGame = false;
  isHidden = false;
  isPasswordProtected = false;
  maxUsers = 0;
  maxSpectators = 0;
  /** True while the client is in it. */
  isJoined = false;
  /** @internal False for a room of a group the client does not subscribe to (dropped once left). */
  _isManaged = true;
  /** @internal */
  _userCount = 0;
  /** @internal */
  _specCount = 0;

  constructor(
    readonly id: number,
    public name: string,
    readonly groupId = "default",
  ) {}

  /** Reads a room array (9 or 11 elements, 14 for MMO rooms; spec §3.3). Throws `RoomError` when malformed. */
  static fromSFSArray(a: SFSArray): SFSRoom {
    const r = new SFSRoom(readInt(a, 0, "room"), readString(a, 1, "room"), readString(a, 2, "room"));
    r.isGame = readBool(a, 3, "room");
    r.isHidden = readBool(a, 4, "room");
    r.isPasswordProtected = readBool(a, 5, "room");
    r._userCount = readInt(a, 6, "room");
    r.maxUsers = readInt(a, 7, "room");
    const vars = readOptionalArray(a, 8, "room");
    if (vars !== undefined) {
      eachArray(vars, "room variable", (v) => {
        const rv = SFSRoomVariable.fromSFSArray(v);
        if (!rv.isNull) r._variables.set(rv.name, rv);
      });
    }
    if (r.isGame) {
      r._specCount = readOptionalInt(a, 9, "room", 0);
      r.maxSpectators = readOptionalInt(a, 10, "room", 0);
    }
    return r;
  }

  /** Users (players in a game room): counted from the user list while joined, else the server's last count. */
  get userCount(): number {
    if (!this.isJoined) return this._userCount;
    return this.isGame ? this.getPlayerList().length : this._users.size;
  }
  /** Spectators (game rooms). */
  get spectatorCount(): number {
    if (!this.isGame) return 0;
    return this.isJoined ? this.getSpectatorList().length : this._specCount;
  }
  /** maxUsers + maxSpectators. */
  get capacity(): number {
    return this.maxUsers + this.maxSpectators;
  }

  getUserById(id: number): SFSUser | undefined {
    return this._users.get(id);
  }
  getUserByName(name: string): SFSUser | undefined {
    for (const u of this._users.values()) if (u.name === name) return u;
    return undefined;
  }
  containsUser(user: SFSUser): boolean {
    return this._users.get(user.id) === user;
  }
  getUserList(): SFSUser[] {
    return [...this._users.values()];
  }
  getPlayerList(): SFSUser[] {
    return this.getUserList().filter((u) => u.isPlayerInRoom(this));
  }
  getSpectatorList(): SFSUser[] {
    return this.getUserList().filter((u) => u.isSpectatorInRoom(this));
  }

  getVariable(name: string): SFSRoomVariable | undefined {
    return this._variables.get(name);
  }
  containsVariable(name: string): boolean {
    return this._variables.has(name);
  }
  getVariables(): SFSRoomVariable[] {
    return [...this._variables.values()];
  }

  /** @internal Takes the fields of a fresher copy (variables too; users only while not joined). */
  _merge(from: SFSRoom): void {
    this.name = from.name;
    this.isGame = from.isGame;
    this.isHidden = from.isHidden;
    this.isPasswordProtected = from.isPasswordProtected;
    this.maxUsers = from.maxUsers;
    this.maxSpectators = from.maxSpectators;
    this._userCount = from._userCount;
    this._specCount = from._specCount;
    this._variables.clear();
    for (const [k, v] of from._variables) this._variables.set(k, v);
  }

  toString(): string {
    return `[Room: ${this.name}, Id: ${this.id}, GroupId: ${this.groupId}]`;
  }
}
