// Scripted raw peers for handshake tests: plain node:net + node:dgram, no DarkRift code.
import { createSocket, type RemoteInfo, type Socket as UdpSocket } from "node:dgram";
import { readFileSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";

export const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
export const unhex = (s: string): Uint8Array => new Uint8Array((s.match(/../g) ?? []).map((h) => parseInt(h, 16)));

export function fixture<T = any>(name: string): T {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8")) as T;
}

/** Reads exact byte counts from a socket, whatever the chunking. */
export class ByteStream {
  private buf = new Uint8Array(0);
  private waiters: (() => void)[] = [];
  ended = false;
  readonly chunks: Uint8Array[] = [];

  constructor(readonly socket: Socket) {
    socket.on("data", (c: Uint8Array) => {
      this.chunks.push(c);
      const next = new Uint8Array(this.buf.length + c.length);
      next.set(this.buf);
      next.set(c, this.buf.length);
      this.buf = next;
      this.wake();
    });
    socket.on("end", () => {
      this.ended = true;
      this.wake();
    });
    socket.on("close", () => {
      this.ended = true;
      this.wake();
    });
    socket.on("error", () => {});
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  get available(): number {
    return this.buf.length;
  }

  /** Resolves with exactly n bytes; rejects if the stream ends first or after timeoutMs. */
  async read(n: number, timeoutMs = 3000): Promise<Uint8Array> {
    const deadline = Date.now() + timeoutMs;
    while (this.buf.length < n) {
      if (this.ended) throw new Error(`stream ended with ${this.buf.length}/${n} bytes`);
      if (Date.now() > deadline) throw new Error(`timed out with ${this.buf.length}/${n} bytes`);
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, 50);
      });
    }
    const out = this.buf.slice(0, n);
    this.buf = this.buf.slice(n);
    return out;
  }

  /** Resolves once the peer has closed (EOF). */
  async waitEnd(timeoutMs = 3000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.ended) {
      if (Date.now() > deadline) throw new Error("the peer did not close");
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, 50);
      });
    }
  }
}

/** A UDP socket whose datagrams can be awaited one by one. */
export class DatagramInbox {
  private items: { bytes: Uint8Array; rinfo: RemoteInfo }[] = [];
  private waiters: (() => void)[] = [];

  constructor(readonly socket: UdpSocket) {
    socket.on("message", (bytes, rinfo) => {
      this.items.push({ bytes: new Uint8Array(bytes), rinfo });
      const w = this.waiters;
      this.waiters = [];
      for (const f of w) f();
    });
  }

  get count(): number {
    return this.items.length;
  }

  async next(timeoutMs = 3000): Promise<{ bytes: Uint8Array; rinfo: RemoteInfo }> {
    const deadline = Date.now() + timeoutMs;
    while (this.items.length === 0) {
      if (Date.now() > deadline) throw new Error("no datagram");
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, 50);
      });
    }
    return this.items.shift()!;
  }
}

/** A raw TCP + UDP listener on 127.0.0.1 (ephemeral ports). */
export class RawServer {
  private accepted: Socket[] = [];
  private readonly all = new Set<Socket>();
  private acceptWaiters: ((s: Socket) => void)[] = [];
  readonly inbox: DatagramInbox;

  private constructor(
    readonly tcp: Server,
    readonly udp: UdpSocket,
    readonly onAccept?: (s: Socket) => void,
  ) {
    this.inbox = new DatagramInbox(udp);
    tcp.on("connection", (s) => {
      this.all.add(s);
      s.setNoDelay(true);
      onAccept?.(s);
      const w = this.acceptWaiters.shift();
      if (w) w(s);
      else this.accepted.push(s);
    });
  }

  static async start(onAccept?: (s: Socket) => void): Promise<RawServer> {
    const tcp = createServer();
    await new Promise<void>((r) => tcp.listen(0, "127.0.0.1", r));
    const udp = createSocket("udp4");
    await new Promise<void>((r) => udp.bind(0, "127.0.0.1", r));
    return new RawServer(tcp, udp, onAccept);
  }

  get tcpPort(): number {
    return (this.tcp.address() as { port: number }).port;
  }

  get udpPort(): number {
    return this.udp.address().port;
  }

  accept(): Promise<Socket> {
    const s = this.accepted.shift();
    if (s) return Promise.resolve(s);
    return new Promise((r) => this.acceptWaiters.push(r));
  }

  sendUdp(bytes: Uint8Array, rinfo: { address: string; port: number }): Promise<void> {
    return new Promise((resolve, reject) => this.udp.send(bytes, rinfo.port, rinfo.address, (e) => (e ? reject(e) : resolve())));
  }

  async close(): Promise<void> {
    for (const s of this.all) s.destroy();
    await new Promise<void>((r) => this.udp.close(() => r()));
    await new Promise<void>((r) => this.tcp.close(() => r()));
  }
}

export const write = (s: Socket, bytes: Uint8Array): Promise<void> =>
  new Promise((resolve, reject) => s.write(bytes, (e) => (e ? reject(e) : resolve())));
