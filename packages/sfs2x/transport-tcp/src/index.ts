export { TcpConnection, type TcpConnectionHooks } from "./TcpConnection.js";
export { TcpServer } from "./TcpServer.js";
export { connectTcp, type TcpTarget } from "./connectTcp.js";
export { tcpClientFactory, tcpServerFactory } from "./tcpTransport.js";
export { CloseReason } from "./CloseReason.js";
export {
  type HighWaterMarkPolicy,
  type TcpConnectionOptions,
  type TcpClientOptions,
  type TcpClientTlsOptions,
  type TcpServerOptions,
  DEFAULT_CLOSE_TIMEOUT_MS,
  DEFAULT_TCP_PORT,
} from "./TcpOptions.js";
