/**
 * Bichannel protocol versions (the first byte of the TCP hello).
 * - `V0`: DarkRift ≤ 2.10.x (or a server with `protocolVersion="0"`); the UDP ack is the single byte `00`.
 * - `V1`: DarkRift ≥ 2.11; the UDP ack is the 8 token bytes followed by `00000000`.
 */
export const ProtocolVersion = { V0: 0, V1: 1 } as const;

/** One of the {@link ProtocolVersion} values. */
export type ProtocolVersion = (typeof ProtocolVersion)[keyof typeof ProtocolVersion];

/** The newest version this implementation speaks (a server hello above it is refused, like C#). */
export const LATEST_PROTOCOL_VERSION: ProtocolVersion = ProtocolVersion.V1;
