// The client-side mirror of rooms, users and variables (browser-safe).
export { SFSRoom } from "./SFSRoom.js";
export { SFSUser } from "./SFSUser.js";
export {
  ClientRoomState,
  CLIENT_ROOM_ACTIONS,
  type ClientRoomEvents,
  type RequestErrorEvent,
  type ChatMessageEvent,
} from "./ClientRoomState.js";
export {
  joinRoomRequest,
  createRoomRequest,
  leaveRoomRequest,
  publicMessageRequest,
  privateMessageRequest,
  objectMessageRequest,
  superUserMessageRequest,
  setUserVariablesRequest,
  setRoomVariablesRequest,
  subscribeRoomGroupRequest,
  unsubscribeRoomGroupRequest,
  type SuperUserRecipient,
} from "./RoomRequestBuilders.js";
export { RoomClient, type RoomClientOptions, type JoinOptions, type CreateOptions } from "./RoomClient.js";
