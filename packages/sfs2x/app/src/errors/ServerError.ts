/** The `code` values of {@link ServerError}. */
export const ServerErrorCode = {
  /** An extension command arrived for which no handler is registered (nothing is sent back, as on a real server). */
  UNKNOWN_COMMAND: "UNKNOWN_COMMAND",
  /** A system request the server does not support (an error reply was sent). */
  UNSUPPORTED_REQUEST: "UNSUPPORTED_REQUEST",
  /** A malformed request (an extension message without a `c` string, params that do not parse...). */
  BAD_REQUEST: "BAD_REQUEST",
  /** A handler threw (or its promise rejected) with something other than a reply or an `SFSError`. */
  HANDLER_FAILED: "HANDLER_FAILED",
  /** A handler returned something that is not a reply (a model, an SFSObject, a `Reply`, an `SFSError`). */
  BAD_REPLY: "BAD_REPLY",
  /** A reply or notice could not be sent (closed connection, full send queue, value that does not serialise). */
  SEND_FAILED: "SEND_FAILED",
  /** A transport-level problem of a connection or listener (bad packet, timeout, socket error). */
  TRANSPORT: "TRANSPORT",
} as const;

/** One of the {@link ServerErrorCode} strings. */
export type ServerErrorCode = (typeof ServerErrorCode)[keyof typeof ServerErrorCode];

/**
 * What `SFSServer.onError` listeners receive for problems no caller could catch. `cause` holds the
 * original error (the handler's exception, the transport's `PacketError`...). `command` / `action`
 * name the request involved, when there is one.
 */
export class ServerError extends Error {
  override readonly name = "ServerError";
  constructor(
    readonly code: ServerErrorCode,
    message: string,
    options?: { cause?: unknown; command?: string; action?: number },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.command = options?.command;
    this.action = options?.action;
  }
  /** The extension command of the request involved. */
  readonly command: string | undefined;
  /** The action of the system request involved. */
  readonly action: number | undefined;
}
