import { describe, expect, it } from "vitest";
import {
  CommandCode,
  encodeTcpFrame,
  encodeTcpHello,
  encodeUdpAck,
  encodeUdpHello,
  FrameDecoder,
  generateToken,
  HandshakeError,
  isConfigure,
  isUdpAck,
  LATEST_PROTOCOL_VERSION,
  makeConfigure,
  parseConfigure,
  parseTcpHello,
  parseUdpHello,
  ProtocolVersion,
  tokenKey,
  helloPrefixError,
  describeByte,
} from "../src/index.js";
import { fixtureLoader, hex, unhex } from "@darkrift/testkit";

const fixture = fixtureLoader(new URL("./fixtures/", import.meta.url));

const summary = fixture("handshake_summary.json");
const v1 = summary.v1;
const v0 = summary["v0_legacy (server setting protocolVersion=0, DarkRift <=2.10.x behaviour)"];
const serverCapture = fixture("handshake_csharp_server_capture.json");
const clientCapture = fixture("handshake_csharp_client_capture.json");
const token = unhex("0123456789abcdef");

describe("handshake vectors", () => {
  it("v1: hello, UDP hello, 12-byte ack, Configure id 0", () => {
    expect(hex(encodeTcpHello(ProtocolVersion.V1, token))).toBe(v1.tcp_server_to_client_raw_9_bytes);
    expect(hex(encodeUdpHello(1, token))).toBe(v1.udp_client_to_server_hello);
    expect(hex(encodeUdpAck(ProtocolVersion.V1, token))).toBe(v1.udp_server_to_client_ack_12_bytes);
    expect(hex(encodeTcpFrame(makeConfigure(0)))).toBe(v1.tcp_configure_frame_id0);
  });

  it("v0: hello and the 1-byte ack", () => {
    expect(hex(encodeTcpHello(ProtocolVersion.V0, token))).toBe(v0.tcp_server_to_client_raw_9_bytes);
    expect(hex(encodeUdpHello(0, token))).toBe(v0.udp_client_to_server_hello);
    expect(hex(encodeUdpAck(ProtocolVersion.V0, token))).toBe(v0.udp_server_to_client_ack_1_byte);
  });

  it("parses the real C# server's capture", () => {
    const [hello, udpHello, ack, configure] = serverCapture.events as { hex: string }[];
    const parsed = parseTcpHello(unhex(hello!.hex));
    expect(parsed.version).toBe(1);
    expect(hex(parsed.token)).toBe("0b27b64849b29f2d");
    // The client echoes the hello unchanged.
    expect(hex(encodeUdpHello(parsed.version, parsed.token))).toBe(udpHello!.hex);
    expect(isUdpAck(1, parsed.token, unhex(ack!.hex))).toBe(true);
    const [cfg] = new FrameDecoder().push(unhex(configure!.hex));
    expect(isConfigure(cfg!)).toBe(true);
    expect(parseConfigure(cfg!)).toBe(serverCapture.client_id);
  });

  it("parses the real C# client's UDP hello", () => {
    const udpHello = (clientCapture.events as { dir: string; channel: string; hex: string }[]).find(
      (e) => e.dir === "c->s" && e.channel === "udp",
    )!;
    const parsed = parseUdpHello(unhex(udpHello.hex))!;
    expect(hex(parsed.token)).toBe(clientCapture.token);
    expect(tokenKey(parsed.token)).toBe("0123456789abcdef");
  });

  it("refuses a newer protocol and bad hello lengths", () => {
    expect(() => parseTcpHello(unhex("020123456789abcdef"))).toThrow(HandshakeError);
    expect(() => parseTcpHello(unhex("020123456789abcdef"))).toThrow(
      expect.objectContaining({ code: "UNSUPPORTED_VERSION", message: expect.stringContaining("speaks bichannel protocol 2: it is newer than this client") }),
    );
    expect(() => parseTcpHello(unhex("ff0123456789abcdef"))).toThrow(expect.objectContaining({ code: "NOT_DARKRIFT" }));
    expect(() => parseTcpHello(unhex("010123456789abcd"))).toThrow(/9 bytes/);
    expect(parseUdpHello(unhex("010123456789abcd"))).toBeUndefined();
    expect(parseUdpHello(unhex("010123456789abcdef00"))).toBeUndefined();
    // C# ignores byte 0 of a UDP hello.
    expect(hex(parseUdpHello(unhex("ff0123456789abcdef"))!.token)).toBe("0123456789abcdef");
    expect(LATEST_PROTOCOL_VERSION).toBe(1);
  });

  it("checks acks like the C# client", () => {
    expect(isUdpAck(1, token, unhex("0123456789abcdef00000000"))).toBe(true);
    expect(isUdpAck(1, token, unhex("0123456789abcdefffffffff"))).toBe(true); // last 4 not checked
    expect(isUdpAck(1, token, unhex("0123456789abcdee00000000"))).toBe(false);
    expect(isUdpAck(1, token, unhex("0123456789abcdef"))).toBe(false);
    expect(isUdpAck(1, token, unhex(""))).toBe(false);
    expect(isUdpAck(0, token, unhex("00"))).toBe(true);
    expect(isUdpAck(0, token, unhex("0000"))).toBe(false);
  });

  it("generates tokens with bits 63 and 31 clear", () => {
    for (let i = 0; i < 200; i++) {
      const t = generateToken();
      expect(t.length).toBe(8);
      expect(t[0]! & 0x80).toBe(0);
      expect(t[4]! & 0x80).toBe(0);
    }
    expect(tokenKey(generateToken())).not.toBe(tokenKey(generateToken()));
  });

  it("builds and parses Configure", () => {
    const m = makeConfigure(0x1234);
    expect(m.isCommand).toBe(true);
    expect(m.commandCode).toBe(CommandCode.Configure);
    expect(hex(encodeTcpFrame(m))).toBe("000000058000001234");
    expect(parseConfigure(m)).toBe(0x1234);
    expect(hex(encodeTcpFrame(makeConfigure(7)))).toBe("000000058000000007");
    expect(() => makeConfigure(65536)).toThrow(RangeError);
    const [short] = new FrameDecoder().push(unhex("00000004800000ff"));
    expect(() => parseConfigure(short!)).toThrow(HandshakeError);
    const [notCommand] = new FrameDecoder().push(unhex("000000050000000001"));
    expect(() => parseConfigure(notCommand!)).toThrow(/not a Configure/);
  });
});

