/**
 * Choose-number client: sends 20 random int32 per round as a tag-1 message and prints the number the
 * server chose (tag 2). Exits 0 after the rounds, 1 on any error or timeout.
 *
 *   pnpm example:choose-client --host 127.0.0.1 --port 4296 --rounds 3 [--udp-port 4296] [--unreliable]
 */
import { parseArgs } from "node:util";
import { DarkRiftMessage, DarkRiftWriter } from "@darkrift/core";
import { connect, type DarkRiftClient } from "@darkrift/client";
import { CHOOSE_TAG, CHOSEN_TAG } from "./protocol.js";

const { values } = parseArgs({
  options: {
    host: { type: "string", default: "127.0.0.1" },
    port: { type: "string", default: "4296" },
    "udp-port": { type: "string" },
    rounds: { type: "string", default: "3" },
    unreliable: { type: "boolean", default: false },
    "timeout-ms": { type: "string", default: "5000" },
  },
});
const port = Number(values.port);
const udpPort = values["udp-port"] === undefined ? port : Number(values["udp-port"]);
const rounds = Number(values.rounds);
const timeoutMs = Number(values["timeout-ms"]);
const reliable = !values.unreliable;

function withTimeout<T>(p: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no ${what} within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

async function main(): Promise<void> {
  const client: DarkRiftClient = await connect(values.host, port, udpPort);
  console.log(`connected as client ${client.id} (${reliable ? "TCP" : "UDP"})`);
  try {
    for (let round = 1; round <= rounds; round++) {
      const numbers = Array.from({ length: 20 }, () => (Math.random() * 2 ** 32) | 0);
      const writer = new DarkRiftWriter();
      writer.writeInt32s(numbers);
      await client.send(new DarkRiftMessage(CHOOSE_TAG, writer), { reliable });
      let reply = await withTimeout(client.recv(), "answer");
      while (reply.tag !== CHOSEN_TAG) reply = await withTimeout(client.recv(), "answer");
      const chosen = reply.getReader().readInt32();
      if (!numbers.includes(chosen)) throw new Error(`the server chose ${chosen}, which was not offered`);
      console.log(`round ${round}: the server chose ${chosen}`);
    }
  } finally {
    await client.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`choose-client failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
