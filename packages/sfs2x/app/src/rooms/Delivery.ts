import type { Message } from "@sfs2x/protocol";
import type { User } from "./User.js";

/**
 * One message and the users it goes to. Room operations return the deliveries they cause, in
 * the order they must be sent; the server layer only delivers them (each recipient gets the same
 * `message` object, which must not be changed afterwards).
 */
export interface Delivery {
  /** Recipients, each at most once. */
  readonly to: readonly User[];
  readonly message: Message;
}

/** @internal Appends a delivery unless it has no recipient. */
export function push(out: Delivery[], to: readonly User[], message: Message): void {
  if (to.length > 0) out.push({ to, message });
}
