import { CodecOptionsHolder, type CodecOptions } from "./CodecOptions.js";
import { decodePayload, readPacketHeader } from "./decodePacket.js";
import type { Message } from "./Message.js";
import { PacketError, PacketErrorCode } from "./PacketError.js";

/**
 * Turns a byte stream (TCP reads, or any chunking of packets) into messages.
 *
 * - Any chunking works: a byte at a time, many packets per chunk, a size field split across
 *   chunks. A packet that lies whole inside one chunk is decoded from a view of it (no copy);
 *   only the bytes of an incomplete packet are kept, in a buffer that grows with what arrived.
 * - The size field is checked against `maxMessageSize` as soon as it is complete: an oversized
 *   packet throws `TOO_LARGE` before its body is buffered. The header byte is checked as soon as
 *   it arrives (`NOT_BINARY`).
 *
 * Errors are {@link PacketError}s, with `messages` holding what the same `push` had completed
 * before the failure (nothing is lost silently):
 * - **fatal** (`error.fatal`: `NOT_BINARY`, `TOO_LARGE`): packet boundaries are lost; every later
 *   `push` throws `DECODER_FAILED` until `reset()`. A server should close the connection.
 * - **per packet** (`BAD_ZLIB`, `DECRYPT_FAILED`, `NO_CIPHER`, `DECOMPRESSED_TOO_LARGE`,
 *   `BAD_PAYLOAD`, `BAD_ROOT`): the bad packet has been consumed and the stream is still in sync.
 *   The bytes after it are kept (copied); the next `push` (an empty chunk will do) goes on with
 *   them. This is what the real server does with a packet whose zlib data is invalid.
 *
 * Decoded messages may hold views into the pushed chunks (BYTE_ARRAY values) unless the option
 * `copyByteArrays` is set: do not reuse a chunk's memory while its messages live.
 */
export class PacketDecoder extends CodecOptionsHolder {
  /** Unread input: the rest of a chunk after a per-packet error, then the chunk being pushed. */
  private queue: Uint8Array[] = [];
  /** Bytes of an incomplete header (at most 4 are ever kept). */
  private readonly head = new Uint8Array(5);
  private headLength = 0;
  /** Body of the current packet once its header is known. */
  private body: Uint8Array | undefined = undefined;
  private bodyFill = 0;
  private bodySize = 0;
  private bodyFlags = 0;
  /** Header length of the packet whose body is being buffered (for `bufferedBytes`). */
  private bodyHeaderLength = 0;
  /** Stream offset of the first byte of the current chunk. */
  private streamPos = 0;
  private failure: PacketError | undefined = undefined;

  constructor(options: CodecOptions = {}) {
    super(options);
  }

  /** Bytes held for an incomplete packet (header and body so far) plus any unread rest. */
  get bufferedBytes(): number {
    let n = this.headLength + (this.body === undefined ? 0 : this.bodyHeaderLength + this.bodyFill);
    for (const q of this.queue) n += q.length;
    return n;
  }

  /** Total bytes consumed from the stream so far. */
  get position(): number {
    return this.streamPos;
  }

  /** True after a fatal error (until `reset()`). */
  get failed(): boolean {
    return this.failure !== undefined;
  }

  /** Forgets every buffered byte and any failure: the next byte must start a packet. */
  reset(): void {
    this.queue = [];
    this.headLength = 0;
    this.body = undefined;
    this.bodyFill = this.bodySize = this.bodyFlags = 0;
    this.streamPos = 0;
    this.failure = undefined;
  }

