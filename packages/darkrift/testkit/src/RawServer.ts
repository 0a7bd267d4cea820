import { createSocket, type Socket as UdpSocket } from "node:dgram";
import { createServer, type Server, type Socket } from "node:net";
import { ByteStream } from "./ByteStream.js";
import { DatagramInbox } from "./DatagramInbox.js";
import { unhex } from "./hex.js";
import { write } from "./write.js";

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

  /**
   * Accepts the next connection and plays a DarkRift server's first move: the raw 9-byte TCP hello
   * (default: version 1, token 0123456789abcdef). Returns the connection's byte stream.
   */
  async acceptWithHello(helloHex = "010123456789abcdef"): Promise<ByteStream> {
    const tcp = new ByteStream(await this.accept());
    await write(tcp.socket, unhex(helloHex));
    return tcp;
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
