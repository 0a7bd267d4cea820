import { createSocket, type Socket as UdpSocket } from "node:dgram";
import { connect as tcpConnect } from "node:net";
import { ByteStream } from "./ByteStream.js";
import { DatagramInbox } from "./DatagramInbox.js";
import { hex } from "./hex.js";
import { write } from "./write.js";

/** A scripted raw client: TCP socket + UDP socket bound to the same local IP, no DarkRift code. */
export class RawClient {
  private constructor(
    readonly tcp: ByteStream,
    readonly udp: UdpSocket,
    readonly inbox: DatagramInbox,
    readonly udpPort: number,
  ) {}

  static async connect(tcpPort: number, udpPort: number): Promise<RawClient> {
    const socket = tcpConnect({ host: "127.0.0.1", port: tcpPort, noDelay: true });
    const tcp = new ByteStream(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", resolve);
      socket.once("error", reject);
    });
    const udp = createSocket("udp4");
    const inbox = new DatagramInbox(udp);
    await new Promise<void>((r) => udp.bind(0, "127.0.0.1", r));
    return new RawClient(tcp, udp, inbox, udpPort);
  }

  sendUdp(bytes: Uint8Array): Promise<void> {
    return new Promise((resolve, reject) => this.udp.send(bytes, this.udpPort, "127.0.0.1", (e) => (e ? reject(e) : resolve())));
  }

  write(bytes: Uint8Array): Promise<void> {
    return write(this.tcp.socket, bytes);
  }

  /** Runs the C# client's side of the handshake; returns the token and the assigned ID. */
  async handshake(): Promise<{ hello: Uint8Array; ack: Uint8Array; id: number }> {
    const hello = await this.tcp.read(9);
    await this.sendUdp(hello);
    const { bytes: ack } = await this.inbox.next();
    const configure = await this.tcp.read(9);
    if (hex(configure.subarray(0, 7)) !== "00000005800000") throw new Error(`not a Configure frame: ${hex(configure)}`);
    return { hello, ack, id: (configure[7]! << 8) | configure[8]! };
  }

  close(): void {
    this.tcp.socket.destroy();
    try {
      this.udp.close();
    } catch {
      // already closed
    }
  }
}