  /** Feeds `chunk` and returns the messages it completes, in order. */
  push(chunk: Uint8Array): Message[] {
    if (this.failure !== undefined) {
      throw new PacketError(PacketErrorCode.DECODER_FAILED, `the decoder failed earlier (${this.failure.code}); reset() it or close the stream`, undefined, {
        cause: this.failure,
      });
    }
    if (!(chunk instanceof Uint8Array)) throw new TypeError("PacketDecoder.push expects a Uint8Array");
    const out: Message[] = [];
    const queue = this.queue;
    if (chunk.length) queue.push(chunk);
    while (queue.length) {
      const c = queue[0]!;
      let p = 0;
      try {
        p = this.consume(c, out);
      } catch (e) {
        // Anything but a PacketError would be a bug (or a throwing custom cipher engine outside
        // decodePayload's guard): treat it as fatal rather than guess where the stream stands.
        const err =
          e instanceof PacketError
            ? e
            : new PacketError(PacketErrorCode.DECODER_FAILED, `unexpected decoder failure: ${String(e)}`, undefined, { cause: e });
        err.messages = out;
        if (err.fatal) {
          const failure = err;
          this.reset();
          this.failure = failure;
        } else {
          // Keep what follows the bad packet, copied: the caller may reuse its chunk.
          queue[0] = c.slice(this.errorAt);
          this.streamPos += this.errorAt;
          for (let i = 1; i < queue.length; i++) queue[i] = queue[i]!.slice();
          if (queue[0]!.length === 0) queue.shift();
        }
        throw err;
      }
      queue.shift();
      this.streamPos += p;
    }
    return out;
  }

  /** Chunk position just after the packet that failed (per-packet errors). */
  private errorAt = 0;

  /** Decodes from `c` until it is used up; returns the bytes consumed (all of them). */
  private consume(c: Uint8Array, out: Message[]): number {
    const n = c.length;
    const o = this.o;
    let p = 0;
    while (p < n) {
      if (this.body !== undefined) {
        const take = Math.min(this.bodySize - this.bodyFill, n - p);
        this.appendBody(c, p, take);
        p += take;
        if (this.bodyFill === this.bodySize) this.finishBody(p, out);
        continue;
      }
      if (this.headLength === 0) {
        const h = readPacketHeader(c, p, o.maxMessageSize, this.streamPos);
        if (h === undefined) {
          // An incomplete header (at most 4 bytes) at the end of the chunk.
          this.head.set(c.subarray(p, n));
          this.headLength = n - p;
          return n;
        }
        const bodyStart = p + h.headerLength;
        const end = bodyStart + h.size;
        if (end <= n) {
          // Whole packet inside the chunk: decode from a view.
          p = end;
          this.errorAt = end;
          out.push(decodePayload(c, bodyStart, end, h.flags, o));
          continue;
        }
        this.startBody(h.size, h.flags, h.headerLength);
        p = bodyStart;
        continue;
      }
      this.head[this.headLength++] = c[p++]!;
      const h = readPacketHeader(this.head.subarray(0, this.headLength), 0, o.maxMessageSize, this.streamPos + p - this.headLength);
      if (h !== undefined) {
        this.headLength = 0;
        this.startBody(h.size, h.flags, h.headerLength);
        if (h.size === 0) this.finishBody(p, out);
      }
    }
    return n;
  }

  private startBody(size: number, flags: number, headerLength: number): void {
    this.bodyHeaderLength = headerLength;
    this.bodySize = size;
    this.bodyFlags = flags;
    this.bodyFill = 0;
    // Grow with the bytes that arrive rather than trusting the size field for the whole
    // allocation: a slow sender announcing maxMessageSize costs only what it really sent.
    this.body = new Uint8Array(Math.min(size, 16384));
  }

  private appendBody(c: Uint8Array, p: number, take: number): void {
    let body = this.body!;
    const need = this.bodyFill + take;
    if (need > body.length) {
      const grown = new Uint8Array(Math.min(this.bodySize, Math.max(need, body.length * 2)));
      grown.set(body.subarray(0, this.bodyFill));
      this.body = body = grown;
    }
    body.set(c.subarray(p, p + take), this.bodyFill);
    this.bodyFill = need;
  }

  private finishBody(p: number, out: Message[]): void {
    const body = this.body!;
    const size = this.bodySize;
    const flags = this.bodyFlags;
    this.body = undefined;
    this.bodyFill = this.bodySize = 0;
    this.errorAt = p;
    out.push(decodePayload(body, 0, size, flags, this.o));
  }
}
