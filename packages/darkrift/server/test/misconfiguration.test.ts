// What a user sees when serve() cannot bind, and what the default logger prints under DEBUG=darkrift:server.
import { createSocket } from "node:dgram";
import { createServer } from "node:net";
import { enableDebug, setDebugSink } from "@darkrift/core";
import { connect } from "@darkrift/client";
import { afterEach, describe, expect, it } from "vitest";
import { ListenError, serve, type DarkRiftServer } from "../src/index.js";
import { echoPlugin, until } from "./helpers.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  enableDebug(undefined);
  setDebugSink(undefined);
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function failure(p: Promise<DarkRiftServer>): Promise<ListenError> {
  try {
    const s = await p;
    cleanups.push(() => s.close());
  } catch (e) {
    return e as ListenError;
  }
  throw new Error("serve() should have failed");
}

describe("ports in use", () => {
  it("says the TCP port (with its address) is taken", async () => {
    const squatter = createServer();
    await new Promise<void>((r) => squatter.listen(0, "127.0.0.1", r));
    cleanups.push(() => new Promise((r) => squatter.close(() => r())));
    const port = (squatter.address() as { port: number }).port;
    const e = await failure(serve(echoPlugin, "127.0.0.1", port, 0));
    expect(e).toBeInstanceOf(ListenError);
    expect(e.code).toBe("ADDRESS_IN_USE");
    expect(e.transport).toBe("tcp");
    expect(e.port).toBe(port);
    expect((e.cause as NodeJS.ErrnoException).code).toBe("EADDRINUSE");
    expect(e.message).toBe(
      `the TCP port 127.0.0.1:${port} is already in use (EADDRINUSE): another process (perhaps another DarkRift server) holds it. ` +
        "DarkRift needs a free TCP port and a free UDP port; pass other ports to serve(), or 0 for ephemeral ones",
    );
  });

  it("says the UDP port is taken, and frees the TCP port it had bound", async () => {
    const squatter = createSocket("udp4");
    await new Promise<void>((r) => squatter.bind(0, "127.0.0.1", r));
    cleanups.push(() => new Promise((r) => squatter.close(() => r())));
    const port = squatter.address().port;
    const e = await failure(serve(echoPlugin, "127.0.0.1", 0, port));
    expect(e.code).toBe("ADDRESS_IN_USE");
    expect(e.transport).toBe("udp");
    expect(e.address).toBe("127.0.0.1");
    expect(e.message).toMatch(new RegExp(`^the UDP port 127\\.0\\.0\\.1:${port} is already in use \\(EADDRINUSE\\)`));
    expect(e.message).toContain("give udpPort to choose another");
  });

  it("a host name that does not resolve is a BAD_ADDRESS ListenError", async () => {
    const e = await failure(serve(echoPlugin, "no-such-host.invalid", 0, 0));
    expect(e).toBeInstanceOf(ListenError);
    expect(e.code).toBe("BAD_ADDRESS");
    expect(e.message).toMatch(/^cannot listen on "no-such-host\.invalid": the host name does not resolve/);
  });
});

describe("default logger", () => {
  it("prints handshakes, strikes and disconnect reasons under darkrift:server when enabled", async () => {
    const printed: string[] = [];
    setDebugSink((line) => printed.push(line.replace(/^\S+ /, "")));
    enableDebug("darkrift:server");
    const server = await serve(echoPlugin, "127.0.0.1", 0, 0);
    cleanups.push(() => server.close());
    const client = await connect("127.0.0.1", server.tcpPort, server.udpPort);
    await until(() => server.clients.size === 1);
    await client.close();
    await until(() => printed.some((l) => l.includes("disconnected")));
    const id = client.id;
    expect(printed[0]).toBe(`darkrift:server listening on TCP 127.0.0.1:${server.tcpPort} and UDP 127.0.0.1:${server.udpPort} (protocol v1)`);
    expect(printed.some((l) => /^darkrift:server TCP connection from 127\.0\.0\.1:\d+: sent the v1 hello, waiting for its UDP hello$/.test(l))).toBe(true);
    expect(printed).toContain(`darkrift:server client ${id} connected (tcp 127.0.0.1:${client.localTcpEndPoint.port}, udp 127.0.0.1:${client.localUdpEndPoint.port})`);
    expect(printed.some((l) => l.startsWith(`darkrift:server client ${id} disconnected (`))).toBe(true);
  });

  it("prints nothing when the namespace is off", async () => {
    const printed: string[] = [];
    setDebugSink((line) => printed.push(line));
    enableDebug("darkrift:client");
    const server = await serve(echoPlugin, "127.0.0.1", 0, 0);
    cleanups.push(() => server.close());
    const client = await connect("127.0.0.1", server.tcpPort, server.udpPort);
    await client.close();
    await until(() => server.clients.size === 0);
    expect(printed.filter((l) => l.includes("darkrift:server"))).toEqual([]);
  });
});
