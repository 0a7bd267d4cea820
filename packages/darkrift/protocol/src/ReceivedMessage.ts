import { DarkRiftMessage } from "@darkrift/core";

/**
 * A message as it came off the wire: a {@link DarkRiftMessage} that also says which channel
 * carried it (C#'s `SendMode` in `MessageReceivedEventArgs`).
 */
export type ReceivedMessage = DarkRiftMessage & {
  /** True when the message came over TCP (`SendMode.Reliable`), false over UDP. */
  readonly reliable: boolean;
};

/**
 * Makes a {@link ReceivedMessage}: a plain `DarkRiftMessage` carrying a `reliable` property.
 * (Measured: a subclass constructor costs about twice as much per decoded message.)
 */
export function receivedMessage(tag: number, payload: Uint8Array, flags: number, pingCode: number, reliable: boolean): ReceivedMessage {
  const m = flags === 0 ? new DarkRiftMessage(tag, payload) : new DarkRiftMessage(tag, payload, { flags, pingCode });
  (m as { reliable?: boolean }).reliable = reliable;
  return m as ReceivedMessage;
}
