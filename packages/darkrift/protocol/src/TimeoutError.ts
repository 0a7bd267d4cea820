import { DarkRiftError } from "@darkrift/core";

/** What was being waited for when a {@link TimeoutError} fired. */
export type TimeoutPhase =
  /** The TCP connection itself. */
  | "connect"
  /** The server's 9-byte TCP hello (C#: 5 s). */
  | "token"
  /** The server's UDP acknowledgement (C#: 5 s). */
  | "ack"
  /** The Configure command carrying the client ID (C#: 10 s). */
  | "configure"
  /** The client's UDP hello, seen from the server (C#: 5 s). */
  | "udp-hello"
  /** A ping acknowledgement. */
  | "ping";

/** A wait of the protocol ran out of time. `phase` says which one. */
export class TimeoutError extends DarkRiftError {
  declare readonly code: "TIMEOUT";
  /** Which wait expired. */
  readonly phase: TimeoutPhase;
  /** The limit that expired, in milliseconds. */
  readonly timeoutMs: number;

  constructor(phase: TimeoutPhase, timeoutMs: number, message?: string) {
    super("TIMEOUT", message ?? `timed out after ${timeoutMs} ms waiting for ${phase}`);
    this.phase = phase;
    this.timeoutMs = timeoutMs;
  }
}
