import type { TransportClientFactory, TransportServerFactory } from "@sfs2x/protocol";
import { connectTcp } from "./connectTcp.js";
import { TcpServer } from "./TcpServer.js";
import type { TcpClientOptions, TcpServerOptions } from "./TcpOptions.js";

/** Client factory for `tcp://` and `tcps://` (TCP over TLS). Options: {@link TcpClientOptions}. */
export const tcpClientFactory = {
  schemes: ["tcp", "tcps"],
  connect: (url: string | URL, options?: TcpClientOptions) => connectTcp(url, options),
} as const satisfies TransportClientFactory;

/**
 * Server factory for `tcp://` and `tcps://`: `createServer(options)` returns a {@link TcpServer}
 * (not yet listening); it serves TLS when `options.tls` is set.
 */
export const tcpServerFactory = {
  schemes: ["tcp", "tcps"],
  createServer: (options?: TcpServerOptions) => new TcpServer(options),
} as const satisfies TransportServerFactory;
