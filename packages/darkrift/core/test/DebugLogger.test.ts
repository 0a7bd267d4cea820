import { afterEach, describe, expect, it, vi } from "vitest";
import { createDebugLogger, defaultLogger, enableDebug, isDebugEnabled, setDebugSink } from "../src/index.js";

afterEach(() => {
  enableDebug(undefined);
  setDebugSink(undefined);
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe("debug namespaces", () => {
  it("matches wildcards, lists and exclusions", () => {
    enableDebug("darkrift:*");
    expect(isDebugEnabled("darkrift:server")).toBe(true);
    expect(isDebugEnabled("darkrift:client")).toBe(true);
    expect(isDebugEnabled("sfs2x:server")).toBe(false);
    expect(isDebugEnabled("darkrift")).toBe(false);

    enableDebug("darkrift:server, sfs2x:*");
    expect(isDebugEnabled("darkrift:server")).toBe(true);
    expect(isDebugEnabled("darkrift:client")).toBe(false);
    expect(isDebugEnabled("sfs2x:app")).toBe(true);

    enableDebug("* -darkrift:client");
    expect(isDebugEnabled("darkrift:server")).toBe(true);
    expect(isDebugEnabled("darkrift:client")).toBe(false);

    // Regex characters in a pattern are literal.
    enableDebug("a.b");
    expect(isDebugEnabled("a.b")).toBe(true);
    expect(isDebugEnabled("axb")).toBe(false);

    enableDebug("");
    expect(isDebugEnabled("darkrift:server")).toBe(false);
  });

  it("reads DEBUG from the environment when not set explicitly", () => {
    vi.stubEnv("DEBUG", "darkrift:client");
    enableDebug(undefined); // forget any earlier setting: the environment is read again
    expect(isDebugEnabled("darkrift:client")).toBe(true);
    expect(isDebugEnabled("darkrift:server")).toBe(false);
  });

  it("falls back to localStorage.debug where there is no process.env.DEBUG (browsers)", () => {
    vi.stubEnv("DEBUG", undefined as unknown as string);
    vi.stubGlobal("localStorage", { getItem: (k: string) => (k === "debug" ? "darkrift:server" : null) });
    try {
      enableDebug(undefined);
      expect(isDebugEnabled("darkrift:server")).toBe(true);
      expect(isDebugEnabled("darkrift:client")).toBe(false);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it("prints only enabled namespaces, follows enableDebug after creation, and exposes enabled", () => {
    const lines: unknown[][] = [];
    setDebugSink((...args) => lines.push(args));
    enableDebug("darkrift:server");
    const server = createDebugLogger("darkrift:server");
    const client = createDebugLogger("darkrift:client");
    expect(server.namespace).toBe("darkrift:server");
    expect(server.enabled).toBe(true);
    expect(client.enabled).toBe(false);
    const cause = new Error("boom");
    server("client 1 connected", cause);
    client("not printed");
    expect(lines).toHaveLength(1);
    expect(lines[0]![0]).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z darkrift:server client 1 connected$/);
    expect(lines[0]![1]).toBe(cause);

    enableDebug("darkrift:client");
    server("now off");
    client("now on");
    expect(lines.map((l) => String(l[0]).split(" ").slice(1).join(" "))).toEqual(["darkrift:server client 1 connected", "darkrift:client now on"]);
  });

  it("writes to stderr (console.error) in Node by default", () => {
    const spy = vi.spyOn(console, "error").mockImplementation(() => {});
    enableDebug("x:y");
    createDebugLogger("x:y")("hello");
    expect(spy).toHaveBeenCalledWith(expect.stringMatching(/ x:y hello$/));
  });
});

describe("defaultLogger", () => {
  it("sends debug/info to the namespace and warn/error to console, prefixed", () => {
    const lines: string[] = [];
    setDebugSink((line) => lines.push(line));
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const log = defaultLogger("darkrift:server");
    enableDebug("");
    log.info("quiet");
    log.debug!("quiet too");
    expect(lines).toEqual([]);
    enableDebug("darkrift:*");
    log.info("client 3 connected");
    log.debug!("strike");
    expect(lines.map((l) => l.replace(/^\S+ /, ""))).toEqual(["darkrift:server client 3 connected", "darkrift:server strike"]);
    const reason = new Error("x");
    log.warn("client 3 disconnected: STRIKES", reason);
    expect(warn).toHaveBeenCalledWith("[darkrift:server] client 3 disconnected: STRIKES", reason);
  });
});
