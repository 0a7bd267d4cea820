import { HandshakeError } from "./HandshakeError.js";
import { LATEST_PROTOCOL_VERSION, ProtocolVersion } from "./ProtocolVersion.js";

/** Length of the raw TCP hello (and of the UDP hello): version byte + 8-byte token. */
export const HELLO_LENGTH = 9;
/** Length of the connection token. */
export const TOKEN_LENGTH = 8;
/** Length of the v1 UDP acknowledgement: the token + 4 zero bytes. */
export const UDP_ACK_LENGTH_V1 = 12;
/** Length of the v0 UDP acknowledgement: the single byte `00`. */
export const UDP_ACK_LENGTH_V0 = 1;

/** A parsed hello: protocol version and the 8-byte token. */
export interface Hello {
  /** The version byte (0 or 1 for accepted TCP hellos; anything for UDP hellos, whose byte 0 C# ignores). */
  version: number;
  /** The token (a copy, 8 bytes). */
  token: Uint8Array;
}

/**
 * A fresh random connection token as the C# server makes it: two `Random.Next()` values
 * (non-negative int32) packed big-endian, so bits 63 and 31 are always 0. Otherwise opaque.
 */
export function generateToken(): Uint8Array {
  const token = new Uint8Array(TOKEN_LENGTH);
  globalThis.crypto.getRandomValues(token);
  token[0] &= 0x7f;
  token[4] &= 0x7f;
  return token;
}

/** The token as 16 lowercase hex digits (a map key). */
export function tokenKey(token: Uint8Array, offset = 0): string {
  let s = "";
  for (let i = offset; i < offset + TOKEN_LENGTH; i++) s += (token[i]! < 16 ? "0" : "") + token[i]!.toString(16);
  return s;
}

function checkToken(token: Uint8Array): void {
  if (token.length !== TOKEN_LENGTH) throw new RangeError(`a token is ${TOKEN_LENGTH} bytes, got ${token.length}`);
}

function checkVersion(version: number): void {
  if (version !== ProtocolVersion.V0 && version !== ProtocolVersion.V1) {
    throw new RangeError(`unsupported bichannel protocol version ${version} (0 or 1)`);
  }
}

/**
 * The server's raw TCP hello: `[version][token × 8]`, 9 bytes, NOT length-prefixed. The C# client
 * reads it with one `Receive`, so a server must write it in one write.
 */
export function encodeTcpHello(version: ProtocolVersion, token: Uint8Array): Uint8Array {
  checkVersion(version);
  checkToken(token);
  const out = new Uint8Array(HELLO_LENGTH);
  out[0] = version;
  out.set(token, 1);
  return out;
}

/**
 * Parses the server's TCP hello (client side). Throws {@link HandshakeError} `BAD_HELLO` unless it
 * is exactly 9 bytes, and `UNSUPPORTED_VERSION` when the version byte is above 1 (C#: "server has a
 * newer protocol").
 */
export function parseTcpHello(bytes: Uint8Array): Hello {
  if (bytes.length !== HELLO_LENGTH) {
    throw new HandshakeError("BAD_HELLO", `the TCP hello must be ${HELLO_LENGTH} bytes, got ${bytes.length}`);
  }
  const version = bytes[0]!;
  if (version > LATEST_PROTOCOL_VERSION) {
    throw new HandshakeError("UNSUPPORTED_VERSION", `the server speaks bichannel protocol ${version}; this client speaks up to ${LATEST_PROTOCOL_VERSION}`);
  }
  return { version, token: bytes.slice(1, HELLO_LENGTH) };
}

/** The client's UDP hello: the TCP hello's 9 bytes sent back unchanged, as one datagram. */
export function encodeUdpHello(version: number, token: Uint8Array): Uint8Array {
  checkToken(token);
  const out = new Uint8Array(HELLO_LENGTH);
  out[0] = version & 0xff;
  out.set(token, 1);
  return out;
}

/**
 * Parses a datagram as a UDP hello (server side). Like C#, only the length (exactly 9) is checked
 * and byte 0 is ignored; returns `undefined` for any other datagram (which C# drops silently).
 */
export function parseUdpHello(bytes: Uint8Array): Hello | undefined {
  if (bytes.length !== HELLO_LENGTH) return undefined;
  return { version: bytes[0]!, token: bytes.slice(1, HELLO_LENGTH) };
}

/** The server's UDP acknowledgement: v1 = the 8 token bytes + `00000000` (12 bytes); v0 = `00`. */
export function encodeUdpAck(version: ProtocolVersion, token: Uint8Array): Uint8Array {
  checkVersion(version);
  checkToken(token);
  if (version === ProtocolVersion.V0) return new Uint8Array(UDP_ACK_LENGTH_V0);
  const out = new Uint8Array(UDP_ACK_LENGTH_V1);
  out.set(token, 0);
  return out;
}

/**
 * Whether a datagram is the server's acknowledgement (client side). v1: exactly 12 bytes whose first
 * 8 equal the token (the last 4 are not checked, as in C#). v0: exactly one byte.
 */
export function isUdpAck(version: number, token: Uint8Array, bytes: Uint8Array): boolean {
  if (version === ProtocolVersion.V0) return bytes.length === UDP_ACK_LENGTH_V0;
  if (bytes.length !== UDP_ACK_LENGTH_V1) return false;
  for (let i = 0; i < TOKEN_LENGTH; i++) if (bytes[i] !== token[i]) return false;
  return true;
}
