import { SFSObject } from "@sfs2x/core";
import {
  ClientDisconnectionReason,
  ConnectionClosedError,
  ControllerId,
  SysAction,
  checkCipherKey,
  cipherKeyFromCryptoManager,
  parseErrorReply,
  selectTransport,
  type CipherKey,
  type CloseInfo,
  type Message,
  type TransportClientFactory,
  type TransportConnection,
  type TransportOptions,
} from "@sfs2x/protocol";
import { extensionMessage, readExtension, readExtensionInto, type ExtensionParts } from "../dispatch/extension.js";
import { HandlerTable, parseForRoute, systemKey, type DeclaredHooks, type Route } from "../dispatch/HandlerTable.js";
import { isMessage, toMessage, type SendOptions } from "../dispatch/target.js";
import { checkBody, failSend, toParams, type Body } from "../dispatch/toParams.js";
import { RoomClient } from "../client-state/RoomClient.js";
import { SFSClientError, SFSClientErrorCode } from "../errors/SFSClientError.js";
import { SFSError } from "../errors/SFSError.js";
import { TimeoutError } from "../errors/TimeoutError.js";
import { commandOf } from "../model/binding.js";
import type { ModelClass } from "../model/metadata.js";
import { ModelError } from "../model/ModelError.js";
import { parseModel, type ModelOf, type ModelSpec } from "../model/SFSModel.js";
import { disconnectionReasonName } from "../system/ClientDisconnection.js";
import { describeError } from "../util/describeError.js";
import { CLIENT_API_VERSION, HandshakeRequest, HandshakeResponse } from "../system/Handshake.js";
import { LoginRequest, LoginResponse } from "../system/Login.js";
import { LogoutRequest, LogoutResponse } from "../system/Logout.js";
import { PingPongRequest, PingPongResponse } from "../system/PingPong.js";
import { SFSErrorResponse } from "../system/SFSErrorResponse.js";
import { hashPassword } from "../util/hashPassword.js";
import { consoleLogger, type Logger } from "../util/logger.js";

/** How the client opens its connection: factories picked by URL scheme, or a connect function. */
export type ClientTransport =
  | TransportClientFactory
  | readonly TransportClientFactory[]
  | ((url: string, options: TransportOptions) => Promise<TransportConnection>);

/** TCP encryption through the CryptoManager exchange (spec §2.4), or with a fixed key. */
export interface ClientEncryptionOptions {
  /**
   * Where to POST `SessToken=<token>` for the key. Default
   * `https://<host>:8443/BlueBox/CryptoManager` (the official clients' default HTTPS port).
   */
  keyUrl?: string;
  /** A fixed key instead of the exchange (the server must use the same one). */
  key?: CipherKey;
  /** The `fetch` to use (default the global one). */
  fetch?: typeof globalThis.fetch;
}

/** Options of {@link SFSClient}. */
export interface SFSClientOptions {
  /** How to connect (default: the entry's transports: TCP + WS in Node, WebSocket in browsers). */
  transport?: ClientTransport;
  /** Transport options (limits, timeouts, TLS...). */
  transportOptions?: TransportOptions;
  /** Zone used by `login()` when the call names none. */
  zone?: string;
  /** Handshake `cl` (default "TypeScript"). */
  clientType?: string;
  /** Handshake `api` (default "1.8.6", the official JS client's). */
  apiVersion?: string;
  /** Default reply timeout of `request()` and the built-in requests, ms (default 10000). */
  requestTimeoutMs?: number;
  /**
   * Apply the handshake's `ct` (compress above it; missing: never compress, like the JS client)
   * and `ms` (refuse larger packets; note the transport applies it to incoming packets as well).
   * Default true.
   */
  useServerLimits?: boolean;
  /** TCP only: switch AES on after the handshake (`true`: fetch the key from the default URL). */
  encryption?: boolean | ClientEncryptionOptions;
  /** Ping every `intervalMs` (default 4000) once logged in, keeping the mean of the last `samples` (default 10). */
  lagMonitor?: boolean | LagMonitorOptions;
  /** Where to log what no `onError` listener takes (default: warnings and errors to the console). */
  logger?: Logger;
}

/** Options of the lag monitor. */
export interface LagMonitorOptions {
  /** Ping period in ms (default 4000; a real server answers at most about one ping per second). */
  intervalMs?: number;
  /** Round trips averaged (default 10). */
  samples?: number;
}

/** `login()` arguments. */
export interface LoginOptions {
  /** Zone (default: the client's `zone` option). */
  zone?: string;
  /** User name ("" for a guest name assigned by the server). */
  username?: string;
  /** Plain password: sent as MD5(token + password), "" when empty. */
  password?: string;
  /** Custom login data `p` for the server's login handler. */
  params?: SFSObject | Body;
}

