import { DarkRiftMessage, type DarkRiftWriter } from "@darkrift/core";
import { ConnectionClosedError, type ConnectionClosedCode } from "./ConnectionClosedError.js";
import { decodeDatagram, encodeDatagram } from "./Datagram.js";
import { FrameBatcher } from "./FrameBatcher.js";
import type { FrameDecoder } from "./FrameDecoder.js";
import { FrameError } from "./FrameError.js";
import { MessageQueue } from "./MessageQueue.js";
import type { ReceivedMessage } from "./ReceivedMessage.js";
import { RoundTripTimeHelper, type RoundTripTimeOptions } from "./RoundTripTimeHelper.js";
import { tcpFrameLength } from "./TcpFrame.js";
import { TimeoutError } from "./TimeoutError.js";

/** Options shared by client and server connections. */
export interface ConnectionOptions {
  /**
   * Send-side soft limit in bytes (batched + queued in the socket). Above it, `send()` returns a
   * promise that resolves only when the socket has drained below it again, so a sender that awaits
   * its sends is slowed to the pace of the peer. Default 1 MiB, minimum 64 KiB.
   */
  highWaterMark?: number;
  /**
   * Send-side hard limit in bytes. A reliable send that would pass it closes the connection with
   * `SEND_QUEUE_OVERFLOW` (a gap in a reliable stream is worse than a disconnect) and rejects.
   * Default 16 MiB.
   */
  maxQueuedBytes?: number;
  /**
   * Receive-side limit in messages not yet taken by `recv()` / iteration. At it, TCP reading is
   * paused (the peer's sends back up, TCP flow control does the rest) until the queue is down to
   * half; unreliable messages arriving at it are dropped (counted in `droppedDatagrams`).
   * Default 4096.
   */
  receiveHighWaterMark?: number;
  /** Answer every received ping with its acknowledgement (same tag, payload and channel). Default false, as C#. */
  autoAcknowledgePings?: boolean;
  /** Round-trip time averaging (C# defaults: 10 samples, 10 outstanding pings). */
  roundTripTime?: RoundTripTimeOptions;
}

/** Options of a send. */
export interface SendOptions {
  /** TCP (`SendMode.Reliable`, default) or UDP (`false`: `SendMode.Unreliable`). */
  reliable?: boolean;
}

/** Options of `ping()`. */
export interface PingOptions {
  /** Tag of the ping message. Default 0. */
  tag?: number;
  /** Payload of the ping message. Default empty. */
  payload?: Uint8Array | DarkRiftWriter;
  /** Send the ping over TCP (default) or UDP. */
  reliable?: boolean;
  /** Give up waiting for the acknowledgement after this many ms. Default 10 000. */
  timeoutMs?: number;
}

const RESOLVED: Promise<void> = Promise.resolve();
const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

interface PingWaiter {
  resolve: (rtt: number) => void;
  reject: (error: unknown) => void;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * The transport-independent half of a DarkRift bichannel connection, shared by the Node client and
 * server: reliable sends batched into TCP frames, unreliable sends as datagrams, a receive queue
 * with `recv()` and async iteration, ping round-trip times, flow control and the close state.
 * Subclasses plug in the sockets through the protected hooks and feed received bytes to
 * `handleTcpData` / `handleDatagram`.
 */
export abstract class BichannelConnection implements AsyncIterable<ReceivedMessage> {
  // Fields the constructor assigns are `declare`d (no class-field definition to undefined first), so
  // V8 tracks their types and the per-message paths do not re-check them.
  /** Round-trip times measured from pings this side sent and the acknowledgements it received. */
  declare readonly roundTripTime: RoundTripTimeHelper;

