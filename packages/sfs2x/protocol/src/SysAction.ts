/**
 * Action ids (root key `a`, a SHORT) of the System controller, as the official clients know
 * them (spec §3.1). Requests and their responses share an id; ids from 1000 up are events the
 * server pushes. Some ids exist only in the C++ enum and travel as another id on the wire (the
 * notes say which).
 */
export enum SysAction {
  Handshake = 0,
  Login = 1,
  Logout = 2,
  /** C++ enum only. */
  GetRoomList = 3,
  JoinRoom = 4,
  /** C++ enum only. */
  AutoJoin = 5,
  CreateRoom = 6,
  /** Every chat and object message (type in `t`). */
  GenericMessage = 7,
  ChangeRoomName = 8,
  ChangeRoomPassword = 9,
  /** C++ enum only; on the wire object messages use {@link SysAction.GenericMessage}. */
  ObjectMessage = 10,
  SetRoomVariables = 11,
  SetUserVariables = 12,
  /** Extension requests and responses, sent on controller 1 (`ControllerId.Extension`). */
  CallExtension = 13,
  LeaveRoom = 14,
  SubscribeRoomGroup = 15,
  UnsubscribeRoomGroup = 16,
  SpectatorToPlayer = 17,
  PlayerToSpectator = 18,
  ChangeRoomCapacity = 19,
  /** C++ enum only; the wire uses {@link SysAction.GenericMessage}. */
  PublicMessage = 20,
  /** C++ enum only; the wire uses {@link SysAction.GenericMessage}. */
  PrivateMessage = 21,
  /** C++ enum only; the wire uses {@link SysAction.GenericMessage}. */
  ModeratorMessage = 22,
  /** C++ enum only; the wire uses {@link SysAction.GenericMessage}. */
  AdminMessage = 23,
  KickUser = 24,
  BanUser = 25,
  /** TCP clients (C++/C#/Java), before an intentional disconnect with reconnection on; JS has none. */
  ManualDisconnection = 26,
  FindRooms = 27,
  FindUsers = 28,
  PingPong = 29,
  /** MMO rooms. */
  SetUserPosition = 30,
  QuickJoinOrCreateRoom = 31,

  InitBuddyList = 200,
  AddBuddy = 201,
  BlockBuddy = 202,
  RemoveBuddy = 203,
  SetBuddyVariables = 204,
  GoOnline = 205,

  InviteUsers = 300,
  InvitationReply = 301,
  CreateSFSGame = 302,
  QuickJoinGame = 303,
  JoinRoomInvite = 304,

  ClusterJoinOrCreate = 500,
  ClusterInviteUsers = 502,
  /** Server to client (cluster): `h` host, `p` INT port, `z` zone. */
  GameServerConnectionRequired = 600,

  // Events (server to client).
  /** `r` INT room id, `u` user array. */
  UserEnterRoom = 1000,
  /** `r` INT, `uc` SHORT users, `sc` SHORT spectators (optional). */
  UserCountChange = 1001,
  /** `u` INT user id: the user left the zone. */
  UserLost = 1002,
  /** `r` INT room id: the room was removed. */
  RoomLost = 1003,
  /** `r` INT room id, `u` INT user id. */
  UserExitRoom = 1004,
  /** `dr` BYTE {@link ClientDisconnectionReason}; the client then closes the socket. */
  ClientDisconnection = 1005,
  /** Handled by the TCP clients (C#, C++, AS3) after a failed reconnection; not in the spec table, not in JS. */
  ReconnectionFailure = 1006,
  /** `r` INT room, `i` INT item id, `vl` SFSArray of variables. */
  SetMMOItemVariables = 1007,
  /** Cluster. */
  LoadBalancerError = 1600,
}

/** The `dr` BYTE of {@link SysAction.ClientDisconnection} (1005). */
export enum ClientDisconnectionReason {
  Idle = 0,
  Kick = 1,
  Ban = 2,
  Manual = 3,
  Unknown = 4,
}
