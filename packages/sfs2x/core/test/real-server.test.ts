/**
 * The real SFS2X 2.17.0 server codec probes (fixtures/real-server-codec.json, section codecProbes).
 * Each probe records what the Java SFSObject/SFSArray did with one input; the inputs are
 * reconstructed here from the probe names and bytes. Where we deliberately differ, the test
 * says so and asserts our behaviour.
 */
import { describe, expect, it } from "vitest";
import {
  fromHex,
  SFSArray,
  SFSCodecError,
  SFSDataType,
  SFSObject,
  SFSValueError,
  toHex,
} from "../src/index.js";
import { loadFixture } from "./helpers.js";

interface Probe {
  probe: string;
  ok: boolean;
  hex?: string;
  hexPrefix?: string;
  hexBytes?: number;
  error?: string;
  entries?: number;
  dump?: string;
  reencoded?: string | null;
  reencodeError?: string;
}

const { codecProbes } = loadFixture<{ codecProbes: Probe[] }>("real-server-codec.json");
const probes = new Map(codecProbes.map((p) => [p.probe, p]));
const probe = (name: string): Probe => {
  const p = probes.get(name);
  if (!p) throw new Error(`no probe ${name}`);
  return p;
};
const covered = new Set<string>();
const use = (name: string): Probe => {
  covered.add(name);
  return probe(name);
};

function decodeError(bytes: Uint8Array, root: "object" | "array" = "object"): SFSCodecError {
  try {
    if (root === "object") SFSObject.newFromBinaryData(bytes);
    else SFSArray.newFromBinaryData(bytes);
  } catch (e) {
    expect(e).toBeInstanceOf(SFSCodecError);
    return e as SFSCodecError;
  }
  throw new Error("decoded without error");
}

function valueError(f: () => unknown): SFSValueError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(SFSValueError);
    return e as SFSValueError;
  }
  throw new Error("no error");
}

describe("real server encodings we must produce byte for byte", () => {
  const cases: [string, () => SFSObject][] = [
    ["enc_utf_nul", () => new SFSObject().putUtfString("s", "a\u0000b")],
    ["enc_utf_emoji", () => new SFSObject().putUtfString("s", "\u{1F600}")],
    ["enc_utf_cjk", () => new SFSObject().putUtfString("s", "日本")],
    ["enc_text_3", () => new SFSObject().putText("s", "abc")],
    // Java's byte -1 is our unsigned 255: same bits.
    ["enc_byte_neg1", () => new SFSObject().putByte("b", 255)],
    ["enc_double_nan", () => new SFSObject().putDouble("d", NaN)],
    ["enc_float_nan", () => new SFSObject().putFloat("f", NaN)],
    ["enc_null", () => new SFSObject().putNull("n")],
    ["enc_empty_key", () => new SFSObject().putInt("", 1)],
    ["enc_bool_array", () => new SFSObject().putBoolArray("a", [true, false])],
    ["enc_long_max", () => new SFSObject().putLong("l", 2n ** 63n - 1n)],
  ];
  it.each(cases)("%s", (name, build) => {
    expect(toHex(build().toBinary())).toBe(use(name).hex);
  });

  it("enc_utf_32767: the largest UTF_STRING", () => {
    const p = use("enc_utf_32767");
    const bytes = new SFSObject().putUtfString("s", "x".repeat(32767)).toBinary();
    expect(bytes.length).toBe(p.hexBytes);
    expect(toHex(bytes.subarray(0, p.hexPrefix!.length / 2))).toBe(p.hexPrefix);
  });

  it("enc_key_255: the longest key", () => {
    const p = use("enc_key_255");
    const bytes = new SFSObject().putInt("k".repeat(255), 1).toBinary();
    expect(bytes.length).toBe(p.hexBytes);
    expect(toHex(bytes.subarray(0, p.hexPrefix!.length / 2))).toBe(p.hexPrefix);
  });
});

