import {
  ConnectionClosedError,
  DEFAULT_HIGH_WATER_MARK,
  PacketDecoder,
  PacketError,
  PacketErrorCode,
  TransportError,
  TransportErrorCode,
  TypedEmitter,
  decodePacket,
  encodePacket,
  silentLogger,
  type CloseInfo,
  type CodecOptions,
  type Message,
  type TransportConnection,
  type TransportLogger,
} from "@sfs2x/protocol";
import { codecOptionsOf, orDefaults } from "./codecOptions.js";
import { CloseReason, DEFAULT_CLOSE_TIMEOUT_MS, type HighWaterMarkPolicy, type WsConnectionOptions } from "./WsOptions.js";

const OPEN = 0;
const CLOSING = 1;
const CLOSED = 2;

/** One settled promise shared by every send handed straight to the socket. */
const RESOLVED: Promise<void> = Promise.resolve();
const noop = (): void => {};

/** Bytes of messages held for a first listener before reading pauses. */
const HOLD_MAX = 1024 * 1024;

/** Close code for a normal closure; the real server also uses it when it drops garbage. */
export const NORMAL_CLOSURE = 1000;

interface Waiting {
  bytes: Uint8Array;
  resolve: () => void;
  reject: (error: Error) => void;
}

interface Events {
  message: [Message];
  close: [CloseInfo];
  error: [Error];
  drain: [];
}

/** @internal What a server wants to hear from its connections. */
export interface WsConnectionHooks {
  /** The transport dropped the connection because of `error` (bad input, timeout, slow consumer). */
  onDrop?(error: Error): void;
}

type Timer = ReturnType<typeof setTimeout>;

function unref(t: Timer): Timer {
  (t as { unref?: () => void }).unref?.();
  return t;
}

/** A rejected promise that does not count as unhandled (the failure is reported elsewhere too). */
function rejected(error: Error): Promise<void> {
  const p = Promise.reject(error);
  p.catch(noop);
  return p;
}

const asError = (e: unknown): Error => (e instanceof Error ? e : new Error(String(e)));

/** Per-packet decode errors after which the connection goes on (the bad message is skipped). */
const SKIPPABLE: ReadonlySet<string> = new Set([
  PacketErrorCode.BAD_ZLIB,
  PacketErrorCode.DECOMPRESSED_TOO_LARGE,
  PacketErrorCode.DECRYPT_FAILED,
  PacketErrorCode.NO_CIPHER,
  PacketErrorCode.BAD_PAYLOAD,
  PacketErrorCode.BAD_ROOT,
]);

/**
 * The message-oriented half of every WebSocket connection (Node `ws` and browser `WebSocket`):
 * one SFS2X packet per binary message both ways, flow control, timers, closing. Browser-safe.
 * Subclasses plug in the socket.
 */
export abstract class WsConnectionBase implements TransportConnection {
  readonly remoteAddress: string | undefined;

  private state = OPEN;
  private readonly events: TypedEmitter<Events>;
  private codec: CodecOptions;
  /** `codec`, or undefined when it sets nothing (the codec then skips resolving options). */
  private fastCodec: CodecOptions | undefined;
  private readonly hwm: number;
  private readonly policy: HighWaterMarkPolicy;
  private readonly closeTimeoutMs: number;
  private readonly idleMs: number;
  protected readonly logger: TransportLogger;
  private readonly hooks: WsConnectionHooks;

  /** Policy "wait": packets held until the socket drains. */
  private waiting: Waiting[] = [];
  private waitingBytes = 0;
  private drainWanted = false;

  /** False until the first message listener: messages are held for it. */
  private reading = false;
  private held: (Uint8Array | string)[] = [];
  private heldBytes = 0;
  private heldPaused = false;
  private gotPacket = false;
  private lastRx = 0;
  private idleTimer: Timer | undefined = undefined;
  private firstTimer: Timer | undefined = undefined;
  private graceTimer: Timer | undefined = undefined;
  private closeReason: string | undefined = undefined;
  private closeError: Error | undefined = undefined;
  /** The first error the socket reported (goes into the close info when nothing else explains the close). */
  protected socketError: Error | undefined = undefined;
  private info: CloseInfo | undefined = undefined;
  private code: number | undefined = undefined;
  private readonly closedPromise: Promise<void>;
  private resolveClosed!: () => void;

