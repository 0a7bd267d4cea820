import type { SFSRoomVariable } from "./SFSRoomVariable.js";

/** What may be done to a room at run time (the CreateRoom `pm` BOOL_ARRAY, in this order). */
export interface RoomPermissions {
  /** Rename it (default false). */
  allowNameChange: boolean;
  /** Set or remove its password (default false). */
  allowPasswordStateChange: boolean;
  /** Public messages in it (default true). */
  allowPublicMessages: boolean;
  /** Change its capacity (default false). */
  allowResizing: boolean;
}

/** Which room events the server sends (the CreateRoom `ev` BOOL_ARRAY, in this order). */
export interface RoomEvents {
  /** 1000 UserEnterRoom to the occupants (default true). */
  allowUserEnter: boolean;
  /** 1004 UserExitRoom to the occupants (default true; the leaver always gets its own). */
  allowUserExit: boolean;
  /** 1001 UserCountChange to the group's subscribers (default true). */
  allowUserCountChange: boolean;
  /** a=12 user variable updates to the occupants (default true). */
  allowUserVariablesUpdate: boolean;
}

/** A room extension (CreateRoom `xn`, `xc`, `xp`); stored, not run. */
export interface RoomExtensionSettings {
  id: string;
  className: string;
  propertiesFile?: string;
}

/**
 * When a room is removed on its own:
 * - `"default"`: game rooms when empty; other rooms created by a user when empty and that user has left the zone;
 *   rooms created by server code never;
 * - `"whenEmpty"`: as soon as the last user leaves;
 * - `"whenEmptyAndCreatorIsGone"`: when empty and its creator has left the zone;
 * - `"never"`: only by `removeRoom()`.
 */
export type RoomRemoveMode = "default" | "whenEmpty" | "whenEmptyAndCreatorIsGone" | "never";

/**
 * A room's settings, for rooms configured in code and for CreateRoom requests (whose keys are
 * those of spec §3.2: `n g p ig mu ms mv aji rv pm ev xn xc xp`). Defaults are the official
 * client's `RoomSettings` defaults.
 */
export interface RoomSettings {
  /** Unique in the zone. */
  name: string;
  /** Group id (default "default"). */
  groupId?: string;
  /** Password ("" or absent: none). Joins must send the same string. */
  password?: string;
  /** A game room: players get player ids 1..n, spectators -1 (default false). */
  isGame?: boolean;
  /** Flagged hidden in room lists (server side only; default false). */
  isHidden?: boolean;
  /** Users (players in a game room) allowed (default 10). */
  maxUsers?: number;
  /** Spectators allowed in a game room (default 0). */
  maxSpectators?: number;
  /** Room Variables users may create (default 5; server code is not limited). */
  maxVariables?: number;
  /** Initial Room Variables. */
  variables?: readonly SFSRoomVariable[];
  /** Run-time permissions (missing entries take the defaults). */
  permissions?: Partial<RoomPermissions>;
  /** Events sent (missing entries take the defaults). */
  events?: Partial<RoomEvents>;
  /** Room extension (stored only). */
  extension?: RoomExtensionSettings;
  /** Only the owner may send invitations (CreateRoom `aji`; stored only; default true). */
  allowOwnerOnlyInvitation?: boolean;
  /** When the room goes away on its own (default "default"). */
  removeMode?: RoomRemoveMode;
}

/** The official defaults of {@link RoomPermissions}. */
export const DEFAULT_ROOM_PERMISSIONS: Readonly<RoomPermissions> = Object.freeze({
  allowNameChange: false,
  allowPasswordStateChange: false,
  allowPublicMessages: true,
  allowResizing: false,
});

/** The defaults of {@link RoomEvents}: every event on. */
export const DEFAULT_ROOM_EVENTS: Readonly<RoomEvents> = Object.freeze({
  allowUserEnter: true,
  allowUserExit: true,
  allowUserCountChange: true,
  allowUserVariablesUpdate: true,
});
