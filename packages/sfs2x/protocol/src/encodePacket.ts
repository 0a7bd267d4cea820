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

/** Header room reserved before the payload: the 5-byte form; the 3-byte form uses the last 3. */
const HEADER_ROOM = 5;

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
  checkMessage(message);
  let w = slab;
  if (w.length > SLAB_REFILL) w = slab = new ByteWriter(SLAB_SIZE);
  const at = w.skip(HEADER_ROOM);
  const start = at + HEADER_ROOM;
  // The root prefix as four words and a byte: 12 0003 | 0001 63 02 cc | 0001 61 03 | aaaa | 0001 70.
  w.writeUint32(0x12000300);
  w.writeUint32(0x01630200 | message.controller);
  w.writeUint32(0x00016103);
  w.writeUint32(((message.action & 0xffff) << 16) | 1);
  w.writeUint8(0x70);
  try {
    writeSFSObject(w, message.params, o.encodeParams);
  } catch (e) {
    // Drop the partial bytes: a fresh slab is cheaper than reasoning about the old one.
    slab = new ByteWriter(SLAB_SIZE);
    throw e;
  }
  const all = w.finish();
  let size = all.length - start;
  let flags: number = PacketFlag.BINARY;
  let payload: Uint8Array | undefined;
  if (size > o.compressionThreshold) {
    payload = compressPayload(all.subarray(start), o.compressionLevel);
    flags |= PacketFlag.COMPRESSED;
  }
  if (o.cipher !== undefined) {
    payload = o.cipher.encrypt(payload ?? all.subarray(start));
    flags |= PacketFlag.ENCRYPTED;
  }
  if (payload !== undefined) size = payload.length;
  if (size > o.maxMessageSize) {
    throw new PacketError(PacketErrorCode.TOO_LARGE, `packet payload of ${size} bytes is over maxMessageSize ${o.maxMessageSize}; not sent`);
  }
  const big = size > o.bigSizeThreshold;
  if (big) flags |= PacketFlag.BIG_SIZE;
  if (payload === undefined) {
    const h = big ? at : at + 2;
    w.setUint8(h, flags);
    if (big) w.setUint32(h + 1, size);
    else w.setUint16(h + 1, size);
    return all.subarray(h);
  }
  const headerLength = big ? 5 : 3;
  const out = new Uint8Array(headerLength + size);
  out[0] = flags;
  if (big) {
    out[1] = size >>> 24;
    out[2] = size >>> 16;
    out[3] = size >>> 8;
    out[4] = size;
  } else {
    out[1] = size >>> 8;
    out[2] = size;
  }
  out.set(payload, headerLength);
  return out;
}
