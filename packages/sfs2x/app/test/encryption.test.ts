import { PacketDecoder, PacketFlag, SFSErrorCode, SysAction, cipherKeyFromCryptoManager, encodePacket, type Message } from "@sfs2x/protocol";
import { connect, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { HandshakeRequest, HandshakeResponse, LoginRequest, LoginResponse, SFSClient, SFSServer, hashPassword, parseModel, type SFSServerOptions } from "../src/index.js";
import { PingRequest, PongResponse } from "./game-models.js";
import { quiet } from "./helpers.js";

const open: { close(): Promise<unknown> }[] = [];
afterEach(async () => {
  await Promise.allSettled(open.splice(0).map((x) => x.close()));
});

async function startServer(options: SFSServerOptions, urls: string | string[] = "tcp://127.0.0.1:0"): Promise<SFSServer> {
  const server = new SFSServer(urls, { logger: quiet, ...options });
  open.push(server);
  server.onLogin((req, ctx) => {
    if (!ctx.session.checkPassword("pw", req.password)) throw new Error("bad password");
  });
  server.onExtension(PingRequest, (req) => Object.assign(new PongResponse(), { n: req.n + 1 }));
  await server.listen();
  return server;
}

/** A raw TCP peer: sends packets, collects decoded messages and the header bytes it saw. */
class RawPeer {
  readonly messages: { message: Message; flags: number }[] = [];
  private readonly decoder = new PacketDecoder({ maxMessageSize: 1e6 });
  private waiters: (() => void)[] = [];
  constructor(readonly socket: Socket) {
    socket.on("data", (chunk: Buffer) => {
      // Record each packet's header flags before decoding (the decoder consumes whole packets).
      let at = 0;
      const bytes = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length);
      while (at < bytes.length) {
        const flags = bytes[at]!;
        const big = (flags & PacketFlag.BIG_SIZE) !== 0;
        const size = big ? new DataView(bytes.buffer, bytes.byteOffset + at + 1, 4).getInt32(0) : (bytes[at + 1]! << 8) | bytes[at + 2]!;
        const header = big ? 5 : 3;
        for (const message of this.decoder.push(bytes.subarray(at, at + header + size))) this.messages.push({ message, flags });
        at += header + size;
      }
      for (const w of this.waiters.splice(0)) w();
    });
  }
  static open(port: number): Promise<RawPeer> {
    return new Promise((resolve, reject) => {
      const s = connect(port, "127.0.0.1", () => resolve(new RawPeer(s)));
      s.once("error", reject);
    });
  }
  setCipher(key: { key: Uint8Array; iv: Uint8Array }): void {
    this.decoder.setOptions({ cipher: key });
  }
  send(message: Message, cipher?: { key: Uint8Array; iv: Uint8Array }): void {
    this.socket.write(encodePacket(message, { cipher }));
  }
  async next(): Promise<{ message: Message; flags: number }> {
    while (this.messages.length === 0) await new Promise<void>((r) => this.waiters.push(r));
    return this.messages.shift()!;
  }
  close(): Promise<void> {
    this.socket.destroy();
    return Promise.resolve();
  }
}

async function postKey(url: string, token: string): Promise<Response> {
  return fetch(url, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: `SessToken=${token}` });
}

