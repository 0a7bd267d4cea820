import type { TransportClientFactory, TransportServerFactory } from "@sfs2x/protocol";
import { connectWs, type WsClientOptions } from "./connectWs.node.js";
import { WsServer, type WsServerOptions } from "./WsServer.node.js";

/** Client factory for `ws://` and `wss://` in Node (the `ws` package). */
export const wsClientFactory = {
  schemes: ["ws", "wss"],
  connect: (url: string | URL, options?: WsClientOptions) => connectWs(url, options),
} as const satisfies TransportClientFactory;

/**
 * Server factory for `ws://` and `wss://`: `createServer(options)` returns a {@link WsServer}
 * (not yet listening); `wss://` needs `options.tls` (or an https `options.server`).
 */
export const wsServerFactory = {
  schemes: ["ws", "wss"],
  createServer: (options?: WsServerOptions) => new WsServer(options),
} as const satisfies TransportServerFactory;
