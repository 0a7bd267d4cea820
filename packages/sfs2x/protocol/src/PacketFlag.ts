/**
 * Bits of the first byte of every SFS2X packet (spec §2.1). Typical headers: `0x80` plain,
 * `0xA0` compressed, `0x88` big plain, `0xC0` / `0xE0` encrypted (TCP only).
 */
export const PacketFlag = {
  /** Always set; decoders refuse a packet without it. */
  BINARY: 0x80,
  /** The payload is AES-128-CBC (TCP clients only; the JS client ignores the bit). */
  ENCRYPTED: 0x40,
  /** The payload is a zlib (RFC 1950) stream. */
  COMPRESSED: 0x20,
  /** The packet went through the HTTP BlueBox tunnel; decoders ignore it. */
  BLUEBOXED: 0x10,
  /** The size field is 4 bytes (int32) instead of 2 (uint16). */
  BIG_SIZE: 0x08,
} as const;

/** One of the {@link PacketFlag} bits. */
export type PacketFlag = (typeof PacketFlag)[keyof typeof PacketFlag];

/** Largest payload a 2-byte size field can describe. */
export const MAX_SMALL_SIZE = 65535;

/**
 * The size above which the official JS client (sfs2x-api 1.8.6) switches to the 4-byte size:
 * 65335, a typo for 65535 kept in that release. Pass it as `bigSizeThreshold` to reproduce its
 * bytes exactly; every decoder accepts both forms at any size.
 */
export const JS_CLIENT_BIG_SIZE_THRESHOLD = 65335;

/** Parsed envelope header. */
export interface PacketHeader {
  /** The header byte. */
  flags: number;
  /** Bytes of header: 3 (2-byte size) or 5 (4-byte size). */
  headerLength: number;
  /** Payload bytes after the header (after compression and encryption). */
  size: number;
}

/** Human-readable list of the flags set in a header byte, e.g. `"BINARY|COMPRESSED"`. */
export function describeFlags(flags: number): string {
  const names: string[] = [];
  for (const [name, bit] of Object.entries(PacketFlag)) if (flags & bit) names.push(name);
  if (flags & 0x07) names.push(`0x${(flags & 0x07).toString(16)}`);
  return names.length ? names.join("|") : "none";
}
