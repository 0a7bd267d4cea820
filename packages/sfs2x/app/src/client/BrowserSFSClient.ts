import { browserWsClientFactory } from "@sfs2x/transport-ws/browser";
import { SFSClientBase, type ClientTransport } from "./SFSClient.js";

/**
 * The SFS2X client of the browser entry: `ws://` and `wss://` over the browser's `WebSocket`
 * (see {@link SFSClientBase} for the API). `tcp://` needs Node: use the Node entry.
 */
export class SFSClient extends SFSClientBase {
  protected override defaultTransport(): ClientTransport {
    return browserWsClientFactory;
  }
}
