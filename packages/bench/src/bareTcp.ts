/**
 * The bare `node:net` peers of the transport suites: the same work as ours minus the library.
 * A `BareConnection` cuts every received frame out of the stream individually (split headers and
 * bodies assembled like a real decoder must) and hands each body to a per-message callback as a
 * view (no copy); `send(body)` frames one message into a batch that goes out in one write per tick
 * (`process.nextTick`), which is our transports' batching policy. Only the frame header differs
 * between protocols: see `Framing`.
 */
import { connect as tcpConnect, createServer, type Server, type Socket } from "node:net";

/** How a protocol frames one message on a stream: a fixed-size header carrying the body length. */
export interface Framing {
  /** Header bytes before every body. */
  readonly headerBytes: number;
  /** Initial capacity of the send batch (it doubles as needed). */
  readonly initialCapacity: number;
  /** Body length from the header at `bytes[at]`; throws on a length no frame can have. */
  readLength(bytes: Uint8Array, at: number): number;
  /** Writes the header of an `n`-byte body at `out[at]`. */
  writeHeader(out: Uint8Array, at: number, n: number): void;
  /**
   * Re-view each received Node `Buffer` as a plain `Uint8Array` before cutting bodies out of it
   * (body views are then plain views, not `Buffer`s). Each suite keeps what it measured before
   * these peers were shared, so ratios stay comparable with earlier runs.
   */
  readonly plainViews: boolean;
}

/** DarkRift TCP: an int32 big-endian body length, then the body. */
export const INT32_FRAMING: Framing = {
  headerBytes: 4,
  initialCapacity: 1024,
  readLength(b, at) {
    const n = (b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!;
    if (n < 0) throw new Error("bad length prefix");
    return n;
  },
  writeHeader(out, at, n) {
    out[at] = n >>> 24;
    out[at + 1] = (n >>> 16) & 0xff;
    out[at + 2] = (n >>> 8) & 0xff;
    out[at + 3] = n & 0xff;
  },
  plainViews: true,
};

/** SFS2X TCP: a header byte (0x80: binary, uncompressed, unencrypted, short size), a uint16 BE size, then the body. */
export const SFS2X_FRAMING: Framing = {
  headerBytes: 3,
  initialCapacity: 4096,
  readLength: (b, at) => (b[at + 1]! << 8) | b[at + 2]!,
  writeHeader(out, at, n) {
    out[at] = 0x80;
    out[at + 1] = n >>> 8;
    out[at + 2] = n & 0xff;
  },
  plainViews: false,
};

/** A hand-written framed message connection over one socket (see the top of the file). */
export class BareConnection {
  private out: Uint8Array;
  private outLen = 0;
  private scheduled = false;
  private readonly header: Uint8Array;
  private headerFill = 0;
  private bodyLength = -1;
  private parts: Uint8Array[] = [];
  private bodyFill = 0;
  private readonly flushBound = (): void => {
    this.scheduled = false;
    const n = this.outLen;
    if (n === 0) return;
    const bytes = Buffer.allocUnsafe(n); // pooled for small batches, like Node's own writers
    bytes.set(this.out.subarray(0, n));
    this.outLen = 0;
    this.socket.write(bytes);
  };

  constructor(
    readonly socket: Socket,
    private readonly framing: Framing,
    private readonly onMessage: (body: Uint8Array, from: BareConnection) => void,
  ) {
    this.out = new Uint8Array(framing.initialCapacity);
    this.header = new Uint8Array(framing.headerBytes);
    socket.on("data", (data: Uint8Array) => this.receive(data));
    socket.on("error", () => {});
  }

  /** Frames one message body into the batch, written at the end of the tick. */
  send(body: Uint8Array): void {
    const n = body.length;
    const h = this.framing.headerBytes;
    if (this.outLen + h + n > this.out.length) {
      let cap = this.out.length * 2;
      while (cap < this.outLen + h + n) cap *= 2;
      const next = new Uint8Array(cap);
      next.set(this.out.subarray(0, this.outLen));
      this.out = next;
    }
    this.framing.writeHeader(this.out, this.outLen, n);
    this.out.set(body, this.outLen + h);
    this.outLen += h + n;
    if (!this.scheduled) {
      this.scheduled = true;
      process.nextTick(this.flushBound);
    }
  }

  private receive(data: Uint8Array): void {
    const framing = this.framing;
    const h = framing.headerBytes;
    const len = data.length;
    const chunk = framing.plainViews ? new Uint8Array(data.buffer, data.byteOffset, len) : data;
    let p = 0;
    while (p < len) {
      if (this.bodyLength < 0) {
        if (this.headerFill === 0 && len - p >= h) {
          this.bodyLength = framing.readLength(chunk, p);
          p += h;
        } else {
          while (this.headerFill < h && p < len) this.header[this.headerFill++] = chunk[p++]!;
          if (this.headerFill < h) break;
          this.bodyLength = framing.readLength(this.header, 0);
          this.headerFill = 0;
        }
      }
      const n = this.bodyLength;
      if (this.bodyFill === 0 && len - p >= n) {
        this.bodyLength = -1;
        this.onMessage(chunk.subarray(p, p + n), this);
        p += n;
        continue;
      }
      const take = Math.min(n - this.bodyFill, len - p);
      this.parts.push(chunk.subarray(p, p + take));
      this.bodyFill += take;
      p += take;
      if (this.bodyFill < n) break;
      const body = new Uint8Array(n);
      let q = 0;
      for (const part of this.parts) {
        body.set(part, q);
        q += part.length;
      }
      this.parts = [];
      this.bodyFill = 0;
      this.bodyLength = -1;
      this.onMessage(body, this);
    }
  }
}

/** A bare server on 127.0.0.1 (any port): one `BareConnection` per socket, messages to `onMessage`. */
export async function startBareTcp(framing: Framing, onMessage: (body: Uint8Array, from: BareConnection) => void): Promise<Server> {
  const server = createServer({ noDelay: true }, (s) => new BareConnection(s, framing, onMessage));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return server;
}

/** Connects a bare client to 127.0.0.1:`port`. */
export async function connectBareTcp(
  port: number,
  framing: Framing,
  onMessage: (body: Uint8Array, from: BareConnection) => void,
): Promise<BareConnection> {
  const socket = tcpConnect({ host: "127.0.0.1", port, noDelay: true });
  await new Promise<void>((r) => socket.once("connect", () => r()));
  return new BareConnection(socket, framing, onMessage);
}

/** The port a listening server was given. */
export const portOf = (server: { address(): unknown }): number => (server.address() as { port: number }).port;
