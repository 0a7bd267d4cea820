/** AES-128-CBC + PKCS#7 with a fixed per-session key and IV (spec §2.4). */
import { createCipheriv, createDecipheriv } from "node:crypto";
import { SFSObject } from "@sfs2x/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  PacketDecoder,
  PacketError,
  PacketErrorCode,
  cipherKeyFromCryptoManager,
  createPacketCipher,
  decodePacket,
  encodePacket,
  type PacketCipher,
} from "../src/index.js";
import { messageArb } from "./arbitraries.js";
import { forgeReferenceCipher, hex, typed } from "./helpers.js";

const key16 = fc.uint8Array({ minLength: 16, maxLength: 16 });

function nodeEncrypt(key: Uint8Array, iv: Uint8Array, plain: Uint8Array): Uint8Array {
  const c = createCipheriv("aes-128-cbc", key, iv);
  return new Uint8Array(Buffer.concat([c.update(plain), c.final()]));
}

describe("AES-128-CBC engine", () => {
  it("gives the same bytes as node:crypto and node-forge's public API, and decrypts them", () => {
    fc.assert(
      fc.property(key16, key16, fc.uint8Array({ maxLength: 300 }), (key, iv, plain) => {
        const expected = hex(nodeEncrypt(key, iv, plain));
        const ours = createPacketCipher({ key, iv });
        const reference = forgeReferenceCipher({ key, iv });
        expect(hex(ours.encrypt(plain))).toBe(expected);
        expect(hex(reference.encrypt(plain))).toBe(expected);
        expect(hex(ours.decrypt(nodeEncrypt(key, iv, plain)))).toBe(hex(plain));
        expect(hex(reference.decrypt(ours.encrypt(plain)))).toBe(hex(plain));
      }),
      { numRuns: 200 },
    );
  });

  it("pads a full block when the plaintext is a multiple of 16", () => {
    const c = createPacketCipher({ key: new Uint8Array(16), iv: new Uint8Array(16) });
    expect(c.encrypt(new Uint8Array(0)).length).toBe(16);
    expect(c.encrypt(new Uint8Array(16)).length).toBe(32);
    expect(c.encrypt(new Uint8Array(17)).length).toBe(32);
  });

  it("validates key and IV lengths with a clear error", () => {
    const bad = [
      { key: new Uint8Array(15), iv: new Uint8Array(16) },
      { key: new Uint8Array(32), iv: new Uint8Array(16) },
      { key: new Uint8Array(16), iv: new Uint8Array(8) },
    ];
    for (const cipher of bad) {
      let err: PacketError | undefined;
      try {
        encodePacket({ controller: 0, action: 29, params: new SFSObject() }, { cipher });
      } catch (e) {
        err = e as PacketError;
      }
      expect(err?.code).toBe(PacketErrorCode.BAD_OPTIONS);
      expect(err?.message).toMatch(/cipher\.(key|iv) must be a Uint8Array of 16 bytes/);
    }
  });

  it("splits the CryptoManager's 32 bytes into key and IV", () => {
    const bytes = Uint8Array.from({ length: 32 }, (_, i) => i);
    const k = cipherKeyFromCryptoManager(bytes);
    expect(Array.from(k.key)).toEqual(Array.from({ length: 16 }, (_, i) => i));
    expect(Array.from(k.iv)).toEqual(Array.from({ length: 16 }, (_, i) => i + 16));
    expect(() => cipherKeyFromCryptoManager(new Uint8Array(31))).toThrow(/32 bytes/);
  });
});

