export { connect, type ClientOptions } from "./connect.js";
export { DarkRiftClient, type EndPoint } from "./DarkRiftClient.js";
export { clientLogger } from "./clientLogger.js";
export { consoleLogger, silentLogger, type DarkRiftLogger } from "@darkrift/core";
export {
  ConnectionClosedError,
  HandshakeError,
  TimeoutError,
  FrameError,
  type ReceivedMessage,
  ProtocolVersion,
  type ConnectionClosedCode,
  type ConnectionOptions,
  type SendOptions,
  type PingOptions,
  type TimeoutPhase,
} from "@darkrift/protocol";
