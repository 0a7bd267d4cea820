import { ByteWriter, SFSObject, writeSFSObject } from "@sfs2x/core";
import { compressPayload } from "./Compression.js";
import { resolveCodecOptions, type CodecOptions, type ResolvedCodecOptions } from "./CodecOptions.js";
import type { Message } from "./Message.js";
import { PacketError, PacketErrorCode } from "./PacketError.js";
import { PacketFlag } from "./PacketFlag.js";

// Packets are written into a shared slab: each one takes the next region and is returned as a
// view of it, so encoding a small packet allocates no buffer. Regions are never rewritten (the
// slab is replaced, not reset, once it is nearly full), so returned packets stay valid. Replacing
// it before it fills keeps the writer from growing, which would copy every earlier packet.
const SLAB_SIZE = 16384;
const SLAB_REFILL = SLAB_SIZE - 2048;
let slab = new ByteWriter(SLAB_SIZE);

function checkMessage(message: Message): void {
  if (message === null || typeof message !== "object") {
    throw new PacketError(PacketErrorCode.BAD_MESSAGE, `a message must be an object { controller, action, params }, got ${String(message)}`);
  }
  const { controller, action, params } = message;
  if (!Number.isInteger(controller) || controller < 0 || controller > 255) {
    throw new PacketError(PacketErrorCode.BAD_MESSAGE, `controller must be an integer 0..255 (a BYTE), got ${String(controller)}`);
  }
  if (!Number.isInteger(action) || action < -32768 || action > 32767) {
    throw new PacketError(PacketErrorCode.BAD_MESSAGE, `action must be an integer -32768..32767 (a SHORT), got ${String(action)}`);
  }
  if (!(params instanceof SFSObject)) {
    throw new PacketError(PacketErrorCode.BAD_MESSAGE, "params must be an SFSObject");
  }
}

/**
 * Serializes `message` into one packet: header byte, 2- or 4-byte size, payload (serialize →
 * compress when over `compressionThreshold` → encrypt when `cipher` is set). The root object is
 * `{ c BYTE, a SHORT, p SFS_OBJECT }`, in that order.
 *
 * The result may be a view into a shared buffer: it stays valid and unchanged, but do not write
 * into it.
 *
 * Throws {@link PacketError} (`BAD_MESSAGE`, `TOO_LARGE`, `BAD_OPTIONS`) or the core's
 * `SFSValueError` when the params cannot be serialized.
 */
export function encodePacket(message: Message, options?: CodecOptions): Uint8Array {
  return encodeResolved(message, resolveCodecOptions(options));
}

/** @internal {@link encodePacket} with resolved options. */
export function encodeResolved(message: Message, o: ResolvedCodecOptions): Uint8Array {
  let w = slab;
  if (w.length > SLAB_REFILL) w = slab = new ByteWriter(SLAB_SIZE);
  const at = w.length;
  const n = encodeTo(w, message, o);
  return w.subarray(at, at + n);
}

/**
 * @internal Appends one packet to `w` and returns its length. On failure (the same errors as
 * {@link encodePacket}) the writer is left as it was.
 *
 * The header is written in its 3-byte form in front of the payload; the rare payload over
 * `bigSizeThreshold` (only without compression) is moved up 2 bytes for the 5-byte form.
 */
export function encodeTo(w: ByteWriter, message: Message, o: ResolvedCodecOptions): number {
  checkMessage(message);
  const at = w.length;
  try {
    w.skip(3);
    // The root prefix as four words and a byte: 12 0003 | 0001 63 02 cc | 0001 61 03 | aaaa | 0001 70.
    w.writeUint32(0x12000300);
    w.writeUint32(0x01630200 | message.controller);
    w.writeUint32(0x00016103);
    w.writeUint32(((message.action & 0xffff) << 16) | 1);
    w.writeUint8(0x70);
    writeSFSObject(w, message.params, o.encodeParams);
    const start = at + 3;
    const size = w.length - start;
    if (size <= o.compressionThreshold && o.cipher === undefined) {
      if (size > o.maxMessageSize) throw tooLarge(size, o);
      if (size <= o.bigSizeThreshold) {
        w.setUint8(at, PacketFlag.BINARY);
        w.setUint16(at + 1, size);
        return size + 3;
      }
      // The 4-byte size: copy the payload out and write it again behind a 5-byte header.
      const payload = w.subarray(start).slice();
      w.truncate(at);
      writeFramed(w, PacketFlag.BINARY | PacketFlag.BIG_SIZE, payload);
      return size + 5;
    }
    let flags: number = PacketFlag.BINARY;
    let payload = w.subarray(start);
    if (size > o.compressionThreshold) {
      payload = compressPayload(payload, o.compressionLevel);
      flags |= PacketFlag.COMPRESSED;
    }
    if (o.cipher !== undefined) {
      payload = o.cipher.encrypt(payload);
      flags |= PacketFlag.ENCRYPTED;
    }
    // A custom cipher engine may hand back a view of its input: keep it from being overwritten.
    if (payload.buffer === w.subarray(at, at).buffer) payload = payload.slice();
    const n = payload.length;
    if (n > o.maxMessageSize) throw tooLarge(n, o);
    if (n > o.bigSizeThreshold) flags |= PacketFlag.BIG_SIZE;
    // The payload is a new array (compressed or encrypted): the serialized bytes can go.
    w.truncate(at);
    writeFramed(w, flags, payload);
    return w.length - at;
  } catch (e) {
    w.truncate(at);
    throw e;
  }
}

function tooLarge(size: number, o: ResolvedCodecOptions): PacketError {
  return new PacketError(PacketErrorCode.TOO_LARGE, `packet payload of ${size} bytes is over maxMessageSize ${o.maxMessageSize}; not sent`);
}

/** Header (3- or 5-byte form, as `flags` says) and payload. */
function writeFramed(w: ByteWriter, flags: number, payload: Uint8Array): void {
  w.writeUint8(flags);
  if (flags & PacketFlag.BIG_SIZE) w.writeUint32(payload.length);
  else w.writeUint16(payload.length);
  w.writeBytes(payload);
}
