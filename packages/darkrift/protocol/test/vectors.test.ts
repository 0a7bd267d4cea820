import { DarkRiftMessage, DarkRiftWriter } from "@darkrift/core";
import { describe, expect, it } from "vitest";
import {
  decodeDatagram,
  decodeMessageBody,
  encodeDatagram,
  encodeMessageBody,
  encodeTcpFrame,
  FrameDecoder,
  FrameError,
  MAX_DATAGRAM_LENGTH,
} from "../src/index.js";
import { fixtureLoader, hex, unhex } from "@darkrift/testkit";

const fixture = fixtureLoader(new URL("./fixtures/", import.meta.url));

interface MessageVector {
  name: string;
  tag: number;
  udp_datagram_hex: string;
  tcp_frame_hex: string;
}
const vectors = fixture<{ messages: MessageVector[] }>("csharp_writer_and_messages.json").messages;

/** Rebuilds the message a vector describes from its datagram bytes (independently of our decoder). */
function messageOf(v: MessageVector): DarkRiftMessage {
  const b = unhex(v.udp_datagram_hex);
  const flags = b[0]!;
  const ping = (flags & 0x40) !== 0;
  const payload = b.slice(ping ? 5 : 3);
  return new DarkRiftMessage(v.tag, payload, { flags, pingCode: ping ? (b[3]! << 8) | b[4]! : 0 });
}

describe("C# message vectors", () => {
  it("has the expected vectors", () => {
    expect(vectors.length).toBe(8);
  });

  for (const v of vectors) {
    it(`encodes ${v.name}`, () => {
      const m = messageOf(v);
      expect(hex(encodeTcpFrame(m))).toBe(v.tcp_frame_hex);
      expect(hex(encodeDatagram(m))).toBe(v.udp_datagram_hex);
      expect(hex(encodeMessageBody(m))).toBe(v.udp_datagram_hex);
    });

    it(`decodes ${v.name}`, () => {
      const expected = messageOf(v);
      const fromUdp = decodeDatagram(unhex(v.udp_datagram_hex));
      const [fromTcp, ...rest] = new FrameDecoder().push(unhex(v.tcp_frame_hex));
      expect(rest).toEqual([]);
      for (const m of [fromUdp, fromTcp!]) {
        expect(m.tag).toBe(v.tag);
        expect(m.flags).toBe(expected.flags);
        expect(m.pingCode).toBe(expected.pingCode);
        expect(hex(m.payload)).toBe(hex(expected.payload));
      }
      expect(fromUdp.reliable).toBe(false);
      expect(fromTcp!.reliable).toBe(true);
    });
  }

  it("builds the spec's ping and ack examples through core's factories", () => {
    const w = new DarkRiftWriter();
    w.writeInt32(42);
    const ping = DarkRiftMessage.ping(5, w, 0xbeef);
    expect(hex(encodeDatagram(ping))).toBe("400005beef0000002a");
    expect(hex(encodeDatagram(ping.makePingAcknowledgement(6)))).toBe("600006beef0000002a");
  });

  it("int32[] {1,2,3,-1} with the writer gives the C# frame", () => {
    const w = new DarkRiftWriter();
    w.writeInt32s([1, 2, 3, -1]);
    expect(hex(encodeTcpFrame(new DarkRiftMessage(1, w)))).toBe("0000001700000100000004000000010000000200000003ffffffff");
  });
});

describe("message bodies", () => {
  it("0x20 alone keeps a 3-byte header", () => {
    const m = new DarkRiftMessage(7, new Uint8Array([9]), { flags: 0x20 });
    expect(hex(encodeMessageBody(m))).toBe("20000709");
    const back = decodeMessageBody(unhex("20000709"));
    expect(back.flags).toBe(0x20);
    expect(back.pingCode).toBe(0);
    expect(Array.from(back.payload)).toEqual([9]);
  });

  it("decodes to a zero-copy view", () => {
    const bytes = unhex("000001aabbcc");
    const m = decodeMessageBody(bytes);
    expect(m.payload.buffer).toBe(bytes.buffer);
    expect(m.payload.byteOffset).toBe(3);
    expect(m).toBeInstanceOf(DarkRiftMessage);
    expect(m.reliable).toBe(true);
  });

  it.each([[""], ["00"], ["0000"], ["400001"], ["40000100"]])("refuses a short header %s with strike weight 5", (h) => {
    try {
      decodeDatagram(unhex(h));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(FrameError);
      expect((e as FrameError).code).toBe("HEADER_TOO_SHORT");
      expect((e as FrameError).strikeWeight).toBe(5);
      expect((e as FrameError).offset).toBe(0);
    }
  });

  it("accepts a 5-byte ping with an empty payload", () => {
    const m = decodeDatagram(unhex("400001beef"));
    expect(m.isPing).toBe(true);
    expect(m.pingCode).toBe(0xbeef);
    expect(m.payload.length).toBe(0);
  });

  it("refuses a message too large for a datagram", () => {
    const m = new DarkRiftMessage(1, new Uint8Array(MAX_DATAGRAM_LENGTH - 2));
    expect(() => encodeDatagram(m)).toThrow(FrameError);
    expect(encodeDatagram(new DarkRiftMessage(1, new Uint8Array(MAX_DATAGRAM_LENGTH - 3))).length).toBe(MAX_DATAGRAM_LENGTH);
  });
});