  protected declare readonly batcher: FrameBatcher;
  protected declare readonly decoder: FrameDecoder;
  private readonly queue = new MessageQueue<ReceivedMessage>();
  private declare readonly highWaterMark: number;
  private declare readonly maxQueuedBytes: number;
  private declare readonly receiveHighWaterMark: number;
  private declare readonly autoAcknowledgePings: boolean;
  private paused = false;
  private dropped = 0;
  /** The socket's buffered bytes as of the last write or drain (reading the stream getter per send is costly). */
  private socketBuffered = 0;
  private closeReason: ConnectionClosedError | undefined;
  private declare readonly closedPromise: Promise<ConnectionClosedError>;
  private declare resolveClosed: (reason: ConnectionClosedError) => void;
  private declare readonly transportClosedPromise: Promise<void>;
  private declare resolveTransportClosed: () => void;
  private closeListeners: ((reason: ConnectionClosedError) => void)[] = [];
  private messageListeners: ((message: ReceivedMessage) => void)[] = [];
  private drainWaiters: { resolve: () => void; reject: (e: unknown) => void }[] = [];
  private readonly pingWaiters = new Map<number, PingWaiter>();

  protected constructor(decoder: FrameDecoder, options: ConnectionOptions, schedule?: (fn: () => void) => void) {
    this.decoder = decoder;
    // At least one batch (64 KiB, ≥ Node's socket buffer mark), so 'drain' always follows a wait.
    this.highWaterMark = Math.max(64 * 1024, options.highWaterMark ?? 1024 * 1024);
    this.maxQueuedBytes = Math.max(this.highWaterMark, options.maxQueuedBytes ?? 16 * 1024 * 1024);
    this.receiveHighWaterMark = Math.max(1, options.receiveHighWaterMark ?? 4096);
    this.autoAcknowledgePings = options.autoAcknowledgePings ?? false;
    this.roundTripTime = new RoundTripTimeHelper(options.roundTripTime);
    this.batcher = new FrameBatcher((bytes) => {
      this.writeTcp(bytes);
      this.socketBuffered = this.tcpBufferedBytes();
      if (this.drainWaiters.length > 0) this.handleDrain();
    }, schedule ? { schedule } : {});
    this.closedPromise = new Promise((resolve) => (this.resolveClosed = resolve));
    this.transportClosedPromise = new Promise((resolve) => (this.resolveTransportClosed = resolve));
  }

  // ---- hooks for the transport --------------------------------------------------------------

  /** Writes bytes (whole frames) to the TCP socket. */
  protected abstract writeTcp(bytes: Uint8Array): void;
  /** Sends one datagram to the peer. */
  protected abstract sendUdp(bytes: Uint8Array): void;
  /** Bytes accepted by the TCP socket but not yet written to the kernel. */
  protected abstract tcpBufferedBytes(): number;
  /** Stops reading TCP (receive flow control). */
  protected abstract pauseReading(): void;
  /** Resumes reading TCP. */
  protected abstract resumeReading(): void;
  /**
   * Closes the sockets. `graceful`: send what is queued, then end (FIN); otherwise drop at once.
   * Must eventually call {@link transportClosed}.
   */
  protected abstract closeTransport(graceful: boolean): void;
  /** A command message arrived (client: Configure; server: a violation). */
  protected abstract handleCommand(message: ReceivedMessage): void;
  /** A ping acknowledgement matched no outstanding ping (the server strikes; the client ignores it). */
  protected handleUnknownPingAcknowledgement(_message: ReceivedMessage): void {}
  /** A datagram could not be decoded (the server strikes; the client drops it). */
  protected handleBadDatagram(_error: FrameError): void {}

  // ---- public API -----------------------------------------------------------------------------

  /** Whether the connection is closed (no more sends; queued received messages may remain). */
  get isClosed(): boolean {
    return this.closeReason !== undefined;
  }

  /** Resolves (never rejects) with the reason once the connection is closed. */
  get closed(): Promise<ConnectionClosedError> {
    return this.closedPromise;
  }

  /** The reason of the close, once closed. */
  get closeError(): ConnectionClosedError | undefined {
    return this.closeReason;
  }

  /** Unreliable messages dropped because the receive queue was full. */
  get droppedDatagrams(): number {
    return this.dropped;
  }

  /** Received messages waiting for `recv()` / iteration. */
  get queuedMessages(): number {
    return this.queue.length;
  }

  /** Bytes queued for TCP (batched plus in the socket's buffer). */
  get bufferedAmount(): number {
    return this.batcher.pendingBytes + this.tcpBufferedBytes();
  }

