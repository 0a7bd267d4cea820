// Server-side rooms, zones, users and variables (browser-safe: pure logic, no I/O).
export { RoomError } from "./RoomError.js";
export { VariableType, variableTypeName, variableTypeOf, type VariableValue } from "./VariableType.js";
export { BaseVariable, type VariableInput } from "./BaseVariable.js";
export { SFSUserVariable, type UserVariableOptions } from "./SFSUserVariable.js";
export { SFSRoomVariable, type RoomVariableOptions } from "./SFSRoomVariable.js";
export {
  DEFAULT_ROOM_EVENTS,
  DEFAULT_ROOM_PERMISSIONS,
  type RoomSettings,
  type RoomPermissions,
  type RoomEvents,
  type RoomExtensionSettings,
  type RoomRemoveMode,
} from "./RoomSettings.js";
export type { ZoneSettings } from "./ZoneSettings.js";
export { User, UserPrivilege } from "./User.js";
export { Room } from "./Room.js";
export type { Delivery } from "./Delivery.js";
export {
  Zone,
  type RoomRef,
  type JoinRoomOptions,
  type CreateRoomOptions,
  type RoomOutcome,
  type LoginOutcome,
  type ZoneLogin,
  type SuperUserTarget,
} from "./Zone.js";
export { ZoneManager, type ZoneManagerOptions, type ZoneEvents } from "./ZoneManager.js";
export { MessageType, MessageRecipientMode } from "./RoomMessages.js";
export * as RoomMessages from "./RoomMessages.js";
export {
  ROOM_ACTIONS,
  handleRoomRequest,
  parseJoinRoom,
  parseCreateRoom,
  parseLeaveRoom,
  parseGenericMessage,
  parseSetRoomVariables,
  parseSetUserVariables,
  parseGroup,
  type GenericMessageRequest,
} from "./RoomRequests.js";
export { RoomService, type RoomServiceOptions } from "./RoomService.js";
