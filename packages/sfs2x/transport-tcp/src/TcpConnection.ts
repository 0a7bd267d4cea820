import type { Socket } from "node:net";
import {
  ConnectionClosedError,
  DEFAULT_HIGH_WATER_MARK,
  PacketDecoder,
  PacketError,
  TransportError,
  TransportErrorCode,
  TypedEmitter,
  encodePacket,
  silentLogger,
  type CloseInfo,
  type CodecOptions,
  type Message,
  type TransportConnection,
  type TransportLogger,
} from "@sfs2x/protocol";
import { CloseReason } from "./CloseReason.js";
import { codecOptionsOf, orDefaults, withCipherEngine } from "./codecOptions.js";
import { DEFAULT_CLOSE_TIMEOUT_MS, type HighWaterMarkPolicy, type TcpConnectionOptions } from "./TcpOptions.js";

const OPEN = 0;
const CLOSING = 1;
const CLOSED = 2;

const EMPTY = new Uint8Array(0);
/** One settled promise shared by every send that went straight to the socket. */
const RESOLVED: Promise<void> = Promise.resolve();
const noop = (): void => {};

/** Batches up to this size are copied into a fresh (pooled) Buffer; larger ones are handed over. */
const COPY_MAX = 16 * 1024;
/** A batch reaching this size is written at once instead of at the end of the tick. */
const FLUSH_NOW = 64 * 1024;
/** A packet at least this large, with nothing batched, is written without being copied. */
const DIRECT_MIN = 16 * 1024;
const INITIAL_BATCH = 4 * 1024;
/** Bytes held for a first message listener before reading pauses. */
const HOLD_MAX = 1024 * 1024;

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

/** A rejected promise that does not count as unhandled (the failure is reported elsewhere too). */
function rejected(error: Error): Promise<void> {
  const p = Promise.reject(error);
  p.catch(noop);
  return p;
}

const asError = (e: unknown): Error => (e instanceof Error ? e : new Error(String(e)));

/** `host:port`, with brackets around an IPv6 host. */
export function formatAddress(host: string | undefined, port: number | undefined): string | undefined {
  if (host === undefined) return undefined;
  const h = host.includes(":") ? `[${host}]` : host;
  return port === undefined ? h : `${h}:${port}`;
}

interface Events {
  message: [Message];
  close: [CloseInfo];
  error: [Error];
  drain: [];
}

/** @internal What a server wants to hear from its connections. */
export interface TcpConnectionHooks {
  /** The transport dropped the connection because of `error` (bad input, timeout, slow consumer). */
  onDrop?(error: Error): void;
}

/**
 * One SFS2X connection over a TCP (or TLS) socket, client or server side: the
 * {@link TransportConnection} of `@sfs2x/transport-tcp`. Created by {@link connectTcp} and
 * {@link TcpServer}.
 *
 * - Incoming bytes go through a `PacketDecoder` (any chunking). Bytes that arrive before the first
 *   `onMessage` listener are held for it (reading pauses past 1 MiB of them), so nothing is lost.
 * - Outgoing packets sent in the same tick are copied into one batch and written with one
 *   `socket.write` at the end of the tick; `send()` resolves when its batch is handed to the socket.
 * - Flow control: see {@link HighWaterMarkPolicy}.
 */
export class TcpConnection implements TransportConnection {
  readonly remoteAddress: string | undefined;
  /** The underlying socket (a `tls.TLSSocket` over TLS), e.g. for `getPeerCertificate()`. Do not write to it. */
  readonly socket: Socket;

  private state = OPEN;
  private readonly events: TypedEmitter<Events>;
  private readonly decoder: PacketDecoder;
  private codec: CodecOptions;
  /** `codec`, or undefined when it sets nothing (the encoder then skips resolving options). */
  private encodeOptions: CodecOptions | undefined;
  private readonly hwm: number;
  private readonly policy: HighWaterMarkPolicy;
  private readonly closeTimeoutMs: number;
  private readonly idleMs: number;
  private readonly logger: TransportLogger;
  private readonly hooks: TcpConnectionHooks;

