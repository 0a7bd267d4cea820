/**
 * The README's examples, run for real: encode/decode, a PacketDecoder over a TCP socket on
 * loopback (the server writes packets in awkward pieces), compression and cipher options.
 */
import { once } from "node:events";
import { createServer, connect, type AddressInfo, type Socket } from "node:net";
import { SFSObject } from "@sfs2x/core";
import { describe, expect, it } from "vitest";
import {
  ControllerId,
  PacketDecoder,
  PacketError,
  PacketErrorCode,
  SFSErrorCode,
  SysAction,
  cipherKeyFromCryptoManager,
  createErrorReply,
  createMessage,
  decodePacket,
  describeErrorReply,
  encodePacket,
  parseErrorReply,
  type Message,
} from "../src/index.js";
import { concat, hex } from "./helpers.js";

describe("README examples", () => {
  it("encode and decode", () => {
    const bytes = encodePacket({
      controller: ControllerId.Extension,
      action: SysAction.CallExtension,
      params: new SFSObject().putUtfString("c", "ping").putInt("r", -1).putSFSObject("p", new SFSObject().putInt("n", 1)),
    });
    expect(hex(bytes.subarray(0, 20))).toBe("800034120003000163020100016103000d000170");
    const message = decodePacket(bytes);
    expect([message.controller, message.action, message.params.getUtfString("c")]).toEqual([1, 13, "ping"]);
  });

  it("PacketDecoder over a real TCP socket on loopback, packets written in awkward pieces", async () => {
    const outgoing: Message[] = [
      createMessage(0, SysAction.Handshake, new SFSObject().putUtfString("tk", "t".repeat(32)).putInt("ct", 1024).putInt("ms", 500000)),
      createMessage(1, 13, new SFSObject().putUtfString("c", "bulk").putSFSObject("p", new SFSObject().putUtfString("t", "z".repeat(3000)))),
      createMessage(0, 29, new SFSObject()),
      createMessage(1, 13, new SFSObject().putByteArray("bin", new Uint8Array(70000).fill(7))),
    ];
    const stream = concat(outgoing.map((m, i) => encodePacket(m, i === 3 ? { compressionThreshold: Infinity } : {}).slice()));
    const server = createServer((sock: Socket) => {
      // 1, 2, 3, 5, 8... byte pieces, then the rest: headers and size fields land across writes.
      let at = 0;
      let step = 1;
      let prev = 1;
      const writeNext = (): void => {
        if (at >= stream.length) {
          sock.end();
          return;
        }
        const n = at > 200 ? stream.length - at : step;
        sock.write(stream.subarray(at, at + n));
        at += n;
        [step, prev] = [step + prev, step];
        setImmediate(writeNext);
      };
      writeNext();
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    try {
      const { port } = server.address() as AddressInfo;
      const socket = connect(port, "127.0.0.1");
      const decoder = new PacketDecoder();
      const received: Message[] = [];
      let reads = 0;
      socket.on("data", (chunk: Buffer) => {
        reads++;
        received.push(...decoder.push(chunk));
      });
      await once(socket, "close");
      expect(reads).toBeGreaterThan(1);
      expect(received.map((m) => [m.controller, m.action])).toEqual([
        [0, 0],
        [1, 13],
        [0, 29],
        [1, 13],
      ]);
      expect(received[1]!.params.getSFSObject("p")!.getUtfString("t")).toBe("z".repeat(3000));
      expect(received[3]!.params.getByteArray("bin")!.length).toBe(70000);
      expect(decoder.bufferedBytes).toBe(0);
    } finally {
      server.close();
    }
  });

  it("a server drops only the offending connection on a fatal PacketError", async () => {
    const closedWith: string[] = [];
    const server = createServer((sock: Socket) => {
      const decoder = new PacketDecoder();
      sock.on("data", (chunk: Buffer) => {
        try {
          for (const m of decoder.push(chunk)) sock.write(encodePacket(m)); // echo
        } catch (e) {
          closedWith.push((e as PacketError).code);
          sock.destroy();
        }
      });
      sock.on("error", () => {});
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    try {
      const { port } = server.address() as AddressInfo;
      const good = connect(port, "127.0.0.1");
      const bad = connect(port, "127.0.0.1");
      bad.on("error", () => {});
      await Promise.all([once(good, "connect"), once(bad, "connect")]);
      bad.write(Uint8Array.of(0x88, 0x00, 0x09, 0x27, 0xc0, 1, 2, 3)); // 600000 announced
      await once(bad, "close");
      const decoder = new PacketDecoder();
      const echoed = new Promise<Message[]>((resolve) => good.on("data", (c: Buffer) => resolve(decoder.push(c))));
      good.write(encodePacket(createMessage(0, 29)));
      expect((await echoed).map((m) => m.action)).toEqual([29]);
      expect(closedWith).toEqual([PacketErrorCode.TOO_LARGE]);
      good.destroy();
    } finally {
      server.close();
    }
  });

  it("compression and cipher options", () => {
    const body = btoa(String.fromCharCode(...Array.from({ length: 32 }, (_, i) => i * 3)));
    const cipher = cipherKeyFromCryptoManager(Uint8Array.from(atob(body), (c) => c.charCodeAt(0)));
    const message = createMessage(1, 13, new SFSObject().putUtfString("c", "x".repeat(2000)));
    const packet = encodePacket(message, { compressionThreshold: 1024, maxMessageSize: 500000, cipher });
    expect(packet[0]).toBe(0xe0);
    expect(decodePacket(packet, { cipher }).params.getUtfString("c")).toBe("x".repeat(2000));
    const decoder = new PacketDecoder();
    decoder.setOptions({ cipher });
    expect(decoder.push(packet)).toHaveLength(1);
  });

  it("error replies", () => {
    const reply = createErrorReply(0, SysAction.JoinRoom, SFSErrorCode.JoinBadRoom);
    const error = parseErrorReply(reply.params);
    expect(error).toEqual({ code: 22, params: [] });
    expect(describeErrorReply(error!)).toBe("The requested room does not exist");
  });
});
