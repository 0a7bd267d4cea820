import type { TransportClientFactory } from "@sfs2x/protocol";
import { connectBrowserWs, type BrowserWsClientOptions } from "./connectBrowserWs.js";

/** Client factory for `ws://` and `wss://` on the browser `WebSocket`. */
export const browserWsClientFactory = {
  schemes: ["ws", "wss"],
  connect: (url: string | URL, options?: BrowserWsClientOptions) => connectBrowserWs(url, options),
} as const satisfies TransportClientFactory;
