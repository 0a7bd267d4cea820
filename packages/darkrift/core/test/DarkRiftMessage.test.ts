import { describe, expect, it } from "vitest";
import { DarkRiftEncodeError, DarkRiftError, DarkRiftMessage, DarkRiftWriter, MessageFlags } from "../src/index.js";
import { hex } from "@darkrift/testkit";

describe("DarkRiftMessage", () => {
  it("holds a tag and a payload; a plain message is neither ping nor command", () => {
    const m = new DarkRiftMessage(65535);
    expect([m.tag, m.flags, m.pingCode, m.payload.length]).toEqual([65535, 0, 0, 0]);
    expect([m.isPing, m.isPingAcknowledgement, m.isCommand, m.commandCode]).toEqual([false, false, false, -1]);
  });

  it("validates tag, flags and ping code", () => {
    for (const tag of [-1, 65536, 1.5, NaN, Infinity, 2 ** 32 + 1, "1", null, undefined, 1n]) {
      expect(() => new DarkRiftMessage(tag as number)).toThrow(DarkRiftEncodeError);
    }
    for (const flags of [256, -1, 0.5, "1", 1n]) {
      expect(() => new DarkRiftMessage(1, undefined, { flags: flags as number })).toThrow(DarkRiftEncodeError);
    }
    expect(() => new DarkRiftMessage(1, undefined, { flags: 0x40, pingCode: 65536 })).toThrow(DarkRiftEncodeError);
    expect(() => new DarkRiftMessage(1, undefined, { flags: 0x40, pingCode: 2.5 })).toThrow(DarkRiftEncodeError);
    expect(new DarkRiftMessage(1, undefined, { flags: 0x60, pingCode: 65535 }).pingCode).toBe(65535);
    expect(new DarkRiftMessage(1, undefined, {}).flags).toBe(0);
    expect(() => new DarkRiftMessage(1, undefined, { pingCode: 5 })).toThrow(/Ping flag/);
    expect(() => new DarkRiftMessage(1, "x" as unknown as Uint8Array)).toThrow(DarkRiftEncodeError);
  });

  it("keeps a Uint8Array payload as is but copies a writer, which may then be reused", () => {
    const bytes = new Uint8Array([1, 2]);
    expect(new DarkRiftMessage(1, bytes).payload).toBe(bytes);
    const w = new DarkRiftWriter();
    w.writeInt32(42);
    const m = new DarkRiftMessage(2, w);
    w.reset().writeInt32(7);
    expect(m.getReader().readInt32()).toBe(42);
  });

  it("builds pings with a given or random uint16 code, and their acknowledgements", () => {
    const ping = DarkRiftMessage.ping(5, new Uint8Array([0, 0, 0, 42]), 0xbeef);
    expect([ping.flags, ping.pingCode, ping.isPing, ping.isPingAcknowledgement]).toEqual([0x40, 0xbeef, true, false]);
    const echo = ping.makePingAcknowledgement();
    expect([echo.flags, echo.tag, echo.pingCode, hex(echo.payload)]).toEqual([0x60, 5, 0xbeef, "0000002a"]);
    const ack = ping.makePingAcknowledgement(6, new Uint8Array(0));
    expect([ack.tag, ack.isPing, ack.isPingAcknowledgement, ack.payload.length]).toEqual([6, false, true, 0]);
    expect(() => ack.makePingAcknowledgement()).toThrow(DarkRiftError);
    expect(() => new DarkRiftMessage(1).makePingAcknowledgement()).toThrow(/only a ping/);

    const codes = new Set(Array.from({ length: 200 }, () => DarkRiftMessage.ping(1).pingCode));
    for (const c of codes) expect(Number.isInteger(c) && c >= 0 && c <= 0xffff).toBe(true);
    expect(codes.size).toBeGreaterThan(100);
  });

  it("0x20 alone is not an acknowledgement", () => {
    const m = new DarkRiftMessage(1, undefined, { flags: MessageFlags.PingAcknowledgement });
    expect([m.isPing, m.isPingAcknowledgement]).toEqual([false, false]);
  });

  it("builds commands whose tag is the command code", () => {
    const c = DarkRiftMessage.command(1, new Uint8Array([0, 7]));
    expect([c.flags, c.isCommand, c.commandCode, c.tag]).toEqual([0x80, true, 1, 1]);
    expect(c.getReader().readUInt16()).toBe(7);
    expect(String(c)).toContain("command tag=1");
  });

  it("getReader honours the encoding option", () => {
    const w = new DarkRiftWriter({ encoding: "utf8" });
    w.writeString("é");
    expect(new DarkRiftMessage(1, w).getReader({ encoding: "utf8" }).readString()).toBe("é");
  });
});
