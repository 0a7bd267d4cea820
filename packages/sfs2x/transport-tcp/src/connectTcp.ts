import { connect as netConnect, isIP, type Socket } from "node:net";
import { connect as tlsConnect } from "node:tls";
import { DEFAULT_CONNECT_TIMEOUT_MS, TransportError, TransportErrorCode } from "@sfs2x/protocol";
import { TcpConnection } from "./TcpConnection.js";
import type { TcpClientOptions } from "./TcpOptions.js";

/** Where to connect: a `tcp://host:port` URL or a host and port. */
export type TcpTarget = string | URL | { host: string; port: number };

/**
 * @internal Host and port of a `tcp://host:port` (or `tcps://`) URL, and whether the scheme asks
 * for TLS; throws TransportError CONNECT_FAILED / UNSUPPORTED_SCHEME when unusable.
 */
export function parseTcpTarget(target: TcpTarget): { host: string; port: number; tls: boolean } {
  if (typeof target === "object" && !(target instanceof URL)) {
    checkPort(target.port, `${target.host}:${target.port}`);
    return { host: target.host, port: target.port, tls: false };
  }
  let url: URL;
  try {
    url = typeof target === "string" ? new URL(target) : target;
  } catch (e) {
    throw new TransportError(TransportErrorCode.CONNECT_FAILED, `not a URL: ${String(target)} (expected tcp://host:port)`, { cause: e });
  }
  if (url.protocol !== "tcp:" && url.protocol !== "tcps:") {
    throw new TransportError(TransportErrorCode.UNSUPPORTED_SCHEME, `${url.protocol}// is not tcp:// or tcps:// (${url.href})`);
  }
  if (url.port === "") throw new TransportError(TransportErrorCode.CONNECT_FAILED, `${url.href} has no port (expected tcp://host:port)`);
  const host = url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
  if (host === "") throw new TransportError(TransportErrorCode.CONNECT_FAILED, `${url.href} has no host`);
  return { host, port: Number(url.port), tls: url.protocol === "tcps:" };
}

function checkPort(port: number, shown: string): void {
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new TransportError(TransportErrorCode.CONNECT_FAILED, `bad port in ${shown} (expected 1..65535)`);
  }
}

/**
 * Connects to an SFS2X TCP endpoint (`tcp://host:port`, or `{ host, port }`), over TLS when
 * `options.tls` is set or the URL is `tcps://host:port` (our scheme for TCP over TLS, as the C++
 * client's "TCP SSL"; `tls` options then default to the system CAs). Resolves with the open connection; rejects with `TransportError`
 * `CONNECT_FAILED` (refused, unreachable, TLS failure; `cause` holds the socket error) or
 * `TIMEOUT` (after `connectTimeoutMs`).
 *
 * ```ts
 * const conn = await connectTcp("tcp://127.0.0.1:9933");
 * conn.onMessage((m) => console.log(m.controller, m.action));
 * await conn.send({ controller: 0, action: 0, params: handshakeParams });
 * ```
 */
export function connectTcp(target: TcpTarget, options: TcpClientOptions = {}): Promise<TcpConnection> {
  let host: string;
  let port: number;
  let tlsScheme: boolean;
  try {
    ({ host, port, tls: tlsScheme } = parseTcpTarget(target));
  } catch (e) {
    return Promise.reject(e);
  }
  const timeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  return new Promise<TcpConnection>((resolve, reject) => {
    let socket: Socket;
    const tls = options.tls ?? (tlsScheme ? true : undefined);
    const secure = tls !== undefined && tls !== false;
    if (secure) {
      const extra = tls === true ? {} : tls;
      socket = tlsConnect({ host, port, ...(isIP(host) ? {} : { servername: host }), ...extra });
    } else {
      socket = netConnect({ host, port, noDelay: true });
    }
    let done = false;
    const timer =
      timeoutMs > 0
        ? setTimeout(() => {
            fail(new TransportError(TransportErrorCode.TIMEOUT, `connecting to ${host}:${port} took more than ${timeoutMs} ms`));
          }, timeoutMs)
        : undefined;
    const fail = (error: Error): void => {
      if (done) return;
      done = true;
      if (timer !== undefined) clearTimeout(timer);
      socket.destroy();
      reject(error);
    };
    const onError = (e: Error): void =>
      fail(new TransportError(TransportErrorCode.CONNECT_FAILED, `could not connect to ${host}:${port}${secure ? " (TLS)" : ""}: ${e.message}`, { cause: e }));
    socket.once("error", onError);
    socket.once(secure ? "secureConnect" : "connect", () => {
      if (done) return;
      done = true;
      if (timer !== undefined) clearTimeout(timer);
      socket.off("error", onError);
      try {
        resolve(new TcpConnection(socket, options, "client"));
      } catch (e) {
        socket.destroy();
        reject(e);
      }
    });
  });
}
