// Our client against a hand-written TCP peer: the handshake reply's `ct` and `ms` change what the
// client puts on the wire, as with the official client.
import { SFSObject } from "@sfs2x/core";
import { PacketDecoder, PacketFlag, SysAction, encodePacket, type Message } from "@sfs2x/protocol";
import { createServer, type Server, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { SFSClient } from "../src/index.js";
import { quiet, until } from "./helpers.js";

interface Seen {
  flags: number;
  message: Message;
}

const open: { close(): unknown }[] = [];
afterEach(async () => {
  for (const x of open.splice(0)) await x.close();
});

/** A peer that answers the handshake with `handshake` params and records every packet's header flags. */
async function fakeServer(handshake: SFSObject | undefined): Promise<{ port: number; seen: Seen[] }> {
  const seen: Seen[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    const decoder = new PacketDecoder({ maxMessageSize: 1e7 });
    socket.on("data", (chunk: Buffer) => {
      const bytes = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length);
      const flags = bytes[0]!;
      for (const message of decoder.push(bytes)) {
        seen.push({ flags, message });
        if (message.action === SysAction.Handshake && message.controller === 0) {
          socket.write(encodePacket({ controller: 0, action: 0, params: handshake ?? new SFSObject().putUtfString("tk", "t") }));
        }
      }
    });
    socket.on("error", () => {});
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  open.push({
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  });
  return { port: (server.address() as { port: number }).port, seen };
}

async function connect(port: number): Promise<SFSClient> {
  const c = new SFSClient(`tcp://127.0.0.1:${port}`, { logger: quiet });
  open.push(c);
  await c.connect();
  return c;
}

describe("the handshake's ct and ms", () => {
  it("ct = 0: every later packet is compressed (flag 0x20); the handshake itself was not", async () => {
    const peer = await fakeServer(new SFSObject().putUtfString("tk", "t").putInt("ct", 0).putInt("ms", 100000));
    const c = await connect(peer.port);
    await c.handshake();
    await c.callExtension("x", new SFSObject().putInt("n", 1));
    await until(() => peer.seen.length === 2);
    expect(peer.seen[0]!.flags & PacketFlag.COMPRESSED).toBe(0);
    expect(peer.seen[1]!.flags & PacketFlag.COMPRESSED).toBe(PacketFlag.COMPRESSED);
    expect(peer.seen[1]!.message.params.getUtfString("c")).toBe("x");
  });

  it("no ct: the client never compresses again (as the JS client), even a large packet", async () => {
    const peer = await fakeServer(new SFSObject().putUtfString("tk", "t"));
    const c = await connect(peer.port);
    await c.handshake();
    await c.callExtension("big", new SFSObject().putText("t", "a".repeat(5000)));
    await until(() => peer.seen.length === 2);
    expect(peer.seen[1]!.flags & PacketFlag.COMPRESSED).toBe(0);
  });

  it("ms: a packet over the server's limit is refused on the client (not sent)", async () => {
    const peer = await fakeServer(new SFSObject().putUtfString("tk", "t").putInt("ct", 100000).putInt("ms", 200));
    const c = await connect(peer.port);
    await c.handshake();
    await expect(c.callExtension("big", new SFSObject().putUtfString("t", "a".repeat(500)))).rejects.toMatchObject({ name: "PacketError", code: "TOO_LARGE" });
    await c.callExtension("small", new SFSObject().putInt("n", 1));
    await until(() => peer.seen.length === 2);
    expect(peer.seen.map((s) => s.message.params.getUtfString("c") ?? "handshake")).toEqual(["handshake", "small"]);
  });

  it("sends the handshake as a TCP client does: api, cl, bin", async () => {
    const peer = await fakeServer(undefined);
    const c = await connect(peer.port);
    await c.handshake();
    const p = peer.seen[0]!.message.params;
    expect(p.getUtfString("api")).toBe("1.8.6");
    expect(p.getUtfString("cl")).toBe("TypeScript");
    expect(p.getBool("bin")).toBe(true);
    await c[Symbol.asyncDispose]();
    expect(c.state).toBe("closed");
  });
});
