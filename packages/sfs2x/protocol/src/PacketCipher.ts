// Only node-forge's AES module (and what it needs: cipher, util), not the whole library: a
// browser bundle gets ~150 kB of source instead of ~1.1 MB. The deep path has no typings.
// @ts-ignore
import forgeAes from "node-forge/lib/aes.js";
import { PacketError, PacketErrorCode } from "./PacketError.js";

/**
 * The per-session AES-128 key material of an encrypted SFS2X session (spec §2.4): the
 * CryptoManager answers 32 bytes, the first 16 the key and the last 16 the IV. The same IV is
 * used for every packet, in both directions.
 */
export interface CipherKey {
  /** 16 bytes. */
  key: Uint8Array;
  /** 16 bytes. */
  iv: Uint8Array;
}

/**
 * Encrypts and decrypts whole payloads with AES-128-CBC and PKCS#7 padding. The default engine
 * is node-forge (browser-safe); a caller may supply another one (e.g. `createNodePacketCipher` from
 * `@sfs2x/protocol/node`) as long as it produces the same bytes.
 */
export interface PacketCipher {
  /** Plaintext to ciphertext (a multiple of 16 bytes, at least 16). */
  encrypt(plain: Uint8Array): Uint8Array;
  /** Ciphertext to plaintext; throws when the padding is invalid (wrong key, corrupted bytes). */
  decrypt(data: Uint8Array): Uint8Array;
}

/** Checks a 16-byte key and IV; throws {@link PacketError} `BAD_OPTIONS` with a clear message. */
export function checkCipherKey(cipher: CipherKey): void {
  if (!(cipher.key instanceof Uint8Array) || cipher.key.length !== 16) {
    const got = cipher.key instanceof Uint8Array ? `${cipher.key.length} bytes` : typeof cipher.key;
    throw new PacketError(PacketErrorCode.BAD_OPTIONS, `cipher.key must be a Uint8Array of 16 bytes (AES-128), got ${got}`);
  }
  if (!(cipher.iv instanceof Uint8Array) || cipher.iv.length !== 16) {
    const got = cipher.iv instanceof Uint8Array ? `${cipher.iv.length} bytes` : typeof cipher.iv;
    throw new PacketError(PacketErrorCode.BAD_OPTIONS, `cipher.iv must be a Uint8Array of 16 bytes, got ${got}`);
  }
}

/**
 * Splits the 32 bytes the CryptoManager returns (after base64 decoding) into key and IV.
 * Throws {@link PacketError} `BAD_OPTIONS` when the length is not 32.
 */
export function cipherKeyFromCryptoManager(bytes: Uint8Array): CipherKey {
  if (bytes.length !== 32) {
    throw new PacketError(PacketErrorCode.BAD_OPTIONS, `the CryptoManager key material must be 32 bytes (key 16 + IV 16), got ${bytes.length}`);
  }
  return { key: bytes.slice(0, 16), iv: bytes.slice(16, 32) };
}

function toWords(b: Uint8Array): number[] {
  return [0, 4, 8, 12].map((i) => ((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) | 0);
}

// forge's block function and key schedule work on 32-bit words; driving them directly avoids
// its binary-string buffers (several times faster, identical bytes: checked against node:crypto).
interface ForgeAesInternals {
  _expandKey(key: number[], decrypt: boolean): number[];
  _updateBlock(w: number[], input: ArrayLike<number>, output: number[] | Int32Array, decrypt: boolean): void;
}
const aes = forgeAes as ForgeAesInternals;

/** AES-128-CBC + PKCS#7 with node-forge's AES block function. */
class ForgePacketCipher implements PacketCipher {
  private readonly encKey: number[];
  private readonly decKey: number[];
  private readonly iv: number[];

  constructor(cipher: CipherKey) {
    checkCipherKey(cipher);
    const key = toWords(cipher.key);
    this.encKey = aes._expandKey(key, false);
    this.decKey = aes._expandKey(key, true);
    this.iv = toWords(cipher.iv);
  }

  encrypt(plain: Uint8Array): Uint8Array {
    const n = plain.length;
    const pad = 16 - (n & 15);
    const total = n + pad;
    const out = new Uint8Array(total);
    out.set(plain);
    out.fill(pad, n);
    const view = new DataView(out.buffer);
    const block = [0, 0, 0, 0];
    const res = [0, 0, 0, 0];
    let c0 = this.iv[0]!, c1 = this.iv[1]!, c2 = this.iv[2]!, c3 = this.iv[3]!;
    for (let p = 0; p < total; p += 16) {
      block[0] = view.getInt32(p) ^ c0;
      block[1] = view.getInt32(p + 4) ^ c1;
      block[2] = view.getInt32(p + 8) ^ c2;
      block[3] = view.getInt32(p + 12) ^ c3;
      aes._updateBlock(this.encKey, block, res, false);
      c0 = res[0]!; c1 = res[1]!; c2 = res[2]!; c3 = res[3]!;
      view.setInt32(p, c0);
      view.setInt32(p + 4, c1);
      view.setInt32(p + 8, c2);
      view.setInt32(p + 12, c3);
    }
    return out;
  }

  decrypt(data: Uint8Array): Uint8Array {
    const total = data.length;
    if (total === 0 || (total & 15) !== 0) {
      throw new PacketError(PacketErrorCode.DECRYPT_FAILED, `ciphertext of ${total} bytes is not a positive multiple of 16`);
    }
    const out = new Uint8Array(total);
    const src = new DataView(data.buffer, data.byteOffset, total);
    const view = new DataView(out.buffer);
    const block = [0, 0, 0, 0];
    const res = [0, 0, 0, 0];
    let c0 = this.iv[0]!, c1 = this.iv[1]!, c2 = this.iv[2]!, c3 = this.iv[3]!;
    for (let p = 0; p < total; p += 16) {
      block[0] = src.getInt32(p);
      block[1] = src.getInt32(p + 4);
      block[2] = src.getInt32(p + 8);
      block[3] = src.getInt32(p + 12);
      aes._updateBlock(this.decKey, block, res, true);
      view.setInt32(p, res[0]! ^ c0);
      view.setInt32(p + 4, res[1]! ^ c1);
      view.setInt32(p + 8, res[2]! ^ c2);
      view.setInt32(p + 12, res[3]! ^ c3);
      c0 = block[0]!; c1 = block[1]!; c2 = block[2]!; c3 = block[3]!;
    }
    const pad = out[total - 1]!;
    let ok = pad >= 1 && pad <= 16;
    for (let i = total - pad; ok && i < total; i++) ok = out[i] === pad;
    if (!ok) throw new PacketError(PacketErrorCode.DECRYPT_FAILED, "bad PKCS#7 padding after decryption (wrong key or IV, or corrupted ciphertext)");
    return out.subarray(0, total - pad);
  }
}

const cache = new WeakMap<CipherKey, PacketCipher>();

/**
 * The default engine for a key: AES-128-CBC + PKCS#7 through node-forge's AES. Engines are
 * cached per `CipherKey` object (the key schedule is computed once), so treat the object and
 * its bytes as immutable once used.
 */
export function createPacketCipher(cipher: CipherKey): PacketCipher {
  let c = cache.get(cipher);
  if (c === undefined) {
    c = new ForgePacketCipher(cipher);
    cache.set(cipher, c);
  }
  return c;
}

/** True for an engine object (has `encrypt` and `decrypt`), false for plain key material. */
export function isPacketCipher(x: CipherKey | PacketCipher): x is PacketCipher {
  return typeof (x as PacketCipher).encrypt === "function" && typeof (x as PacketCipher).decrypt === "function";
}
