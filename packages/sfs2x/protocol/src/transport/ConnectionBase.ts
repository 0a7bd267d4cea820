import { createDebugLogger } from "@sfs2x/core";
import type { CodecOptions } from "../CodecOptions.js";
import type { Message } from "../Message.js";
import { PacketCodec } from "../PacketCodec.js";
import { PacketError } from "../PacketError.js";
import type { PreparedMessage } from "../PreparedMessage.js";
import { silentLogger, type CloseInfo, type TransportConnection, type TransportLogger, type TransportOptions, DEFAULT_CLOSE_TIMEOUT_MS } from "../Transport.js";
import { ConnectionClosedError, TransportError, TransportErrorCode } from "../TransportError.js";
import { TypedEmitter } from "../TypedEmitter.js";
import { CloseReason } from "./CloseReason.js";
import { codecOptionsOf, nonNegativeOption, withCipherEngine, withoutCipher } from "./checkOptions.js";
import { SendQueue, SendVerdict } from "./SendQueue.js";

const OPEN = 0;
const CLOSING = 1;
const CLOSED = 2;

/** Bytes held for a first message listener before reading pauses. */
const HOLD_MAX = 1024 * 1024;

const noop = (): void => {};

/** A rejected promise that does not count as unhandled (the failure is reported elsewhere too). */
function rejected(error: Error): Promise<void> {
  const p = Promise.reject(error);
  p.catch(noop);
  return p;
}

const asError = (e: unknown): Error => (e instanceof Error ? e : new Error(String(e)));

type Timer = ReturnType<typeof setTimeout>;

function unref(t: Timer): Timer {
  (t as { unref?: () => void }).unref?.();
  return t;
}

interface Events {
  close: [CloseInfo];
  error: [Error];
  drain: [];
}

/** What a server wants to hear from its connections. */
export interface ConnectionHooks {
  /** The transport dropped the connection because of `error` (bad input, timeout, slow consumer). */
  onDrop?(error: Error): void;
}

/** How a transport sets up {@link ConnectionBase}. */
export interface ConnectionSetup {
  /** `"server"` arms the first-packet timeout. */
  role: "client" | "server";
  /** Whether the `cipher` codec option is allowed (TCP) or refused with `BAD_OPTIONS` (WebSocket). */
  cipher: boolean;
  hooks?: ConnectionHooks;
  /**
   * The debug namespace of the default logger (`"sfs2x:transport-tcp"`): without a `logger`
   * option, the connection logs there when `DEBUG` names it (see `createDebugLogger`), else nowhere.
   */
  debugNamespace?: string;
}

/**
 * The transport-independent half of an SFS2X connection, browser-safe: the
 * {@link TransportConnection} contract on top of a socket that a subclass plugs in. It owns the
 * codec and its options, the flow-control policy ({@link SendQueue}), the listeners, the
 * first-packet, idle and close timers, the messages held for a first listener, and the close
 * info. `@sfs2x/transport-tcp` and `@sfs2x/transport-ws` build on it; for transport
 * implementations.
 *
 * A subclass provides the socket side (the `protected abstract` members), feeds incoming data to
 * {@link received}, and calls {@link socketClosed} once the socket is closed.
 */
export abstract class ConnectionBase implements TransportConnection {
  readonly remoteAddress: string | undefined;
  protected readonly logger: TransportLogger;
  /** Encodes outgoing and decodes incoming packets with the connection's codec options. */
  protected readonly codec: PacketCodec;
  /** The flow-control policy: what happens to a packet the socket cannot take yet. */
  protected readonly queue: SendQueue;
  /** The first error the socket reported (goes into the close info when nothing else explains the close). */
  protected socketError: Error | undefined = undefined;