describe("hello errors name what was received and the likely cause", () => {
  const text = (s: string): Uint8Array => new TextEncoder().encode(s);

  it("an HTTP response: 0x48 ('H'), an HTTP/WebSocket port", () => {
    const e = helloPrefixError(text("HTTP/1.1 400 Bad Request\r\n"))!;
    expect(e).toBeInstanceOf(HandshakeError);
    expect(e.code).toBe("NOT_DARKRIFT");
    expect(e.message).toBe(
      `expected a DarkRift handshake (version 0 or 1) but the server sent 0x48 ('H') (its first bytes: "HTTP/1.1 400 Bad"): ` +
        "is this an HTTP/WebSocket port rather than a DarkRift server?",
    );
    // parseTcpHello says the same for a 9-byte hello.
    expect(() => parseTcpHello(text("HTTP/1.1 "))).toThrow(/0x48 \('H'\).*HTTP\/WebSocket port/);
  });

  it("a TLS record, an SSH banner, a text banner, a binary byte", () => {
    expect(helloPrefixError(unhex("160301"))!.message).toMatch(/sent 0x16: this looks like TLS: is this an HTTPS\/WSS\/TLS port/);
    expect(helloPrefixError(text("SSH-2.0-OpenSSH"))!.message).toMatch(/sent 0x53 \('S'\) \(its first bytes: "SSH-2.0-OpenSSH"\): is this an SSH/);
    expect(helloPrefixError(text("220 smtp.example ESMTP"))!.message).toMatch(/sent 0x32 \('2'\).*text protocol/);
    expect(helloPrefixError(unhex("ff"))!.message).toBe(
      "expected a DarkRift handshake (version 0 or 1) but the server sent 0xff: is this a DarkRift server? check the host and port",
    );
  });

  it("a plausible newer version is UNSUPPORTED_VERSION; 0 and 1 pass", () => {
    expect(helloPrefixError(unhex("08"))!.code).toBe("UNSUPPORTED_VERSION");
    expect(helloPrefixError(unhex("09"))!.code).toBe("NOT_DARKRIFT");
    expect(helloPrefixError(unhex("00"))).toBeUndefined();
    expect(helloPrefixError(unhex("01ff"))).toBeUndefined();
    expect(helloPrefixError(new Uint8Array(0))).toBeUndefined();
    expect(describeByte(0x41)).toBe("0x41 ('A')");
    expect(describeByte(0x00)).toBe("0x00");
  });
});