  /** Registers a close listener (called once, with the reason); returns a function that removes it. */
  onClose(listener: (reason: ConnectionClosedError) => void): () => void {
    if (this.closeReason) {
      const reason = this.closeReason;
      queueMicrotask(() => listener(reason));
      return () => {};
    }
    this.closeListeners.push(listener);
    return () => {
      this.closeListeners = this.closeListeners.filter((l) => l !== listener);
    };
  }

  /**
   * Registers a message listener (C#'s `MessageReceived` event); returns a function that removes it.
   * While at least one listener is registered, received messages are handed to the listeners
   * synchronously, in order, and are NOT queued for `recv()` / iteration (messages queued before
   * stay there). Commands never reach listeners. A listener that throws closes the connection with
   * `HANDLER_ERROR` (the error is the `cause`).
   */
  onMessage(listener: (message: ReceivedMessage) => void): () => void {
    this.messageListeners = [...this.messageListeners, listener];
    return () => {
      this.messageListeners = this.messageListeners.filter((l) => l !== listener);
    };
  }

  /**
   * Sends a message: over TCP by default, over UDP with `{ reliable: false }`. Reliable sends made
   * in the same event-loop turn go out in one write. Resolves at once, or once the socket has drained
   * when more than `highWaterMark` bytes are queued. Rejects with {@link ConnectionClosedError} when
   * the connection is closed (or closes because the hard send limit was passed), and with a
   * {@link FrameError} when a message is too large for a datagram.
   */
  send(message: DarkRiftMessage, options?: SendOptions): Promise<void> {
    try {
      this.sendNow(message, options?.reliable ?? true);
    } catch (e) {
      return Promise.reject(e);
    }
    if (this.batcher.pendingBytes + this.socketBuffered > this.highWaterMark) return this.waitForDrain();
    return RESOLVED;
  }

  /**
   * Sends a message synchronously (same as {@link send} but throws instead of rejecting, and ignores
   * the soft limit). Useful in hot loops that watch {@link bufferedAmount} themselves.
   */
  sendNow(message: DarkRiftMessage, reliable = true): void {
    if (this.closeReason) throw this.closedError();
    if (reliable) {
      const size = tcpFrameLength(message);
      if (this.batcher.pendingBytes + this.socketBuffered + size > this.maxQueuedBytes) this.checkQueueRoom(size);
      this.batcher.add(message, size);
    } else {
      this.sendUdp(encodeDatagram(message));
    }
    if (message.isPing) this.recordOutboundPing(message.pingCode);
  }

  /**
   * Sends pre-encoded bytes: one or more whole TCP frames when `reliable`, else one datagram body.
   * Lets a server encode a broadcast once. `message` (optional) is the source message, so pings are
   * recorded for round-trip times.
   */
  sendEncoded(bytes: Uint8Array, reliable: boolean, message?: DarkRiftMessage): void {
    if (this.closeReason) throw this.closedError();
    if (reliable) {
      this.checkQueueRoom(bytes.length);
      this.batcher.addEncoded(bytes);
    } else {
      this.sendUdp(bytes);
    }
    if (message?.isPing) this.recordOutboundPing(message.pingCode);
  }

  /** The next received message; waits for one. Rejects with {@link ConnectionClosedError} once closed and drained. */
  recv(): Promise<ReceivedMessage> {
    const p = this.queue.next();
    if (this.paused) this.maybeResume();
    return p;
  }

  /** Iterates received messages until the connection closes (leaving the loop does not close it). */
  [Symbol.asyncIterator](): AsyncIterator<ReceivedMessage> {
    return {
      next: (): Promise<IteratorResult<ReceivedMessage>> => {
        const item = this.queue.shift();
        if (item !== undefined) {
          if (this.paused) this.maybeResume();
          return Promise.resolve({ value: item, done: false });
        }
        if (this.queue.isClosed) return Promise.resolve(DONE);
        return this.queue.next().then(
          (value) => ({ value, done: false }),
          () => DONE,
        );
      },
      return: (): Promise<IteratorResult<ReceivedMessage>> => Promise.resolve(DONE),
    };
  }

