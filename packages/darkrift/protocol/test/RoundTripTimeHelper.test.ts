import { describe, expect, it } from "vitest";
import { RoundTripTimeHelper } from "../src/index.js";

describe("RoundTripTimeHelper", () => {
  it("measures and smooths like C# (moving average of the last N)", () => {
    const rtt = new RoundTripTimeHelper({ sampleCount: 2, backlogSize: 3 });
    expect(rtt.latest).toBe(0);
    expect(rtt.smoothed).toBe(0);
    rtt.recordOutboundPing(89, 1000);
    rtt.recordOutboundPing(90, 1000);
    expect(rtt.recordInboundPing(89, 1010)).toBe(10);
    expect(rtt.latest).toBe(10);
    expect(rtt.smoothed).toBe(10);
    expect(rtt.recordInboundPing(90, 1030)).toBe(30);
    expect(rtt.smoothed).toBe(20);
    rtt.recordOutboundPing(91, 2000);
    expect(rtt.recordInboundPing(91, 2050)).toBe(50);
    expect(rtt.smoothed).toBe(40); // (30 + 50) / 2: the oldest sample left the window
    expect(rtt.latest).toBe(50);
  });

  it("returns undefined for an unknown or repeated code", () => {
    const rtt = new RoundTripTimeHelper();
    expect(rtt.recordInboundPing(5)).toBeUndefined();
    rtt.recordOutboundPing(5, 0);
    expect(rtt.recordInboundPing(5, 1)).toBe(1);
    expect(rtt.recordInboundPing(5, 2)).toBeUndefined();
  });

  it("forgets the oldest ping beyond the backlog", () => {
    const rtt = new RoundTripTimeHelper({ backlogSize: 2 });
    expect(rtt.recordOutboundPing(1, 0)).toBeUndefined();
    expect(rtt.recordOutboundPing(2, 0)).toBeUndefined();
    expect(rtt.recordOutboundPing(3, 0)).toBe(1);
    expect(rtt.outstanding).toBe(2);
    expect(rtt.recordInboundPing(1, 5)).toBeUndefined();
    expect(rtt.recordInboundPing(3, 5)).toBe(5);
  });
});
