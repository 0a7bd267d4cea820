/** Options of {@link RoundTripTimeHelper}. */
export interface RoundTripTimeOptions {
  /** Samples averaged into `smoothed`. Default 10 (as the C# client and server). */
  sampleCount?: number;
  /** Outstanding pings remembered; the oldest is forgotten beyond this. Default 10 (as C#). */
  backlogSize?: number;
}

/**
 * Round-trip time from ping / ping-acknowledgement pairs, like C#'s `RoundTripTimeHelper`: each
 * sent ping's code is remembered with its send time (a bounded backlog, oldest dropped first), the
 * matching acknowledgement gives a sample, `smoothed` is the moving average of the last
 * `sampleCount` samples. Times are in milliseconds (C# reports seconds).
 */
export class RoundTripTimeHelper {
  /** Samples averaged into {@link smoothed}. */
  readonly sampleCount: number;
  /** Outstanding pings remembered. */
  readonly backlogSize: number;
  private readonly waiting = new Map<number, number>();
  private readonly samples: number[] = [];
  private next = 0;
  private sum = 0;
  private last = 0;

  constructor(options: RoundTripTimeOptions = {}) {
    this.sampleCount = Math.max(1, options.sampleCount ?? 10);
    this.backlogSize = Math.max(1, options.backlogSize ?? 10);
  }

  /** The latest round-trip time in ms (0 before the first sample). */
  get latest(): number {
    return this.last;
  }

  /** Moving average of the last `sampleCount` round-trip times in ms (0 before the first sample). */
  get smoothed(): number {
    return this.samples.length === 0 ? 0 : this.sum / this.samples.length;
  }

  /** Number of pings awaiting their acknowledgement. */
  get outstanding(): number {
    return this.waiting.size;
  }

  /** Whether a ping with this code is awaiting its acknowledgement. */
  isOutstanding(pingCode: number): boolean {
    return this.waiting.has(pingCode);
  }

  /**
   * Records a ping sent now. Returns the code of a ping forgotten to make room (the oldest), if any.
   */
  recordOutboundPing(pingCode: number, now: number = performance.now()): number | undefined {
    this.waiting.delete(pingCode);
    this.waiting.set(pingCode, now);
    if (this.waiting.size > this.backlogSize) {
      const oldest = this.waiting.keys().next().value as number;
      this.waiting.delete(oldest);
      return oldest;
    }
    return undefined;
  }

  /**
   * Records an acknowledgement received now. Returns the round-trip time in ms, or `undefined`
   * when no outstanding ping has this code (the C# server strikes the client for it).
   */
  recordInboundPing(pingCode: number, now: number = performance.now()): number | undefined {
    const sent = this.waiting.get(pingCode);
    if (sent === undefined) return undefined;
    this.waiting.delete(pingCode);
    const rtt = Math.max(0, now - sent);
    if (this.samples.length < this.sampleCount) {
      this.samples.push(rtt);
    } else {
      this.sum -= this.samples[this.next]!;
      this.samples[this.next] = rtt;
      this.next = (this.next + 1) % this.sampleCount;
    }
    this.sum += rtt;
    this.last = rtt;
    return rtt;
  }

  /** Forgets a ping (e.g. one that timed out). */
  forget(pingCode: number): void {
    this.waiting.delete(pingCode);
  }
}
