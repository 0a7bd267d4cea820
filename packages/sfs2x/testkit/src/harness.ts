import type { TransportConnection, TransportOptions, TransportServer, TransportServerOptions } from "@sfs2x/protocol";

/** A raw client of a transport's server: bytes only, no codec (a TCP socket, or a `ws` WebSocket sending one message per call). */
export interface RawPeer {
  /** Sends bytes: a TCP write, or one binary WebSocket message. */
  send(bytes: Uint8Array): void;
  /** Stops reading (a peer that does not read: the server's send buffer fills). */
  pause(): void;
  resume(): void;
  /** Each chunk (TCP) or message (WebSocket) received. */
  onData(listener: (bytes: Uint8Array) => void): void;
  /** Resolves when the server has closed the connection. */
  readonly closed: Promise<void>;
  destroy(): void;
}

/** How the shared suites reach one transport: its server, its client and a raw peer, all on 127.0.0.1. */
export interface TransportHarness {
  /** Shown in the suites' names, e.g. `"TCP"`. */
  name: string;
  /** A server (not yet listening) on 127.0.0.1; the suites pass `port: 0`. */
  createServer(options: TransportServerOptions): TransportServer;
  /** A client connection to the server at `port`. */
  connect(port: number, options?: TransportOptions): Promise<TransportConnection>;
  /** A raw peer connected to the server at `port`. */
  rawPeer(port: number): Promise<RawPeer>;
}
