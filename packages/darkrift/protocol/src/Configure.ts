import { DarkRiftMessage } from "@darkrift/core";
import { CommandCode } from "./CommandCode.js";
import { HandshakeError } from "./HandshakeError.js";

/** The Configure command (flags 0x80, tag 0, payload = uint16 BE client ID) the server sends last. */
export function makeConfigure(clientId: number): DarkRiftMessage {
  if (!Number.isInteger(clientId) || clientId < 0 || clientId > 0xffff) {
    throw new RangeError(`a client ID is a uint16, got ${clientId}`);
  }
  return DarkRiftMessage.command(CommandCode.Configure, new Uint8Array([clientId >>> 8, clientId & 0xff]));
}

/** Whether a message is the Configure command. */
export function isConfigure(message: DarkRiftMessage): boolean {
  return message.isCommand && message.tag === CommandCode.Configure;
}

/**
 * The client ID carried by a Configure command. Throws {@link HandshakeError} `BAD_CONFIGURE` if
 * the message is not a Configure command or its payload is shorter than 2 bytes (C# reads a uint16
 * and ignores anything after it).
 */
export function parseConfigure(message: DarkRiftMessage): number {
  if (!isConfigure(message)) throw new HandshakeError("BAD_CONFIGURE", "not a Configure command (flags 0x80, tag 0)");
  const p = message.payload;
  if (p.length < 2) throw new HandshakeError("BAD_CONFIGURE", `a Configure payload needs 2 bytes, got ${p.length}`);
  return (p[0]! << 8) | p[1]!;
}
