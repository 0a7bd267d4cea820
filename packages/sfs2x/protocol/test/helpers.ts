import { readFileSync } from "node:fs";
import { SFSObject, fromHex, toHex, toTypedJson } from "@sfs2x/core";

export { fromHex, toHex };

export function fixture<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8")) as T;
}

export interface PacketVector {
  name: string;
  description: string;
  codec?: { compressionThreshold: number; maxMessageSize: number };
  headerByte: string;
  controller?: number;
  action?: number;
  params?: Record<string, unknown>;
  hex?: string;
  byteLength?: number;
  inflatedPayloadHex?: string;
  headHex?: string;
  bodyLength?: number;
  sha256?: string;
  payloadRecipe?: string;
}

export interface TypedNode {
  type: string;
  value: unknown;
  keyOrder?: string[];
}

export interface LivePacket {
  source: string;
  name: string;
  transport: "tcp" | "ws";
  connection: string;
  missing?: string;
  headerByte?: string;
  size?: number;
  rootKeyOrder?: string[];
  controller?: number;
  controllerType?: string;
  action?: number;
  actionType?: string;
  params?: TypedNode;
  hex?: string;
  inflatedHex?: string;
}

/** The typed tree without the `keyOrder` annotations of the live capture. */
export function stripKeyOrder(node: TypedNode): TypedNode {
  const { type, value } = node;
  if (type === "SFS_OBJECT") {
    const out: Record<string, TypedNode> = {};
    for (const [k, v] of Object.entries(value as Record<string, TypedNode>)) out[k] = stripKeyOrder(v);
    return { type, value: out };
  }
  if (type === "SFS_ARRAY") return { type, value: (value as TypedNode[]).map(stripKeyOrder) };
  return { type, value };
}

/** Typed JSON of params, LONGs as strings (the live capture's convention). */
export function typed(params: SFSObject): TypedNode {
  return toTypedJson(params, { longsAsStrings: true }) as TypedNode;
}

/** JSON-comparable plain form (Uint8Array → number[]). */
export function plain(params: SFSObject): unknown {
  return JSON.parse(JSON.stringify(params.toPlain(), (_k, v: unknown) => (v instanceof Uint8Array ? Array.from(v) : v)));
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export const hex = (b: Uint8Array): string => toHex(b);

// --- The official JS client (sfs2x-api 1.8.6), loaded in Node -----------------------------

interface OfficialSFSObject {
  toBinary(): Uint8Array;
}
interface OfficialMessage {
  _id: number;
  _targetController: number;
  _content: OfficialSFSObject;
}
interface OfficialCodec {
  onPacketRead(data: ArrayBuffer): OfficialMessage;
  onPacketWrite(message: { targetController: number; id: number; content: OfficialSFSObject }): Uint8Array;
  compressionThreshold: number;
  maxMessageSize: number;
}
export interface OfficialApi {
  SmartFox: new (config: object) => { _socketEngine: { _protocolCodec: OfficialCodec } };
  SFSObject: { newFromBinaryData(b: Uint8Array): OfficialSFSObject };
}

let official: OfficialApi | undefined;

export async function loadOfficial(): Promise<OfficialApi> {
  if (!official) {
    // The official bundle expects a browser global.
    (globalThis as { window?: unknown }).window = globalThis;
    official = ((await import("sfs2x-api")) as unknown as { default: OfficialApi }).default;
  }
  return official;
}

/** The official client's packet codec (what its WebSocket engine runs on every message). */
export async function officialCodec(): Promise<OfficialCodec> {
  const api = await loadOfficial();
  return new api.SmartFox({})._socketEngine._protocolCodec;
}

/** Decodes a whole packet with the official client: controller, action, and params as our SFSObject. */
export async function officialDecode(packet: Uint8Array): Promise<{ controller: number; action: number; params: SFSObject }> {
  const codec = await officialCodec();
  const copy = packet.slice();
  const m = codec.onPacketRead(copy.buffer);
  return { controller: m._targetController, action: m._id, params: SFSObject.newFromBinaryData(m._content.toBinary()) };
}

// --- Reference AES engine: node-forge's public API (binary strings) ------------------------

import forge from "node-forge";
import type { CipherKey, PacketCipher } from "../src/index.js";

/** AES-128-CBC through `forge.cipher.createCipher`, the slow documented way: the tests' reference. */
export function forgeReferenceCipher(cipher: CipherKey): PacketCipher {
  const bin = (b: Uint8Array): string => {
    let s = "";
    for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode(...b.subarray(i, i + 8192));
    return s;
  };
  const unbin = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
  const key = bin(cipher.key);
  const iv = bin(cipher.iv);
  return {
    encrypt(plain) {
      const c = forge.cipher.createCipher("AES-CBC", key);
      c.start({ iv });
      c.update(forge.util.createBuffer(bin(plain)));
      c.finish();
      return unbin(c.output.getBytes());
    },
    decrypt(data) {
      const d = forge.cipher.createDecipher("AES-CBC", key);
      d.start({ iv });
      d.update(forge.util.createBuffer(bin(data)));
      if (!d.finish()) throw new Error("bad padding");
      return unbin(d.output.getBytes());
    },
  };
}