  protected constructor(remoteAddress: string | undefined, options: WsConnectionOptions, role: "client" | "server", hooks: WsConnectionHooks = {}) {
    this.remoteAddress = remoteAddress;
    this.hooks = hooks;
    this.logger = options.logger ?? silentLogger;
    this.events = new TypedEmitter<Events>((error, event) => this.listenerFailed(error, event));
    this.codec = noCipher(codecOptionsOf(options));
    this.fastCodec = orDefaults(this.codec);
    this.hwm = positive("highWaterMark", options.highWaterMark, DEFAULT_HIGH_WATER_MARK);
    this.policy = options.highWaterMarkPolicy ?? "refuse";
    if (this.policy !== "refuse" && this.policy !== "wait" && this.policy !== "close") {
      throw new TypeError(`highWaterMarkPolicy must be "refuse", "wait" or "close", got ${String(this.policy)}`);
    }
    this.closeTimeoutMs = nonNegative("closeTimeoutMs", options.closeTimeoutMs, DEFAULT_CLOSE_TIMEOUT_MS);
    this.idleMs = nonNegative("idleTimeoutMs", options.idleTimeoutMs, 0);
    this.closedPromise = new Promise<void>((r) => (this.resolveClosed = r));
    const firstMs = role === "server" ? nonNegative("firstPacketTimeoutMs", options.firstPacketTimeoutMs, 0) : 0;
    if (firstMs > 0) {
      this.firstTimer = unref(
        setTimeout(() => {
          this.drop(new TransportError(TransportErrorCode.TIMEOUT, `no complete packet within ${firstMs} ms of connecting`), CloseReason.FIRST_PACKET_TIMEOUT, true);
        }, firstMs),
      );
    }
    if (this.idleMs > 0) {
      this.lastRx = Date.now();
      this.idleTimer = unref(setTimeout(() => this.checkIdle(), this.idleMs));
    }
  }

  // ------------------------------------------------------------------------------------------
  // What a subclass provides

  /** Sends one binary message; false when the socket is no longer open (nothing sent). */
  protected abstract rawSend(bytes: Uint8Array): boolean;
  /** Bytes the socket holds that have not gone to the network yet. */
  protected abstract rawBuffered(): number;
  /** Starts the closing handshake. */
  protected abstract rawClose(code: number, reason: string): void;
  /** Drops the socket without a closing handshake; must end in {@link rawClosed} soon. */
  protected abstract rawTerminate(): void;
  /** Arranges one call of {@link drainCheck} when the socket's buffer has shrunk. */
  protected abstract watchDrain(): void;
  /** Stops reading from the socket (back-pressure while held messages pile up); may be a no-op. */
  protected abstract pauseReading(): void;
  /** Reads from the socket again after {@link pauseReading}. */
  protected abstract resumeReading(): void;

  // ------------------------------------------------------------------------------------------
  // TransportConnection

  /** True once the connection is closing or closed: `send()` then rejects. */
  get closed(): boolean {
    return this.state !== OPEN;
  }

  /** Bytes accepted by `send()` and not yet sent: the socket's buffer plus packets waiting (policy "wait"). */
  get bufferedAmount(): number {
    return this.rawBuffered() + this.waitingBytes;
  }

  /** How the connection closed (undefined while open). */
  get closeInfo(): CloseInfo | undefined {
    return this.info;
  }

  /** The WebSocket close code received or sent (e.g. 1000, 1006 when the socket dropped), once closed. */
  get closeCode(): number | undefined {
    return this.code;
  }

  /** Resolves once the connection is closed (never rejects). */
  get whenClosed(): Promise<void> {
    return this.closedPromise;
  }

