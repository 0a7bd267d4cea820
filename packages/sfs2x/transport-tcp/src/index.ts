export { TcpConnection, type TcpConnectionHooks } from "./TcpConnection.js";
export { TcpServer } from "./TcpServer.js";
export { connectTcp, type TcpTarget } from "./connectTcp.js";
export { tcpClientFactory, tcpServerFactory } from "./tcpTransport.js";
// The close reasons and the flow-control policy are the same for every transport (@sfs2x/protocol).
export { CloseReason } from "@sfs2x/protocol";
export {
  type HighWaterMarkPolicy,
  type TcpConnectionOptions,
  type TcpClientOptions,
  type TcpClientTlsOptions,
  type TcpServerOptions,
  DEFAULT_CLOSE_TIMEOUT_MS,
  DEFAULT_TCP_PORT,
} from "./TcpOptions.js";
