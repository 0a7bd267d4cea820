import type { CompressionLevel } from "./Compression.js";
import { checkCipherKey, createPacketCipher, isPacketCipher, type CipherKey, type PacketCipher } from "./PacketCipher.js";
import { PacketError, PacketErrorCode } from "./PacketError.js";
import { MAX_SMALL_SIZE } from "./PacketFlag.js";

/**
 * Options of the packet codec (`encodePacket`, `decodePacket`, `PacketDecoder`, transports).
 * Every field is optional; the defaults are those of a SmartFoxServer 2X install.
 */
export interface CodecOptions {
  /**
   * Payloads strictly larger than this many bytes (serialized root) are zlib-compressed when
   * encoding. Default 1024 (the server's `ct` before and, by default, after the handshake);
   * `0` compresses everything; `Infinity` disables compression. Decoding accepts compressed
   * packets whatever this value.
   */
  compressionThreshold?: number;
  /** zlib level used when compressing (default 6). */
  compressionLevel?: CompressionLevel;
  /**
   * Largest payload size (the size field: bytes after compression and encryption), inclusive.
   * Incoming packets over it are refused from their size field, before the body is buffered;
   * outgoing ones throw instead of being sent. Default 500000 (`maxIncomingRequestSize`).
   */
  maxMessageSize?: number;
  /**
   * Largest payload after decompression, inclusive. A zlib bomb fails with
   * `DECOMPRESSED_TOO_LARGE` without being inflated in full. Default 5000000 (10 × the default
   * `maxMessageSize`).
   */
  maxDecompressedSize?: number;
  /** Deepest container nesting accepted when decoding, the root object counting 1 (default 64). */
  maxDepth?: number;
  /**
   * AES-128-CBC encryption (TCP clients only: never toward WebSocket/JS clients): either the
   * key material `{ key, iv }` (node-forge engine) or a {@link PacketCipher} engine. When set,
   * every outgoing packet is encrypted; incoming packets are decrypted when their ENCRYPTED
   * flag is set. `null`/`undefined`: no encryption.
   */
  cipher?: CipherKey | PacketCipher | null;
  /**
   * Payloads strictly larger than this use the 4-byte size field (header flag BIG_SIZE).
   * Default 65535; the official JS client uses 65335 (see `JS_CLIENT_BIG_SIZE_THRESHOLD`).
   * Must be 0..65535.
   */
  bigSizeThreshold?: number;
  /**
   * Copy BYTE_ARRAY values out of the input when decoding (default false: they are views into
   * the bytes given to the decoder, which must then not be reused while the values live).
   */
  copyByteArrays?: boolean;
}

/** The defaults of {@link CodecOptions}. */
export const DEFAULT_CODEC_OPTIONS = Object.freeze({
  compressionThreshold: 1024,
  compressionLevel: 6 as CompressionLevel,
  maxMessageSize: 500_000,
  maxDecompressedSize: 5_000_000,
  maxDepth: 64,
  bigSizeThreshold: MAX_SMALL_SIZE,
  copyByteArrays: false,
});

/** @internal Options with every default applied and the cipher engine built. */
export interface ResolvedCodecOptions {
  compressionThreshold: number;
  compressionLevel: CompressionLevel;
  maxMessageSize: number;
  maxDecompressedSize: number;
  maxDepth: number;
  cipher: PacketCipher | undefined;
  bigSizeThreshold: number;
  copyByteArrays: boolean;
  /** Core decode options for the root object, prebuilt (`undefined`: the core defaults). */
  decode: { maxDepth: number; copyByteArrays: boolean } | undefined;
  /** Core decode options for the params object, one level below the root. */
  decodeParams: { maxDepth: number; copyByteArrays: boolean };
  /** Core encode options for the params object. */
  encodeParams: { maxDepth: number };
  /** The {@link encodeKeyOf} of these options, once computed. */
  encodeKey: string | undefined;
}

function bad(message: string): never {
  throw new PacketError(PacketErrorCode.BAD_OPTIONS, message);
}

function nonNegative(name: string, v: unknown, allowInfinity: boolean): number {
  if (typeof v !== "number" || Number.isNaN(v) || v < 0 || (!allowInfinity && !Number.isFinite(v))) {
    bad(`${name} must be a number >= 0${allowInfinity ? " (or Infinity)" : ""}, got ${String(v)}`);
  }
  return v;
}

