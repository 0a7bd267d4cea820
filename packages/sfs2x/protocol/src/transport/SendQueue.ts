import { DEFAULT_HIGH_WATER_MARK, type HighWaterMarkPolicy } from "../Transport.js";
import { ConnectionClosedError, TransportError, TransportErrorCode } from "../TransportError.js";
import { positiveOption } from "./checkOptions.js";

/** Where a {@link SendQueue} hands packets: the socket side of one connection. */
export interface PacketSink {
  /** Bytes handed over that have not reached the network yet. */
  buffered(): number;
  /** Takes one packet; false (nothing taken) when the socket can no longer write. */
  write(packet: Uint8Array): boolean;
  /** Arranges one call of {@link SendQueue.drained} once `buffered()` has shrunk (may be a no-op for sinks that always report). */
  watchDrain(): void;
}

/** What {@link SendQueue.admit} decides for one packet. */
export const SendVerdict = {
  /** Hand it to the sink now. */
  SEND: 0,
  /** Policy `"wait"`: queue it ({@link SendQueue.enqueue}) until the sink drains. */
  WAIT: 1,
  /** Refuse it: `send()` rejects with `QUEUE_FULL`, nothing is queued. */
  REFUSE: 2,
  /** Policy `"close"`: refuse it and drop the connection (a peer that does not read). */
  CLOSE: 3,
} as const;

/** One of the {@link SendVerdict} values. */
export type SendVerdict = (typeof SendVerdict)[keyof typeof SendVerdict];

interface Waiting {
  packet: Uint8Array;
  resolve: () => void;
  reject: (error: Error) => void;
}

const noop = (): void => {};

/**
 * The flow-control policy of every transport (see `TransportConnection`): decides, for each
 * packet, whether it goes to the socket, waits (policy `"wait"`), is refused, or closes the
 * connection (policy `"close"`), and holds the waiting packets in order. The transport supplies
 * the socket side as a {@link PacketSink} and calls {@link drained} when the socket's buffer
 * shrinks.
 *
 * - A packet is sent at once when nothing waits and the bytes buffered plus its own stay within
 *   `highWaterMark`, or when nothing is buffered at all (so a packet of any size can go).
 * - Otherwise `"refuse"` refuses it and `"close"` closes; `"wait"` queues it behind the others
 *   while the waiting room (another `highWaterMark` bytes) has room, and refuses it past that.
 * - After a refusal or a wait, `onDrain` fires once the buffer is back under the mark.
 */
export class SendQueue {
  readonly highWaterMark: number;
  readonly policy: HighWaterMarkPolicy;
  private readonly sink: PacketSink;
  private readonly onDrain: () => void;
  private waiting: Waiting[] = [];
  private head = 0;
  private waitingTotal = 0;
  private drainWanted = false;

  /**
   * Throws `TypeError` when `highWaterMark` is not > 0 or the policy is unknown.
   * `onDrain` is called when the buffer is back under the mark after a refusal or a wait.
   */
  constructor(sink: PacketSink, options: { highWaterMark?: number; highWaterMarkPolicy?: HighWaterMarkPolicy }, onDrain: () => void) {
    this.sink = sink;
    this.onDrain = onDrain;
    this.highWaterMark = positiveOption("highWaterMark", options.highWaterMark, DEFAULT_HIGH_WATER_MARK);
    const policy = options.highWaterMarkPolicy ?? "refuse";
    if (policy !== "refuse" && policy !== "wait" && policy !== "close") {
      throw new TypeError(`highWaterMarkPolicy must be "refuse", "wait" or "close", got ${String(policy)}`);
    }
    this.policy = policy;
  }

  /** Bytes of the packets waiting (policy `"wait"`), not yet handed to the sink. */
  get waitingBytes(): number {
    return this.waitingTotal;
  }

  /**
   * The verdict for a packet of `n` bytes when the sink holds `buffered` bytes (passed in: a
   * transport that already wrote the packet into its own buffer gives the amount before it).
   */
  admit(n: number, buffered: number): SendVerdict {
    if (this.head === this.waiting.length && (buffered === 0 || buffered + n <= this.highWaterMark)) return SendVerdict.SEND;
    if (this.policy === "close") return SendVerdict.CLOSE;
    this.drainWanted = true;
    if (this.policy === "refuse" || (this.waitingTotal > 0 && this.waitingTotal + n > this.highWaterMark)) {
      this.sink.watchDrain();
      return SendVerdict.REFUSE;
    }
    return SendVerdict.WAIT;
  }

  /** The `QUEUE_FULL` error of a refused packet of `n` bytes. */
  fullError(n: number, buffered: number): TransportError {
    return new TransportError(
      TransportErrorCode.QUEUE_FULL,
      `send queue full: ${buffered + this.waitingTotal} bytes buffered + ${n} would exceed highWaterMark ${this.highWaterMark}; message not sent`,
    );
  }

  /** Queues a packet (after verdict `WAIT`); the promise settles when the sink takes it or the connection closes. */
  enqueue(packet: Uint8Array): Promise<void> {
    const p = new Promise<void>((resolve, reject) => this.waiting.push({ packet, resolve, reject }));
    // The failure is also reported through the close info: an unawaited send must not crash the process.
    p.catch(noop);
    this.waitingTotal += packet.length;
    this.sink.watchDrain();
    return p;
  }

  /**
   * The sink's buffer shrank: hands it the waiting packets that now fit, then fires `onDrain`
   * once the buffer is under the mark (if a send was refused or had to wait). With `open`
   * false (the connection is closing) waiting packets go regardless of the mark and `onDrain`
   * stays silent.
   */
  drained(open: boolean): void {
    while (this.head < this.waiting.length) {
      const next = this.waiting[this.head]!;
      const buffered = this.sink.buffered();
      if (open && buffered > 0 && buffered + next.packet.length > this.highWaterMark) {
        this.sink.watchDrain();
        return;
      }
      this.shift();
      if (this.sink.write(next.packet)) next.resolve();
      else next.reject(new ConnectionClosedError("the connection closed before the message was sent"));
    }
    if (!this.drainWanted || !open) return;
    if (this.sink.buffered() < this.highWaterMark) {
      this.drainWanted = false;
      this.onDrain();
    } else this.sink.watchDrain();
  }

  /** Hands every waiting packet to the sink, whatever the mark (a graceful close sends what was accepted). */
  flushAll(): void {
    this.drained(false);
  }

  /** Rejects every waiting packet with `error` (the connection closed). */
  rejectAll(error: Error): void {
    const w = this.waiting;
    const from = this.head;
    this.waiting = [];
    this.head = 0;
    this.waitingTotal = 0;
    for (let i = from; i < w.length; i++) w[i]!.reject(error);
  }

  private shift(): void {
    const w = this.waiting;
    this.waitingTotal -= w[this.head]!.packet.length;
    // Drop taken entries in bulk rather than one shift() each.
    if (++this.head === w.length) {
      this.waiting = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > w.length) {
      this.waiting = w.slice(this.head);
      this.head = 0;
    }
  }
}
