import type { RoomSettings } from "./RoomSettings.js";

/** A zone configured in code. */
export interface ZoneSettings {
  /** Zone name (the login's `zn`). */
  name: string;
  /** Rooms created with the zone (server-owned: never removed on their own unless `removeMode` says so). Ids follow the order. */
  rooms?: readonly RoomSettings[];
  /** Groups every user subscribes to at login: their rooms make the login's `rl` (default `["default"]`). */
  defaultGroups?: readonly string[];
  /** Extra groups that exist without rooms yet (for SubscribeRoomGroup); groups of existing rooms always exist. */
  groups?: readonly string[];
  /** Groups users may create rooms in (default: any; else ec 13). */
  publicGroups?: readonly string[];
  /** Users allowed at once (default 0: no limit; else ec 5 at login). */
  maxUsers?: number;
  /** Rooms allowed at once (default 0: no limit; else ec 16 on CreateRoom). */
  maxRooms?: number;
  /** Rooms one user may have created at once (default 3; 0: no limit; else ec 17). */
  maxRoomsCreatedPerUser?: number;
  /** The most Room Variables a user-created room may allow: its requested `mv` is capped to it (default 20). */
  maxRoomVariables?: number;
  /** Room name length, in characters (default 1..64; else ec 14). */
  roomNameLength?: { min: number; max: number };
  /** Users may create rooms (default true; else ec 18). */
  allowRoomCreation?: boolean;
  /** User Variables a user may set (default 5; server code is not limited). */
  maxUserVariables?: number;
  /**
   * Guest logins (empty user name): allowed (default true), refused (ec 10), or decided per login.
   */
  allowGuests?: boolean | ((request: { zone: string }) => boolean);
  /** The name of a guest (default `Guest#<id>`, as the live server names them). */
  guestName?: (userId: number) => string;
}
