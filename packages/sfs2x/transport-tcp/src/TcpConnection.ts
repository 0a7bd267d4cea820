import type { Socket } from "node:net";
import { ByteWriter } from "@sfs2x/core";
import {
  CloseReason,
  ConnectionBase,
  ConnectionClosedError,
  HTTP_HINT_URL,
  PacketDecoder,
  PacketError,
  SendVerdict,
  formatAddress,
  type CodecOptions,
  type ConnectionHooks,
  type Message,
} from "@sfs2x/protocol";
import type { TcpConnectionOptions } from "./TcpOptions.js";

const EMPTY = new Uint8Array(0);
/** One settled promise shared by every send written straight to the socket. */
const RESOLVED: Promise<void> = Promise.resolve();
const noop = (): void => {};

/** Batches up to this size are copied into a fresh (pooled) Buffer; larger ones are handed over. */
const COPY_MAX = 16 * 1024;
/** A batch reaching this size is written at once instead of at the end of the tick. */
const FLUSH_NOW = 64 * 1024;
/** An already encoded packet at least this large, with nothing batched, is written without being copied. */
const DIRECT_MIN = 16 * 1024;
const INITIAL_BATCH = 4 * 1024;

interface Deferred {
  promise: Promise<void>;
  resolve: () => void;
  reject: (error: Error) => void;
}

function deferred(): Deferred {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // The failure is also reported through the close info; a caller that does not await a send
  // must not crash the process with an unhandled rejection.
  promise.catch(noop);
  return { promise, resolve, reject };
}

function rejected(error: Error): Promise<void> {
  const p = Promise.reject(error);
  p.catch(noop);
  return p;
}

const asError = (e: unknown): Error => (e instanceof Error ? e : new Error(String(e)));

// Every connection with a batch to write this tick, flushed by one process.nextTick for all of
// them (a server with many busy connections would otherwise queue one tick callback each).
let toFlush: (() => void)[] = [];
const flushAll = (): void => {
  const list = toFlush;
  toFlush = [];
  for (let i = 0; i < list.length; i++) list[i]!();
};

/** What a server wants to hear from its connections. */
export interface TcpConnectionHooks extends ConnectionHooks {}

/**
 * One SFS2X connection over a TCP (or TLS) socket, client or server side: the
 * {@link TransportConnection} of `@sfs2x/transport-tcp`. Created by {@link connectTcp} and
 * {@link TcpServer}.
 *
 * - Incoming bytes go through a `PacketDecoder` (any chunking). Bytes that arrive before the first
 *   `onMessage` listener are held for it (reading pauses past 1 MiB of them), so nothing is lost.
 * - Outgoing messages sent in the same tick are encoded straight into one batch, written with one
 *   `socket.write` at the end of the tick; `send()` resolves when its batch is handed to the socket.
 * - Flow control: see `HighWaterMarkPolicy`. The lifecycle, timers and policy are the shared
 *   `ConnectionBase` of `@sfs2x/protocol`.
 */
export class TcpConnection extends ConnectionBase {
  /** The underlying socket (a `tls.TLSSocket` over TLS), e.g. for `getPeerCertificate()`. Do not write to it. */
  readonly socket: Socket;

  private readonly decoder: PacketDecoder;
  /** Packets of this tick, encoded in place. */
  private batch = new ByteWriter(INITIAL_BATCH);
  private scheduled = false;
  /** Settles when the batch is handed to the socket. */
  private pending: Deferred | undefined = undefined;
  /** Bytes handed to the socket whose write callback has not fired yet. */
  private inflight = 0;

