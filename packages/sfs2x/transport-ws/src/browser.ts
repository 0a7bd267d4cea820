// The browser entry (the `browser` export condition and the `./browser` subpath): no Node built-ins.
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
// The names the Node entry uses for its client, so isomorphic code imports one name everywhere.
export { connectBrowserWs as connectWs } from "./connectBrowserWs.js";
export { browserWsClientFactory as wsClientFactory } from "./browserWsTransport.js";
