import type { Message } from "./Message.js";

/** The `code` values of {@link PacketError}: why a packet could not be encoded or decoded. */
export const PacketErrorCode = {
  /** The header byte lacks the BINARY flag (0x80): not an SFS2X packet, or the stream is out of sync. */
  NOT_BINARY: "NOT_BINARY",
  /** The size field is over `maxMessageSize` (or negative); refused before reading the body. */
  TOO_LARGE: "TOO_LARGE",
  /** The input ends before the header or the body it announces (one-shot `decodePacket`). */
  TRUNCATED: "TRUNCATED",
  /** Bytes after the packet given to the one-shot `decodePacket`. */
  TRAILING_BYTES: "TRAILING_BYTES",
  /** The COMPRESSED payload is not a valid zlib (RFC 1950) stream, or its Adler-32 does not match. */
  BAD_ZLIB: "BAD_ZLIB",
  /** The COMPRESSED payload inflates to more than `maxDecompressedSize` bytes (stopped early). */
  DECOMPRESSED_TOO_LARGE: "DECOMPRESSED_TOO_LARGE",
  /** The ENCRYPTED payload does not decrypt: wrong key/IV, corrupted bytes or bad PKCS#7 padding. */
  DECRYPT_FAILED: "DECRYPT_FAILED",
  /** An ENCRYPTED packet arrived but no `cipher` is configured. */
  NO_CIPHER: "NO_CIPHER",
  /** The payload is not a valid SFSObject (the `cause` is the core `SFSCodecError`). */
  BAD_PAYLOAD: "BAD_PAYLOAD",
  /** The root SFSObject lacks `c` BYTE, `a` SHORT or `p` SFS_OBJECT (or holds them with other types). */
  BAD_ROOT: "BAD_ROOT",
  /** A message to encode is malformed (controller not 0..255, action not a SHORT, params not an SFSObject). */
  BAD_MESSAGE: "BAD_MESSAGE",
  /** A codec option is invalid (e.g. a cipher key that is not 16 bytes). */
  BAD_OPTIONS: "BAD_OPTIONS",
  /** A `PacketDecoder` that hit a framing error earlier: the stream cannot be resynchronised. */
  DECODER_FAILED: "DECODER_FAILED",
} as const;

/** One of the {@link PacketErrorCode} strings. */
export type PacketErrorCode = (typeof PacketErrorCode)[keyof typeof PacketErrorCode];

/**
 * Codes after which the byte stream is lost: the packet boundaries are unknown, so a
 * `PacketDecoder` refuses further input. The other decode errors concern one well-framed
 * packet; the bytes after it are still in sync.
 */
const FATAL: ReadonlySet<string> = new Set([PacketErrorCode.NOT_BINARY, PacketErrorCode.TOO_LARGE, PacketErrorCode.DECODER_FAILED]);

/**
 * A packet-level failure (envelope, compression, encryption, root shape). Decode errors carry
 * `offset`, the byte position where the bad field starts: from the start of the packet for
 * header problems, from the start of the stream for `PacketDecoder`, and within the (decrypted,
 * inflated) payload for `BAD_PAYLOAD` (the `cause` then holds the core `SFSCodecError`).
 */
export class PacketError extends Error {
  override readonly name = "PacketError";
  /**
   * Messages that a `PacketDecoder.push` call had completed before this error, in order, so
   * that nothing is lost silently. Empty for the other functions.
   */
  messages: Message[] = [];

  constructor(
    readonly code: PacketErrorCode,
    message: string,
    readonly offset?: number,
    options?: { cause?: unknown },
  ) {
    super(offset === undefined ? message : `${message} (at byte ${offset})`, options);
  }

  /** True when the stream cannot continue after this error (framing lost): close the connection. */
  get fatal(): boolean {
    return FATAL.has(this.code);
  }
}
