import { ByteReader, readSFSObject, SFSCodecError, SFSDataType, SFSObject } from "@sfs2x/core";
import { inflatePayload } from "./Compression.js";
import { resolveCodecOptions, type CodecOptions, type ResolvedCodecOptions } from "./CodecOptions.js";
import type { Message } from "./Message.js";
import { PacketError, PacketErrorCode } from "./PacketError.js";
import { PacketFlag, describeFlags, type PacketHeader } from "./PacketFlag.js";

/** @internal The placeholder URL in the "answered with HTTP" hint of `NOT_BINARY`; a transport that knows the peer replaces it. */
export const HTTP_HINT_URL = "ws://…";
const HTTP_HINT = `; the peer answered with HTTP: is this a WebSocket port? use ${HTTP_HINT_URL} instead of tcp://`;
const HTTP_REQUEST_HINT = "; the peer sent an HTTP request: is it a browser or WebSocket client? serve it on a ws:// listener";

/** A hint for a stream that starts like HTTP: 'H' (HTTP/1.1 …, a response) or 'G'/'P' (GET/POST, a request). */
function httpHint(first: number): string {
  if (first === 0x48) return HTTP_HINT;
  if (first === 0x47 || first === 0x50) return HTTP_REQUEST_HINT;
  return "";
}

/**
 * Reads the header at `bytes[at]`: `undefined` when the size field is not complete yet.
 * Throws {@link PacketError} `NOT_BINARY` or `TOO_LARGE` (`offset` = `at` + `base`) as soon as the
 * bytes present show it, so an oversized packet is refused before its body is buffered.
 */
export function readPacketHeader(bytes: Uint8Array, at: number, maxMessageSize: number, base = 0): PacketHeader | undefined {
  const n = bytes.length - at;
  if (n < 1) return undefined;
  const flags = bytes[at]!;
  if ((flags & PacketFlag.BINARY) === 0) {
    throw new PacketError(
      PacketErrorCode.NOT_BINARY,
      `header byte 0x${flags.toString(16).padStart(2, "0")} (${describeFlags(flags)}) lacks the BINARY flag 0x80: not an SFS2X packet or the stream is out of sync${base + at === 0 ? httpHint(flags) : ""}`,
      base + at,
    );
  }
  let size: number;
  let headerLength: number;
  if (flags & PacketFlag.BIG_SIZE) {
    if (n < 5) return undefined;
    size = ((bytes[at + 1]! << 24) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 8) | bytes[at + 4]!) | 0; // int32
    headerLength = 5;
  } else {
    if (n < 3) return undefined;
    size = (bytes[at + 1]! << 8) | bytes[at + 2]!;
    headerLength = 3;
  }
  if (size < 0 || size > maxMessageSize) {
    throw new PacketError(
      PacketErrorCode.TOO_LARGE,
      `packet size field ${size} is ${size < 0 ? "negative" : `over maxMessageSize ${maxMessageSize}`}; refused before reading the body`,
      base + at + 1,
    );
  }
  return { flags, headerLength, size };
}

/**
 * @internal Decrypts, inflates and decodes one payload, `bytes[start, end)` (the bytes after the
 * header), into a message. Every failure is a {@link PacketError}.
 */
export function decodePayload(bytes: Uint8Array, start: number, end: number, flags: number, o: ResolvedCodecOptions): Message {
  if ((flags & (PacketFlag.ENCRYPTED | PacketFlag.COMPRESSED)) === 0) return decodeRoot(bytes, start, end, o);
  let body = bytes.subarray(start, end);
  if (flags & PacketFlag.ENCRYPTED) {
    if (o.cipher === undefined) {
      throw new PacketError(PacketErrorCode.NO_CIPHER, "an ENCRYPTED packet arrived but no cipher is configured");
    }
    try {
      body = o.cipher.decrypt(body);
    } catch (e) {
      if (e instanceof PacketError) throw e;
      throw new PacketError(PacketErrorCode.DECRYPT_FAILED, `decryption failed: ${(e as Error).message}`, undefined, { cause: e });
    }
  }
  if (flags & PacketFlag.COMPRESSED) body = inflatePayload(body, o.maxDecompressedSize);
  return decodeRoot(body, 0, body.length, o);
}

/**
 * @internal Decodes the root object in `bytes[start, end)`. The usual root — `c` BYTE, `a` SHORT,
 * `p` SFS_OBJECT in any order — is read in place: only the params object is built. Anything else
 * (extra keys such as the UDP root's `u` and `i`, other types, bad bytes) goes through the
 * generic decoder, which gives the precise error. Error offsets count from `start`.
 */
