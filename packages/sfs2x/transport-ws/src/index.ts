// The Node entry: the `ws`-based client and server, plus everything of the browser entry.
export { WsConnection } from "./WsConnection.node.js";
export { WsServer, type WsServerOptions } from "./WsServer.node.js";
export { connectWs, type WsClientOptions, type WsClientTlsOptions } from "./connectWs.node.js";
export { wsClientFactory, wsServerFactory } from "./wsTransport.node.js";
export { BrowserWsConnection, type BrowserWsOptions, type WebSocketLike } from "./BrowserWsConnection.js";
export { connectBrowserWs, type BrowserWsClientOptions, type WebSocketConstructor } from "./connectBrowserWs.js";
export { browserWsClientFactory } from "./browserWsTransport.js";
export { WsConnectionBase, type WsConnectionHooks } from "./WsConnectionBase.js";
export {
  CloseReason,
  type HighWaterMarkPolicy,
  type WsConnectionOptions,
  DEFAULT_WS_PATH,
  DEFAULT_WS_PORT,
  DEFAULT_WSS_PORT,
  DEFAULT_CLOSE_TIMEOUT_MS,
} from "./WsOptions.js";