describe("TCP encryption through the CryptoManager exchange", () => {
  it("our client fetches the key after the handshake and both sides encrypt from the login on", async () => {
    const server = await startServer({ encryption: {} });
    expect(server.cryptoManagerUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/BlueBox\/CryptoManager$/);
    const c = new SFSClient(server.addresses[0]!.url, { logger: quiet, encryption: { keyUrl: server.cryptoManagerUrl! } });
    open.push(c);
    await c.connect();
    await c.login({ zone: "Z", username: "ada", password: "pw" });
    expect(c.encrypted).toBe(true);
    expect(server.sessionByName("Z", "ada")!.encrypted).toBe(true);
    expect((await c.request(Object.assign(new PingRequest(), { n: 9 }), PongResponse)).n).toBe(10);
    expect(await c.ping()).toBeGreaterThanOrEqual(0);
  });

  it("puts AES-128-CBC packets (flag 0x40) on the wire after the key is served", async () => {
    const server = await startServer({ encryption: {} });
    const peer = await RawPeer.open(server.addresses[0]!.port);
    open.push(peer);
    peer.send({ controller: 0, action: SysAction.Handshake, params: Object.assign(new HandshakeRequest(), { binary: true }).toSFSObject() });
    const hs = await peer.next();
    expect(hs.flags & PacketFlag.ENCRYPTED).toBe(0);
    const token = parseModel(HandshakeResponse, hs.message.params).token;
    const res = await postKey(server.cryptoManagerUrl!, token);
    expect(res.status).toBe(200);
    const material = Uint8Array.from(atob(await res.text()), (ch) => ch.charCodeAt(0));
    expect(material.length).toBe(32);
    const key = cipherKeyFromCryptoManager(material);
    peer.setCipher(key);
    const login = Object.assign(new LoginRequest(), { zone: "Z", username: "raw", password: hashPassword(token, "pw") });
    peer.send({ controller: 0, action: SysAction.Login, params: login.toSFSObject() }, key);
    const reply = await peer.next();
    expect(reply.flags & PacketFlag.ENCRYPTED).toBe(PacketFlag.ENCRYPTED);
    expect(parseModel(LoginResponse, reply.message.params).username).toBe("raw");
    // A second key for the same session is refused.
    expect((await postKey(server.cryptoManagerUrl!, token)).status).toBe(409);
  });

  it("refuses unknown tokens, other methods and paths", async () => {
    const server = await startServer({ encryption: {} });
    expect((await postKey(server.cryptoManagerUrl!, "0".repeat(32))).status).toBe(400);
    expect((await fetch(server.cryptoManagerUrl!)).status).toBe(405);
    expect((await fetch(server.cryptoManagerUrl!.replace("CryptoManager", "Other"), { method: "POST" })).status).toBe(404);
    expect((await fetch(server.cryptoManagerUrl!, { method: "POST", body: "x".repeat(10_000) })).status).toBe(413);
  });

  it("with `required`, refuses a TCP login that did not switch encryption on", async () => {
    const server = await startServer({ encryption: { required: true } });
    const c = new SFSClient(server.addresses[0]!.url, { logger: quiet });
    open.push(c);
    await c.connect();
    await expect(c.login({ zone: "Z", username: "ada", password: "pw" })).rejects.toMatchObject({ code: SFSErrorCode.GenericError });
  });

  it("works with a fixed key configured on both sides", async () => {
    const key = { key: new Uint8Array(16).fill(7), iv: new Uint8Array(16).fill(9) };
    const server = await startServer({ encryption: { key } });
    expect(server.cryptoManagerUrl).toBeUndefined();
    const c = new SFSClient(server.addresses[0]!.url, { logger: quiet, encryption: { key } });
    open.push(c);
    await c.connect();
    await c.login({ zone: "Z", username: "ada", password: "pw" });
    expect(c.encrypted).toBe(true);
    expect((await c.request(Object.assign(new PingRequest(), { n: 1 }), PongResponse)).n).toBe(2);
  });

  it("never encrypts WebSocket sessions: the client refuses, and the CryptoManager refuses their tokens", async () => {
    const server = await startServer({ encryption: {} }, ["tcp://127.0.0.1:0", "ws://127.0.0.1:0"]);
    const ws = new SFSClient(server.addresses[1]!.url, { logger: quiet, encryption: { keyUrl: server.cryptoManagerUrl! } });
    open.push(ws);
    await ws.connect();
    await expect(ws.handshake()).rejects.toMatchObject({ code: "ENCRYPTION_FAILED" });
    const plain = new SFSClient(server.addresses[1]!.url, { logger: quiet });
    open.push(plain);
    await plain.connect();
    const hs = await plain.handshake();
    const res = await postKey(server.cryptoManagerUrl!, hs.token);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("TCP");
    // Both listeners of the same server keep working, the TCP one encrypted.
    const tcp = new SFSClient(server.addresses[0]!.url, { logger: quiet, encryption: { keyUrl: server.cryptoManagerUrl! } });
    open.push(tcp);
    await tcp.connect();
    await tcp.login({ zone: "Z", username: "t", password: "pw" });
    expect(tcp.encrypted).toBe(true);
    await plain.login({ zone: "Z", username: "w", password: "pw" });
    expect((await plain.request(Object.assign(new PingRequest(), { n: 3 }), PongResponse)).n).toBe(4);
  });

  it("fails clearly when the key cannot be fetched", async () => {
    const server = await startServer({});
    const c = new SFSClient(server.addresses[0]!.url, { logger: quiet, encryption: { keyUrl: "http://127.0.0.1:1/BlueBox/CryptoManager" } });
    open.push(c);
    await c.connect();
    await expect(c.handshake()).rejects.toMatchObject({ name: "SFSClientError", code: "ENCRYPTION_FAILED" });
    expect(c.state).toBe("closed");
  });
});
