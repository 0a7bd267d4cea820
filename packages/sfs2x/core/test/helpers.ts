import { readFileSync } from "node:fs";
import { SFSArray, SFSObject } from "../src/index.js";

export interface Vector {
  name: string;
  description?: string;
  value: { type: string; value: unknown };
  hex: string;
  officialDecodesAs?: { type: string; value: unknown };
}

export function loadFixture<T = { vectors: Vector[] }>(name: string): T {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8")) as T;
}

/** Decodes a root container by its first byte. */
export function decodeRoot(bytes: Uint8Array): SFSObject | SFSArray {
  return bytes[0] === 0x11 ? SFSArray.newFromBinaryData(bytes) : SFSObject.newFromBinaryData(bytes);
}