  send(message: Message): Promise<void> {
    if (this.state !== OPEN) return this.closedSend();
    let bytes: Uint8Array;
    try {
      bytes = encodePacket(message, this.fastCodec);
    } catch (e) {
      return this.sendFailed(asError(e));
    }
    const n = bytes.length;
    const buffered = this.rawBuffered() + this.waitingBytes;
    if (this.waiting.length > 0 || (buffered > 0 && buffered + n > this.hwm)) {
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
      if (this.policy === "refuse" || (this.waitingBytes > 0 && this.waitingBytes + n > this.hwm)) {
        // "wait" refuses too once its waiting room (one more highWaterMark) is full.
        this.drainWanted = true;
        this.watchDrain();
        return this.sendFailed(full());
      }
      this.drainWanted = true;
      const p = new Promise<void>((resolve, reject) => this.waiting.push({ bytes, resolve, reject }));
      p.catch(noop);
      this.waitingBytes += n;
      this.watchDrain();
      return p;
    }
    if (!this.rawSend(bytes)) return this.closedSend();
    return RESOLVED;
  }

  close(reason?: string): Promise<void> {
    if (this.state === OPEN) this.beginClose(reason ?? CloseReason.CLOSED, undefined, true);
    return this.closedPromise;
  }

  setCodecOptions(partial: CodecOptions): void {
    const next = { ...this.codec, ...noCipher(codecOptionsOf(partial)) };
    new PacketDecoder(next); // validates the options (PacketError BAD_OPTIONS) before anything changes
    this.codec = next;
    this.fastCodec = orDefaults(next);
  }

