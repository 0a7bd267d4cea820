import type { DarkRiftMessage } from "@darkrift/core";
import { FrameError } from "./FrameError.js";
import { Received, type ReceivedMessage } from "./ReceivedMessage.js";
import { StrikeWeight } from "./StrikeWeight.js";

/** The ping flag: a uint16 ping code follows the tag. */
const PING = 0x40;

/** Header length of a body with these flags: 3 bytes, or 5 when the ping flag (0x40) is set. */
export function headerLength(flags: number): number {
  return flags & PING ? 5 : 3;
}

/** Encoded length of a message body: header plus payload. */
export function messageBodyLength(message: DarkRiftMessage): number {
  return headerLength(message.flags) + message.payload.length;
}

/**
 * Writes a message body (flags, tag uint16 BE, ping code uint16 BE when flags has 0x40, payload)
 * into `target` at `offset`; `target` must have room. Returns the offset after the body.
 */
export function writeMessageBody(message: DarkRiftMessage, target: Uint8Array, offset: number): number {
  const flags = message.flags;
  const tag = message.tag;
  target[offset] = flags;
  target[offset + 1] = tag >>> 8;
  target[offset + 2] = tag & 0xff;
  let p = offset + 3;
  if (flags & PING) {
    const code = message.pingCode;
    target[p] = code >>> 8;
    target[p + 1] = code & 0xff;
    p += 2;
  }
  const payload = message.payload;
  const n = payload.length;
  // Measured: set() (a memmove) beats a byte loop from about 8 bytes up, even for 32-byte payloads.
  if (n <= 8) {
    for (let i = 0; i < n; i++) target[p + i] = payload[i]!;
  } else {
    target.set(payload, p);
  }
  return p + n;
}

/** Encodes a message body (the bytes of a UDP datagram; a TCP frame without its length prefix). */
export function encodeMessageBody(message: DarkRiftMessage): Uint8Array {
  const out = new Uint8Array(messageBodyLength(message));
  writeMessageBody(message, out, 0);
  return out;
}

/**
 * Decodes a message body. The payload is a view of `bytes` (no copy). Throws a
 * {@link FrameError} `HEADER_TOO_SHORT` (strike weight 5) when the bytes cannot hold the header.
 *
 * @param reliable which channel the body came on (recorded on the {@link ReceivedMessage}); default true.
 * @param errorOffset added to error offsets (the position of `bytes` within a larger stream).
 */
export function decodeMessageBody(bytes: Uint8Array, reliable = true, errorOffset = 0): ReceivedMessage {
  const n = bytes.length;
  if (n < 3 || (bytes[0]! & PING && n < 5)) {
    throw new FrameError(
      "HEADER_TOO_SHORT",
      `a ${n}-byte message body cannot hold its ${n >= 1 && bytes[0]! & PING ? 5 : 3}-byte header`,
      errorOffset,
      { strikeWeight: StrikeWeight.HeaderTooShort },
    );
  }
  const flags = bytes[0]!;
  const tag = (bytes[1]! << 8) | bytes[2]!;
  if (flags & PING) {
    return new Received(tag, bytes.subarray(5), flags, (bytes[3]! << 8) | bytes[4]!, reliable);
  }
  return new Received(tag, bytes.subarray(3), flags, 0, reliable);
}
