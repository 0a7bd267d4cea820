import { createSocket } from "node:dgram";
import { afterEach, describe, expect, it } from "vitest";
import { ByteStream, DatagramInbox, fixtureLoader, hex, RawClient, RawServer, unhex, write } from "../src/index.js";

const raws: RawServer[] = [];
afterEach(async () => {
  await Promise.all(raws.splice(0).map((r) => r.close()));
});

describe("testkit", () => {
  it("hex and unhex are inverses (whitespace ignored)", () => {
    expect(hex(unhex("00 ff 7a"))).toBe("00ff7a");
  });

  it("loads fixtures relative to the folder given", () => {
    const fixture = fixtureLoader(new URL("../", import.meta.url));
    expect(fixture<{ name: string }>("package.json").name).toBe("@darkrift/testkit");
  });

  it("RawServer + RawClient exchange exact byte counts over TCP and datagrams over UDP", async () => {
    const raw = await RawServer.start();
    raws.push(raw);
    const client = await RawClient.connect(raw.tcpPort, raw.udpPort);
    const accepted = new ByteStream(await raw.accept());
    // Split writes are reassembled into the asked count.
    await client.write(unhex("0102"));
    await client.write(unhex("030405"));
    expect(hex(await accepted.read(4))).toBe("01020304");
    expect(accepted.available).toBe(1);
    await write(accepted.socket, unhex("aa"));
    expect(hex(await client.tcp.read(1))).toBe("aa");
    await client.sendUdp(unhex("beef"));
    const { bytes, rinfo } = await raw.inbox.next();
    expect(hex(bytes)).toBe("beef");
    await raw.sendUdp(unhex("cafe"), rinfo);
    expect(hex((await client.inbox.next()).bytes)).toBe("cafe");
    client.close();
    await accepted.waitEnd();
    await expect(accepted.read(10, 200)).rejects.toThrow(/stream ended with 1\/10 bytes/);
  });

  it("DatagramInbox.next rejects when nothing arrives", async () => {
    const udp = createSocket("udp4");
    const inbox = new DatagramInbox(udp);
    await new Promise<void>((r) => udp.bind(0, "127.0.0.1", r));
    await expect(inbox.next(100)).rejects.toThrow("no datagram");
    udp.close();
  });
});
