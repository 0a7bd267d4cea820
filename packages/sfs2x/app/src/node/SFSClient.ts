import { SFSClientBase, type ClientTransport, type SFSClientOptions } from "../client/SFSClient.js";
import { clientFromUrl, type ClientFromUrlOptions } from "../transportFromUrl.js";

/** Options of the Node {@link SFSClient}: the transport options also take TLS settings (`tcps://`, `wss://`). */
export interface NodeSFSClientOptions extends SFSClientOptions {
  /** Transport options (limits, timeouts, `tls: { ca, rejectUnauthorized, servername }`...). */
  transportOptions?: ClientFromUrlOptions;
}

/**
 * The SFS2X client of the Node entry: `tcp://`, `tcps://`, `ws://` and `wss://` (see
 * {@link SFSClientBase} for the API). The browser entry's `SFSClient` is the same class over the
 * browser's WebSocket.
 */
export class SFSClient extends SFSClientBase {
  constructor(url: string | URL, options: NodeSFSClientOptions = {}) {
    super(url, options);
  }

  protected override defaultTransport(): ClientTransport {
    return clientFromUrl;
  }
}
