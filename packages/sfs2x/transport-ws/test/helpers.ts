import { WebSocket } from "ws";
import type { RawPeer, TransportHarness } from "@sfs2x/testkit";
import { WsServer, connectWs } from "../src/index.js";

/** The Node WebSocket transport for the shared suites of `@sfs2x/testkit`; the raw peer is a bare `ws` client. */
export const wsHarness: TransportHarness = {
  name: "WebSocket",
  createServer: (options) => new WsServer(options),
  connect: (port, options) => connectWs(`ws://127.0.0.1:${port}`, options),
  rawPeer: async (port): Promise<RawPeer> => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/BlueBox/websocket`);
    ws.on("error", () => {});
    const closed = new Promise<void>((r) => ws.once("close", () => r()));
    await new Promise<void>((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("unexpected-response", (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    });
    return {
      send: (bytes) => ws.send(bytes),
      pause: () => ws.pause(),
      resume: () => ws.resume(),
      onData: (listener) => void ws.on("message", (d: Buffer) => listener(new Uint8Array(d.buffer, d.byteOffset, d.byteLength))),
      closed,
      destroy: () => ws.terminate(),
    };
  },
};
