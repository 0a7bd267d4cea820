import { FrameError } from "./FrameError.js";
import { decodeMessageBody } from "./MessageBody.js";
import { Received, type ReceivedMessage } from "./ReceivedMessage.js";
import { StrikeWeight } from "./StrikeWeight.js";

/** Options of {@link FrameDecoder}. */
export interface FrameDecoderOptions {
  /**
   * A body length prefix at or above this is refused before anything is buffered
   * (`BODY_TOO_LONG`, strike weight 10). Default 65535, C#'s `maxTcpBodyLength`.
   */
  maxBodyLength?: number;
  /**
   * Receives recoverable violations (`HEADER_TOO_SHORT`: the frame is dropped; `BODY_TOO_LONG`:
   * the announced body is skipped unbuffered) and decoding goes on. Without it they are thrown
   * like fatal errors. Fatal errors (`EMPTY_BODY`, `NEGATIVE_LENGTH`) are always thrown.
   */
  onStrike?: (error: FrameError) => void;
}

const EMPTY: ReceivedMessage[] = [];

/**
 * Incremental decoder of a DarkRift TCP stream: int32 BE body length, then the body
 * (flags, tag, [ping code], payload). Accepts any chunking.
 *
 * - A frame wholly inside one pushed chunk yields a payload that is a view of that chunk (no
 *   copy); a frame split across chunks is assembled in one allocation once all its bytes have
 *   arrived, so memory only ever grows with bytes actually received. Do not mutate pushed chunks.
 * - Limits are checked on the length prefix before any body byte is buffered.
 * - After a thrown error the decoder is failed: further pushes throw `DECODER_FAILED`.
 */
export class FrameDecoder {
  // `declare`: assigned once in the constructor, so V8 tracks the fields' types (no define-then-assign).
  private declare readonly maxBodyLength: number;
  private declare readonly onStrike: ((error: FrameError) => void) | undefined;
  /** Partial length prefix. */
  private readonly header = new Uint8Array(4);
  private headerFill = 0;
  /** Body length of the frame being read, or -1 while reading a prefix. */
  private bodyLength = -1;
  /** Pieces of a body split across chunks (views of the chunks). */
  private parts: Uint8Array[] = [];
  private bodyFill = 0;
  /** Bytes of an oversize body still to discard. */
  private skipRemaining = 0;
  /** Stream offset of the first byte of the chunk being decoded. */
  private streamOffset = 0;
  /** Stream offset where the current frame's prefix starts. */
  private frameStart = 0;
  private failure: FrameError | undefined;

  constructor(options: FrameDecoderOptions = {}) {
    const max = options.maxBodyLength ?? 65535;
    if (!(max > 0)) throw new RangeError(`maxBodyLength must be positive, got ${max}`);
    this.maxBodyLength = max;
    this.onStrike = options.onStrike;
  }

  /** Bytes held for an incomplete frame (prefix plus body so far). */
  get bufferedBytes(): number {
    return this.headerFill + this.bodyFill + (this.bodyLength >= 0 ? 4 : 0);
  }

  /** Total bytes pushed so far. */
  get position(): number {
    return this.streamOffset;
  }

  /** The error that failed this decoder, if any. */
  get error(): FrameError | undefined {
    return this.failure;
  }

