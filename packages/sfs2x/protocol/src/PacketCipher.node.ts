import { createCipheriv, createDecipheriv } from "node:crypto";
import { checkCipherKey, createPacketCipher, type CipherKey, type PacketCipher } from "./PacketCipher.js";
import { PacketError, PacketErrorCode } from "./PacketError.js";

/**
 * Below this many bytes the default (node-forge) engine is faster than setting up a node:crypto
 * cipher per packet (measured: 300 B 3.2 µs vs 4.0 µs; 4 KiB 38 µs vs 10 µs; 64 KiB 588 µs vs 56 µs).
 */
const NODE_CRYPTO_MIN = 512;

/**
 * Node-only AES-128-CBC + PKCS#7 engine: node:crypto (OpenSSL) for payloads of 512 bytes and
 * more, node-forge below, with identical bytes either way. Pass it as the `cipher` option:
 * `encodePacket(m, { cipher: createNodePacketCipher({ key, iv }) })`.
 */
export function createNodePacketCipher(cipher: CipherKey): PacketCipher {
  checkCipherKey(cipher);
  const key = cipher.key.slice();
  const iv = cipher.iv.slice();
  const small = createPacketCipher({ key, iv });
  const join = (a: Uint8Array, b: Uint8Array): Uint8Array => {
    if (b.length === 0) return a;
    const out = new Uint8Array(a.length + b.length);
    out.set(a);
    out.set(b, a.length);
    return out;
  };
  return {
    encrypt(plain) {
      if (plain.length < NODE_CRYPTO_MIN) return small.encrypt(plain);
      const c = createCipheriv("aes-128-cbc", key, iv);
      return join(c.update(plain), c.final());
    },
    decrypt(data) {
      if (data.length < NODE_CRYPTO_MIN) return small.decrypt(data);
      const d = createDecipheriv("aes-128-cbc", key, iv);
      try {
        return join(d.update(data), d.final());
      } catch (e) {
        throw new PacketError(
          PacketErrorCode.DECRYPT_FAILED,
          "bad PKCS#7 padding after decryption (wrong key or IV, or corrupted ciphertext)",
          undefined,
          { cause: e },
        );
      }
    },
  };
}