function build(o: CodecOptions): ResolvedCodecOptions {
  const d = DEFAULT_CODEC_OPTIONS;
  const compressionThreshold = o.compressionThreshold === undefined ? d.compressionThreshold : nonNegative("compressionThreshold", o.compressionThreshold, true);
  const level = o.compressionLevel ?? d.compressionLevel;
  if (!Number.isInteger(level) || level < 0 || level > 9) bad(`compressionLevel must be an integer 0..9, got ${String(level)}`);
  const maxMessageSize = o.maxMessageSize === undefined ? d.maxMessageSize : nonNegative("maxMessageSize", o.maxMessageSize, true);
  const maxDecompressedSize =
    o.maxDecompressedSize === undefined ? d.maxDecompressedSize : nonNegative("maxDecompressedSize", o.maxDecompressedSize, true);
  const maxDepth = o.maxDepth === undefined ? d.maxDepth : nonNegative("maxDepth", o.maxDepth, false);
  const bigSizeThreshold = o.bigSizeThreshold === undefined ? d.bigSizeThreshold : nonNegative("bigSizeThreshold", o.bigSizeThreshold, false);
  if (bigSizeThreshold > MAX_SMALL_SIZE) bad(`bigSizeThreshold must be at most ${MAX_SMALL_SIZE}, got ${bigSizeThreshold}`);
  let cipher: PacketCipher | undefined;
  if (o.cipher != null) {
    if (typeof o.cipher !== "object") bad(`cipher must be { key, iv } or a PacketCipher, got ${typeof o.cipher}`);
    if (isPacketCipher(o.cipher)) cipher = o.cipher;
    else {
      checkCipherKey(o.cipher);
      cipher = createPacketCipher(o.cipher);
    }
  }
  const copyByteArrays = o.copyByteArrays === true;
  return {
    compressionThreshold,
    compressionLevel: level,
    maxMessageSize,
    maxDecompressedSize,
    maxDepth,
    cipher,
    bigSizeThreshold,
    copyByteArrays,
    // The core's own defaults: passing no options object lets it skip per-call allocations.
    decode: maxDepth === 64 && !copyByteArrays ? undefined : { maxDepth, copyByteArrays },
    decodeParams: { maxDepth: maxDepth - 1, copyByteArrays },
    encodeParams: { maxDepth: maxDepth - 1 },
    encodeKey: undefined,
  };
}

/**
 * @internal Equal for two resolved option sets that encode every message to the same bytes (or
 * fail alike): what a `PreparedMessage` caches its packets by. Computed on first use (resolving
 * options per call, as `encodePacket(m, options)` does, should not pay for it).
 */
export function encodeKeyOf(o: ResolvedCodecOptions): string {
  return (o.encodeKey ??= `${o.compressionThreshold}/${o.compressionLevel}/${o.maxMessageSize}/${o.maxDepth}/${o.bigSizeThreshold}${o.cipher === undefined ? "" : `/${cipherId(o.cipher)}`}`);
}

// Cipher engines are told apart by identity: two engines may hold different keys.
const cipherIds = new WeakMap<PacketCipher, number>();
let nextCipherId = 1;
function cipherId(cipher: PacketCipher): number {
  let id = cipherIds.get(cipher);
  if (id === undefined) cipherIds.set(cipher, (id = nextCipherId++));
  return id;
}

const DEFAULTS: ResolvedCodecOptions = build({});

/** @internal Applies defaults and validates (throws {@link PacketError} `BAD_OPTIONS`). */
export function resolveCodecOptions(options: CodecOptions | undefined): ResolvedCodecOptions {
  return options === undefined ? DEFAULTS : build(options);
}

/**
 * @internal Holds a codec's options as given and resolved (the common part of `PacketDecoder`
 * and `PacketCodec`).
 */
export abstract class CodecOptionsHolder {
  private raw: CodecOptions;
  /** @internal The resolved options. */
  protected o: ResolvedCodecOptions;

  /** Throws {@link PacketError} `BAD_OPTIONS` on invalid options. */
  constructor(options: CodecOptions = {}) {
    this.raw = { ...options };
    this.o = resolveCodecOptions(this.raw);
  }

  /** The current options (defaults not applied). */
  get options(): Readonly<CodecOptions> {
    return this.raw;
  }

  /**
   * Changes some options for the following packets (e.g. the cipher after the CryptoManager
   * exchange); `undefined` values reset a field to its default. Throws {@link PacketError}
   * `BAD_OPTIONS` (nothing changed) on invalid values.
   */
  setOptions(partial: CodecOptions): void {
    const next = { ...this.raw, ...partial };
    this.o = resolveCodecOptions(next);
    this.raw = next;
  }
}