/** `request()` options. */
export interface RequestOptions extends SendOptions {
  /** Reply timeout in ms (default: the client's `requestTimeoutMs`). */
  timeoutMs?: number;
  /** Extension replies: the command the reply carries (default: the response model's bound command, else the request's). */
  replyCommand?: string;
  /** System replies: the action of the reply (default: the request's). */
  replyAction?: number;
}

/** Where the client stands. */
export type ClientState = "disconnected" | "connecting" | "connected" | "handshaken" | "logged-in" | "closed";

/** Why the client's connection closed. */
export interface ClientCloseInfo extends CloseInfo {
  /** The server's ClientDisconnection (1005) reason, when one came first: "idle", "kick", "ban", "manual", "unknown". */
  disconnectionReason?: string;
}

/** What a client-side handler receives besides the parsed model. */
export interface ClientContext {
  /** The params the model was parsed from: an extension's `p`, else the message's `p`. */
  params: SFSObject;
  /** The raw message. */
  message: Message;
  /** The client. */
  client: SFSClientBase;
  /** Extension messages: the command. */
  command?: string;
  /** Extension messages: the room id `r` (-1 when absent). */
  roomId?: number;
}

/** A client-side handler (its result is ignored; exceptions and rejections go to `onError`). */
export type ClientHandler<M> = (model: M, ctx: ClientContext) => unknown;

/** Lag monitor readings. */
export interface LagReading {
  /** Last round trip (ms). */
  lastRtt: number;
  /** Mean of the last samples (ms). */
  averageRtt: number;
}

interface Waiter {
  spec: ModelSpec | undefined;
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  /** Sweep clock (ms) after which the request times out (Infinity: never). */
  deadline: number;
  timeoutMs: number;
  action: number;
  command: string | undefined;
}

const DEFAULT_KEY_PORT = 8443;
const NO_OPTIONS: RequestOptions = Object.freeze({});

/**
 * An SFS2X client over `tcp://`, `ws://` or `wss://` (same API): handshake, login, logout,
 * extension calls, correlated requests, handlers for what the server pushes, lag monitor, and
 * TCP encryption through the CryptoManager exchange.
 *
 * ```ts
 * const client = new SFSClient("ws://127.0.0.1:8080", { zone: "BasicExamples" });
 * await client.connect();
 * await client.login({ username: "ada", password: "secret" });
 * const pong = await client.request(new PingRequest(), PongResponse);
 * await client.close();
 * ```
 *
 * Correlation follows the protocol, which has no request ids: a system reply matches the oldest
 * pending request of the same controller/action, an extension reply the oldest pending request
 * expecting its command (FIFO per key). Handlers see every message, replies included.
 */
export class SFSClientBase implements AsyncDisposable {
  /** The server URL. */
  readonly url: string;
  /** Where the client stands. */
  state: ClientState = "disconnected";
  /** The session token from the handshake. */
  token: string | undefined = undefined;
  /** The logged-in user's id. */
  userId: number | undefined = undefined;
  /** The logged-in user's name (as the server gave it). */
  username: string | undefined = undefined;
  /** The zone logged into. */
  zone: string | undefined = undefined;
  /** The handshake reply. */
  handshakeResponse: HandshakeResponse | undefined = undefined;
  /** True once packets are AES-encrypted. */
  encrypted = false;
  /** Resolves once the connection has closed (never rejects). */
  readonly closed: Promise<ClientCloseInfo>;
  /**
   * Zones and rooms: the room list, joined rooms, users and variables as the server reports them
   * (kept up to date from every message, before the client's handlers run), their events, and
   * the room requests (`joinRoom`, `sendPublicMessage`, ...). Its timeout is `requestTimeoutMs`.
   */
  readonly rooms: RoomClient;

  protected readonly options: SFSClientOptions;
  private connection: TransportConnection | undefined;
  private readonly table = new HandlerTable<ClientContext>(false);
  /** Waiters by reply command (extensions) or `systemKey` (system), oldest first. */
  private readonly pending = new Map<string | number, Waiter[]>();
  private readonly errorListeners: ((error: Error) => unknown)[] = [];
  private readonly disconnectListeners: ((info: ClientCloseInfo) => unknown)[] = [];
  private readonly lagListeners: ((reading: LagReading) => unknown)[] = [];
  private readonly logger: Logger;
  private resolveClosed!: (info: ClientCloseInfo) => void;
  private lastDisconnection: number | undefined;
  private lagTimer: ReturnType<typeof setInterval> | undefined;
  private readonly lagSamples: number[] = [];
  private lag: LagReading | undefined;
  private scheme: string;
  private pendingCount = 0;
  private noop = () => {};
  private timeoutTimer: ReturnType<typeof setInterval> | undefined;
  private timeoutTick = Number.POSITIVE_INFINITY;
  private clock = 0;
  private lastSend: Promise<void> | undefined;
  private nextWaiter: Waiter | undefined;
  private readonly executor = (resolve: (v: unknown) => void, reject: (e: Error) => void): void => {
    const w = this.nextWaiter!;
    w.resolve = resolve;
    w.reject = reject;
  };
  private readonly scratchExt: ExtensionParts = { command: "", roomId: -1, params: new SFSObject() };

