import { connect } from "@darkrift/client";
import { DarkRiftMessage, DarkRiftWriter } from "@darkrift/core";
import { serve, type DarkRiftLogger } from "@darkrift/server";
import { within, type Log } from "./log.js";

/** The "choose a number" game: the client offers numbers (tag 1), the server picks one (tag 2). */
export const Tag = { Offer: 1, Choice: 2 } as const;

/** What the DarkRift part of the demo exchanged, for callers that check it (the demo's test). */
export interface DarkRiftTranscript {
  clientId: number;
  /** Numbers picked by the server, per channel. */
  reliableChoice: number;
  unreliableChoice: number | undefined;
  roundTripMs: number;
  disconnectReason: string;
}

const channel = (reliable: boolean): string => (reliable ? "TCP" : "UDP");

/**
 * Starts a DarkRift 2 server on 127.0.0.1 (TCP and UDP on one ephemeral port), connects a client,
 * plays one round of "choose a number" on each channel, measures a ping's round trip, then closes
 * both sides.
 */
export async function runDarkRiftDemo(log: Log): Promise<DarkRiftTranscript> {
  const logger: DarkRiftLogger = {
    info: (m) => log("server", m),
    warn: (m) => log("server", `warning: ${m}`),
    error: (m) => log("server", `error: ${m}`),
  };
  const server = await serve(
    // Called once per client, after its handshake (the server's logger reports connections).
    async (client) => {
      // Async iteration ends when the client disconnects.
      for await (const message of client) {
        if (message.tag !== Tag.Offer) continue;
        const numbers = message.getReader().readInt32s();
        const choice = numbers.reduce((best, n) => (n > best ? n : best), numbers[0] ?? 0);
        log("server", `← tag ${message.tag} over ${channel(message.reliable)}: [${numbers.join(", ")}]; → tag ${Tag.Choice}: ${choice}`);
        const reply = new DarkRiftWriter();
        reply.writeInt32(choice);
        reply.writeString("the largest one");
        // Answer on the channel the offer came on.
        await client.send(new DarkRiftMessage(Tag.Choice, reply), { reliable: message.reliable });
      }
    },
    "127.0.0.1",
    0,
    undefined,
    // The client's pings are acknowledged by the server itself (C# servers leave this to plugins).
    { autoAcknowledgePings: true, logger },
  );
  log("server", `listening on ${server.host}, TCP port ${server.tcpPort}, UDP port ${server.udpPort}`);
  const disconnected = new Promise<string>((resolve) => {
    server.onDisconnect((client, reason) => resolve(`client ${client.id}: ${reason.message}`));
  });

  try {
    const client = await connect(server.host, server.tcpPort, server.udpPort, { tokenTimeoutMs: 2000, ackTimeoutMs: 2000, configureTimeoutMs: 2000 });
    log("client", `connected: id ${client.id}, protocol version ${client.protocolVersion}`);

    const offer = async (numbers: number[], reliable: boolean): Promise<number> => {
      const w = new DarkRiftWriter();
      w.writeInt32s(numbers);
      log("client", `→ tag ${Tag.Offer} over ${channel(reliable)}: [${numbers.join(", ")}]`);
      await client.send(new DarkRiftMessage(Tag.Offer, w), { reliable });
      const answer = await within(2000, `tag ${Tag.Choice} over ${channel(reliable)}`, client.recv());
      const reader = answer.getReader();
      const choice = reader.readInt32();
      log("client", `← tag ${answer.tag} over ${channel(answer.reliable)}: ${choice} ("${reader.readString()}")`);
      return choice;
    };

    const reliableChoice = await offer([4, 8, 15, 16, 23, 42], true);
    let unreliableChoice: number | undefined;
    try {
      unreliableChoice = await offer([-7, 3, 99, 12], false);
    } catch (error) {
      // UDP promises nothing; on loopback a loss is rare, but it is not a failure of the demo.
      log("client", `no UDP answer (UDP is unreliable): ${(error as Error).message}`);
    }

    const roundTripMs = await client.ping({ timeoutMs: 2000 });
    log("client", `ping acknowledged: round trip ${roundTripMs.toFixed(3)} ms`);

    await client.close();
    log("client", "closed");
    const disconnectReason = await within(2000, "server-side disconnect", disconnected);
    return { clientId: client.id, reliableChoice, unreliableChoice, roundTripMs, disconnectReason };
  } finally {
    await server.close();
    log("server", "closed");
  }
}