export function decodeRoot(bytes: Uint8Array, start: number, end: number, o: ResolvedCodecOptions): Message {
  if (end - start >= 3 && bytes[start] === 0x12 && bytes[start + 1] === 0 && bytes[start + 2] === 3) {
    let controller = -1;
    let action = 0x10000;
    let params: SFSObject | undefined;
    let p = start + 3;
    let entries = 0;
    for (; entries < 3; entries++) {
      // Every entry starts with key length 0x0001, one key byte, one type byte.
      if (p + 4 > end || bytes[p] !== 0 || bytes[p + 1] !== 1) break;
      const key = bytes[p + 2]!;
      const type = bytes[p + 3]!;
      p += 4;
      if (key === 0x63 && type === SFSDataType.BYTE && p + 1 <= end) {
        controller = bytes[p]!;
        p += 1;
      } else if (key === 0x61 && type === SFSDataType.SHORT && p + 2 <= end) {
        action = ((bytes[p]! << 24) >> 16) | bytes[p + 1]!;
        p += 2;
      } else if (key === 0x70 && type === SFSDataType.SFS_OBJECT) {
        const at = p - 1; // readSFSObject reads the type byte itself
        const reader = new ByteReader(bytes, at, end);
        try {
          params = readSFSObject(reader, o.decodeParams);
        } catch (e) {
          throw payloadError(e, at - start);
        }
        p = at + reader.position;
      } else break;
    }
    if (entries === 3 && controller >= 0 && action !== 0x10000 && params !== undefined) return { controller, action, params };
  }
  let root: SFSObject;
  try {
    root = readSFSObject(new ByteReader(bytes, start, end), o.decode);
  } catch (e) {
    throw payloadError(e, 0);
  }
  return rootToMessage(root);
}

function payloadError(e: unknown, base: number): PacketError {
  if (e instanceof SFSCodecError) {
    return new PacketError(PacketErrorCode.BAD_PAYLOAD, `payload is not a valid SFSObject: ${e.message}`, base + e.offset, { cause: e });
  }
  return new PacketError(PacketErrorCode.BAD_PAYLOAD, `payload could not be decoded: ${String(e)}`, undefined, { cause: e });
}

/** @internal Extracts `c` BYTE, `a` SHORT, `p` SFS_OBJECT from a root object, in any key order. */
export function rootToMessage(root: SFSObject): Message {
  const ct = root.getType("c");
  const at = root.getType("a");
  const pt = root.getType("p");
  if (ct !== SFSDataType.BYTE || at !== SFSDataType.SHORT || pt !== SFSDataType.SFS_OBJECT) {
    const show = (k: string, t: SFSDataType | undefined): string => `${k} ${t === undefined ? "missing" : SFSDataType[t]}`;
    throw new PacketError(
      PacketErrorCode.BAD_ROOT,
      `root object must hold c BYTE, a SHORT, p SFS_OBJECT; found ${show("c", ct)}, ${show("a", at)}, ${show("p", pt)}`,
    );
  }
  return { controller: root.get("c") as number, action: root.get("a") as number, params: root.get("p") as SFSObject };
}

/**
 * Decodes exactly one whole packet (header, size, payload). Throws {@link PacketError}:
 * `NOT_BINARY`, `TOO_LARGE` (size over `maxMessageSize`), `TRUNCATED`, `TRAILING_BYTES`,
 * `NO_CIPHER`, `DECRYPT_FAILED`, `BAD_ZLIB`, `DECOMPRESSED_TOO_LARGE`, `BAD_PAYLOAD`, `BAD_ROOT`.
 *
 * The message may hold views into `bytes` (BYTE_ARRAY values, unless `copyByteArrays`).
 * For a byte stream (TCP) use {@link PacketDecoder}.
 */
export function decodePacket(bytes: Uint8Array, options?: CodecOptions): Message {
  return decodeResolved(bytes, resolveCodecOptions(options));
}

/** @internal {@link decodePacket} with resolved options. */
export function decodeResolved(bytes: Uint8Array, o: ResolvedCodecOptions): Message {
  const header = readPacketHeader(bytes, 0, o.maxMessageSize);
  if (header === undefined) {
    throw new PacketError(PacketErrorCode.TRUNCATED, `${bytes.length} bytes are too few for a packet header`, 0);
  }
  const end = header.headerLength + header.size;
  if (bytes.length < end) {
    throw new PacketError(PacketErrorCode.TRUNCATED, `packet announces ${header.size} payload bytes but only ${bytes.length - header.headerLength} follow`, header.headerLength);
  }
  if (bytes.length > end) {
    throw new PacketError(PacketErrorCode.TRAILING_BYTES, `${bytes.length - end} bytes after the packet`, end);
  }
  return decodePayload(bytes, header.headerLength, end, header.flags, o);
}