  private state = OPEN;
  private readonly events: TypedEmitter<Events>;
  // Message listeners in a plain array (copy on write): the hot path calls them directly.
  private messageListeners: ((message: Message) => void)[] = [];
  private readonly allowCipher: boolean;
  private readonly hooks: ConnectionHooks;
  private readonly closeTimeoutMs: number;
  private readonly idleMs: number;

  /** False until the first message listener: incoming data is held for it. */
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
  private info: CloseInfo | undefined = undefined;
  private readonly closedPromise: Promise<void>;
  private resolveClosed!: () => void;

  /** Validates the options (`TypeError`, or `PacketError` `BAD_OPTIONS` for codec options) and arms the timers. */
  protected constructor(remoteAddress: string | undefined, options: TransportOptions, setup: ConnectionSetup) {
    this.remoteAddress = remoteAddress;
    this.hooks = setup.hooks ?? {};
    this.allowCipher = setup.cipher;
    this.logger = options.logger ?? (setup.debugNamespace !== undefined ? createDebugLogger(setup.debugNamespace) : silentLogger);
    this.events = new TypedEmitter<Events>((error, event) => this.listenerFailed(error, event));
    this.codec = new PacketCodec(this.codecPolicy(codecOptionsOf(options)));
    this.queue = new SendQueue(
      { buffered: () => this.sinkBuffered(), write: (packet) => this.sinkWrite(packet), watchDrain: () => this.watchDrain() },
      options,
      () => this.events.emit("drain"),
    );
    this.closeTimeoutMs = nonNegativeOption("closeTimeoutMs", options.closeTimeoutMs, DEFAULT_CLOSE_TIMEOUT_MS);
    this.idleMs = nonNegativeOption("idleTimeoutMs", options.idleTimeoutMs, 0);
    this.closedPromise = new Promise<void>((r) => (this.resolveClosed = r));
    const firstMs = setup.role === "server" ? nonNegativeOption("firstPacketTimeoutMs", options.firstPacketTimeoutMs, 0) : 0;
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
  // What a transport provides

  /** Bytes the socket side holds that have not gone to the network yet. */
  protected abstract sinkBuffered(): number;
  /**
   * Sends one packet the flow-control policy let through; resolves when the socket has taken it
   * (rejects with `ConnectionClosedError` when it no longer can).
   */
  protected abstract writeNow(packet: Uint8Array): Promise<void>;
  /** Hands a packet that waited (policy `"wait"`, or a graceful close) to the socket; false when it can no longer write. */
  protected abstract sinkWrite(packet: Uint8Array): boolean;
  /** Arranges one call of {@link sinkDrained} once the socket's buffer has shrunk. */
  protected abstract watchDrain(): void;
  /** Decodes incoming data (a chunk of the TCP stream, a WebSocket message) and delivers what it holds. */
  protected abstract consume(data: Uint8Array | string): void;
  /** Stops reading from the socket (back-pressure while held data piles up); may be a no-op. */
  protected abstract pauseReading(): void;
  /** Reads from the socket again after {@link pauseReading}. */
  protected abstract resumeReading(): void;
  /** Sends what is buffered and starts closing the socket (FIN, WebSocket close frame). */
  protected abstract closeGracefully(reason: string): void;
  /** Drops the socket at once; must end in {@link socketClosed} soon. */
  protected abstract terminate(): void;
  /** The socket closed with packets accepted but not written: reject what waits on them. Optional. */
  protected discardOutput(): void {}
  /** The codec options changed (already validated): e.g. a stream decoder follows them. Optional. */
  protected codecChanged(_options: CodecOptions): void {}

  // ------------------------------------------------------------------------------------------
  // TransportConnection

  /** True once the connection is closing or closed: `send()` then rejects. */
  get closed(): boolean {
    return this.state !== OPEN;
  }

  /** Bytes accepted by `send()` and not yet sent: the socket side's buffer plus packets waiting (policy `"wait"`). */
  get bufferedAmount(): number {
    return this.sinkBuffered() + this.queue.waitingBytes;
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
    if (this.state !== OPEN) return this.closedSend();
    return this.sendOpen(message);
  }

  /**
   * Sends a {@link PreparedMessage} (encoded once per distinct codec-option set, e.g. once for a
   * whole room): the contract of {@link send}.
   */
  sendPrepared(prepared: PreparedMessage): Promise<void> {
    if (this.state !== OPEN) return this.closedSend();
    let packet: Uint8Array;
    try {
      packet = this.codec.encodePrepared(prepared);
    } catch (e) {
      return this.sendFailed(asError(e));
    }
    return this.sendPacket(packet);
  }

  close(reason?: string): Promise<void> {
    if (this.state === OPEN) this.beginClose(reason ?? CloseReason.CLOSED, undefined, true);
    return this.closedPromise;
  }

  setCodecOptions(partial: CodecOptions): void {
    const next = this.codecPolicy(codecOptionsOf(partial));
    this.codec.setOptions(next); // validates first: throws PacketError BAD_OPTIONS, nothing changed
    this.codecChanged(next);
  }

  onMessage(listener: (message: Message) => void): () => void {
    this.messageListeners = [...this.messageListeners, listener];
    if (!this.reading) {
      this.reading = true;
      const held = this.held;
      this.held = [];
      this.heldBytes = 0;
      for (const data of held) this.received(data);
      this.unpause();
    }
    return () => {
      const i = this.messageListeners.indexOf(listener);
      if (i >= 0) this.messageListeners = this.messageListeners.filter((_, j) => j !== i);
    };
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
  // For transports

  /** True while the connection is open (not closing). */
  protected get isOpen(): boolean {
    return this.state === OPEN;
  }

  /** True once the socket is closed and the close reported ({@link socketClosed} ran). */
  protected get isFinished(): boolean {
    return this.state === CLOSED;
  }

  /** Encodes and sends a message on an open connection; a transport may override it to encode straight into its own buffer. */
  protected sendOpen(message: Message): Promise<void> {
    let packet: Uint8Array;
    try {
      packet = this.codec.encode(message);
    } catch (e) {
      return this.sendFailed(asError(e));
    }
    return this.sendPacket(packet);
  }

  /** Applies the flow-control policy to an encoded packet. */
  protected sendPacket(packet: Uint8Array): Promise<void> {
    const buffered = this.sinkBuffered();
    const verdict = this.queue.admit(packet.length, buffered);
    if (verdict === SendVerdict.SEND) return this.writeNow(packet);
    if (verdict === SendVerdict.WAIT) return this.queue.enqueue(packet);
    return this.refused(verdict, packet.length, buffered);
  }

  /** A packet of `n` bytes the policy refused (`REFUSE`) or that closes the connection (`CLOSE`). */
  protected refused(verdict: SendVerdict, n: number, buffered: number): Promise<void> {
    const error = this.queue.fullError(n, buffered);
    if (verdict === SendVerdict.CLOSE) {
      this.drop(error, CloseReason.SLOW_CONSUMER, false);
      return rejected(error);
    }
    return this.sendFailed(error);
  }

  /** A send that failed before reaching the socket: logged, reported through `onError`, rejected. */
  protected sendFailed(error: Error): Promise<void> {
    this.logger.warn("send failed", { remoteAddress: this.remoteAddress, error });
    this.events.emit("error", error);
    return rejected(error);
  }

  /** The rejection of a send on a closing or closed connection. */
  protected closedSend(): Promise<void> {
    return rejected(new ConnectionClosedError(`the connection is ${this.state === CLOSED ? "closed" : "closing"}: message not sent`));
  }

  /** The socket's buffer shrank: waiting packets go on, `onDrain` fires when it is low enough. */
  protected sinkDrained(): void {
    if (this.state !== CLOSED) this.queue.drained(this.state === OPEN);
  }

  /** Incoming data: held until the first message listener, then {@link consume}d. */
  protected received(data: Uint8Array | string): void {
    if (this.state !== OPEN) return;
    if (this.idleMs > 0) this.lastRx = Date.now();
    if (!this.reading) {
      // No listener yet: hold the data for the first one, and stop reading past HOLD_MAX bytes.
      this.held.push(data);
      this.heldBytes += data.length;
      if (this.heldBytes > HOLD_MAX && !this.heldPaused) {
        this.heldPaused = true;
        this.pauseReading();
      }
      return;
    }
    this.consume(data);
  }

  /** One decoded message for the listeners (the first one stops the first-packet timer). */
  protected deliver(message: Message): void {
    if (!this.gotPacket) {
      this.gotPacket = true;
      if (this.firstTimer !== undefined) clearTimeout(this.firstTimer);
      this.firstTimer = undefined;
    }
    const listeners = this.messageListeners;
    for (let i = 0; i < listeners.length; i++) {
      try {
        listeners[i]!(message);
      } catch (e) {
        this.listenerFailed(e, "message");
      }
    }
  }

  /** A well-framed packet that did not decode: reported and skipped, as the real server does. */
  protected skipped(error: PacketError): void {
    this.logger.warn("skipped a bad packet", { remoteAddress: this.remoteAddress, error });
    this.events.emit("error", error);
  }

  /** The transport drops the connection because of `error`: report it, then close. */
  protected drop(error: Error, reason: string, graceful: boolean): void {
    if (this.state !== OPEN) return;
    this.logger.warn(`closing connection: ${reason}`, { remoteAddress: this.remoteAddress, error });
    this.beginClose(reason, error, graceful);
    this.events.emit("error", error);
    this.hooks.onDrop?.(error);
  }

  /** The socket is closed (by either side, or dropped): settle everything and tell the listeners. */
  protected socketClosed(): void {
    if (this.state === CLOSED) return;
    this.state = CLOSED;
    this.clearTimers();
    if (this.graceTimer !== undefined) clearTimeout(this.graceTimer);
    this.graceTimer = undefined;
    this.queue.rejectAll(new ConnectionClosedError("the connection closed before the message was sent"));
    this.discardOutput();
    this.held = [];
    const info: CloseInfo = { reason: this.closeReason ?? CloseReason.PEER_CLOSED };
    const error = this.closeError ?? this.socketError;
    if (error !== undefined) info.error = error;
    this.info = info;
    this.logger.debug("connection closed", { remoteAddress: this.remoteAddress, reason: info.reason, error });
    this.events.emit("close", info);
    this.events.removeAllListeners();
    this.messageListeners = [];
    this.resolveClosed();
  }

  // ------------------------------------------------------------------------------------------
  // Internals

  private codecPolicy(options: CodecOptions): CodecOptions {
    return this.allowCipher ? withCipherEngine(options) : withoutCipher(options);
  }

  private beginClose(reason: string, error: Error | undefined, graceful: boolean): void {
    this.state = CLOSING;
    this.closeReason = reason;
    this.closeError = error;
    this.clearTimers();
    if (!this.reading) {
      // Nobody will read the held data; read on (discarding) so the peer's close is seen.
      this.reading = true;
      this.held = [];
      this.heldBytes = 0;
      this.unpause();
    }
    if (!graceful) {
      this.terminate();
      return;
    }
    // close() sends what was accepted first.
    this.queue.flushAll();
    this.closeGracefully(reason);
    if (this.state !== CLOSED) this.graceTimer = unref(setTimeout(() => this.terminate(), this.closeTimeoutMs));
  }

  private unpause(): void {
    if (!this.heldPaused) return;
    this.heldPaused = false;
    this.resumeReading();
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

  private listenerFailed(error: unknown, event: string): void {
    const e = asError(error);
    this.logger.error(`a ${event} listener threw`, { remoteAddress: this.remoteAddress, error: e });
    if (event !== "error") this.events.emit("error", e);
  }
}
