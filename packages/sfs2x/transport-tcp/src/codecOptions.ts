import { checkCipherKey, createPacketCipher, type CipherKey, type CodecOptions, type PacketCipher } from "@sfs2x/protocol";

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

/** @internal The codec fields of a transport options object (present keys only, `undefined` kept: it resets). */
export function codecOptionsOf(options: CodecOptions): CodecOptions {
  const out: Record<string, unknown> = {};
  for (const k of CODEC_KEYS) if (k in options) out[k] = options[k];
  return out as CodecOptions;
}

/**
 * @internal Builds the cipher engine once from `{ key, iv }`: the codec would otherwise rebuild
 * it for every packet.
 */
export function withCipherEngine(options: CodecOptions): CodecOptions {
  const c = options.cipher;
  if (c == null || typeof c !== "object" || typeof (c as PacketCipher).encrypt === "function") return options;
  checkCipherKey(c as CipherKey); // PacketError BAD_OPTIONS with a clear message
  return { ...options, cipher: createPacketCipher(c as CipherKey) };
}

/** @internal `undefined` for options that set nothing, so the codec takes its prebuilt defaults. */
export function orDefaults(options: CodecOptions): CodecOptions | undefined {
  for (const k in options) if ((options as Record<string, unknown>)[k] !== undefined) return options;
  return undefined;
}
