import { afterEach, describe, expect, it, vi } from "vitest";
import { createDebugLogger, debugEnabled } from "../src/index.js";

describe("debugEnabled (DEBUG patterns)", () => {
  it("enables by exact name, wildcard and lists; excludes with a leading '-'", () => {
    expect(debugEnabled("sfs2x:app", undefined)).toBe(false);
    expect(debugEnabled("sfs2x:app", "")).toBe(false);
    expect(debugEnabled("sfs2x:app", "sfs2x:app")).toBe(true);
    expect(debugEnabled("sfs2x:app", "sfs2x:*")).toBe(true);
    expect(debugEnabled("sfs2x:transport-tcp", "sfs2x:*")).toBe(true);
    expect(debugEnabled("darkrift:net", "sfs2x:*")).toBe(false);
    expect(debugEnabled("sfs2x:transport-ws", "sfs2x:app,sfs2x:transport-ws")).toBe(true);
    expect(debugEnabled("sfs2x:transport-tcp", "sfs2x:app,sfs2x:transport-ws")).toBe(false);
    expect(debugEnabled("sfs2x:transport-tcp", "sfs2x:app sfs2x:transport-*")).toBe(true);
    expect(debugEnabled("sfs2x:app", "sfs2x:*,-sfs2x:app")).toBe(false);
    expect(debugEnabled("sfs2x:transport-ws", "sfs2x:*,-sfs2x:app")).toBe(true);
    expect(debugEnabled("anything", "*")).toBe(true);
    // Regex characters in a pattern are literal.
    expect(debugEnabled("sfs2xXapp", "sfs2x.app")).toBe(false);
  });
});

describe("createDebugLogger", () => {
  afterEach(() => vi.restoreAllMocks());

  it("writes namespaced lines to the console when enabled", () => {
    const debug = vi.spyOn(console, "debug").mockImplementation(() => {});
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const log = createDebugLogger("sfs2x:transport-tcp", "sfs2x:*");
    log.debug("connection", { remoteAddress: "127.0.0.1:1" });
    log.warn("closing connection: bad packet");
    expect(debug).toHaveBeenCalledWith("sfs2x:transport-tcp connection", { remoteAddress: "127.0.0.1:1" });
    expect(warn).toHaveBeenCalledWith("sfs2x:transport-tcp closing connection: bad packet");
  });

  it("is a shared no-op when disabled", () => {
    const spies = (["debug", "info", "warn", "error"] as const).map((m) => vi.spyOn(console, m).mockImplementation(() => {}));
    const a = createDebugLogger("sfs2x:app", "sfs2x:transport-ws");
    const b = createDebugLogger("sfs2x:transport-tcp", "darkrift:*");
    expect(a).toBe(b);
    a.debug("x");
    a.info("x");
    a.warn("x");
    a.error("x");
    for (const s of spies) expect(s).not.toHaveBeenCalled();
  });

  it("reads DEBUG once and caches per namespace", () => {
    // The environment of this test run decides; whatever it is, the same namespace gives the same logger.
    expect(createDebugLogger("sfs2x:test-cache")).toBe(createDebugLogger("sfs2x:test-cache"));
  });
});