  // Outgoing batch.
  private buf = new Uint8Array(INITIAL_BATCH);
  private len = 0;
  private scheduled = false;
  private batch: Deferred | undefined = undefined;
  /** Bytes handed to the socket whose write callback has not fired yet. */
  private inflight = 0;
  /** Policy "wait": the batch is held until the socket drains. */
  private waiting = false;
  /** A send was refused or held: fire `drain` once the buffer is back under the mark. */
  private drainWanted = false;

  // Incoming.
  /** False until the first message listener: chunks are held for it. */
  private reading = false;
  private held: Uint8Array[] = [];
  private heldBytes = 0;
  private heldPaused = false;
  private gotPacket = false;
  private lastRx = 0;

  private idleTimer: ReturnType<typeof setTimeout> | undefined = undefined;
  private firstTimer: ReturnType<typeof setTimeout> | undefined = undefined;
  private graceTimer: ReturnType<typeof setTimeout> | undefined = undefined;
  private closeReason: string | undefined = undefined;
  private closeError: Error | undefined = undefined;
  private socketError: Error | undefined = undefined;
  private info: CloseInfo | undefined = undefined;
  private readonly closedPromise: Promise<void>;
  private resolveClosed!: () => void;

  private readonly flushBound = (): void => this.flush();
  // A plain Uint8Array view of each Buffer: the decoder's subarray() calls are cheaper on it, and
  // BYTE_ARRAY values come out as Uint8Array rather than Buffer.
  private readonly onDataBound = (chunk: Uint8Array): void => this.onData(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));

  /**
   * Wraps a connected socket. `role` `"server"` arms the first-packet timeout.
   * Prefer {@link connectTcp} / {@link TcpServer}, which call this.
   */
  constructor(socket: Socket, options: TcpConnectionOptions = {}, role: "client" | "server" = "client", hooks: TcpConnectionHooks = {}) {
    this.socket = socket;
    this.remoteAddress = formatAddress(socket.remoteAddress, socket.remotePort);
    this.hooks = hooks;
    this.logger = options.logger ?? silentLogger;
    this.events = new TypedEmitter<Events>((error, event) => this.listenerFailed(error, event));
    this.codec = withCipherEngine(codecOptionsOf(options));
    this.encodeOptions = orDefaults(this.codec);
    this.decoder = new PacketDecoder(this.codec);
    this.hwm = positive("highWaterMark", options.highWaterMark, DEFAULT_HIGH_WATER_MARK);
    this.policy = options.highWaterMarkPolicy ?? "refuse";
    if (this.policy !== "refuse" && this.policy !== "wait" && this.policy !== "close") {
      throw new TypeError(`highWaterMarkPolicy must be "refuse", "wait" or "close", got ${String(this.policy)}`);
    }
    this.closeTimeoutMs = nonNegative("closeTimeoutMs", options.closeTimeoutMs, DEFAULT_CLOSE_TIMEOUT_MS);
    this.idleMs = nonNegative("idleTimeoutMs", options.idleTimeoutMs, 0);
    this.closedPromise = new Promise<void>((r) => (this.resolveClosed = r));

    socket.setNoDelay(true);
    socket.on("error", (e: Error) => {
      this.socketError ??= e;
      this.logger.debug("socket error", { remoteAddress: this.remoteAddress, error: e });
    });
    socket.on("close", () => this.onSocketClose());
    socket.on("data", this.onDataBound);

    const firstMs = role === "server" ? nonNegative("firstPacketTimeoutMs", options.firstPacketTimeoutMs, 0) : 0;
    if (firstMs > 0) {
      this.firstTimer = setTimeout(() => {
        this.drop(new TransportError(TransportErrorCode.TIMEOUT, `no complete packet within ${firstMs} ms of connecting`), CloseReason.FIRST_PACKET_TIMEOUT, true);
      }, firstMs);
      this.firstTimer.unref?.();
    }
    if (this.idleMs > 0) {
      this.lastRx = Date.now();
      this.idleTimer = setTimeout(() => this.checkIdle(), this.idleMs);
      this.idleTimer.unref?.();
    }
    if (socket.destroyed) queueMicrotask(() => this.onSocketClose());
  }

  /** True once the connection is closing or closed: `send()` then rejects. */
  get closed(): boolean {
    return this.state !== OPEN;
  }

  /** Bytes accepted by `send()` and not yet written to the kernel (batched + in the socket's buffer). */
  get bufferedAmount(): number {
    return this.inflight + this.len;
  }

  /** How the connection closed (undefined while open). */
  get closeInfo(): CloseInfo | undefined {
    return this.info;
  }

  /** Resolves once the connection is closed (never rejects). */
  get whenClosed(): Promise<void> {
    return this.closedPromise;
  }

  send(message: Message): Promise<void> {
    if (this.state !== OPEN) {
      return rejected(new ConnectionClosedError(`the connection is ${this.state === CLOSED ? "closed" : "closing"}: message not sent`));
    }
    let bytes: Uint8Array;
    try {
      bytes = encodePacket(message, this.encodeOptions);
    } catch (e) {
      return this.sendFailed(asError(e));
    }
    const n = bytes.length;
    const buffered = this.inflight + this.len;
    if (buffered > 0 && buffered + n > this.hwm) {
      const full = (): TransportError =>
        new TransportError(
          TransportErrorCode.QUEUE_FULL,
          `send queue full: ${buffered} bytes buffered + ${n} would exceed highWaterMark ${this.hwm}; message not sent`,
        );
      if (this.policy === "close") {
        const error = full();
        this.drop(error, CloseReason.SLOW_CONSUMER, false);
        return rejected(error);
      }
      if (this.policy === "refuse" || (this.len > 0 && this.len + n > this.hwm)) {
        // "wait" refuses too once its waiting room (one more highWaterMark) is full.
        this.drainWanted = true;
        return this.sendFailed(full());
      }
      this.waiting = true;
      this.drainWanted = true;
    }
    if (this.len === 0 && n >= DIRECT_MIN && !this.waiting) {
      // encodePacket's bytes are never rewritten: hand them over without a copy.
      return this.write(bytes) ? RESOLVED : rejected(new ConnectionClosedError("the socket is no longer writable: message not sent"));
    }
    this.append(bytes);
    const b = (this.batch ??= deferred());
    if (this.len >= FLUSH_NOW && !this.waiting) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      process.nextTick(this.flushBound);
    }
    return b.promise;
  }

  close(reason?: string): Promise<void> {
    if (this.state === OPEN) this.beginClose(reason ?? CloseReason.CLOSED, undefined, true);
    return this.closedPromise;
  }

  setCodecOptions(partial: CodecOptions): void {
    const next = withCipherEngine(codecOptionsOf(partial));
    this.decoder.setOptions(next); // validates first: throws PacketError BAD_OPTIONS, nothing changed
    this.codec = { ...this.codec, ...next };
    this.encodeOptions = orDefaults(this.codec);
  }

  onMessage(listener: (message: Message) => void): () => void {
    const off = this.events.on("message", listener);
    if (!this.reading) {
      this.reading = true;
      const held = this.held;
      this.held = [];
      this.heldBytes = 0;
      for (const chunk of held) this.onData(chunk);
      this.unpause();
    }
    return off;
  }

  onClose(listener: (info: CloseInfo) => void): () => void {
    const info = this.info;
    if (info !== undefined) {
      queueMicrotask(() => listener(info));
      return noop;
    }
    return this.events.on("close", listener);
  }

  onError(listener: (error: Error) => void): () => void {
    return this.events.on("error", listener);
  }

  onDrain(listener: () => void): () => void {
    return this.events.on("drain", listener);
  }

  // ------------------------------------------------------------------------------------------
  // Outgoing

  private append(bytes: Uint8Array): void {
    const need = this.len + bytes.length;
    if (need > this.buf.length) {
      let size = this.buf.length * 2;
      while (size < need) size *= 2;
      const grown = new Uint8Array(size);
      grown.set(this.buf.subarray(0, this.len));
      this.buf = grown;
    }
    this.buf.set(bytes, this.len);
    this.len = need;
  }

  private flush(): void {
    this.scheduled = false;
    const n = this.len;
    if (n === 0 || this.state === CLOSED) return;
    if (this.waiting) {
      // Held until enough of what the socket holds has gone out (the write callbacks call back).
      if (this.state === OPEN && this.inflight > 0 && this.inflight + n > this.hwm) return;
      this.waiting = false;
    }
    let chunk: Uint8Array;
    if (n <= COPY_MAX) {
      chunk = Buffer.allocUnsafe(n); // small: from Node's pool
      chunk.set(this.buf.subarray(0, n));
    } else {
      chunk = this.buf.subarray(0, n);
      this.buf = new Uint8Array(INITIAL_BATCH);
    }
    this.len = 0;
    const b = this.batch;
    this.batch = undefined;
    if (this.write(chunk)) b?.resolve();
    else b?.reject(new ConnectionClosedError(`the socket is no longer writable: ${n} bytes not sent`));
  }

  /** Hands bytes to the socket; false (nothing written) when its writable side has ended. */
  private write(chunk: Uint8Array): boolean {
    if (!this.socket.writable) return false;
    const n = chunk.length;
    this.inflight += n;
    this.socket.write(chunk, () => this.written(n));
    return true;
  }

  /** A write callback: `n` bytes left the socket's buffer (or the socket died). */
  private written(n: number): void {
    this.inflight -= n;
    if (this.waiting && this.len > 0) this.flush();
    if (this.drainWanted && !this.waiting && this.inflight + this.len < this.hwm && this.state === OPEN) {
      this.drainWanted = false;
      this.events.emit("drain");
    }
  }

  private sendFailed(error: Error): Promise<void> {
    this.logger.warn("send failed", { remoteAddress: this.remoteAddress, error });
    this.events.emit("error", error);
    return rejected(error);
  }

  // ------------------------------------------------------------------------------------------
  // Incoming

  private onData(chunk: Uint8Array): void {
    if (this.idleMs > 0) this.lastRx = Date.now();
    if (this.state !== OPEN) return;
    if (!this.reading) {
      // No listener yet: hold the bytes for the first one, and stop reading past HOLD_MAX.
      this.held.push(chunk);
      this.heldBytes += chunk.length;
      if (this.heldBytes > HOLD_MAX && !this.heldPaused) {
        this.heldPaused = true;
        this.socket.pause();
      }
      return;
    }
    let messages: Message[];
    try {
      messages = this.decoder.push(chunk);
    } catch (e) {
      this.decodeFailed(e);
      return;
    }
    if (messages.length) this.deliver(messages);
  }

  private deliver(messages: Message[]): void {
    if (!this.gotPacket) {
      this.gotPacket = true;
      if (this.firstTimer !== undefined) clearTimeout(this.firstTimer);
      this.firstTimer = undefined;
    }
    for (let i = 0; i < messages.length; i++) {
      if (this.state !== OPEN) return;
      this.events.emit("message", messages[i]!);
    }
  }

  private decodeFailed(first: unknown): void {
    let e = first;
    for (;;) {
      if (!(e instanceof PacketError)) {
        this.drop(asError(e), CloseReason.BAD_PACKET, false);
        return;
      }
      if (e.messages.length) this.deliver(e.messages);
      if (this.state !== OPEN) return;
      if (e.fatal) {
        this.drop(e, CloseReason.BAD_PACKET, false);
        return;
      }
      // The bad packet was consumed and the stream is still in sync (as the real server does
      // with bad zlib data): report it and go on with the bytes after it.
      this.logger.warn("skipped a bad packet", { remoteAddress: this.remoteAddress, error: e });
      this.events.emit("error", e);
      if (this.state !== OPEN) return;
      try {
        const rest = this.decoder.push(EMPTY);
        if (rest.length) this.deliver(rest);
        return;
      } catch (next) {
        e = next;
      }
    }
  }

  private unpause(): void {
    if (!this.heldPaused) return;
    this.heldPaused = false;
    this.socket.resume();
  }

  private checkIdle(): void {
    this.idleTimer = undefined;
    if (this.state !== OPEN) return;
    const quiet = Date.now() - this.lastRx;
    if (quiet >= this.idleMs) {
      this.drop(new TransportError(TransportErrorCode.TIMEOUT, `nothing received for ${quiet} ms (idleTimeoutMs ${this.idleMs})`), CloseReason.IDLE, true);
      return;
    }
    this.idleTimer = setTimeout(() => this.checkIdle(), this.idleMs - quiet);
    this.idleTimer.unref?.();
  }

  // ------------------------------------------------------------------------------------------
  // Closing

  /** The transport closes the connection because of `error`: report it, then close. */
  private drop(error: Error, reason: string, graceful: boolean): void {
    if (this.state !== OPEN) return;
    this.logger.warn(`closing connection: ${reason}`, { remoteAddress: this.remoteAddress, error });
    this.beginClose(reason, error, graceful);
    this.events.emit("error", error);
    this.hooks.onDrop?.(error);
  }

  private beginClose(reason: string, error: Error | undefined, graceful: boolean): void {
    this.state = CLOSING;
    this.closeReason = reason;
    this.closeError = error;
    this.clearTimers();
    if (!this.reading) {
      // Nobody will read the held bytes; read on (discarding) so the peer's FIN is seen.
      this.reading = true;
      this.held = [];
      this.heldBytes = 0;
      this.unpause();
    }
    if (!graceful) {
      this.socket.destroy();
      return;
    }
    this.waiting = false; // close() flushes everything that was accepted
    this.flush();
    this.socket.end();
    this.graceTimer = setTimeout(() => this.socket.destroy(), this.closeTimeoutMs);
    this.graceTimer.unref?.();
  }

  private clearTimers(): void {
    if (this.idleTimer !== undefined) clearTimeout(this.idleTimer);
    if (this.firstTimer !== undefined) clearTimeout(this.firstTimer);
    this.idleTimer = this.firstTimer = undefined;
  }

  private onSocketClose(): void {
    if (this.state === CLOSED) return;
    this.state = CLOSED;
    this.clearTimers();
    if (this.graceTimer !== undefined) clearTimeout(this.graceTimer);
    this.graceTimer = undefined;
    const lost = this.len;
    this.len = 0;
    if (this.batch !== undefined) {
      const b = this.batch;
      this.batch = undefined;
      b.reject(new ConnectionClosedError(`the connection closed before ${lost} buffered bytes were written`));
    }
    const info: CloseInfo = { reason: this.closeReason ?? CloseReason.PEER_CLOSED };
    const error = this.closeError ?? this.socketError;
    if (error !== undefined) info.error = error;
    this.info = info;
    this.logger.debug("connection closed", { remoteAddress: this.remoteAddress, reason: info.reason, error });
    this.events.emit("close", info);
    this.events.removeAllListeners();
    this.resolveClosed();
  }

  private listenerFailed(error: unknown, event: keyof Events): void {
    const e = asError(error);
    this.logger.error(`a ${String(event)} listener threw`, { remoteAddress: this.remoteAddress, error: e });
    if (event !== "error") this.events.emit("error", e);
  }
}

function positive(name: string, v: number | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== "number" || !(v > 0)) throw new TypeError(`${name} must be a number > 0, got ${String(v)}`);
  return v;
}

function nonNegative(name: string, v: number | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== "number" || !(v >= 0) || !Number.isFinite(v)) throw new TypeError(`${name} must be a finite number >= 0, got ${String(v)}`);
  return v;
}