describe("real server limits (Java throws; so do we, with our error types)", () => {
  it("enc_key_256: a 256-byte key is refused", () => {
    expect(use("enc_key_256").ok).toBe(false);
    expect(valueError(() => new SFSObject().putInt("k".repeat(256), 1)).code).toBe("KEY_TOO_LONG");
  });

  it("enc_class: CLASS cannot be sent", () => {
    expect(use("enc_class").ok).toBe(false);
    expect(valueError(() => new SFSObject().put("c", SFSDataType.CLASS as never, null as never)).code).toBe("UNSUPPORTED_TYPE");
  });

  it("enc_utf_32768 / enc_utf_65536: Java writes a corrupt length; we refuse and point to TEXT", () => {
    // Java: 32768 bytes go out with int16 length 0x8000 (its own decoder rejects it), 65536 wraps to 0.
    expect(use("enc_utf_32768").hexPrefix!.slice(12, 18)).toBe("088000");
    expect(use("enc_utf_65536").hexPrefix!.slice(12, 18)).toBe("080000");
    for (const n of [32768, 65536]) {
      const e = valueError(() => new SFSObject().putUtfString("s", "x".repeat(n)));
      expect(e.code).toBe("STRING_TOO_LONG");
      expect(e.message).toMatch(/TEXT/);
    }
    // Typed construction switches to TEXT by itself.
    expect(SFSObject.from({ s: "x".repeat(32768) }).getType("s")).toBe(SFSDataType.TEXT);
  });

  it("enc_int_array_40000 / enc_sfsarray_40000: Java writes count 0x9c40 (negative as int16); we refuse to encode it and reject it on decode", () => {
    const ints = use("enc_int_array_40000");
    const nulls = use("enc_sfsarray_40000");
    expect(valueError(() => new SFSObject().putIntArray("a", new Array(40000).fill(7))).code).toBe("COUNT_TOO_LARGE");
    const arr = new SFSArray();
    for (let i = 0; i < 40000; i++) arr.addNull();
    expect(valueError(() => new SFSObject().putSFSArray("a", arr).toBinary()).code).toBe("COUNT_TOO_LARGE");

    // Rebuild Java's full output from its prefix (the elements repeat) and decode it.
    const intBytes = fromHex(ints.hexPrefix!.slice(0, 18) + "00000007".repeat(40000));
    expect(intBytes.length).toBe(ints.hexBytes);
    const e1 = decodeError(intBytes);
    expect([e1.code, e1.offset]).toEqual(["NEGATIVE_LENGTH", 7]);
    const nullBytes = fromHex(nulls.hexPrefix!.slice(0, 18) + "00".repeat(40000));
    expect(nullBytes.length).toBe(nulls.hexBytes);
    const e2 = decodeError(nullBytes);
    expect([e2.code, e2.offset]).toEqual(["NEGATIVE_LENGTH", 7]);
  });
});

describe("real server key order: we decode Java's hash order and keep it on re-encode", () => {
  it("enc_key_order_abc", () => {
    const hex = use("enc_key_order_abc").hex!;
    const o = SFSObject.newFromBinaryData(fromHex(hex));
    expect(o.getKeys()).toEqual(["zz", "p", "a", "b", "c"]);
    expect([o.getInt("a"), o.getInt("b"), o.getInt("c"), o.getInt("p"), o.getInt("zz")]).toEqual([2, 3, 1, 5, 4]);
    expect(toHex(o.toBinary())).toBe(hex);
  });

  it("enc_overwrite_key: one entry per key, last value", () => {
    const hex = use("enc_overwrite_key").hex!;
    const o = SFSObject.newFromBinaryData(fromHex(hex));
    expect(o.size()).toBe(2);
    expect(toHex(o.toBinary())).toBe(hex);
    // The same overwrite through our API keeps the first position.
    expect(toHex(new SFSObject().putInt("a", 1).putInt("b", 2).putInt("a", 3).toBinary())).toBe(hex);
  });

  it("enc_root_order_cap: the root of a server packet {p, a, c}", () => {
    const hex = use("enc_root_order_cap").hex!;
    const o = SFSObject.newFromBinaryData(fromHex(hex));
    expect(o.getKeys()).toEqual(["p", "a", "c"]);
    expect(o.getType("a")).toBe(SFSDataType.SHORT);
    expect(o.getType("c")).toBe(SFSDataType.BYTE);
    const p = o.getSFSObject("p")!;
    expect(p.getKeys()).toEqual(["ct", "ms", "tk"]);
    expect([p.getInt("ct"), p.getInt("ms"), p.getUtfString("tk")]).toEqual([1024, 500000, "t"]);
    expect(toHex(o.toBinary())).toBe(hex);
  });
});

