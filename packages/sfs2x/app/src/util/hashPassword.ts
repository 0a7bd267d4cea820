// Only node-forge's MD5 module, not the whole library: the browser bundle drops ~250 kB.
// @ts-ignore -- the deep path has no typings of its own; the shape used is forge.md.md5.
import forgeMd5 from "node-forge/lib/md5.js";

interface Md5Digest {
  update(text: string, encoding: "utf8"): void;
  digest(): { toHex(): string };
}
const md5 = (forgeMd5 as { create(): Md5Digest });

/**
 * The login password as the official clients send it: lowercase hex MD5 of the UTF-8 bytes of
 * `sessionToken + password`, or `""` when the password is empty (spec §3.2).
 */
export function hashPassword(sessionToken: string, password: string): string {
  if (password === "") return "";
  const md = md5.create();
  md.update(sessionToken + password, "utf8");
  return md.digest().toHex();
}

/** 32 lowercase hex characters from the platform's CSPRNG (a real server's token looks the same). */
export function newSessionToken(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  let s = "";
  for (const b of bytes) s += (b < 16 ? "0" : "") + b.toString(16);
  return s;
}