  constructor(url: string | URL, options: SFSClientOptions = {}) {
    this.url = String(url);
    this.options = options;
    this.logger = options.logger ?? consoleLogger;
    this.scheme = /^([a-z][a-z0-9+.-]*):/i.exec(this.url)?.[1]?.toLowerCase() ?? "";
    const fixed = typeof options.encryption === "object" ? options.encryption.key : undefined;
    if (fixed !== undefined) {
      try {
        checkCipherKey(fixed);
      } catch (e) {
        throw new SFSClientError(SFSClientErrorCode.ENCRYPTION_FAILED, `encryption.key is unusable: ${describeError(e)}`, { cause: e });
      }
    }
    this.closed = new Promise((resolve) => (this.resolveClosed = resolve));
    this.rooms = RoomClient._forClient(this, { timeoutMs: options.requestTimeoutMs ?? 10_000 });
    // A room message that cannot be applied is reported like any other bad message.
    this.rooms.on("error", (e) => this.reportError(e));
  }

  /** @internal The transports this entry point offers when none is configured (overridden by the Node entry). */
  protected defaultTransport(): ClientTransport | undefined {
    return undefined;
  }

  // ---------------------------------------------------------------- connection

  /** Opens the transport connection (no handshake yet; `login()` does it when needed). */
  async connect(): Promise<this> {
    if (this.state !== "disconnected") throw new SFSClientError(SFSClientErrorCode.ALREADY_CONNECTED, `connect(): the client is ${this.state}`);
    this.state = "connecting";
    const transport = this.options.transport ?? this.defaultTransport();
    try {
      if (transport === undefined) throw new SFSClientError(SFSClientErrorCode.NO_TRANSPORT, `no transport for ${this.url}`);
      const options = this.options.transportOptions ?? {};
      let conn: TransportConnection;
      if (typeof transport === "function") conn = await transport(this.url, options);
      else {
        const list = Array.isArray(transport) ? (transport as readonly TransportClientFactory[]) : [transport as TransportClientFactory];
        conn = await selectTransport(this.url, list).connect(this.url, options);
      }
      this.connection = conn;
    } catch (e) {
      this.state = "closed";
      this.resolveClosed({ reason: "connect failed", error: e as Error });
      throw e;
    }
    const conn = this.connection;
    conn.onMessage((m) => this.handleMessage(m));
    conn.onError((e) => this.reportError(e));
    conn.onClose((info) => this.handleClose(info));
    this.state = "connected";
    return this;
  }

  /**
   * Sends the handshake and applies the reply (`ct`, `ms`; encryption when configured).
   * Rejects with `SFSError` when the server refuses it (e.g. ec 0, API obsolete).
   */
  async handshake(): Promise<HandshakeResponse> {
    if (this.state !== "connected") throw new SFSClientError(SFSClientErrorCode.BAD_STATE, `handshake(): the client is ${this.state}`);
    const request = new HandshakeRequest();
    request.api = this.options.apiVersion ?? CLIENT_API_VERSION;
    request.clientType = this.options.clientType ?? "TypeScript";
    if (this.scheme === "tcp") request.binary = true;
    const response = await this.request(request, HandshakeResponse);
    this.handshakeResponse = response;
    this.token = response.token;
    const conn = this.connection!;
    if (this.options.useServerLimits ?? true) {
      conn.setCodecOptions({
        // Like the JS client: a missing ct means never compress again.
        compressionThreshold: response.compressionThreshold ?? Number.POSITIVE_INFINITY,
        ...(response.maxMessageSize === undefined ? {} : { maxMessageSize: response.maxMessageSize }),
      });
    }
    const enc = this.options.encryption;
    const fixed = typeof enc === "object" ? enc.key : undefined;
    // A fixed key switches on at once (the server does the same right after its reply).
    if (fixed !== undefined) this.enableEncryption(fixed);
    this.state = "handshaken";
    if (enc && fixed === undefined) {
      try {
        await this.initCrypto();
      } catch (e) {
        // Encryption was asked for: never go on in clear text.
        await this.close("encryption failed");
        throw e;
      }
    }
    return response;
  }

