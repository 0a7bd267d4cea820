import type { DarkRiftMessage } from "@darkrift/core";
import { FrameError } from "./FrameError.js";
import { decodeMessageBody, encodeMessageBody } from "./MessageBody.js";
import type { ReceivedMessage } from "./ReceivedMessage.js";

/** Largest UDP payload over IPv4 (65535 − 8 UDP header − 20 IP header). */
export const MAX_DATAGRAM_LENGTH = 65507;

/**
 * Encodes one message as one UDP datagram (`SendMode.Unreliable`): exactly the message body,
 * no length prefix. Throws a {@link FrameError} `DATAGRAM_TOO_LONG` if it cannot fit a datagram.
 */
export function encodeDatagram(message: DarkRiftMessage): Uint8Array {
  const out = encodeMessageBody(message);
  if (out.length > MAX_DATAGRAM_LENGTH) {
    throw new FrameError(
      "DATAGRAM_TOO_LONG",
      `a ${out.length}-byte message does not fit a UDP datagram (max ${MAX_DATAGRAM_LENGTH}); send it reliably`,
      0,
    );
  }
  return out;
}

/**
 * Decodes one UDP datagram into a message (marked unreliable); the payload is a view of `bytes`.
 * Throws a {@link FrameError} `HEADER_TOO_SHORT` (strike weight 5) for fewer bytes than the header.
 */
export function decodeDatagram(bytes: Uint8Array): ReceivedMessage {
  return decodeMessageBody(bytes, false, 0);
}
