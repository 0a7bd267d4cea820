import { describe, expect, it } from "vitest";
import { ClientIdAllocator, NoFreeIdError } from "../src/index.js";

describe("ClientIdAllocator (C# ClientManager.ReserveID)", () => {
  it("starts at 0 and increments", () => {
    const a = new ClientIdAllocator();
    expect([a.reserve(), a.reserve(), a.reserve()]).toEqual([0, 1, 2]);
    expect(a.size).toBe(3);
  });

  it("does not reuse a released ID immediately", () => {
    const a = new ClientIdAllocator();
    a.reserve();
    const one = a.reserve();
    a.release(one);
    expect(a.reserve()).toBe(2);
    expect(a.has(1)).toBe(false);
  });

  it("wraps 65535 → 0 and skips IDs in use", () => {
    const a = new ClientIdAllocator();
    const ids: number[] = [];
    for (let i = 0; i < 65536; i++) ids.push(a.reserve());
    expect(ids.every((id, i) => id === i)).toBe(true);
    expect(() => a.reserve()).toThrow(NoFreeIdError);
    // Free some: 0 and 1 stay in use, 2 and 5 and 65535 are freed.
    a.release(5);
    a.release(2);
    a.release(65535);
    // Last allocated was 65535; the next free after it, wrapping, skipping 0 and 1 (in use).
    expect(a.reserve()).toBe(2);
    expect(a.reserve()).toBe(5);
    expect(a.reserve()).toBe(65535);
    expect(() => a.reserve()).toThrow(NoFreeIdError);
  });

  it("wraps to 0 when 0 is free", () => {
    const a = new ClientIdAllocator();
    for (let i = 0; i < 65536; i++) a.reserve();
    a.release(0);
    a.release(70 & 0xffff);
    expect(a.reserve()).toBe(0);
    expect(a.reserve()).toBe(70);
  });
});
