/**
 * A bare peer's client, whatever its socket: it counts replies from its per-message callback so a
 * window of messages can wait for them without a promise per message.
 */

export interface BareClient {
  /** Sends one message (framed and batched as the peer does). */
  send: () => void;
  received: number;
  want: number;
  wake?: () => void;
  close: () => void;
}

/** A client with nothing wired yet: set `send` and `close`, call `replyArrived` per reply. */
export const newBareClient = (): BareClient => ({ received: 0, want: 0 }) as BareClient;

/** Counts one reply and wakes the window waiting for it. */
export function replyArrived(c: BareClient): void {
  c.received++;
  if (c.received >= c.want) c.wake?.();
}

/** Sends `count` messages and waits for as many replies. */
export async function bareWindow(c: BareClient, count: number): Promise<void> {
  c.received = 0;
  c.want = count;
  for (let i = 0; i < count; i++) c.send();
  if (c.received < count) await new Promise<void>((r) => (c.wake = r));
  c.wake = undefined;
}
