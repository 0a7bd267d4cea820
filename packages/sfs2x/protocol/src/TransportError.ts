/** The `code` values of {@link TransportError}. */
export const TransportErrorCode = {
  /** The connection is closed (or closing): the message was not sent. */
  CLOSED: "CLOSED",
  /** The send queue is over its `highWaterMark`: the message was not queued. */
  QUEUE_FULL: "QUEUE_FULL",
  /** The socket refused or failed the write: the message may not have been delivered. */
  SEND_FAILED: "SEND_FAILED",
  /** Connecting did not succeed (refused, unreachable, TLS or upgrade failure). */
  CONNECT_FAILED: "CONNECT_FAILED",
  /** A timeout of the transport fired (first packet, idle, connect). */
  TIMEOUT: "TIMEOUT",
  /** A server could not bind its listening socket (port in use, permission denied, bad address). */
  LISTEN_FAILED: "LISTEN_FAILED",
  /** No registered transport handles the URL scheme. */
  UNSUPPORTED_SCHEME: "UNSUPPORTED_SCHEME",
} as const;

/** One of the {@link TransportErrorCode} strings. */
export type TransportErrorCode = (typeof TransportErrorCode)[keyof typeof TransportErrorCode];

/** A failure of a transport (floor 3 raises them; the class lives here so every transport shares it). */
export class TransportError extends Error {
  override readonly name: string = "TransportError";
  constructor(
    readonly code: TransportErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** `send()` on a closed or closing connection: the message was not sent. */
export class ConnectionClosedError extends TransportError {
  override readonly name = "ConnectionClosedError";
  constructor(message = "the connection is closed", options?: { cause?: unknown }) {
    super(TransportErrorCode.CLOSED, message, options);
  }
}

/** Why binding failed, in words, for the usual `errno` codes of `listen()`. */
const LISTEN_REASONS: Readonly<Record<string, string>> = {
  EADDRINUSE: "port in use (another process, or another listener of this app, is bound to it)",
  EACCES: "permission denied (ports below 1024 need privileges)",
  EADDRNOTAVAIL: "address not available on this machine",
};

/**
 * For transport implementations: the {@link TransportError} `LISTEN_FAILED` of a server that
 * could not bind, naming the listener (`ws://127.0.0.1:8080`) and the reason ("port in use" for
 * `EADDRINUSE`); `cause` is the socket error.
 */
export function listenError(listener: string, error: Error & { code?: string }): TransportError {
  const code = typeof error.code === "string" ? error.code : undefined;
  const reason = code !== undefined && LISTEN_REASONS[code] !== undefined ? `${LISTEN_REASONS[code]} [${code}]` : error.message;
  return new TransportError(TransportErrorCode.LISTEN_FAILED, `cannot listen on ${listener}: ${reason}`, { cause: error });
}
