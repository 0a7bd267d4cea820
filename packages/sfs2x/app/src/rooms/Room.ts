import { SFSArray } from "@sfs2x/core";
import {
  DEFAULT_ROOM_EVENTS,
  DEFAULT_ROOM_PERMISSIONS,
  type RoomEvents,
  type RoomExtensionSettings,
  type RoomPermissions,
  type RoomRemoveMode,
  type RoomSettings,
} from "./RoomSettings.js";
import type { SFSRoomVariable } from "./SFSRoomVariable.js";
import type { User } from "./User.js";
import type { Zone } from "./Zone.js";

/**
 * A room of a {@link Zone} (server side). Change it through the zone's operations (join, leave,
 * variables...), which also say who must be told; the fields here are for reading.
 */
export class Room {
  /** Room name, unique in the zone. */
  name: string;
  /** Group id. */
  readonly groupId: string;
  readonly isGame: boolean;
  isHidden: boolean;
  /** "" when the room has no password. */
  password: string;
  /** Users allowed (players in a game room). */
  maxUsers: number;
  /** Spectators allowed (game rooms). */
  maxSpectators: number;
  /** Room Variables users may create. */
  maxVariables: number;
  readonly permissions: Readonly<RoomPermissions>;
  readonly events: Readonly<RoomEvents>;
  readonly extension: RoomExtensionSettings | undefined;
  readonly allowOwnerOnlyInvitation: boolean;
  readonly removeMode: RoomRemoveMode;
  /** Free storage for game code. */
  readonly properties = new Map<string, unknown>();
  /** @internal Occupants in join order → player id. */
  readonly _users = new Map<User, number>();
  /** @internal Room Variables by name, with the user who set each (undefined: server code). */
  readonly _variables = new Map<string, { variable: SFSRoomVariable; owner: User | undefined }>();
  /** @internal False once removed. */
  _active = true;

  constructor(
    /** Room id (INT), unique on the server. */
    readonly id: number,
    settings: RoomSettings,
    /** Its zone. */
    readonly zone: Zone,
    /** The user who created it (undefined: server code). */
    readonly owner: User | undefined,
  ) {
    this.name = settings.name;
    this.groupId = settings.groupId ?? "default";
    this.isGame = settings.isGame === true;
    this.isHidden = settings.isHidden === true;
    this.password = settings.password ?? "";
    this.maxUsers = settings.maxUsers ?? 10;
    this.maxSpectators = this.isGame ? (settings.maxSpectators ?? 0) : 0;
    this.maxVariables = settings.maxVariables ?? 5;
    this.permissions = Object.freeze({ ...DEFAULT_ROOM_PERMISSIONS, ...settings.permissions });
    this.events = Object.freeze({ ...DEFAULT_ROOM_EVENTS, ...settings.events });
    this.extension = settings.extension;
    this.allowOwnerOnlyInvitation = settings.allowOwnerOnlyInvitation ?? true;
    this.removeMode = settings.removeMode ?? "default";
  }

  /** False once the room was removed. */
  get isActive(): boolean {
    return this._active;
  }
  get isPasswordProtected(): boolean {
    return this.password !== "";
  }

  /** Users in the room (players only, in a game room). */
  get userCount(): number {
    if (!this.isGame) return this._users.size;
    let n = 0;
    for (const p of this._users.values()) if (p >= 0) n++;
    return n;
  }
  /** Spectators in the room (0 outside game rooms). */
  get spectatorCount(): number {
    if (!this.isGame) return 0;
    let n = 0;
    for (const p of this._users.values()) if (p < 0) n++;
    return n;
  }
  /** maxUsers + maxSpectators. */
  get capacity(): number {
    return this.maxUsers + this.maxSpectators;
  }
  get isEmpty(): boolean {
    return this._users.size === 0;
  }

  /** Occupants in join order. */
  getUserList(): User[] {
    return [...this._users.keys()];
  }
  getPlayerList(): User[] {
    return this.getUserList().filter((u) => this._users.get(u)! > 0 || !this.isGame);
  }
  getSpectatorList(): User[] {
    return this.getUserList().filter((u) => this._users.get(u)! < 0);
  }
  containsUser(user: User): boolean {
    return this._users.has(user);
  }
  getUserById(id: number): User | undefined {
    for (const u of this._users.keys()) if (u.id === id) return u;
    return undefined;
  }
  getUserByName(name: string): User | undefined {
    for (const u of this._users.keys()) if (u.name === name) return u;
    return undefined;
  }

  getVariable(name: string): SFSRoomVariable | undefined {
    return this._variables.get(name)?.variable;
  }
  containsVariable(name: string): boolean {
    return this._variables.has(name);
  }
  getVariables(): SFSRoomVariable[] {
    return [...this._variables.values()].map((e) => e.variable);
  }
  /** The user who set a variable (undefined: server code or no such variable). */
  getVariableOwner(name: string): User | undefined {
    return this._variables.get(name)?.owner;
  }

  /** @internal Lowest free player id (1..), or undefined when the player slots are full. */
  _freePlayerId(): number | undefined {
    const used = new Set(this._users.values());
    for (let id = 1; id <= this.maxUsers; id++) if (!used.has(id)) return id;
    return undefined;
  }

  /**
   * The room array (spec §3.3): `[id INT, name, group, isGame BOOL, isHidden BOOL,
   * isPasswordProtected BOOL, userCount SHORT, maxUsers SHORT, variables]`, plus
   * `[spectatorCount SHORT, maxSpectators SHORT]` for a game room (9 or 11 elements).
   */
  toSFSArray(): SFSArray {
    const vars = new SFSArray();
    for (const { variable } of this._variables.values()) vars.addSFSArray(variable.toSFSArray());
    const a = new SFSArray()
      .addInt(this.id)
      .addUtfString(this.name)
      .addUtfString(this.groupId)
      .addBool(this.isGame)
      .addBool(this.isHidden)
      .addBool(this.isPasswordProtected)
      .addShort(this.userCount)
      .addShort(this.maxUsers)
      .addSFSArray(vars);
    if (this.isGame) a.addShort(this.spectatorCount).addShort(this.maxSpectators);
    return a;
  }

  toString(): string {
    return `[Room: ${this.name}, Id: ${this.id}, Group: ${this.groupId}]`;
  }
}
