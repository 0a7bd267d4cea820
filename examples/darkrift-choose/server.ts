/**
 * Choose-number server: answers each tag-1 message carrying an int32[] with a tag-2 message carrying
 * one of those numbers, on the channel the request came on (TCP or UDP).
 *
 *   pnpm example:choose-server --port 4296 [--host 0.0.0.0] [--udp-port 4296]
 */
import { parseArgs } from "node:util";
import { DarkRiftMessage, DarkRiftWriter } from "@darkrift/core";
import { serve, type ServerClient } from "@darkrift/server";
import { CHOOSE_TAG, CHOSEN_TAG } from "./protocol.js";

const { values } = parseArgs({
  options: {
    host: { type: "string", default: "0.0.0.0" },
    port: { type: "string", default: "4296" },
    "udp-port": { type: "string" },
  },
});
const port = Number(values.port);
// No --udp-port: UDP on the same port number as TCP (also when --port 0 picks one).
const udpPort = values["udp-port"] === undefined ? undefined : Number(values["udp-port"]);

async function handle(client: ServerClient): Promise<void> {
  for await (const message of client) {
    if (message.tag !== CHOOSE_TAG) continue;
    const candidates = message.getReader().readInt32s();
    if (candidates.length === 0) continue;
    const chosen = candidates[Math.floor(Math.random() * candidates.length)]!;
    const writer = new DarkRiftWriter();
    writer.writeInt32(chosen);
    console.log(`client ${client.id}: chose ${chosen} of ${candidates.length} (${message.reliable ? "TCP" : "UDP"})`);
    await client.send(new DarkRiftMessage(CHOSEN_TAG, writer), { reliable: message.reliable });
  }
}

const server = await serve(handle, values.host, port, udpPort);
console.log(`choose-number server listening on ${server.host}, TCP ${server.tcpPort}, UDP ${server.udpPort}`);

const stop = async (): Promise<void> => {
  await server.close();
  process.exit(0);
};
process.once("SIGINT", () => void stop());
process.once("SIGTERM", () => void stop());
