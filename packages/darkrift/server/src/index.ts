export { serve, DarkRiftServer, type ServerOptions, type BroadcastOptions, type ClientHandler } from "./DarkRiftServer.js";
export { ServerClient, type EndPoint } from "./ServerClient.js";
export { ClientIdAllocator, NoFreeIdError } from "./ClientIdAllocator.js";
export { ListenError, type ListenErrorCode } from "./ListenError.js";
export { consoleLogger, silentLogger, serverLogger, type DarkRiftLogger } from "./Logger.js";
export {
  ConnectionClosedError,
  HandshakeError,
  TimeoutError,
  FrameError,
  type ReceivedMessage,
  StrikeWeight,
  ProtocolVersion,
  type ConnectionClosedCode,
  type ConnectionOptions,
  type SendOptions,
  type PingOptions,
} from "@darkrift/protocol";
