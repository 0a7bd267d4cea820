import { describe, expect, it } from "vitest";
import { runDarkRiftDemo, Tag } from "../src/darkrift.js";
import { runSfs2xDemo } from "../src/sfs2x.js";

// The demo is documentation that runs: these tests keep what it prints true.
describe("demo", () => {
  it("SFS2X part: over WS and TCP, a refused login, a login, joining The Lobby, a chat both ways, the ping extension, a logout", async () => {
    const lines: string[] = [];
    const transcripts = await runSfs2xDemo((side, text) => lines.push(`${side} ${text}`));

    expect(transcripts.map((t) => [t.username, new URL(t.url).protocol])).toEqual([
      ["ada", "ws:"],
      ["grace", "tcp:"],
    ]);
    for (const t of transcripts) {
      expect(t.refusedWith).toBe(3); // LoginBadPassword
      expect(t.room).toBe("The Lobby");
      // Each hears both messages, its own included, in the order they were sent.
      expect(t.heard).toEqual(["ada: Hello over WebSocket!", "grace: Hi Ada, TCP here."]);
      expect(t.pong).toBe(42);
      expect(t.zoneAfterLogout).toBe("Demo");
    }
    expect(transcripts[0]!.usersOnJoin).toEqual(["ada"]);
    expect(transcripts[1]!.usersOnJoin).toEqual(["ada", "grace"]);
    expect(transcripts[0]!.userId).not.toBe(transcripts[1]!.userId);

    expect(lines).toContain("ada ← grace entered The Lobby");
    expect(lines).toContain("grace ← [The Lobby] ada: Hello over WebSocket!");
    expect(lines).toContain("ada ← [The Lobby] grace: Hi Ada, TCP here.");
    expect(lines).toContain("ada ← grace left The Lobby");
    expect(lines).toContain("grace ← pong n=42 from the demo server");
    expect(lines.at(-1)).toBe("server closed");
  });

  it("DarkRift part: handshake, one round per channel, ping, clean disconnect", async () => {
    const lines: string[] = [];
    const transcript = await runDarkRiftDemo((side, text) => lines.push(`${side} ${text}`));

    expect(transcript.clientId).toBe(0);
    expect(transcript.reliableChoice).toBe(42);
    // UDP may drop a datagram; when the answer came, it is the right one.
    if (transcript.unreliableChoice !== undefined) expect(transcript.unreliableChoice).toBe(99);
    expect(Number.isFinite(transcript.roundTripMs)).toBe(true);
    expect(transcript.disconnectReason).toMatch(/client 0: .*closed/);

    expect(lines).toContain(`client → tag ${Tag.Offer} over TCP: [4, 8, 15, 16, 23, 42]`);
    expect(lines).toContain(`client ← tag ${Tag.Choice} over TCP: 42 ("the largest one")`);
    expect(lines.at(-1)).toBe("server closed");
  });
});
