/**
 * Error codes of the `ec` SHORT in error replies (spec §3: login errors 1..11, join errors such
 * as 22 "room not found", ...). Ids are those the official clients know (0..42); the names
 * follow the server's own constant names in PascalCase.
 */
export enum SFSErrorCode {
  /** Params: client API version, required version. */
  HandshakeApiObsolete = 0,
  /** Params: zone. */
  LoginBadZoneName = 1,
  /** Params: user name. */
  LoginBadUserName = 2,
  /** Params: user name. */
  LoginBadPassword = 3,
  /** Params: user name. */
  LoginBannedUser = 4,
  /** Params: zone. */
  LoginZoneFull = 5,
  /** Params: user name, zone. */
  LoginAlreadyLogged = 6,
  LoginServerFull = 7,
  /** Params: zone. */
  LoginInactiveZone = 8,
  /** Params: user name, filtered name. */
  LoginNameContainsBadWords = 9,
  /** Params: zone. */
  LoginGuestNotAllowed = 10,
  /** Params: IP address. */
  LoginBannedIp = 11,
  /** Params: room name. */
  RoomDuplicateName = 12,
  /** Params: room, group. */
  CreateRoomBadGroup = 13,
  /** Params: min, max, given length. */
  RoomNameBadSize = 14,
  /** Params: room name. */
  RoomNameContainsBadWords = 15,
  CreateRoomZoneFull = 16,
  /** Params: limit. */
  CreateRoomExceedUserLimit = 17,
  /** Params: parameter. */
  CreateRoomWrongParameter = 18,
  /** Params: user. */
  JoinAlreadyJoined = 19,
  /** Params: room. */
  JoinRoomFull = 20,
  /** Params: room. */
  JoinBadPassword = 21,
  /** The requested room does not exist (seen live: `ep` empty). */
  JoinBadRoom = 22,
  /** Params: room. */
  JoinRoomLocked = 23,
  /** Params: group. */
  SubscribeGroupAlreadySubscribed = 24,
  /** Params: group. */
  SubscribeGroupNotFound = 25,
  /** Params: group. */
  UnsubscribeGroupNotSubscribed = 26,
  /** Params: group. */
  UnsubscribeGroupNotFound = 27,
  /** Params: the whole message. */
  GenericError = 28,
  /** Params: room. */
  RoomNameChangePermissionError = 29,
  /** Params: room. */
  RoomPassStateChangePermissionError = 30,
  /** Params: room. */
  RoomCapacityChangePermissionError = 31,
  /** Params: room. */
  SwitchNoPlayerSlotsAvailable = 32,
  /** Params: room. */
  SwitchNoSpectatorSlotsAvailable = 33,
  /** Params: room. */
  SwitchNotAGameRoom = 34,
  /** Params: room. */
  SwitchNotJoinedInRoom = 35,
  /** Params: reason. */
  BuddyListLoadFailure = 36,
  /** Params: list size. */
  BuddyListFull = 37,
  /** Params: buddy. */
  BuddyBlockFailure = 38,
  /** Params: limit. */
  BuddyTooManyVariables = 39,
  /** Params: game. */
  JoinGameAccessDenied = 40,
  JoinGameNotFound = 41,
  InvitationNotValid = 42,
}

// Our own wording; `{n}` is replaced by the n-th entry of `ep`.
const TEMPLATES: readonly string[] = [
  "Client API version {0} is obsolete; the server requires {1}",
  "Zone {0} does not exist",
  "User name {0} is not recognised",
  "Wrong password for user {0}",
  "User {0} is banned",
  "Zone {0} is full",
  "User {0} is already logged in to zone {1}",
  "The server is full",
  "Zone {0} is inactive",
  "User name {0} contains bad words (filtered: {1})",
  "Guests are not allowed in zone {0}",
  "IP address {0} is banned",
  "A room named {0} already exists",
  "Group not available for room {0}: {1}",
  "Bad room name length (min {0}, max {1}, given {2})",
  "Room name contains bad words: {0}",
  "The zone is full: no more rooms can be created",
  "Room creation limit per session reached: {0}",
  "Room creation failed, wrong parameter: {0}",
  "User {0} is already in the room",
  "Room {0} is full",
  "Wrong password for room {0}",
  "The requested room does not exist",
  "Room {0} is locked",
  "Group {0} is already subscribed",
  "Group {0} does not exist",
  "Group {0} is not subscribed",
  "Group {0} does not exist",
  "{0}",
  "Room {0} cannot be renamed (permission)",
  "Room {0} cannot change its password state (permission)",
  "Room {0} cannot change its capacity (permission)",
  "No player slot available in room {0}",
  "No spectator slot available in room {0}",
  "Room {0} is not a game room",
  "You are not in room {0}",
  "Could not load the buddy list: {0}",
  "The buddy list is full (size {0})",
  "Could not block buddy {0}: offline",
  "Too many buddy variables (limit {0})",
  "Access to game {0} denied: the user does not match its criteria",
  "Quick join failed: no matching room",
  "The invitation reply was invalid or too late",
];

/**
 * A readable sentence for an error code and its `ep` parameters (our wording, with the same
 * placeholders as the official clients). Unknown codes give `"Unknown error <code>"` plus the params.
 */
export function describeSFSError(code: number, params: readonly string[] = []): string {
  const template = TEMPLATES[code];
  if (template === undefined) return `Unknown error ${code}${params.length ? `: ${params.join(", ")}` : ""}`;
  return template.replace(/\{(\d+)\}/g, (_, i: string) => params[Number(i)] ?? "");
}
