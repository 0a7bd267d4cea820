import { DarkRiftError } from "@darkrift/core";

/** Codes of {@link HandshakeError}. */
export type HandshakeErrorCode =
  /** The TCP hello is not exactly 9 bytes. */
  | "BAD_HELLO"
  /** The server speaks a newer bichannel protocol than this implementation (version byte 2 to 8). */
  | "UNSUPPORTED_VERSION"
  /** The peer's first bytes cannot start a DarkRift hello (e.g. `HTTP/1.1 …`, `SSH-…`, a TLS record): not a DarkRift server. */
  | "NOT_DARKRIFT"
  /** The UDP acknowledgement does not match the token (v1: 12 bytes, first 8 = token; v0: 1 byte). */
  | "BAD_ACK"
  /** The Configure command is malformed. */
  | "BAD_CONFIGURE"
  /** The connection closed before the handshake completed. */
  | "CLOSED_DURING_HANDSHAKE"
  /** A socket failed during the handshake (`cause` holds the socket error). */
  | "SOCKET_ERROR";

/** The bichannel handshake failed (spec §4). */
export class HandshakeError extends DarkRiftError {
  declare readonly code: HandshakeErrorCode;

  constructor(code: HandshakeErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
