// Node-only: picks the TCP or WebSocket transport from a URL (the browser client uses
// `@sfs2x/transport-ws/browser` directly).
import type { ServerOptions as HttpsServerOptions } from "node:https";
import type { TransportClientFactory, TransportConnection, TransportServer, TransportServerFactory } from "@sfs2x/protocol";
import { TcpServer, connectTcp, tcpClientFactory, tcpServerFactory, type TcpClientOptions, type TcpServerOptions } from "@sfs2x/transport-tcp";
import {
  WsServer,
  connectWs,
  wsClientFactory,
  wsServerFactory,
  type WsClientOptions,
  type WsClientTlsOptions,
  type WsServerOptions,
} from "@sfs2x/transport-ws";

/** Why a URL cannot be used: {@link TransportUrlError.code}. */
export const TransportUrlErrorCode = {
  /** Not a URL at all. */
  BAD_URL: "BAD_URL",
  /** A scheme other than `tcp`, `tcps`, `ws`, `wss`. */
  UNSUPPORTED_SCHEME: "UNSUPPORTED_SCHEME",
  /** No explicit port (`tcp://host` ...): SFS2X has no single default port, so it must be given. */
  MISSING_PORT: "MISSING_PORT",
  /** A server URL with `wss://` or `tcps://` but no `tls` (nor an https `server`) option. */
  MISSING_TLS: "MISSING_TLS",
} as const;

/** One of the {@link TransportUrlErrorCode} strings. */
export type TransportUrlErrorCode = (typeof TransportUrlErrorCode)[keyof typeof TransportUrlErrorCode];