  /** Decodes the frames this chunk completes, in order. Throws a {@link FrameError}. */
  push(input: Uint8Array): ReceivedMessage[] {
    let chunk = input;
    if (this.failure) {
      throw new FrameError("DECODER_FAILED", `the decoder failed earlier: ${this.failure.message}`, this.streamOffset, {
        fatal: true,
        cause: this.failure,
      });
    }
    const len = chunk.length;
    if (len === 0) return EMPTY;
    // A plain Uint8Array view: subarray() on Node's buffer subclass is several times slower than on a plain view.
    if (chunk.constructor !== Uint8Array) chunk = new Uint8Array(chunk.buffer, chunk.byteOffset, len);
    // Read once per chunk: the `buffer` getter costs more than the payload view made from it.
    const ab = chunk.buffer;
    const base = chunk.byteOffset;
    let out: ReceivedMessage[] = EMPTY;
    let pos = 0;
    try {
      while (pos < len) {
        if (this.skipRemaining > 0) {
          const n = Math.min(this.skipRemaining, len - pos);
          this.skipRemaining -= n;
          pos += n;
          continue;
        }
        if (this.bodyLength < 0) {
          // Length prefix.
          let bodyLength: number;
          if (this.headerFill === 0 && len - pos >= 4) {
            this.frameStart = this.streamOffset + pos;
            bodyLength = (chunk[pos]! << 24) | (chunk[pos + 1]! << 16) | (chunk[pos + 2]! << 8) | chunk[pos + 3]!;
            pos += 4;
          } else {
            if (this.headerFill === 0) this.frameStart = this.streamOffset + pos;
            while (this.headerFill < 4 && pos < len) this.header[this.headerFill++] = chunk[pos++]!;
            if (this.headerFill < 4) break;
            const h = this.header;
            bodyLength = (h[0]! << 24) | (h[1]! << 16) | (h[2]! << 8) | h[3]!;
            this.headerFill = 0;
          }
          if (bodyLength <= 0) {
            throw bodyLength === 0
              ? new FrameError("EMPTY_BODY", "a TCP frame announced an empty body (C# reads it as a closed socket)", this.frameStart, { fatal: true })
              : new FrameError("NEGATIVE_LENGTH", `a TCP frame announced a negative body length ${bodyLength}`, this.frameStart, { fatal: true });
          }
          if (bodyLength >= this.maxBodyLength) {
            const error = new FrameError(
              "BODY_TOO_LONG",
              `a TCP frame announced a ${bodyLength}-byte body; the limit is ${this.maxBodyLength - 1}`,
              this.frameStart,
              { strikeWeight: StrikeWeight.BodyTooLong },
            );
            if (!this.onStrike) throw error;
            // Discard the announced body without buffering it, so the stream stays in step.
            this.skipRemaining = bodyLength;
            this.onStrike(error);
            continue;
          }
          this.bodyLength = bodyLength;
        }
        const bodyLength = this.bodyLength;
        let body: Uint8Array;
        let bodyStart: number;
        if (this.bodyFill === 0 && len - pos >= bodyLength) {
          // The whole body is inside this chunk: decode in place, the payload is a view (no copy).
          const flags = chunk[pos]!;
          const header = flags & 0x40 ? 5 : 3;
          if (bodyLength >= header) {
            const tag = (chunk[pos + 1]! << 8) | chunk[pos + 2]!;
            const code = header === 5 ? (chunk[pos + 3]! << 8) | chunk[pos + 4]! : 0;
            const payload = new Uint8Array(ab, base + pos + header, bodyLength - header);
            pos += bodyLength;
            this.bodyLength = -1;
            if (out === EMPTY) out = [];
            out.push(new Received(tag, payload, flags, code, true));
            continue;
          }
          body = chunk.subarray(pos, pos + bodyLength);
          bodyStart = this.streamOffset + pos;
          pos += bodyLength;
        } else {
          const take = Math.min(bodyLength - this.bodyFill, len - pos);
          this.parts.push(chunk.subarray(pos, pos + take));
          this.bodyFill += take;
          pos += take;
          if (this.bodyFill < bodyLength) break;
          body = new Uint8Array(bodyLength);
          let p = 0;
          for (const part of this.parts) {
            body.set(part, p);
            p += part.length;
          }
          this.parts = [];
          this.bodyFill = 0;
          bodyStart = this.frameStart + 4;
        }
        this.bodyLength = -1;
        let message: ReceivedMessage;
        try {
          message = decodeMessageBody(body, true, bodyStart);
        } catch (e) {
          if (!(e instanceof FrameError) || !this.onStrike) throw e;
          this.onStrike(e);
          continue;
        }
        if (out === EMPTY) out = [];
        out.push(message);
      }
    } catch (e) {
      const error =
        e instanceof FrameError
          ? e
          : new FrameError("DECODER_FAILED", `unexpected decoder failure: ${String(e)}`, this.streamOffset + pos, { fatal: true, cause: e });
      this.failure = error;
      this.parts = [];
      throw error;
    } finally {
      this.streamOffset += len;
    }
    return out;
  }

  /** Forgets any partial frame and a previous failure (e.g. to reuse the decoder for a new stream). */
  reset(): void {
    this.headerFill = 0;
    this.bodyLength = -1;
    this.parts = [];
    this.bodyFill = 0;
    this.skipRemaining = 0;
    this.streamOffset = 0;
    this.frameStart = 0;
    this.failure = undefined;
  }
}
