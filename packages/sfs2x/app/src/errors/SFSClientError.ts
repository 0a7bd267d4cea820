/** The `code` values of {@link SFSClientError}. */
export const SFSClientErrorCode = {
  /** The call needs a connection (call `connect()` first) or the connection has closed. */
  NOT_CONNECTED: "NOT_CONNECTED",
  /** `connect()` was called twice. */
  ALREADY_CONNECTED: "ALREADY_CONNECTED",
  /** The call needs a completed handshake, or a login. */
  BAD_STATE: "BAD_STATE",
  /** The AES key could not be obtained or installed (CryptoManager exchange). */
  ENCRYPTION_FAILED: "ENCRYPTION_FAILED",
  /** A reply arrived but does not match the expected response model(s). */
  BAD_RESPONSE: "BAD_RESPONSE",
  /** A body that is neither a model nor an SFSObject, or a request without a target. */
  BAD_ARGUMENT: "BAD_ARGUMENT",
  /** No transport for the URL (e.g. `tcp://` from the browser entry). */
  NO_TRANSPORT: "NO_TRANSPORT",
} as const;

/** One of the {@link SFSClientErrorCode} strings. */
export type SFSClientErrorCode = (typeof SFSClientErrorCode)[keyof typeof SFSClientErrorCode];

/** Misuse of `SFSClient` / `SFSServer` APIs, or a failed client-side step (encryption, response shape). */
export class SFSClientError extends Error {
  override readonly name = "SFSClientError";
  constructor(
    readonly code: SFSClientErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