  /**
   * Fetches the AES key from the CryptoManager for this session's token and switches encryption
   * on (TCP only; before login, after the handshake). `handshake()` calls it when the
   * `encryption` option is set.
   */
  async initCrypto(): Promise<void> {
    if (this.token === undefined || this.connection === undefined) throw new SFSClientError(SFSClientErrorCode.BAD_STATE, "initCrypto() needs a completed handshake");
    if (this.scheme !== "tcp") throw new SFSClientError(SFSClientErrorCode.ENCRYPTION_FAILED, `encryption is for tcp:// only (WebSocket clients use wss://), not ${this.scheme}://`);
    const enc = typeof this.options.encryption === "object" ? this.options.encryption : {};
    const url = enc.keyUrl ?? `https://${new URL(this.url).hostname}:${DEFAULT_KEY_PORT}/BlueBox/CryptoManager`;
    const doFetch = enc.fetch ?? globalThis.fetch;
    let key: CipherKey;
    try {
      const res = await doFetch(url, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: `SessToken=${encodeURIComponent(this.token)}`,
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ""}: ${text.slice(0, 200).trim() || "(empty body)"}`);
      key = cipherKeyFromCryptoManager(base64ToBytes(text.trim()));
    } catch (e) {
      throw new SFSClientError(SFSClientErrorCode.ENCRYPTION_FAILED, `could not get the AES key from ${url}: ${describeError(e)}`, { cause: e });
    }
    this.enableEncryption(key);
  }

  private enableEncryption(key: CipherKey): void {
    if (this.scheme !== "tcp") throw new SFSClientError(SFSClientErrorCode.ENCRYPTION_FAILED, "encryption is for tcp:// only");
    try {
      this.connection!.setCodecOptions({ cipher: key });
    } catch (e) {
      throw new SFSClientError(SFSClientErrorCode.ENCRYPTION_FAILED, `bad AES key: ${describeError(e)}`, { cause: e });
    }
    this.encrypted = true;
  }

  /**
   * Logs in (handshaking first when needed). The password is sent as the official clients do:
   * lowercase hex MD5(token + password), "" when empty. Rejects with `SFSError` when refused
   * (`code` 2 user not recognised, 3 wrong password, 6 already logged in, ...).
   */
  async login(options: LoginOptions = {}): Promise<LoginResponse> {
    if (this.state === "connected") await this.handshake();
    if (this.state !== "handshaken") throw new SFSClientError(SFSClientErrorCode.BAD_STATE, `login(): the client is ${this.state}`);
    const request = new LoginRequest();
    request.zone = options.zone ?? this.options.zone ?? "";
    request.username = options.username ?? "";
    request.password = hashPassword(this.token!, options.password ?? "");
    if (options.params !== undefined) request.params = toParams(options.params);
    const response = await this.request(request, LoginResponse);
    this.state = "logged-in";
    this.userId = response.userId;
    this.username = response.username;
    this.zone = response.zone;
    const lag = this.options.lagMonitor;
    if (lag) this.startLagMonitor(typeof lag === "object" ? lag : {});
    return response;
  }

  /** Logs out (the connection stays open; a new login may follow). */
  async logout(): Promise<LogoutResponse> {
    if (this.state !== "logged-in") throw new SFSClientError(SFSClientErrorCode.BAD_STATE, `logout(): the client is ${this.state}`);
    const response = await this.request(new LogoutRequest(), LogoutResponse);
    this.stopLagMonitor();
    this.state = "handshaken";
    this.userId = this.username = this.zone = undefined;
    return response;
  }

  /** Closes the connection; pending requests reject with `ConnectionClosedError`. Idempotent. */
  async close(reason = "closed by the client"): Promise<ClientCloseInfo> {
    this.stopLagMonitor();
    if (this.connection === undefined) {
      if (this.state !== "closed") {
        this.state = "closed";
        this.resolveClosed({ reason });
      }
    } else await this.connection.close(reason);
    return this.closed;
  }

  /** Same as {@link close}, for `await using client = ...`. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /** Resolves when the connection closes (after a kick, a server shutdown or `close()`): the client's main loop. */
  runForever(): Promise<ClientCloseInfo> {
    return this.closed;
  }

  // ---------------------------------------------------------------- sending

  /**
   * Sends a message without waiting for a reply: a bound model, a raw `Message`, or a model /
   * SFSObject with `{ command }` / `{ action }`. Resolves when handed to the socket.
   */
  send(body: Body | Message, options: SendOptions = {}): Promise<void> {
    const conn = this.connection;
    if (conn === undefined) return Promise.reject(new SFSClientError(SFSClientErrorCode.NOT_CONNECTED, "send(): not connected"));
    let message: Message;
    try {
      message = this.outgoing(body, options);
    } catch (e) {
      return failSend(e);
    }
    return conn.send(message);
  }

  /**
   * Calls an extension command (zone level, `r` = -1, unless `roomId`), without waiting for a
   * reply: `callExtension("ping", new PingRequest())` or `callExtension(new PingRequest())` for
   * a model bound to its command.
   */
  callExtension(command: string, body?: Body, options?: { roomId?: number }): Promise<void>;
  callExtension(model: Body, options?: { roomId?: number }): Promise<void>;
  callExtension(a: string | Body, b?: Body | { roomId?: number }, c?: { roomId?: number }): Promise<void> {
    const conn = this.connection;
    if (conn === undefined) return Promise.reject(new SFSClientError(SFSClientErrorCode.NOT_CONNECTED, "callExtension(): not connected"));
    let message: Message;
    try {
      if (typeof a === "string") {
        if (b !== undefined) checkBody(b, "callExtension");
        message = extensionMessage(a, toParams(b), c?.roomId ?? -1);
      } else {
        checkBody(a, "callExtension");
        const command = commandOf((a as { constructor?: unknown }).constructor);
        if (command === undefined) throw new SFSClientError(SFSClientErrorCode.BAD_ARGUMENT, "callExtension(model): the model class is not bound to a command");
        message = extensionMessage(command, toParams(a), (b as { roomId?: number } | undefined)?.roomId ?? -1);
      }
    } catch (e) {
      return failSend(e);
    }
    return conn.send(message);
  }

  /**
   * Sends a request and resolves with its reply parsed as `response` (a model, or a union tried
   * in order); without `response`, with the raw reply params. An error reply (`ec`) rejects with
   * `SFSError` unless a model of the union is an `SFSErrorResponse`; no reply within `timeoutMs`
   * rejects with `TimeoutError`; a reply that fits no model rejects with `SFSClientError`
   * `BAD_RESPONSE` (the `cause` is the `ModelError`).
   */
  request<S extends ModelSpec>(body: Body | Message, response: S, options?: RequestOptions): Promise<ModelOf<S>>;
  request(body: Body | Message, options?: RequestOptions): Promise<SFSObject>;
  request(body: Body | Message, b?: ModelSpec | RequestOptions, c?: RequestOptions): Promise<unknown> {
    const spec = typeof b === "function" || Array.isArray(b) ? (b as ModelSpec) : undefined;
    const options = (spec === undefined ? (b as RequestOptions | undefined) : c) ?? NO_OPTIONS;
    const conn = this.connection;
    if (conn === undefined || conn.closed) return Promise.reject(new SFSClientError(SFSClientErrorCode.NOT_CONNECTED, "request(): not connected"));
    let message: Message;
    /** The correlation key: the reply's command (extensions) or controller/action number (system). */
    let key: string | number;
    let command: string | undefined;
    try {
      if (isMessage(body)) {
        message = body;
        if (message.controller === ControllerId.Extension) {
          command = options.replyCommand ?? boundCommand(spec) ?? readExtension(message.params)?.command;
          if (command === undefined) throw new SFSClientError(SFSClientErrorCode.BAD_ARGUMENT, "request(): an extension request without a command");
        }
      } else {
        checkBody(body, "request");
        const sent = options.command ?? (options.action === undefined ? commandOf((body as { constructor?: unknown }).constructor) : undefined);
        if (sent !== undefined) {
          // Zone-level extension requests carry r = -1, as the official clients send them.
          message = extensionMessage(sent, toParams(body), options.roomId ?? -1);
          command = options.replyCommand ?? boundCommand(spec) ?? sent;
        } else message = toMessage(body, options);
      }
      key = command ?? systemKey(message.controller, options.replyAction ?? message.action);
    } catch (e) {
      return failSend(e);
    }
    const timeoutMs = options.timeoutMs ?? this.options.requestTimeoutMs ?? 10_000;
    const timed = timeoutMs > 0 && Number.isFinite(timeoutMs);
    const tick = timed ? this.armTimeouts(timeoutMs) : 0;
    const waiter: Waiter = {
      spec,
      resolve: undefined!,
      reject: undefined!,
      // The sweep's clock may lag by a tick: add one so that a request never times out early.
      deadline: timed ? this.clock + timeoutMs + tick : Number.POSITIVE_INFINITY,
      timeoutMs,
      action: message.action,
      command,
    };
    // One executor for every request (no closure per call): it hands the resolvers to `waiter`.
    this.nextWaiter = waiter;
    const promise = new Promise<unknown>(this.executor);
    let queue = this.pending.get(key);
    if (queue === undefined) this.pending.set(key, (queue = []));
    queue.push(waiter);
    this.pendingCount++;
    const sent = conn.send(message);
    // A per-message failure (encoding, full queue) comes as a promise of its own; transports
    // may share one promise among a batch of writes, whose failure closes the connection
    // (and handleClose rejects every waiter): one handler per distinct promise suffices.
    if (sent !== this.lastSend) {
      this.lastSend = sent;
      sent.then(undefined, (e: unknown) => {
        if (this.removeWaiter(key, waiter)) waiter.reject(e as Error);
      });
    }
    return promise;
  }

  /**
   * One sweeping timer per client instead of a timer per request: it runs every eighth of the
   * shortest timeout in use (5..500 ms) while requests are pending, and keeps a coarse clock
   * (no clock read per request). A timeout fires between `timeoutMs` and two ticks later.
   * Returns the tick.
   */
  private armTimeouts(timeoutMs: number): number {
    const tick = Math.min(500, Math.max(5, Math.floor(timeoutMs / 8)));
    if (this.timeoutTimer !== undefined && tick >= this.timeoutTick) return this.timeoutTick;
    if (this.timeoutTimer !== undefined) clearInterval(this.timeoutTimer);
    this.timeoutTick = tick;
    this.clock = performance.now();
    this.timeoutTimer = setInterval(() => this.expire(), tick);
    (this.timeoutTimer as { unref?: () => void }).unref?.();
    return tick;
  }

  private expire(): void {
    const now = (this.clock = performance.now());
    const expired: Waiter[] = [];
    for (const [key, queue] of this.pending) {
      let kept = 0;
      for (let i = 0; i < queue.length; i++) {
        const w = queue[i]!;
        if (w.deadline <= now) expired.push(w);
        else queue[kept++] = w;
      }
      queue.length = kept;
      if (kept === 0) this.pending.delete(key);
    }
    this.pendingCount -= expired.length;
    this.stopTimeoutsIfIdle();
    for (const w of expired) {
      const what = w.command !== undefined ? `extension "${w.command}"` : `action ${SysAction[w.action] ?? w.action}`;
      w.reject(new TimeoutError(`no reply to ${what} within ${w.timeoutMs} ms`, w.timeoutMs));
    }
  }

  private stopTimeoutsIfIdle(): void {
    if (this.pendingCount === 0 && this.timeoutTimer !== undefined) {
      clearInterval(this.timeoutTimer);
      this.timeoutTimer = undefined;
      this.timeoutTick = Number.POSITIVE_INFINITY;
    }
  }

  /** Sends a PingPong and resolves with the round-trip time in ms. */
  async ping(timeoutMs?: number): Promise<number> {
    const t0 = performance.now();
    await this.request(new PingPongRequest(), PingPongResponse, { timeoutMs });
    return performance.now() - t0;
  }

  /** Starts pinging every `intervalMs` (see {@link onLag}); stopped by logout and close. */
  startLagMonitor(options: LagMonitorOptions = {}): void {
    this.stopLagMonitor();
    const interval = options.intervalMs ?? 4000;
    const samples = Math.max(1, options.samples ?? 10);
    this.lagTimer = setInterval(() => {
      this.ping(Math.max(interval, 1000)).then(
        (rtt) => {
          this.lagSamples.push(rtt);
          if (this.lagSamples.length > samples) this.lagSamples.shift();
          const averageRtt = this.lagSamples.reduce((a, b) => a + b, 0) / this.lagSamples.length;
          this.lag = { lastRtt: rtt, averageRtt };
          for (const l of this.lagListeners) this.runListener(() => l(this.lag!));
        },
        (e: unknown) => {
          if (!(e instanceof TimeoutError) && !(e instanceof ConnectionClosedError)) this.reportError(e as Error);
        },
      );
    }, interval);
    (this.lagTimer as { unref?: () => void }).unref?.();
  }

  /** Stops the lag monitor. */
  stopLagMonitor(): void {
    if (this.lagTimer !== undefined) clearInterval(this.lagTimer);
    this.lagTimer = undefined;
  }

  /** The lag monitor's last reading (undefined before the first pong). */
  get lagMonitor(): LagReading | undefined {
    return this.lag;
  }

  /** Bytes accepted for sending and not yet flushed. */
  get bufferedAmount(): number {
    return this.connection?.bufferedAmount ?? 0;
  }

  private outgoing(body: Body | Message, options: SendOptions): Message {
    if (isMessage(body)) return body;
    checkBody(body, "send");
    // Zone-level extension requests carry r = -1, as the official clients send them.
    const command = options.command ?? (options.action === undefined ? commandOf((body as { constructor?: unknown }).constructor) : undefined);
    if (command !== undefined) return extensionMessage(command, toParams(body), options.roomId ?? -1);
    return toMessage(body, options);
  }

  // ---------------------------------------------------------------- handlers

  /**
   * Handles extension messages with a command (replies and pushes): `onExtension("news", News, h)`,
   * `onExtension(News, h)` for a bound class, or raw `onExtension("news", h)`. Several handlers
   * may share a command. Returns a function that removes it.
   */
  onExtension<S extends ModelSpec>(command: string, model: S, handler: ClientHandler<ModelOf<S>>): () => void;
  onExtension<C extends ModelClass>(model: C, handler: ClientHandler<InstanceType<C>>): () => void;
  onExtension(command: string, handler: ClientHandler<SFSObject>): () => void;
  onExtension(a: string | ModelClass, b: ModelSpec | ClientHandler<never>, c?: ClientHandler<never>): () => void {
    return this.table.onExtension(a, b, c);
  }

  /** Handles system messages of an action (controller 0 unless given): `on(SysAction.ClientDisconnection, ClientDisconnection, h)`. */
  on<S extends ModelSpec>(action: number, model: S, handler: ClientHandler<ModelOf<S>>, controller?: number): () => void;
  on(action: number, handler: ClientHandler<SFSObject>): () => void;
  on(action: number, b: ModelSpec | ClientHandler<never>, c?: ClientHandler<never>, controller = 0): () => void {
    return this.table.on(action, b, c, controller);
  }

  /** Catch-all: messages that no handler and no pending request takes (raw). */
  onMessage(handler: (message: Message, ctx: ClientContext) => unknown): () => void {
    return this.table.onMessage(handler);
  }

  /** Errors no caller could receive: a throwing handler, a push that does not parse, a bad packet. */
  onError(handler: (error: Error) => unknown): () => void {
    return addTo(this.errorListeners, handler);
  }

  /** The connection closed (`info.disconnectionReason` is set after a server 1005, e.g. "kick"). */
  onDisconnect(handler: (info: ClientCloseInfo) => unknown): () => void {
    return addTo(this.disconnectListeners, handler);
  }

  /** Each lag monitor reading. */
  onLag(handler: (reading: LagReading) => unknown): () => void {
    return addTo(this.lagListeners, handler);
  }

  /** Registers every decorated method (`@onExtension`, `@onSystem`, `@onMessage`, `@onError`, `@onDisconnect`). */
  register(handlers: object): () => void {
    const hooks: DeclaredHooks = {
      message: (fn) => this.onMessage(fn),
      error: (fn) => this.onError(fn),
      disconnect: (fn) => this.onDisconnect(fn),
    };
    return this.table.register(handlers, hooks);
  }

  // ---------------------------------------------------------------- incoming

  private handleMessage(message: Message): void {
    let key: string | number;
    let params: SFSObject;
    let routes: Route<ClientContext>[] | undefined;
    let command: string | undefined;
    let roomId: number | undefined;
    if (message.controller === ControllerId.Extension) {
      const ext = this.scratchExt;
      if (!readExtensionInto(message.params, ext)) {
        this.reportError(new SFSClientError(SFSClientErrorCode.BAD_RESPONSE, "an extension message without a valid { c, p } arrived (ignored)"));
        return;
      }
      command = ext.command;
      roomId = ext.roomId;
      params = ext.params;
      key = command;
      routes = this.table.extension.get(command);
    } else {
      params = message.params;
      if (message.controller === ControllerId.System) this.rooms._feed(message);
      key = systemKey(message.controller, message.action);
      routes = this.table.system.get(key);
      if (message.controller === ControllerId.System && message.action === SysAction.ClientDisconnection) {
        const dr = params.getType("dr") !== undefined && typeof params.get("dr") === "number" ? (params.get("dr") as number) : ClientDisconnectionReason.Unknown;
        this.lastDisconnection = dr;
      }
    }
    const queue = this.pending.get(key);
    const waiter = queue?.shift();
    if (waiter !== undefined) {
      // Empty queues stay in the map (one per key in use): no churn per request. The sweep
      // stops itself once nothing is pending (not here: re-arming per window would cost more).
      this.pendingCount--;
      this.settleWaiter(waiter, params);
    }
    if (routes !== undefined) {
      const ctx: ClientContext = command === undefined ? { params, message, client: this } : { params, message, client: this, command, roomId };
      for (const route of routes) this.runRoute(route, params, ctx);
    } else if (waiter === undefined && this.table.fallback.length > 0) {
      const ctx: ClientContext = command === undefined ? { params, message, client: this } : { params, message, client: this, command, roomId };
      for (const route of this.table.fallback) this.runListener(() => (route.fn as (m: unknown, c: ClientContext) => unknown)(message, ctx));
    }
    if (this.lastDisconnection !== undefined && message.controller === ControllerId.System && message.action === SysAction.ClientDisconnection) {
      // Like the official client: the server said why; close our side now.
      void this.connection?.close(disconnectionReasonName(this.lastDisconnection));
    }
  }

  private settleWaiter(w: Waiter, params: SFSObject): void {
    const isError = params.containsKey("ec");
    if (w.spec === undefined) {
      if (isError) w.reject(this.errorFrom(params, w));
      else w.resolve(params);
      return;
    }
    if (!isError && !Array.isArray(w.spec)) {
      // The common case: one model, no error.
      let value: unknown;
      try {
        value = parseModel(w.spec as ModelClass, params);
      } catch (e) {
        w.reject(e instanceof ModelError ? new SFSClientError(SFSClientErrorCode.BAD_RESPONSE, `the reply does not match ${(w.spec as ModelClass).name}: ${e.message}`, { cause: e }) : (e as Error));
        return;
      }
      w.resolve(value);
      return;
    }
    const list = Array.isArray(w.spec) ? (w.spec as readonly ModelClass[]) : [w.spec as ModelClass];
    let failure: ModelError | undefined;
    for (const cls of list) {
      if (isError && !(cls === SFSErrorResponse || cls.prototype instanceof SFSErrorResponse)) continue;
      try {
        w.resolve(parseModel(cls, params));
        return;
      } catch (e) {
        if (!(e instanceof ModelError)) {
          w.reject(e as Error);
          return;
        }
        failure ??= e;
      }
    }
    if (isError) {
      w.reject(this.errorFrom(params, w));
      return;
    }
    const names = list.map((c) => c.name).join(" | ");
    w.reject(new SFSClientError(SFSClientErrorCode.BAD_RESPONSE, `the reply does not match ${names}: ${failure?.message ?? "no model"}`, { cause: failure }));
  }

  private errorFrom(params: SFSObject, w: Waiter): SFSError {
    const reply = parseErrorReply(params) ?? { code: -1, params: [] };
    return SFSError.fromResponse(SFSErrorResponse.of(reply.code, reply.params), { action: w.action, command: w.command });
  }

  private runRoute(route: Route<ClientContext>, params: SFSObject, ctx: ClientContext): void {
    try {
      const r = (route.fn as (m: unknown, c: ClientContext) => unknown)(parseForRoute(route, params), ctx);
      if (r !== null && typeof r === "object" && typeof (r as { then?: unknown }).then === "function") {
        (r as Promise<unknown>).then(undefined, (e: unknown) => this.reportError(e instanceof Error ? e : new Error(String(e))));
      }
    } catch (e) {
      this.reportError(e instanceof Error ? e : new Error(String(e)));
    }
  }

  private runListener(fn: () => unknown): void {
    try {
      const r = fn();
      if (r !== null && typeof r === "object" && typeof (r as { then?: unknown }).then === "function") {
        (r as Promise<unknown>).then(undefined, (e: unknown) => this.reportError(e instanceof Error ? e : new Error(String(e))));
      }
    } catch (e) {
      this.reportError(e instanceof Error ? e : new Error(String(e)));
    }
  }

  private handleClose(info: CloseInfo): void {
    this.stopLagMonitor();
    this.state = "closed";
    const closeInfo: ClientCloseInfo = { ...info };
    if (this.lastDisconnection !== undefined) {
      closeInfo.disconnectionReason = disconnectionReasonName(this.lastDisconnection);
      closeInfo.reason = closeInfo.disconnectionReason;
    }
    const pending = [...this.pending.values()].flat();
    this.pending.clear();
    this.pendingCount = 0;
    this.stopTimeoutsIfIdle();
    for (const w of pending) {
      w.reject(new ConnectionClosedError(`the connection closed before the reply (${closeInfo.reason})`, { cause: info.error }));
    }
    this.resolveClosed(closeInfo);
    for (const l of this.disconnectListeners) this.runListener(() => l(closeInfo));
  }

  private removeWaiter(key: string | number, w: Waiter): boolean {
    const queue = this.pending.get(key);
    if (queue === undefined) return false;
    const i = queue.indexOf(w);
    if (i < 0) return false;
    queue.splice(i, 1);
    if (queue.length === 0) this.pending.delete(key);
    this.pendingCount--;
    return true;
  }

  private reportError(error: Error): void {
    if (this.errorListeners.length === 0) {
      this.logger.error(`[SFSClient] ${error.message}`);
      return;
    }
    for (const l of this.errorListeners) {
      try {
        const r = l(error);
        if (r !== null && typeof r === "object" && typeof (r as { then?: unknown }).then === "function") {
          (r as Promise<unknown>).then(undefined, (e: unknown) => this.logger.error(`[SFSClient] onError listener failed: ${String(e)}`));
        }
      } catch (e) {
        this.logger.error(`[SFSClient] onError listener failed: ${String(e)}`);
      }
    }
  }
}

function addTo<F>(list: F[], fn: F): () => void {
  list.push(fn);
  return () => {
    const i = list.indexOf(fn);
    if (i >= 0) list.splice(i, 1);
  };
}


/** The first command bound to a model of the spec. */
function boundCommand(spec: ModelSpec | undefined): string | undefined {
  if (spec === undefined) return undefined;
  const list = Array.isArray(spec) ? (spec as readonly ModelClass[]) : [spec as ModelClass];
  for (const c of list) {
    const cmd = commandOf(c);
    if (cmd !== undefined) return cmd;
  }
  return undefined;
}

/** Browser-safe base64 decoding (`atob`). */
function base64ToBytes(text: string): Uint8Array {
  const bin = atob(text);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
