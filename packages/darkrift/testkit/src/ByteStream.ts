import type { Socket } from "node:net";

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
