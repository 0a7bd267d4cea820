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

/** Version bytes above this are not taken for a future DarkRift protocol but for another protocol. */
const MAX_PLAUSIBLE_VERSION = 8;

/** `0x48 ('H')`, or `0x16` for a byte that is not printable ASCII. */
export function describeByte(byte: number): string {
  const h = `0x${byte.toString(16).padStart(2, "0")}`;
  return byte >= 0x20 && byte < 0x7f ? `${h} ('${String.fromCharCode(byte)}')` : h;
}

/** The likely cause of a non-DarkRift first byte. */
function likelyPeer(byte: number): string {
  if (byte === 0x48) return "is this an HTTP/WebSocket port rather than a DarkRift server?";
  if (byte === 0x16 || byte === 0x15) return "this looks like TLS: is this an HTTPS/WSS/TLS port rather than a DarkRift server?";
  if (byte === 0x53) return "is this an SSH (or other text protocol) port rather than a DarkRift server?";
  if (byte >= 0x20 && byte < 0x7f) return "the server speaks a text protocol (a banner such as SMTP's or FTP's '220 …'?), not DarkRift: check the host and port";
  return "is this a DarkRift server? check the host and port";
}

/** Printable ASCII of the bytes, other bytes as `.`: what a text banner said. */
function preview(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : ".";
  return s;
}

/**
 * Checks the first bytes a server sent (at least one) as the start of a TCP hello, so a client
 * fails at once on a server that is not DarkRift. Returns the {@link HandshakeError} to raise
 * (`UNSUPPORTED_VERSION` for a plausible newer version byte, 2 to 8; `NOT_DARKRIFT` otherwise),
 * or `undefined` when the version byte is 0 or 1.
 */
export function helloPrefixError(bytes: Uint8Array): HandshakeError | undefined {
  const version = bytes[0];
  if (version === undefined || version <= LATEST_PROTOCOL_VERSION) return undefined;
  const expected = `expected a DarkRift handshake (version 0 or ${LATEST_PROTOCOL_VERSION})`;
  if (version <= MAX_PLAUSIBLE_VERSION) {
    return new HandshakeError(
      "UNSUPPORTED_VERSION",
      `${expected} but the server speaks bichannel protocol ${version}: it is newer than this client (up to ${LATEST_PROTOCOL_VERSION})`,
    );
  }
  const head = bytes.subarray(0, 16);
  const text = head.some((b) => b >= 0x20 && b < 0x7f) && head.length > 1 ? ` (its first bytes: "${preview(head)}")` : "";
  return new HandshakeError("NOT_DARKRIFT", `${expected} but the server sent ${describeByte(version)}${text}: ${likelyPeer(version)}`);
}

/**
 * Parses the server's TCP hello (client side). Throws {@link HandshakeError} `BAD_HELLO` unless it
 * is exactly 9 bytes, `UNSUPPORTED_VERSION` when the version byte is 2 to 8 (C#: "server has a
 * newer protocol") and `NOT_DARKRIFT` for any other byte above 1 (see {@link helloPrefixError}).
 */
export function parseTcpHello(bytes: Uint8Array): Hello {
  if (bytes.length !== HELLO_LENGTH) {
    throw new HandshakeError("BAD_HELLO", `the TCP hello must be ${HELLO_LENGTH} bytes, got ${bytes.length}`);
  }
  const refused = helloPrefixError(bytes);
  if (refused) throw refused;
  return { version: bytes[0]!, token: bytes.slice(1, HELLO_LENGTH) };
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
