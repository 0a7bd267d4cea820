import { DarkRiftError } from "@darkrift/core";

/** Why a connection closed. */
export type ConnectionClosedCode =
  /** `close()` was called on this side. */
  | "CLOSED"
  /** The peer closed the TCP connection (a 0-byte read: DarkRift has no goodbye message). */
  | "REMOTE_CLOSED"
  /** A socket error (TCP or UDP); `cause` holds it. */
  | "SOCKET_ERROR"
  /** The peer broke the protocol (a fatal {@link FrameError}); `cause` holds it. */
  | "PROTOCOL_ERROR"
  /** The server's strike total for this client reached `maxStrikes`. */
  | "STRIKES"
  /** The reliable send queue passed its hard limit (`maxQueuedBytes`): the peer does not read fast enough. */
  | "SEND_QUEUE_OVERFLOW"
  /** The server is shutting down. */
  | "SERVER_CLOSED"
  /** The connection handler threw or rejected; `cause` holds the error. */
  | "HANDLER_ERROR";

/**
 * The connection is closed. Rejects `send()`/`recv()` after the close and describes the
 * reason of the close itself (see `closed` / `onClose` on connections).
 */
export class ConnectionClosedError extends DarkRiftError {
  declare readonly code: ConnectionClosedCode;

  constructor(code: ConnectionClosedCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
