/**
 * @sfs2x/protocol: packet encode + decode round trips (plain, compressed, encrypted) of the core
 * bench's representative payload, beside the bare core codec of the same root object
 * (`toBinary` + `newFromBinaryData`), the official JS client's packet codec (sfs2x-api 1.8.6:
 * `onPacketWrite` / `onPacketRead`) and, for encryption, node:crypto, all in the same run.
 */
import { createCipheriv, createDecipheriv } from "node:crypto";
import { SFSObject } from "@sfs2x/core";
import { PacketDecoder, decodePacket, encodePacket, type CodecOptions, type Message, type PacketCipher } from "@sfs2x/protocol";
import { compare } from "../harness.js";
import { loadOfficial } from "../official.js";
import { gamePayload } from "../payloads.js";

interface OfficialSFSObject {
  toBinary(): Uint8Array;
}
interface OfficialCodec {
  compressionThreshold: number;
  maxMessageSize: number;
  onPacketWrite(m: { targetController: number; id: number; content: OfficialSFSObject }): Uint8Array;
  onPacketRead(data: ArrayBuffer): unknown;
}
interface OfficialApi {
  SmartFox: new (config: object) => { _socketEngine: { _protocolCodec: OfficialCodec } };
  SFSObject: { newFromBinaryData(b: Uint8Array): OfficialSFSObject };
}

export default async function suite(): Promise<void> {
  const params = gamePayload(); // the core bench's representative game update: 11 keys
  const message: Message = { controller: 1, action: 13, params };
  const root = new SFSObject().putByte("c", 1).putShort("a", 13).putSFSObject("p", params);
  const rootBytes = root.toBinary().slice();
  const plainPacket = encodePacket(message).slice();
  let sink = 0;

  const bare = {
    name: "bare core codec (root toBinary + newFromBinaryData)",
    bytesPerOp: rootBytes.length,
    run: () => {
      const b = root.toBinary();
      sink += SFSObject.newFromBinaryData(b).size();
    },
  };

  const api = await loadOfficial<OfficialApi>("SmartFox");
  const codec = new api.SmartFox({})._socketEngine._protocolCodec;
  codec.maxMessageSize = 1e9;
  const officialContent = api.SFSObject.newFromBinaryData(params.toBinary().slice());
  const official = (threshold: number) => ({
    name: `official sfs2x-api packet codec${threshold === 0 ? " (zlib.js)" : ""}`,
    bytesPerOp: rootBytes.length,
    setup: () => {
      codec.compressionThreshold = threshold;
    },
    run: () => {
      const p = codec.onPacketWrite({ targetController: 1, id: 13, content: officialContent });
      sink += (codec.onPacketRead(p.buffer as ArrayBuffer) as object) ? 1 : 0;
    },
  });

  const roundTrip = (name: string, options: CodecOptions) => ({
    name,
    bytesPerOp: rootBytes.length,
    run: () => {
      const p = encodePacket(message, options);
      sink += decodePacket(p, options).action;
    },
  });

  console.log(`\npayload: ${rootBytes.length} bytes serialized; plain packet ${plainPacket.length} bytes`);

  await compare("sfs2x-protocol: plain packet encode + decode (target ≥ 0.9× bare codec)", roundTrip("ours: encodePacket + decodePacket", {}), [
    bare,
    official(1024),
  ]);

  // A stream: 64 packets back to back in one chunk through PacketDecoder.
  const streamCount = 64;
  const stream = new Uint8Array(plainPacket.length * streamCount);
  for (let i = 0; i < streamCount; i++) stream.set(plainPacket, i * plainPacket.length);
  const decoder = new PacketDecoder();
  await compare(
    "sfs2x-protocol: decode only, 64 packets per chunk (PacketDecoder) vs bare newFromBinaryData",
    { name: "ours: PacketDecoder.push", ops: streamCount, bytesPerOp: plainPacket.length, run: () => (sink += decoder.push(stream).length) },
    [
      {
        name: "bare core decode (newFromBinaryData)",
        ops: streamCount,
        bytesPerOp: rootBytes.length,
        run: () => {
          for (let i = 0; i < streamCount; i++) sink += SFSObject.newFromBinaryData(rootBytes).size();
        },
      },
    ],
  );

  await compare("sfs2x-protocol: encode only vs bare toBinary", { name: "ours: encodePacket", run: () => (sink += encodePacket(message).length) }, [
    { name: "bare core encode (root.toBinary)", run: () => (sink += root.toBinary().length) },
  ]);

  await compare("sfs2x-protocol: compressed packet (threshold 0) encode + decode", roundTrip("ours: fflate zlib", { compressionThreshold: 0 }), [
    bare,
    official(0),
  ]);

  const key = Uint8Array.from({ length: 16 }, (_, i) => i * 7);
  const iv = Uint8Array.from({ length: 16 }, (_, i) => 100 + i);
  const nodeEngine: PacketCipher = {
    encrypt: (p) => {
      const c = createCipheriv("aes-128-cbc", key, iv);
      return Buffer.concat([c.update(p), c.final()]);
    },
    decrypt: (d) => {
      const c = createDecipheriv("aes-128-cbc", key, iv);
      return Buffer.concat([c.update(d), c.final()]);
    },
  };
  await compare("sfs2x-protocol: encrypted packet (AES-128-CBC) encode + decode", roundTrip("ours: node-forge AES", { cipher: { key, iv } }), [
    bare,
    roundTrip("same with a node:crypto engine", { cipher: nodeEngine }),
  ]);

  if (sink === 42) console.log("");
}