/** A transport URL that {@link clientFromUrl} / {@link serverFromUrl} cannot use. */
export class TransportUrlError extends Error {
  override readonly name = "TransportUrlError";
  constructor(
    readonly code: TransportUrlErrorCode,
    /** The URL as given. */
    readonly url: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The schemes the factories understand. `tcps` is TCP over TLS (ours; SFS2X's C++ client calls it TCP SSL). */
export const TRANSPORT_SCHEMES = ["tcp", "tcps", "ws", "wss"] as const;
/** One of {@link TRANSPORT_SCHEMES}. */
export type TransportScheme = (typeof TRANSPORT_SCHEMES)[number];

/** Options of {@link clientFromUrl}: those of both transports; each takes what concerns it. */
export interface ClientFromUrlOptions extends Omit<TcpClientOptions, "tls">, Omit<WsClientOptions, "tls"> {
  /** TLS settings for `tcps://` and `wss://` (`ca`, `rejectUnauthorized`, `servername`...); ignored for `tcp://` and `ws://`. */
  tls?: WsClientTlsOptions;
}

/** Options of {@link serverFromUrl}: those of both transports; `host`/`port` (and a `ws` path) come from the URL. */
export interface ServerFromUrlOptions extends Omit<TcpServerOptions, "tls" | "host" | "port">, Omit<WsServerOptions, "tls" | "host" | "port"> {
  /** Certificate and key (`{ key, cert }` PEM, or a `secureContext`) for `tcps://` and `wss://`; ignored for `tcp://` and `ws://`. */
  tls?: HttpsServerOptions;
}

/** The client factories of the Node entry, for `selectTransport` (tcp, tcps, ws, wss). */
export const clientTransports: readonly TransportClientFactory[] = [tcpClientFactory, wsClientFactory];
/** The server factories of the Node entry (tcp, tcps, ws, wss). */
export const serverTransports: readonly TransportServerFactory[] = [tcpServerFactory, wsServerFactory];

/** "tcp://, tcps://, ws://, wss://" for error messages. */
const SCHEMES_TEXT = TRANSPORT_SCHEMES.map((s) => `${s}://`).join(", ");

interface ParsedUrl {
  scheme: TransportScheme;
  host: string;
  port: number;
  /** The path when the URL has one other than "/". */
  path: string | undefined;
  url: URL;
}

/** @internal Parses and checks a transport URL (scheme, host, explicit port). */
export function parseTransportUrl(input: string | URL): ParsedUrl {
  const shown = typeof input === "string" ? input : input.href;
  let url: URL;
  try {
    url = new URL(shown);
  } catch (e) {
    throw new TransportUrlError(TransportUrlErrorCode.BAD_URL, shown, `not a URL: ${JSON.stringify(shown)} (expected scheme://host:port, e.g. tcp://127.0.0.1:9933 or ws://127.0.0.1:8080; supported schemes: ${SCHEMES_TEXT})`, { cause: e });
  }
  const scheme = url.protocol.slice(0, -1).toLowerCase();
  if (!(TRANSPORT_SCHEMES as readonly string[]).includes(scheme)) {
    throw new TransportUrlError(
      TransportUrlErrorCode.UNSUPPORTED_SCHEME,
      shown,
      `no transport for ${scheme}:// in ${shown} (supported schemes: ${SCHEMES_TEXT})`,
    );
  }
  // URL drops a port equal to the scheme's default (ws://h:80): read the authority as written.
  const written = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^/:?#]*)(?::(\d*))?/i.exec(shown);
  const portText = url.port !== "" ? url.port : written?.[2];
  if (portText === undefined || portText === "") {
    throw new TransportUrlError(TransportUrlErrorCode.MISSING_PORT, shown, `${shown} has no port (expected ${scheme}://host:port; 0 picks a free one for a server; supported schemes: ${SCHEMES_TEXT})`);
  }
  const host = url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
  if (host === "") throw new TransportUrlError(TransportUrlErrorCode.BAD_URL, shown, `${shown} has no host (expected ${scheme}://host:port)`);
  const path = url.pathname !== "" && url.pathname !== "/" ? url.pathname : undefined;
  return { scheme: scheme as TransportScheme, host, port: Number(portText), path, url };
}

/**
 * Connects a client transport chosen by the URL scheme: `tcp://host:port`, `tcps://host:port`
 * (TCP over TLS), `ws://host:port[/path]`, `wss://host:port[/path]` (no path:
 * `/BlueBox/websocket`). Rejects with {@link TransportUrlError} for an unusable URL (another
 * scheme, no port), or with the transport's `TransportError` (`CONNECT_FAILED`, `TIMEOUT`).
 *
 * ```ts
 * const conn = await clientFromUrl("ws://127.0.0.1:8080");
 * ```
 */
export async function clientFromUrl(url: string | URL, options: ClientFromUrlOptions = {}): Promise<TransportConnection> {
  const u = parseTransportUrl(url);
  const { tls, ...rest } = options;
  switch (u.scheme) {
    case "tcp":
      return connectTcp({ host: u.host, port: u.port }, rest);
    case "tcps":
      return connectTcp({ host: u.host, port: u.port }, { ...rest, tls: tls ?? true });
    case "ws":
      return connectWs(withPort(u), rest);
    case "wss":
      return connectWs(withPort(u), tls === undefined ? rest : { ...rest, tls });
  }
}

/**
 * Creates (does not start: call `listen()`) a server transport chosen by the URL scheme:
 * `tcp://host:port`, `tcps://host:port` (needs `tls`), `ws://host:port[/path]`,
 * `wss://host:port[/path]` (needs `tls`, or an https `server` to attach to). Port 0 picks a free
 * port (see `address` after `listen()`). Throws {@link TransportUrlError} for an unusable URL.
 *
 * ```ts
 * const server = serverFromUrl("wss://0.0.0.0:8443", { tls: { key, cert } });
 * server.onConnection((conn) => conn.onMessage((m) => void conn.send(m)));
 * await server.listen();
 * ```
 */
export function serverFromUrl(url: string | URL, options: ServerFromUrlOptions = {}): TransportServer {
  const u = parseTransportUrl(url);
  const { tls, ...rest } = options;
  const where = { host: u.host, port: u.port };
  switch (u.scheme) {
    case "tcp":
      return new TcpServer({ ...rest, ...where });
    case "tcps":
      if (tls === undefined) throw missingTls(u, "tcps://");
      return new TcpServer({ ...rest, ...where, tls });
    case "ws":
      return new WsServer({ ...rest, ...where, ...(u.path !== undefined ? { path: u.path } : {}) });
    case "wss": {
      const attachedHttps = rest.server !== undefined && "setSecureContext" in rest.server;
      if (tls === undefined && !attachedHttps) throw missingTls(u, "wss://");
      return new WsServer({ ...rest, ...where, ...(u.path !== undefined ? { path: u.path } : {}), ...(tls !== undefined ? { tls } : {}) });
    }
  }
}

/** The URL with its port written out (URL drops ws://…:80 and wss://…:443). */
function withPort(u: ParsedUrl): string {
  const host = u.host.includes(":") ? `[${u.host}]` : u.host;
  return `${u.scheme}://${host}:${u.port}${u.url.pathname}${u.url.search}`;
}

function missingTls(u: ParsedUrl, scheme: string): TransportUrlError {
  return new TransportUrlError(
    TransportUrlErrorCode.MISSING_TLS,
    u.url.href,
    `${scheme} needs a certificate: pass options.tls ({ key, cert } or { secureContext })${scheme === "wss://" ? " or an https options.server" : ""}`,
  );
}