  /**
   * Sends a ping (random code, like C#'s `MakePingMessage`) and resolves with the round-trip time
   * in ms once the peer acknowledges it. The peer must answer (C# peers only do so in app code;
   * ours with `autoAcknowledgePings`). Rejects with {@link TimeoutError} after `timeoutMs` or when
   * more than the ping backlog is outstanding, with {@link ConnectionClosedError} on close.
   */
  ping(options: PingOptions = {}): Promise<number> {
    if (this.closeReason) return Promise.reject(this.closedError());
    let code = Math.floor(Math.random() * 0x10000);
    for (let i = 0; i < 0x10000 && (this.pingWaiters.has(code) || this.roundTripTime.isOutstanding(code)); i++) {
      code = (code + 1) & 0xffff;
    }
    const message = DarkRiftMessage.ping(options.tag ?? 0, options.payload, code);
    const timeoutMs = options.timeoutMs ?? 10_000;
    return new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pingWaiters.delete(code);
        this.roundTripTime.forget(code);
        reject(new TimeoutError("ping", timeoutMs, `no acknowledgement of ping ${code} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pingWaiters.set(code, { resolve, reject, timer });
      try {
        this.sendNow(message, options.reliable ?? true);
      } catch (e) {
        clearTimeout(timer);
        this.pingWaiters.delete(code);
        reject(e);
      }
    });
  }

  /**
   * Closes the connection: what is already queued is still sent, then TCP is shut down (DarkRift has
   * no goodbye message). Resolves once the sockets are closed.
   */
  close(): Promise<void> {
    this.shutdown(new ConnectionClosedError("CLOSED", "the connection was closed locally"), true);
    return this.transportClosedPromise;
  }

  // ---- for subclasses -------------------------------------------------------------------------

  /** Feeds bytes read from TCP. */
  protected handleTcpData(chunk: Uint8Array): void {
    if (this.closeReason) return;
    let messages: ReceivedMessage[];
    try {
      messages = this.decoder.push(chunk);
    } catch (e) {
      this.shutdown(
        new ConnectionClosedError("PROTOCOL_ERROR", `bad TCP data: ${e instanceof Error ? e.message : String(e)}`, { cause: e }),
        false,
      );
      return;
    }
    for (let i = 0; i < messages.length; i++) {
      this.deliver(messages[i]!);
      if (this.closeReason) return;
    }
  }

  /** Feeds one datagram received from the peer's endpoint. */
  protected handleDatagram(bytes: Uint8Array): void {
    if (this.closeReason || bytes.length === 0) return; // empty datagrams are hole punching: ignored
    let message: ReceivedMessage;
    try {
      message = decodeDatagram(bytes);
    } catch (e) {
      if (e instanceof FrameError) this.handleBadDatagram(e);
      return;
    }
    this.deliver(message);
  }

  /** The TCP socket drained (its 'drain' event). */
  protected handleDrain(): void {
    this.socketBuffered = this.tcpBufferedBytes();
    if (this.drainWaiters.length === 0) return;
    if (this.batcher.pendingBytes + this.socketBuffered > this.highWaterMark) return;
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const w of waiters) w.resolve();
  }

  /** The sockets are fully closed (after {@link closeTransport} or on their own). */
  protected transportClosed(): void {
    this.resolveTransportClosed();
  }

  /**
   * Closes the connection with a reason (first reason wins). `graceful` sends queued data first.
   * Subclasses call it for remote closes and errors; `close()` calls it for local ones.
   */
  protected shutdown(reason: ConnectionClosedError, graceful: boolean): void {
    if (this.closeReason) return;
    this.closeReason = reason;
    if (graceful) this.batcher.flush();
    else this.batcher.clear();
    this.queue.close(reason);
    const drains = this.drainWaiters;
    this.drainWaiters = [];
    for (const w of drains) w.reject(this.closedError());
    for (const [, w] of this.pingWaiters) {
      clearTimeout(w.timer);
      w.reject(this.closedError());
    }
    this.pingWaiters.clear();
    try {
      this.closeTransport(graceful);
    } finally {
      const listeners = this.closeListeners;
      this.closeListeners = [];
      for (const l of listeners) {
        try {
          l(reason);
        } catch {
          // A listener's failure must not stop the others or the close.
        }
      }
      this.resolveClosed(reason);
    }
  }

  /** A {@link ConnectionClosedError} for an operation attempted after the close. */
  protected closedError(): ConnectionClosedError {
    const r = this.closeReason;
    const code: ConnectionClosedCode = r?.code ?? "CLOSED";
    return new ConnectionClosedError(code, `the connection is closed (${r?.message ?? "closed"})`, { cause: r });
  }

  private deliver(message: ReceivedMessage): void {
    // Plain user messages (flags 0) skip the command and ping checks.
    if (message.flags !== 0) this.deliverSpecial(message);
    else this.dispatch(message);
  }

  private deliverSpecial(message: ReceivedMessage): void {
    if (message.isCommand) {
      this.handleCommand(message);
      return;
    }
    if (message.isPingAcknowledgement) {
      const rtt = this.roundTripTime.recordInboundPing(message.pingCode);
      if (rtt === undefined) {
        this.handleUnknownPingAcknowledgement(message);
        if (this.closeReason) return;
      } else {
        const waiter = this.pingWaiters.get(message.pingCode);
        if (waiter) {
          this.pingWaiters.delete(message.pingCode);
          clearTimeout(waiter.timer);
          waiter.resolve(rtt);
        }
      }
    } else if (message.isPing && this.autoAcknowledgePings) {
      try {
        this.sendNow(message.makePingAcknowledgement(), message.reliable);
      } catch {
        // The connection is closing; the close reason says why.
      }
    }
    this.dispatch(message);
  }

  /** Hands a message to the listeners, or queues it for recv() / iteration. */
  private dispatch(message: ReceivedMessage): void {
    if (this.closeReason) return;
    const listeners = this.messageListeners;
    if (listeners.length > 0) {
      for (let i = 0; i < listeners.length; i++) {
        try {
          listeners[i]!(message);
        } catch (e) {
          this.shutdown(new ConnectionClosedError("HANDLER_ERROR", `a message listener threw: ${e instanceof Error ? e.message : String(e)}`, { cause: e }), true);
          return;
        }
      }
      return;
    }
    if (message.reliable) {
      this.queue.push(message);
      if (!this.paused && this.queue.length >= this.receiveHighWaterMark) {
        this.paused = true;
        this.pauseReading();
      }
    } else if (this.queue.length < this.receiveHighWaterMark) {
      this.queue.push(message);
    } else {
      this.dropped++;
    }
  }

  private maybeResume(): void {
    if (this.paused && this.queue.length <= this.receiveHighWaterMark >>> 1 && !this.closeReason) {
      this.paused = false;
      this.resumeReading();
    }
  }

  private checkQueueRoom(size: number): void {
    if (this.batcher.pendingBytes + this.socketBuffered + size <= this.maxQueuedBytes) return;
    // The cached socket figure may be stale (high): look again before giving up.
    this.socketBuffered = this.tcpBufferedBytes();
    const queued = this.batcher.pendingBytes + this.socketBuffered;
    if (queued + size > this.maxQueuedBytes) {
      this.shutdown(
        new ConnectionClosedError(
          "SEND_QUEUE_OVERFLOW",
          `${queued} bytes are already queued for a peer that does not read them; the limit is ${this.maxQueuedBytes}`,
        ),
        false,
      );
      throw this.closedError();
    }
  }

  private recordOutboundPing(code: number): void {
    const evicted = this.roundTripTime.recordOutboundPing(code);
    if (evicted === undefined) return;
    const waiter = this.pingWaiters.get(evicted);
    if (waiter) {
      this.pingWaiters.delete(evicted);
      clearTimeout(waiter.timer);
      waiter.reject(new TimeoutError("ping", 0, `ping ${evicted} was forgotten: more than ${this.roundTripTime.backlogSize} pings outstanding`));
    }
  }

  private waitForDrain(): Promise<void> {
    return new Promise((resolve, reject) => this.drainWaiters.push({ resolve, reject }));
  }
}
