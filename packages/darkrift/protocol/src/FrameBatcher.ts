import type { DarkRiftMessage } from "@darkrift/core";
import { tcpFrameLength, writeTcpFrame } from "./TcpFrame.js";

/** Options of {@link FrameBatcher}. */
export interface FrameBatcherOptions {
  /** Defers a flush; default `queueMicrotask`. Node transports pass `process.nextTick`. */
  schedule?: (flush: () => void) => void;
  /** Initial size of the batch buffer in bytes (it doubles as needed). Default 1 KiB. */
  initialCapacity?: number;
  /** A batch reaching this many bytes is flushed at once. Default 64 KiB. */
  flushThreshold?: number;
}

// Flushed batches are copied into views of a shared slab, as Node's Buffer pool does: allocating an
// ArrayBuffer per write costs far more than copying a batch. A slab is never rewritten; a full one is
// replaced and lives on only while writes still reference it.
const SLAB_SIZE = 64 * 1024;
const SLAB_MAX_CARVE = SLAB_SIZE >>> 3;
let slab = new Uint8Array(0);
let slabUsed = 0;

function carve(bytes: Uint8Array): Uint8Array {
  const n = bytes.length;
  if (slabUsed + n > slab.length) {
    slab = new Uint8Array(SLAB_SIZE);
    slabUsed = 0;
  }
  const out = slab.subarray(slabUsed, slabUsed + n);
  out.set(bytes);
  slabUsed = (slabUsed + n + 7) & ~7;
  return out;
}

/**
 * Coalesces TCP frames sent in the same turn of the event loop into one write: frames are encoded
 * straight into one growable buffer (no per-message allocation) and handed to `sink` as one
 * `Uint8Array` when the scheduled flush runs (or at once past `flushThreshold`). The sink owns the
 * bytes it receives (small batches are copied into a shared slab, large ones hand over the buffer).
 */
export class FrameBatcher {
  // `declare`: assigned once in the constructor, so V8 tracks the fields' types (no define-then-assign).
  private declare buf: Uint8Array;
  private len = 0;
  private scheduled = false;
  private declare readonly sink: (bytes: Uint8Array) => void;
  private declare readonly schedule: (flush: () => void) => void;
  private declare readonly initialCapacity: number;
  private declare readonly flushThreshold: number;
  private readonly flushBound = (): void => {
    this.scheduled = false;
    this.flush();
  };

  constructor(sink: (bytes: Uint8Array) => void, options: FrameBatcherOptions = {}) {
    this.sink = sink;
    this.schedule = options.schedule ?? queueMicrotask;
    this.initialCapacity = Math.max(64, options.initialCapacity ?? 1024);
    this.flushThreshold = Math.max(1, options.flushThreshold ?? 64 * 1024);
    this.buf = new Uint8Array(this.initialCapacity);
  }

  /** Bytes waiting for the next flush. */
  get pendingBytes(): number {
    return this.len;
  }

  /** Encodes a message as a TCP frame into the batch (`frameLength`: its {@link tcpFrameLength}, if known). */
  add(message: DarkRiftMessage, frameLength: number = tcpFrameLength(message)): void {
    if (this.len + frameLength > this.buf.length) this.grow(frameLength);
    this.len = writeTcpFrame(message, this.buf, this.len);
    this.afterAdd();
  }

  /** Appends already-encoded frame bytes (e.g. one broadcast frame shared by many connections). */
  addEncoded(frame: Uint8Array): void {
    if (this.len + frame.length > this.buf.length) this.grow(frame.length);
    this.buf.set(frame, this.len);
    this.len += frame.length;
    this.afterAdd();
  }

  /** Hands the pending bytes to the sink now. */
  flush(): void {
    const n = this.len;
    if (n === 0) return;
    let out: Uint8Array;
    if (n <= SLAB_MAX_CARVE) {
      out = carve(this.buf.subarray(0, n));
    } else {
      // Large: hand the buffer over instead of copying it, and start a fresh one.
      out = this.buf.subarray(0, n);
      this.buf = new Uint8Array(this.initialCapacity);
    }
    this.len = 0;
    this.sink(out);
  }

  /** Drops the pending bytes (the connection is going away without a graceful close). */
  clear(): number {
    const n = this.len;
    this.len = 0;
    return n;
  }

  private grow(n: number): void {
    const need = this.len + n;
    let cap = this.buf.length * 2;
    while (cap < need) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  private afterAdd(): void {
    if (this.len >= this.flushThreshold) {
      this.flush();
    } else if (!this.scheduled) {
      this.scheduled = true;
      this.schedule(this.flushBound);
    }
  }
}
