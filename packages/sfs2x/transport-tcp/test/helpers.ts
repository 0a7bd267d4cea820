import { connect as netConnect, type Socket } from "node:net";
import type { RawPeer, TransportHarness } from "@sfs2x/testkit";
import { TcpServer, connectTcp } from "../src/index.js";

/** A raw TCP client socket, connected. */
export function rawConnect(port: number, host = "127.0.0.1"): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = netConnect({ host, port }, () => resolve(s));
    s.once("error", reject);
  });
}

/** Bytes a raw socket receives, and a promise for its close. */
export function rawReader(s: Socket): { bytes: () => Uint8Array; closed: Promise<void>; waitFor: (n: number) => Promise<Uint8Array> } {
  const chunks: Buffer[] = [];
  let total = 0;
  let wake: (() => void) | undefined;
  s.on("data", (c: Buffer) => {
    chunks.push(c);
    total += c.length;
    wake?.();
  });
  const closedP = new Promise<void>((r) => s.once("close", () => r()));
  s.on("error", () => {});
  const bytes = (): Uint8Array => new Uint8Array(Buffer.concat(chunks));
  return {
    bytes,
    closed: closedP,
    waitFor: async (n) => {
      while (total < n) await new Promise<void>((r) => (wake = r));
      return bytes();
    },
  };
}

/** The TCP transport for the shared suites of `@sfs2x/testkit`. */
export const tcpHarness: TransportHarness = {
  name: "TCP",
  createServer: (options) => new TcpServer(options),
  connect: (port, options) => connectTcp(`tcp://127.0.0.1:${port}`, options),
  rawPeer: async (port): Promise<RawPeer> => {
    const s = await rawConnect(port);
    s.on("error", () => {});
    const closed = new Promise<void>((r) => s.once("close", () => r()));
    return {
      send: (bytes) => void s.write(bytes),
      pause: () => void s.pause(),
      resume: () => void s.resume(),
      onData: (listener) => void s.on("data", (b: Buffer) => listener(new Uint8Array(b.buffer, b.byteOffset, b.byteLength))),
      closed,
      destroy: () => void s.destroy(),
    };
  },
};