describe("encrypted packets", () => {
  const key = Uint8Array.from({ length: 16 }, (_, i) => i * 11);
  const iv = Uint8Array.from({ length: 16 }, (_, i) => 200 - i);
  const cipher = { key, iv };

  it("serialize → compress → encrypt, and the reverse (header 0xE0; 0xE8 when big)", () => {
    const params = new SFSObject().putUtfString("blob", "abcdefghij".repeat(300)).putInt("n", 5);
    const m = { controller: 1, action: 13, params };
    const p = encodePacket(m, { cipher });
    expect(p[0]).toBe(0xe0);
    // The payload is the encryption of the zlib stream of the serialized root.
    const inner = createDecipheriv("aes-128-cbc", key, iv);
    const zlib = Buffer.concat([inner.update(p.subarray(3)), inner.final()]);
    expect(zlib[0]).toBe(0x78);
    expect(typed(decodePacket(p, { cipher }).params)).toEqual(typed(params));
    // Encrypted but not compressed.
    const small = encodePacket({ controller: 0, action: 29, params: new SFSObject() }, { cipher });
    expect(small[0]).toBe(0xc0);
    expect(decodePacket(small, { cipher }).action).toBe(29);
    const big = encodePacket(m, { cipher, bigSizeThreshold: 0 });
    expect(big[0]).toBe(0xe8);
    expect(decodePacket(big, { cipher }).params.getInt("n")).toBe(5);
  });

  it("random messages round-trip with encryption and any compression threshold, in a stream", () => {
    fc.assert(
      fc.property(fc.array(messageArb, { minLength: 1, maxLength: 5 }), fc.constantFrom(0, 100, 1024, Infinity), (msgs, threshold) => {
        const opts = { cipher, compressionThreshold: threshold };
        const d = new PacketDecoder({ cipher });
        const got = msgs.flatMap((m) => d.push(encodePacket(m, opts)));
        expect(got.map((m) => [m.controller, m.action, typed(m.params)])).toEqual(msgs.map((m) => [m.controller, m.action, typed(m.params)]));
      }),
      { numRuns: 60 },
    );
  });

  it("a wrong key, a wrong IV or corrupted ciphertext gives a PacketError", () => {
    const m = { controller: 1, action: 13, params: new SFSObject().putUtfString("s", "secret".repeat(50)) };
    fc.assert(
      fc.property(key16, fc.nat(), fc.integer({ min: 1, max: 255 }), fc.boolean(), (otherKey, pos, flip, compress) => {
        const p = encodePacket(m, { cipher, compressionThreshold: compress ? 0 : Infinity }).slice();
        const tries: [Uint8Array, { key: Uint8Array; iv: Uint8Array }][] = [
          [p, { key: otherKey, iv }],
          [p, { key, iv: otherKey }],
        ];
        const corrupted = p.slice();
        corrupted[3 + (pos % (p.length - 3))]! ^= flip;
        tries.push([corrupted, cipher]);
        for (const [bytes, c] of tries) {
          let thrown: unknown;
          try {
            const back = decodePacket(bytes, { cipher: c });
            // Garbage plaintext may still happen to parse (a wrong IV only changes the first
            // block); then it must not pass for the original message.
            expect(typed(back.params)).not.toEqual(typed(m.params));
          } catch (e) {
            thrown = e;
          }
          if (thrown !== undefined) expect(thrown).toBeInstanceOf(PacketError);
        }
      }),
      { numRuns: 150 },
    );
  });

  it("wrong key: DECRYPT_FAILED for a bad padding", () => {
    const p = encodePacket({ controller: 0, action: 29, params: new SFSObject() }, { cipher });
    const codes = new Set<string>();
    for (let i = 0; i < 20; i++) {
      try {
        decodePacket(p, { cipher: { key: new Uint8Array(16).fill(i + 1), iv } });
      } catch (e) {
        codes.add((e as PacketError).code);
      }
    }
    expect(codes.has(PacketErrorCode.DECRYPT_FAILED)).toBe(true);
    for (const c of codes) expect(Object.values(PacketErrorCode)).toContain(c);
  });

  it("a ciphertext that is not a multiple of 16 bytes is refused", () => {
    const frame = Uint8Array.of(0xc0, 0x00, 0x05, 1, 2, 3, 4, 5);
    expect(() => decodePacket(frame, { cipher })).toThrow(PacketError);
  });

  it("an ENCRYPTED packet without a cipher: NO_CIPHER", () => {
    const p = encodePacket({ controller: 0, action: 29, params: new SFSObject() }, { cipher });
    expect(() => decodePacket(p)).toThrow(expect.objectContaining({ code: PacketErrorCode.NO_CIPHER }));
  });

  it("accepts a caller-supplied engine (here node:crypto) with identical bytes", () => {
    const engine: PacketCipher = {
      encrypt: (plain) => nodeEncrypt(key, iv, plain),
      decrypt: (data) => {
        const d = createDecipheriv("aes-128-cbc", key, iv);
        return new Uint8Array(Buffer.concat([d.update(data), d.final()]));
      },
    };
    const m = { controller: 1, action: 13, params: new SFSObject().putUtfString("x", "y".repeat(2000)) };
    const a = encodePacket(m, { cipher: engine });
    expect(hex(a)).toBe(hex(encodePacket(m, { cipher })));
    expect(decodePacket(a, { cipher }).params.getUtfString("x")).toBe("y".repeat(2000));
    // An engine that throws something else than a PacketError is reported as DECRYPT_FAILED.
    expect(() => decodePacket(encodePacket(m, { cipher: { key: new Uint8Array(16), iv } }), { cipher: engine })).toThrow(
      expect.objectContaining({ code: PacketErrorCode.DECRYPT_FAILED }),
    );
  });
});

describe("node:crypto engine (@sfs2x/protocol/node)", () => {
  it("gives the default engine's bytes at every size, and decrypts them", async () => {
    const { createNodePacketCipher } = await import("../src/index.node.js");
    fc.assert(
      fc.property(key16, key16, fc.integer({ min: 0, max: 3000 }), (key, iv, n) => {
        const plain = Uint8Array.from({ length: n }, (_, i) => (i * 13 + n) & 255);
        const fast = createNodePacketCipher({ key, iv });
        const slow = createPacketCipher({ key, iv });
        const enc = fast.encrypt(plain);
        expect(hex(enc)).toBe(hex(slow.encrypt(plain)));
        expect(hex(fast.decrypt(enc))).toBe(hex(plain));
      }),
      { numRuns: 100 },
    );
  });

  it("a wrong key gives PacketError DECRYPT_FAILED (or another PacketError) on large payloads too", async () => {
    const { createNodePacketCipher } = await import("../src/index.node.js");
    const key = new Uint8Array(16).fill(1);
    const iv = new Uint8Array(16).fill(2);
    const m = { controller: 1, action: 13, params: new SFSObject().putUtfString("s", "x".repeat(5000)) };
    const p = encodePacket(m, { cipher: createNodePacketCipher({ key, iv }), compressionThreshold: Infinity });
    expect(decodePacket(p, { cipher: { key, iv } }).params.getUtfString("s")).toBe("x".repeat(5000));
    let err: unknown;
    try {
      decodePacket(p, { cipher: createNodePacketCipher({ key: new Uint8Array(16).fill(9), iv }) });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PacketError);
  });
});
