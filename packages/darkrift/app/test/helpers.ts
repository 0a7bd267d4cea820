export const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
export const unhex = (h: string): Uint8Array => new Uint8Array((h.replace(/\s/g, "").match(/../g) ?? []).map((x) => parseInt(x, 16)));
