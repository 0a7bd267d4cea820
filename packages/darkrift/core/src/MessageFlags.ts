/**
 * Bits of a DarkRift message's flags byte (spec §2). Other bits are reserved and written as 0.
 * - `Command` (0x80): an internal command (`Configure`, `Identify`); the tag is the command code.
 * - `Ping` (0x40): ping-family; a uint16 ping code follows the tag on the wire.
 * - `PingAcknowledgement` (0x20): together with `Ping`, an acknowledgement; alone it has no effect.
 */
export const MessageFlags = { Command: 0x80, Ping: 0x40, PingAcknowledgement: 0x20 } as const;

/** One of the {@link MessageFlags} bits. */
export type MessageFlag = (typeof MessageFlags)[keyof typeof MessageFlags];