  /** The end-of-tick flush (a no-op when the batch went out earlier: big batch, close). */
  private readonly flushBound = (): void => {
    if (this.scheduled) this.flush();
  };
  // A plain Uint8Array view of each Buffer: the decoder's accesses stay monomorphic, and
  // BYTE_ARRAY values come out as Uint8Array rather than Buffer.
  private readonly onDataBound = (chunk: Uint8Array): void => this.received(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));

  /**
   * Wraps a connected socket. `role` `"server"` arms the first-packet timeout.
   * Prefer {@link connectTcp} / {@link TcpServer}, which call this.
   */
  constructor(socket: Socket, options: TcpConnectionOptions = {}, role: "client" | "server" = "client", hooks: TcpConnectionHooks = {}) {
    super(formatAddress(socket.remoteAddress, socket.remotePort), options, { role, cipher: true, hooks, debugNamespace: "sfs2x:transport-tcp" });
    this.socket = socket;
    this.decoder = new PacketDecoder(this.codec.options);
    socket.setNoDelay(true);
    socket.on("error", (e: Error) => {
      this.socketError ??= e;
      this.logger.debug("socket error", { remoteAddress: this.remoteAddress, error: e });
    });
    socket.on("close", () => this.socketClosed());
    socket.on("data", this.onDataBound);
    if (socket.destroyed) queueMicrotask(() => this.socketClosed());
  }

  // ------------------------------------------------------------------------------------------
  // Outgoing

  /** Encodes straight into the batch; a packet the policy does not let through is taken back out. */
  protected override sendOpen(message: Message): Promise<void> {
    const w = this.batch;
    const before = w.length;
    const buffered = this.inflight + before;
    let n: number;
    try {
      n = this.codec.encodeTo(w, message);
    } catch (e) {
      return this.sendFailed(asError(e));
    }
    const verdict = this.queue.admit(n, buffered);
    if (verdict === SendVerdict.SEND) return this.batched();
    const packet = w.subarray(before).slice();
    w.truncate(before);
    if (verdict === SendVerdict.WAIT) return this.queue.enqueue(packet);
    return this.refused(verdict, n, buffered);
  }

  protected writeNow(packet: Uint8Array): Promise<void> {
    if (this.batch.length === 0 && packet.length >= DIRECT_MIN) {
      // Encoded packets are never rewritten: hand a big one over without a copy.
      return this.writeSocket(packet) ? RESOLVED : rejected(new ConnectionClosedError("the socket is no longer writable: message not sent"));
    }
    this.batch.writeBytes(packet);
    return this.batched();
  }

  protected sinkWrite(packet: Uint8Array): boolean {
    this.flush(); // what was batched goes first
    return this.writeSocket(packet);
  }

  protected sinkBuffered(): number {
    return this.inflight + this.batch.length;
  }

  protected watchDrain(): void {
    // Nothing to arrange: every write's callback reports (see written()).
  }

  protected override discardOutput(): void {
    const lost = this.batch.length;
    this.batch.reset();
    const pending = this.pending;
    this.pending = undefined;
    pending?.reject(new ConnectionClosedError(`the connection closed before ${lost} buffered bytes were written`));
  }

  /** The batch now holds a new packet: flush it at the end of the tick (or now when it is big). */
  private batched(): Promise<void> {
    const pending = (this.pending ??= deferred());
    if (this.batch.length >= FLUSH_NOW) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      if (toFlush.push(this.flushBound) === 1) process.nextTick(flushAll);
    }
    return pending.promise;
  }

  private flush(): void {
    this.scheduled = false;
    const w = this.batch;
    const n = w.length;
    if (n === 0) return;
    let chunk: Uint8Array;
    if (n <= COPY_MAX) {
      chunk = Buffer.allocUnsafe(n); // small: from Node's pool
      chunk.set(w.subarray(0, n));
      w.reset();
    } else {
      chunk = w.subarray(0, n);
      this.batch = new ByteWriter(INITIAL_BATCH);
    }
    const pending = this.pending;
    this.pending = undefined;
    if (this.writeSocket(chunk)) pending?.resolve();
    else pending?.reject(new ConnectionClosedError(`the socket is no longer writable: ${n} bytes not sent`));
  }

  /** Hands bytes to the socket; false (nothing written) when its writable side has ended. */
  private writeSocket(chunk: Uint8Array): boolean {
    if (!this.socket.writable) return false;
    const n = chunk.length;
    this.inflight += n;
    this.socket.write(chunk, () => this.written(n));
    return true;
  }

  /** A write callback: `n` bytes left the socket's buffer (or the socket died). */
  private written(n: number): void {
    this.inflight -= n;
    this.sinkDrained();
  }

  // ------------------------------------------------------------------------------------------
  // Incoming

  protected consume(data: Uint8Array | string): void {
    let messages: Message[];
    try {
      messages = this.decoder.push(data as Uint8Array);
    } catch (e) {
      this.decodeFailed(e);
      return;
    }
    if (messages.length) this.deliverAll(messages);
  }

  protected override codecChanged(options: CodecOptions): void {
    this.decoder.setOptions(options);
  }

  private deliverAll(messages: Message[]): void {
    for (let i = 0; i < messages.length; i++) {
      if (!this.isOpen) return;
      this.deliver(messages[i]!);
    }
  }

  private decodeFailed(first: unknown): void {
    let e = first;
    for (;;) {
      if (!(e instanceof PacketError)) {
        this.drop(asError(e), CloseReason.BAD_PACKET, false);
        return;
      }
      if (e.messages.length) this.deliverAll(e.messages);
      if (!this.isOpen) return;
      if (e.fatal) {
        // Name the URL to try when the peer turned out to be an HTTP (WebSocket) server.
        if (e.offset === 0 && e.message.includes(HTTP_HINT_URL)) e.message = e.message.replace(HTTP_HINT_URL, `ws://${this.remoteAddress ?? "host:port"}`);
        this.drop(e, CloseReason.BAD_PACKET, false);
        return;
      }
      // The bad packet was consumed and the stream is still in sync (as the real server does
      // with bad zlib data): report it and go on with the bytes after it.
      this.skipped(e);
      if (!this.isOpen) return;
      try {
        const rest = this.decoder.push(EMPTY);
        if (rest.length) this.deliverAll(rest);
        return;
      } catch (next) {
        e = next;
      }
    }
  }

  protected pauseReading(): void {
    this.socket.pause();
  }

  protected resumeReading(): void {
    this.socket.resume();
  }

  // ------------------------------------------------------------------------------------------
  // Closing

  protected closeGracefully(): void {
    this.flush();
    this.socket.end();
  }

  protected terminate(): void {
    this.socket.destroy();
  }
}
