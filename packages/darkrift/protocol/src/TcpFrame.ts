import type { DarkRiftMessage } from "@darkrift/core";
import { messageBodyLength, writeMessageBody } from "./MessageBody.js";

/** Bytes of the TCP length prefix. */
export const TCP_HEADER_LENGTH = 4;

/** Length of a message's TCP frame: the int32 prefix plus the body. */
export function tcpFrameLength(message: DarkRiftMessage): number {
  return TCP_HEADER_LENGTH + messageBodyLength(message);
}

/**
 * Writes a TCP frame (int32 BE body length, then the body) into `target` at `offset`;
 * `target` must have room ({@link tcpFrameLength}). Returns the offset after the frame.
 */
export function writeTcpFrame(message: DarkRiftMessage, target: Uint8Array, offset: number): number {
  const end = writeMessageBody(message, target, offset + TCP_HEADER_LENGTH);
  const body = end - offset - TCP_HEADER_LENGTH;
  target[offset] = body >>> 24;
  target[offset + 1] = (body >>> 16) & 0xff;
  target[offset + 2] = (body >>> 8) & 0xff;
  target[offset + 3] = body & 0xff;
  return end;
}

/** Encodes one message as a TCP frame (`SendMode.Reliable`), in one allocation. */
export function encodeTcpFrame(message: DarkRiftMessage): Uint8Array {
  const out = new Uint8Array(tcpFrameLength(message));
  writeTcpFrame(message, out, 0);
  return out;
}