describe("real server decodings", () => {
  const decodesTo = (name: string, input: string, check: (o: SFSObject) => void): void => {
    it(name, () => {
      const p = use(name);
      expect(p.ok).toBe(true);
      const o = SFSObject.newFromBinaryData(fromHex(input));
      expect(o.size()).toBe(p.entries);
      check(o);
      if (p.reencoded) expect(toHex(o.toBinary())).toBe(p.reencoded);
    });
  };

  decodesTo("dec_duplicate_key_last_wins?", "1200020001610400000001000161040000000200", (o) => expect(o.getInt("a")).toBe(2));
  decodesTo("dec_empty_key", "12000100000400000001", (o) => expect(o.getInt("")).toBe(1));
  decodesTo("dec_trailing_bytes", "120000deadbeef", (o) => expect(o.size()).toBe(0));
  decodesTo("dec_utf_nul_std", "120001000173080003610062", (o) => expect(o.getUtfString("s")).toBe("a\u0000b"));
  // Modified UTF-8 NUL (c0 80): two U+FFFD, in Java and in ours.
  decodesTo("dec_utf_nul_modified", "12000100017308000461c08062", (o) => expect(o.getUtfString("s")).toBe("a\ufffd\ufffdb"));
  decodesTo("dec_utf_emoji_std", "120001000173080004f09f9880", (o) => expect(o.getUtfString("s")).toBe("\u{1F600}"));
  // CESU-8 surrogate pair: one U+FFFD per 3-byte surrogate, as Java (and the official JS client) decode it.
  decodesTo("dec_utf_emoji_cesu", "120001000173080006eda0bdedb880", (o) => expect(o.getUtfString("s")).toBe("\ufffd\ufffd"));
  decodesTo("dec_utf_invalid_ff", "120001000173080001ff", (o) => expect(o.getUtfString("s")).toBe("\ufffd"));
  decodesTo("dec_text", "1200010001731400000003616263", (o) => expect(o.getText("s")).toBe("abc"));

  it("dec_unicode_key_utf8_len: decodes; Java cannot re-encode it (BufferOverflowException), we can, as the JS client does", () => {
    const p = use("dec_unicode_key_utf8_len");
    expect(p.reencoded).toBeNull();
    expect(p.reencodeError).toMatch(/BufferOverflow/);
    const hex = "1200010008d0bad0bbd18ed187080010d0b7d0bdd0b0d187d0b5d0bdd0b8d0b5";
    const o = SFSObject.newFromBinaryData(fromHex(hex));
    expect(o.getUtfString("ключ")).toBe("значение");
    expect(toHex(o.toBinary())).toBe(hex);
    // enc_unicode_key*: Java's encoder throws on any non-ASCII key; ours writes the UTF-8 length.
    expect(use("enc_unicode_key").ok).toBe(false);
    expect(use("enc_unicode_key_then_more").ok).toBe(false);
  });
});

describe("real server decode rejections (Java throws; we throw SFSCodecError with the same reason)", () => {
  const rejects = (name: string, input: string, code: string, offset: number, root: "object" | "array" = "object"): void => {
    it(`${name} -> ${code} at ${offset}`, () => {
      expect(use(name).ok).toBe(false);
      const e = decodeError(fromHex(input), root);
      expect(e.code).toBe(code);
      expect(e.offset).toBe(offset);
    });
  };
  rejects("dec_object_count_0x8000", "128000", "NEGATIVE_LENGTH", 1);
  rejects("dec_array_count_0x8000", "118000", "NEGATIVE_LENGTH", 1, "array");
  rejects("dec_int_array_count_0x8000", "12000100016" + "10c8000", "NEGATIVE_LENGTH", 7);
  rejects("dec_utf_len_0x8000", "1200010001730880000000", "NEGATIVE_LENGTH", 7);
  rejects("dec_bool_2", "1200010001620102", "INVALID_BOOL", 7);
  rejects("dec_key_len_256", "1200010100" + "6b".repeat(256) + "0400000001", "KEY_TOO_LONG", 3);
  rejects("dec_type_21", "12000100017415", "UNKNOWN_TYPE", 6);
  rejects("dec_byte_array_count_neg", "120001000162" + "0a" + "ffffffff", "NEGATIVE_LENGTH", 7);
  rejects("dec_too_short", "12", "TRUNCATED", 0);
  // The key length written as a char count (4) instead of UTF-8 bytes (8): the next byte (0xd1) is read as a type.
  rejects("dec_unicode_key_char_len", "1200010004d0bad0bbd18ed187080010d0b7d0bdd0b0d187d0b5d0bdd0b8d0b5", "UNKNOWN_TYPE", 9);

  it("dec_wrong_root: an SFSArray root is an SFSArray, not an SFSObject", () => {
    // The probe decoded array bytes as an SFSArray (its dump is an array); as an SFSObject root they are refused.
    const p = use("dec_wrong_root");
    const bytes = fromHex(p.reencoded!);
    expect(toHex(SFSArray.newFromBinaryData(bytes).toBinary())).toBe(p.reencoded);
    expect(SFSArray.newFromBinaryData(bytes).getInt(0)).toBe(1);
    expect(decodeError(bytes).code).toBe("WRONG_ROOT_TYPE");
  });
});

it("every real-server codec probe is checked above", () => {
  expect([...probes.keys()].filter((k) => !covered.has(k))).toEqual([]);
});