  onMessage(listener: (message: Message) => void): () => void {
    const off = this.events.on("message", listener);
    if (!this.reading) {
      this.reading = true;
      const held = this.held;
      this.held = [];
      this.heldBytes = 0;
      for (const data of held) this.received(data);
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
  // For subclasses

  /** One incoming WebSocket message: bytes (binary frame) or a string (text frame). */
  protected received(data: Uint8Array | string): void {
    if (this.state !== OPEN) return;
    if (this.idleMs > 0) this.lastRx = Date.now();
    if (!this.reading) {
      // No listener yet: hold the message for the first one, and stop reading past HOLD_MAX bytes.
      this.held.push(data);
      this.heldBytes += data.length;
      if (this.heldBytes > HOLD_MAX && !this.heldPaused) {
        this.heldPaused = true;
        this.pauseReading();
      }
      return;
    }
    if (typeof data === "string") {
      this.drop(new PacketError(PacketErrorCode.NOT_BINARY, "a text frame: SFS2X sends binary messages only", 0), CloseReason.BAD_PACKET, true);
      return;
    }
    let message: Message;
    try {
      message = decodePacket(data, this.fastCodec);
    } catch (e) {
      if (e instanceof PacketError && SKIPPABLE.has(e.code)) {
        // One bad packet in a well-framed message: report it and go on, as the real server does.
        this.logger.warn("skipped a bad packet", { remoteAddress: this.remoteAddress, error: e });
        this.events.emit("error", e);
        return;
      }
      this.drop(asError(e), CloseReason.BAD_PACKET, true);
      return;
    }
    if (!this.gotPacket) {
      this.gotPacket = true;
      if (this.firstTimer !== undefined) clearTimeout(this.firstTimer);
      this.firstTimer = undefined;
    }
    this.events.emit("message", message);
  }

  /** The socket's buffer shrank: send what waits, then tell `onDrain` listeners if it is low enough. */
  protected drainCheck(): void {
    if (this.state === CLOSED) return;
    while (this.waiting.length > 0) {
      const head = this.waiting[0]!;
      const buffered = this.rawBuffered();
      if (this.state === OPEN && buffered > 0 && buffered + head.bytes.length > this.hwm) {
        this.watchDrain();
        return;
      }
      this.waiting.shift();
      this.waitingBytes -= head.bytes.length;
      if (this.rawSend(head.bytes)) head.resolve();
      else head.reject(new ConnectionClosedError("the connection closed before the message was sent"));
    }
    if (!this.drainWanted || this.state !== OPEN) return;
    if (this.rawBuffered() < this.hwm) {
      this.drainWanted = false;
      this.events.emit("drain");
    } else this.watchDrain();
  }

  /** The transport drops the connection because of `error`: report it, then close. */
  protected drop(error: Error, reason: string, graceful: boolean): void {
    if (this.state !== OPEN) return;
    this.logger.warn(`closing connection: ${reason}`, { remoteAddress: this.remoteAddress, error });
    this.beginClose(reason, error, graceful);
    this.events.emit("error", error);
    this.hooks.onDrop?.(error);
  }

  /** The socket is closed (close frame exchanged, or dropped). */
  protected rawClosed(code: number | undefined): void {
    if (this.state === CLOSED) return;
    this.state = CLOSED;
    this.code = code;
    this.clearTimers();
    if (this.graceTimer !== undefined) clearTimeout(this.graceTimer);
    this.graceTimer = undefined;
    const waiting = this.waiting;
    this.waiting = [];
    this.waitingBytes = 0;
    for (const w of waiting) w.reject(new ConnectionClosedError("the connection closed before the message was sent"));
    this.held = [];
    const info: CloseInfo = { reason: this.closeReason ?? CloseReason.PEER_CLOSED };
    const error = this.closeError ?? this.socketError;
    if (error !== undefined) info.error = error;
    this.info = info;
    this.logger.debug("connection closed", { remoteAddress: this.remoteAddress, reason: info.reason, code, error });
    this.events.emit("close", info);
    this.events.removeAllListeners();
    this.resolveClosed();
  }

  // ------------------------------------------------------------------------------------------
  // Internals

  private beginClose(reason: string, error: Error | undefined, graceful: boolean): void {
    this.state = CLOSING;
    this.closeReason = reason;
    this.closeError = error;
    this.clearTimers();
    if (!this.reading) {
      // Nobody will read the held messages; read on (discarding) so the closing handshake completes.
      this.reading = true;
      this.held = [];
      this.heldBytes = 0;
      this.unpause();
    }
    if (!graceful) {
      this.rawTerminate();
      return;
    }
    // close() sends what was accepted first.
    const waiting = this.waiting;
    this.waiting = [];
    this.waitingBytes = 0;
    for (const w of waiting) {
      if (this.rawSend(w.bytes)) w.resolve();
      else w.reject(new ConnectionClosedError("the connection closed before the message was sent"));
    }
    this.rawClose(NORMAL_CLOSURE, closeFrameReason(reason));
    this.graceTimer = unref(setTimeout(() => this.rawTerminate(), this.closeTimeoutMs));
  }

  private unpause(): void {
    if (!this.heldPaused) return;
    this.heldPaused = false;
    this.resumeReading();
  }

  private closedSend(): Promise<void> {
    return rejected(new ConnectionClosedError(`the connection is ${this.state === CLOSED ? "closed" : "closing"}: message not sent`));
  }

  private sendFailed(error: Error): Promise<void> {
    this.logger.warn("send failed", { remoteAddress: this.remoteAddress, error });
    this.events.emit("error", error);
    return rejected(error);
  }

  private checkIdle(): void {
    this.idleTimer = undefined;
    if (this.state !== OPEN) return;
    const quiet = Date.now() - this.lastRx;
    if (quiet >= this.idleMs) {
      this.drop(new TransportError(TransportErrorCode.TIMEOUT, `nothing received for ${quiet} ms (idleTimeoutMs ${this.idleMs})`), CloseReason.IDLE, true);
      return;
    }
    this.idleTimer = unref(setTimeout(() => this.checkIdle(), this.idleMs - quiet));
  }

  private clearTimers(): void {
    if (this.idleTimer !== undefined) clearTimeout(this.idleTimer);
    if (this.firstTimer !== undefined) clearTimeout(this.firstTimer);
    this.idleTimer = this.firstTimer = undefined;
  }

  private listenerFailed(error: unknown, event: keyof Events): void {
    const e = asError(error);
    this.logger.error(`a ${String(event)} listener threw`, { remoteAddress: this.remoteAddress, error: e });
    if (event !== "error") this.events.emit("error", e);
  }
}

/**
 * Encryption is TCP-only (spec §2.4): the official JS client ignores the ENCRYPTED flag and could
 * not read such packets; over WebSocket, TLS (`wss://`) is the encryption.
 */
function noCipher(options: CodecOptions): CodecOptions {
  if (options.cipher != null) {
    throw new PacketError(PacketErrorCode.BAD_OPTIONS, "cipher is TCP-only: SFS2X WebSocket clients cannot decrypt packets (use wss:// instead)");
  }
  return options;
}

/** A close-frame reason: at most 123 bytes of UTF-8. */
function closeFrameReason(reason: string): string {
  let r = reason;
  while (new TextEncoder().encode(r).length > 123) r = r.slice(0, -1);
  return r;
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
