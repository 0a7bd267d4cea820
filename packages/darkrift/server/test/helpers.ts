import { DarkRiftMessage } from "@darkrift/core";
import type { DarkRiftLogger, ServerClient } from "../src/index.js";

/** A logger that records lines for assertions. */
export function captureLogger(): { lines: string[]; logger: DarkRiftLogger } {
  const lines: string[] = [];
  return {
    lines,
    logger: {
      debug: (m) => lines.push(`debug ${m}`),
      info: (m) => lines.push(`info ${m}`),
      warn: (m) => lines.push(`warn ${m}`),
      error: (m) => lines.push(`error ${m}`),
    },
  };
}

/** The C# echo plugin of the captures: tag T → T+1, same payload and channel; pings acknowledged. */
export async function echoPlugin(client: ServerClient): Promise<void> {
  for await (const m of client) {
    const reply = m.isPing ? m.makePingAcknowledgement(m.tag + 1) : new DarkRiftMessage(m.tag + 1, m.payload);
    await client.send(reply, { reliable: m.reliable });
  }
}

/** Polls until `cond` holds (for server-side state that changes asynchronously). */
export async function until(cond: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error("condition not reached");
    await new Promise((r) => setTimeout(r, 10));
  }
}
