/** Lowercase hex of the bytes, no separators. */
export const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");

/** The bytes of a hex string; whitespace is ignored. */
export const unhex = (s: string): Uint8Array => new Uint8Array((s.replace(/\s/g, "").match(/../g) ?? []).map((h) => parseInt(h, 16)));
