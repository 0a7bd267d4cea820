import type { RemoteInfo, Socket as UdpSocket } from "node:dgram";

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
