import type { CodecOptions } from "../CodecOptions.js";
import { checkCipherKey, createPacketCipher, isPacketCipher } from "../PacketCipher.js";
import { PacketError, PacketErrorCode } from "../PacketError.js";

/** @internal A number option that must be > 0 (`TypeError` otherwise); `fallback` when absent. */
export function positiveOption(name: string, v: number | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== "number" || !(v > 0)) throw new TypeError(`${name} must be a number > 0, got ${String(v)}`);
  return v;
}

/** @internal A number option that must be finite and >= 0 (`TypeError` otherwise); `fallback` when absent. */
export function nonNegativeOption(name: string, v: number | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== "number" || !(v >= 0) || !Number.isFinite(v)) throw new TypeError(`${name} must be a finite number >= 0, got ${String(v)}`);
  return v;
}

// Every key of CodecOptions, checked by the compiler: a new codec option fails the build here
// instead of being dropped silently.
const CODEC_KEY_SET: Record<keyof CodecOptions, true> = {
  compressionThreshold: true,
  compressionLevel: true,
  maxMessageSize: true,
  maxDecompressedSize: true,
  maxDepth: true,
  cipher: true,
  bigSizeThreshold: true,
  copyByteArrays: true,
};
const CODEC_KEYS = Object.keys(CODEC_KEY_SET) as (keyof CodecOptions)[];

/**
 * The codec fields of a transport options object (present keys only; an `undefined` value is
 * kept: it resets that field). For transport implementations.
 */
export function codecOptionsOf(options: CodecOptions): CodecOptions {
  const out: Record<string, unknown> = {};
  for (const k of CODEC_KEYS) if (k in options) out[k] = options[k];
  return out as CodecOptions;
}

/**
 * @internal Builds the cipher engine once from `{ key, iv }`, so that the stream decoder and the
 * encoder of a connection share it. Throws {@link PacketError} `BAD_OPTIONS` on a bad key.
 */
export function withCipherEngine(options: CodecOptions): CodecOptions {
  const c = options.cipher;
  if (c == null) return options;
  if (typeof c !== "object") throw new PacketError(PacketErrorCode.BAD_OPTIONS, `cipher must be { key, iv } or a PacketCipher, got ${typeof c}`);
  if (isPacketCipher(c)) return options;
  checkCipherKey(c);
  return { ...options, cipher: createPacketCipher(c) };
}

/**
 * @internal Encryption is TCP-only (spec §2.4): the official JS client ignores the ENCRYPTED flag
 * and could not read such packets; over WebSocket, TLS (`wss://`) is the encryption.
 */
export function withoutCipher(options: CodecOptions): CodecOptions {
  if (options.cipher != null) {
    throw new PacketError(PacketErrorCode.BAD_OPTIONS, "cipher is TCP-only: SFS2X WebSocket clients cannot decrypt packets (use wss:// instead)");
  }
  return options;
}

/** `host:port`, with brackets around an IPv6 host (undefined without a host). For transport implementations. */
export function formatAddress(host: string | undefined, port: number | undefined): string | undefined {
  if (host === undefined) return undefined;
  const h = host.includes(":") ? `[${host}]` : host;
  return port === undefined ? h : `${h}:${port}`;
}
