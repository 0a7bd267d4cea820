/** A request got no reply within its `timeoutMs` (the waiter is removed; a late reply is not matched to it). */
export class TimeoutError extends Error {
  override readonly name = "TimeoutError";
  readonly code = "TIMEOUT";
  constructor(
    message: string,
    /** The timeout that expired, in ms. */
    readonly timeoutMs: number,
  ) {
    super(message);
  }
}
