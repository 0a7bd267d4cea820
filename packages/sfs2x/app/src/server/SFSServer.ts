import { SFSArray, SFSObject } from "@sfs2x/core";
import {
  ClientDisconnectionReason,
  ControllerId,
  SFSErrorCode,
  SysAction,
  TransportError,
  TransportErrorCode,
  checkCipherKey,
  createErrorParams,
  createErrorReply,
  type CipherKey,
  type CloseInfo,
  type Message,
  type TransportConnection,
  type TransportServer,
  type TransportServerOptions,
} from "@sfs2x/protocol";
import { extensionMessage, readExtensionInto, ZONE_LEVEL, type ExtensionParts } from "../dispatch/extension.js";
import { HandlerTable, parseForRoute, systemKey, type DeclaredHooks, type Route } from "../dispatch/HandlerTable.js";
import { Reply, type ReplyOptions } from "../dispatch/Reply.js";
import { isMessage } from "../dispatch/target.js";
import { isModelInstance, toParams, type Body } from "../dispatch/toParams.js";
import { SFSClientError, SFSClientErrorCode } from "../errors/SFSClientError.js";
import { SFSError } from "../errors/SFSError.js";
import { ServerError, ServerErrorCode } from "../errors/ServerError.js";
import { commandOf } from "../model/binding.js";
import type { ModelClass } from "../model/metadata.js";
import { ModelError } from "../model/ModelError.js";
import { parseModel, SFSModel, type ModelOf, type ModelSpec } from "../model/SFSModel.js";
import { encodeModel, planOf } from "../model/ModelPlan.js";
import { HandshakeRequest } from "../system/Handshake.js";
import { LoginRequest, LoginResponse } from "../system/Login.js";
import { LogoutRequest } from "../system/Logout.js";
import { consoleLogger, type Logger } from "../util/logger.js";
import { newSessionToken } from "../util/hashPassword.js";
import { CryptoManagerEndpoint, type CryptoManagerOptions } from "./CryptoManager.node.js";
import { Session, type SessionHost } from "./Session.js";
import { serverFromUrl, type ServerFromUrlOptions } from "../transportFromUrl.js";

/** What a handler receives besides the parsed model. */
export interface ServerContext {
  /** The params the model was parsed from: for an extension, the command's `p`; else the message's `p`. */
  params: SFSObject;
  /** The raw message. */
  message: Message;
  /** The sender's session. */
  session: Session;
  /** The server. */
  server: SFSServer;
  /** Extension requests: the command. */
  command?: string;
  /** Extension requests: the room id `r` (-1 for zone level). */
  roomId?: number;
}

/**
 * A request handler. Its result is the reply: a model or SFSObject (sent back with the request's
 * controller/action, or as an extension reply with the command), a {@link Reply} for explicit
 * routing, an {@link SFSError} for an `ec`/`ep` error reply, or nothing (no reply; use
 * `ctx.session.send()` yourself). Throwing a reply or an `SFSError` works the same; any other
 * exception is reported to `onError` and answered with a generic error reply.
 */
export type ServerHandler<M> = (model: M, ctx: ServerContext) => unknown;

/** What a login handler may return to accept a login with changes (or nothing to accept as is). */
export interface LoginDecision {
  /** The name to log in with (default: the requested one; "" gives `Guest#<id>`). */
  username?: string;
  /** Privilege `pi` (default 0). */
  privilegeId?: number;
  /** User id (default: the next free id). Must be unique among logged-in users. */
  userId?: number;
  /** Custom out-data `p` of the login reply. */
  params?: SFSObject | object;
}

/** Builds a listener for one URL (the Node entry passes `serverFromUrl`). */
export type ServerTransportFactory = (url: string, options: ServerFromUrlOptions & TransportServerOptions) => TransportServer;

/** Options of the CryptoManager exchange (TCP encryption, spec §2.4). */
export interface ServerEncryptionOptions extends CryptoManagerOptions {
  /**
   * A fixed key instead of the CryptoManager exchange: TCP sessions switch to it right after the
   * handshake reply (the client must be configured with the same key). Default: a random key
   * per session, served at `POST /BlueBox/CryptoManager`.
   */
  key?: CipherKey;
  /** Refuse logins over TCP from sessions that did not switch encryption on (default false). */
  required?: boolean;
}

/** Options of {@link SFSServer}. */
export interface SFSServerOptions {
  /** Creates the listener of each URL. Default (Node entry): `serverFromUrl` (tcp, ws, wss). */
  transport?: ServerTransportFactory;
  /** Options for every listener (limits, timeouts, `tls` for wss:// and tcps://...). `host`/`port` come from the URL. */
  transportOptions?: ServerFromUrlOptions;
  /** `ct` announced in the handshake and used for the server's own packets (default 1024). */
  compressionThreshold?: number;
  /** `ms` announced in the handshake and the limit of incoming packets (default 500000). */
  maxMessageSize?: number;
  /**
   * Zones a login may name; others are refused with ec 1 (LoginBadZoneName), as a real server
   * refuses a zone it does not have. Default: any non-empty zone name (an empty `zn` is refused
   * with ec 1). `"*"`: any zone name, the empty one included.
   */
  zones?: readonly string[] | "*";
  /** Extension requests need a logged-in session (default true; otherwise an error reply). */
  requireLogin?: boolean;
  /** `rs` of the login reply: reconnection seconds (default 0: off; reconnection is not implemented). */
  reconnectionSeconds?: number;
  /** The login reply's `rl` (room list) for a session. Default: an empty SFSArray (rooms come later). */
  roomListFor?: (session: Session) => SFSArray | Promise<SFSArray>;
  /** Close sessions that have not logged in after this long without a message (ms, silently, as SFS2X). Default 30000; 0 disables. */
  sessionIdleTimeoutMs?: number;
  /** Logged-in users idle for this long (ms) get 1005 `{dr: 0}` and are closed. Default 300000; 0 disables. */
  userIdleTimeoutMs?: number;
  /** Put the handler's exception message into `ep` of the generic error reply (default false: "Internal server error"). */
  exposeErrors?: boolean;
  /** TCP encryption: the CryptoManager HTTP endpoint (or a fixed key). */
  encryption?: ServerEncryptionOptions;
  /** Where to log what no `onError` listener takes (default: warnings and errors to the console). */
  logger?: Logger;
}

/** One bound listener. */
export interface ServerAddress {
  /** `"tcp"`, `"ws"` or `"wss"`. */
  scheme: string;
  host: string;
  port: number;
  /** `scheme://host:port`, ready for `SFSClient`. */
  url: string;
}

type Hook<A extends unknown[]> = (...args: A) => unknown;

/** The context of an extension request, which also serves as its parsed parts. */
type ExtContext = ServerContext & ExtensionParts;

const INTERNAL = "Internal server error";
const NO_REPLY_OPTIONS: ReplyOptions = Object.freeze({});

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return v !== null && typeof v === "object" && typeof (v as { then?: unknown }).then === "function";
}

function schemeOf(url: string): string {
  const m = /^([a-z][a-z0-9+.-]*):/i.exec(url);
  return m ? m[1]!.toLowerCase() : "";
}

/**
 * An SFS2X server on one or more listeners (`tcp://`, `ws://`, `wss://`), with handlers for the
 * handshake, login, logout, extension commands and a catch-all, sessions, kicks, PingPong and
 * TCP encryption through the CryptoManager exchange.
 *
 * ```ts
 * const server = new SFSServer(["tcp://127.0.0.1:9933", "ws://127.0.0.1:8080"]);
 * server.onExtension("ping", PingRequest, (req) => Object.assign(new PongResponse(), { n: req.n }));
 * await server.listen();
 * ```
 */
export class SFSServer implements AsyncDisposable {
  private readonly urls: string[];
  private readonly o: SFSServerOptions;
  private readonly logger: Logger;
  private readonly table = new HandlerTable<ServerContext>(true);
  private readonly hooks = {
    handshake: [] as Hook<[HandshakeRequest, ServerContext]>[],
    login: [] as Hook<[LoginRequest, ServerContext]>[],
    logout: [] as Hook<[LogoutRequest, ServerContext]>[],
    connect: [] as Hook<[Session]>[],
    disconnect: [] as Hook<[Session, CloseInfo]>[],
    error: [] as Hook<[Error, Session | undefined]>[],
  };
  private readonly listeners: { scheme: string; server: TransportServer }[] = [];
  private readonly bySession = new Map<TransportConnection, Session>();
  private readonly byToken = new Map<string, Session>();
  private readonly byName = new Map<string, Session>();
  private readonly byUserId = new Map<number, Session>();
  private readonly all = new Map<number, Session>();
  private nextSessionId = 1;
  private nextUserId = 1;
  private sweep: ReturnType<typeof setInterval> | undefined;
  private crypto: CryptoManagerEndpoint | undefined;
  private state: "new" | "listening" | "closed" = "new";
  private readonly ct: number;
  private readonly ms: number;
  private readonly sessionHost: SessionHost;

  constructor(urls: string | URL | readonly (string | URL)[], options: SFSServerOptions = {}) {
    const list = Array.isArray(urls) ? (urls as readonly (string | URL)[]) : [urls as string | URL];
    if (list.length === 0) throw new TypeError("SFSServer needs at least one URL");
    this.urls = list.map(String);
    const fixed = options.encryption?.key;
    if (fixed !== undefined) {
      try {
        checkCipherKey(fixed);
      } catch (e) {
        throw new SFSClientError(SFSClientErrorCode.BAD_ARGUMENT, `SFSServer encryption.key is unusable: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
      }
    }
    this.o = options;
    this.logger = options.logger ?? consoleLogger;
    this.ct = options.compressionThreshold ?? 1024;
    this.ms = options.maxMessageSize ?? 500_000;
    this.sessionHost = {
      sessionClosed: (s, info) => this.sessionClosed(s, info),
      reportError: (e, s) => this.reportError(e, s),
    };
  }

  // ---------------------------------------------------------------- registration

  /**
   * Handles an extension command: `onExtension("ping", PingRequest, handler)`,
   * `onExtension(PingRequest, handler)` (command bound to the class), `onExtension("ping", handler)`
   * (raw params), or a union `onExtension("move", [A, B], handler)`. One handler per command.
   * Returns a function that removes it.
   */
  onExtension<S extends ModelSpec>(command: string, model: S, handler: ServerHandler<ModelOf<S>>): () => void;
  onExtension<C extends ModelClass>(model: C, handler: ServerHandler<InstanceType<C>>): () => void;
  onExtension(command: string, handler: ServerHandler<SFSObject>): () => void;
  onExtension(a: string | ModelClass, b: ModelSpec | ServerHandler<never>, c?: ServerHandler<never>): () => void {
    return this.table.onExtension(a, b, c);
  }

  /**
   * Handles a system request (controller 0 unless given) that the server does not handle itself,
   * e.g. `on(SysAction.JoinRoom, JoinRoomRequest, handler)`. Handshake, Login and Logout have
   * their own hooks ({@link onHandshake}, {@link onLogin}, {@link onLogout}); PingPong is answered
   * unless a handler is registered for it.
   */
  on<S extends ModelSpec>(action: number, model: S, handler: ServerHandler<ModelOf<S>>, controller?: number): () => void;
  on(action: number, handler: ServerHandler<SFSObject>): () => void;
  on(action: number, b: ModelSpec | ServerHandler<never>, c?: ServerHandler<never> | undefined, controller = 0): () => void {
    return this.table.on(action, b, c, controller);
  }

  /** Same as {@link on}. */
  onSystem<S extends ModelSpec>(action: number, model: S, handler: ServerHandler<ModelOf<S>>, controller = 0): () => void {
    return this.table.addSystem(controller, action, { spec: model, fn: handler as ServerHandler<never> });
  }

  /** Catch-all: messages no handler takes (raw). Its result is the reply, as for other handlers. */
  onMessage(handler: (message: Message, ctx: ServerContext) => unknown): () => void {
    return this.table.onMessage(handler);
  }

  /** Runs on every handshake before the reply; throw an `SFSError` to refuse it. */
  onHandshake(handler: (request: HandshakeRequest, ctx: ServerContext) => unknown): () => void {
    return addHook(this.hooks.handshake, handler);
  }

  /**
   * Decides logins. Return nothing (accept), a {@link LoginDecision} (accept with changes), or
   * throw/return an `SFSError` (refuse: `SFSErrorCode.LoginBadPassword` etc.). Use
   * `ctx.session.checkPassword(plain, request.password)` to check a password. Without a login
   * handler, a login with an empty password is accepted and any other is refused (ec 3).
   */
  onLogin(handler: (request: LoginRequest, ctx: ServerContext) => LoginDecision | SFSError | void | Promise<LoginDecision | SFSError | void>): () => void {
    return addHook(this.hooks.login, handler);
  }

  /** Runs on a logout request before the reply (the session is still logged in). */
  onLogout(handler: (request: LogoutRequest, ctx: ServerContext) => unknown): () => void {
    return addHook(this.hooks.logout, handler);
  }

  /** A session opened (transport connected; no handshake yet). */
  onConnect(handler: (session: Session) => unknown): () => void {
    return addHook(this.hooks.connect, handler);
  }

  /** A session closed (`info.reason` says why). */
  onDisconnect(handler: (session: Session, info: CloseInfo) => unknown): () => void {
    return addHook(this.hooks.disconnect, handler);
  }

  /**
   * Problems no caller could catch: handler exceptions, unknown extension commands, bad requests,
   * failed replies, transport errors (`ServerError` with a `code`; `cause` holds the original).
   * Without listeners they go to the logger.
   */
  onError(handler: (error: Error, session: Session | undefined) => unknown): () => void {
    return addHook(this.hooks.error, handler);
  }

  /** Registers every decorated method of `handlers` (`@onExtension`, `@onLogin`, ...), bound to it. Returns an unregister function. */
  register(handlers: object): () => void {
    const hooks: DeclaredHooks = {
      handshake: (fn) => this.onHandshake(fn),
      login: (fn) => this.onLogin(fn as never),
      logout: (fn) => this.onLogout(fn),
      message: (fn) => this.onMessage(fn),
      connect: (fn) => this.onConnect(fn),
      disconnect: (fn) => this.onDisconnect(fn),
      error: (fn) => this.onError(fn),
    };
    return this.table.register(handlers, hooks);
  }

  // ---------------------------------------------------------------- lifecycle

  /** Binds every listener (and the CryptoManager endpoint when configured). Rejects if one fails (the others are closed). */
  async listen(): Promise<void> {
    if (this.state !== "new") throw new Error(`SFSServer.listen(): the server is ${this.state}`);
    this.state = "listening";
    const factory = this.o.transport ?? serverFromUrl;
    try {
      for (const url of this.urls) {
        const scheme = schemeOf(url);
        const server = factory(url, {
          ...this.o.transportOptions,
          compressionThreshold: this.ct,
          maxMessageSize: this.ms,
        });
        this.listeners.push({ scheme, server });
        server.onConnection((conn) => this.accept(conn, scheme));
        server.onError((error, conn) => {
          const session = conn === undefined ? undefined : this.bySession.get(conn);
          this.reportError(new ServerError(ServerErrorCode.TRANSPORT, `transport error${session ? ` on session ${session.id}` : ""}: ${error.message}`, { cause: error }), session);
        });
        await server.listen();
      }
      const enc = this.o.encryption;
      if (enc !== undefined && enc.key === undefined) {
        this.crypto = new CryptoManagerEndpoint((token) => this.byToken.get(token), this.logger, enc);
        await this.crypto.start();
      }
    } catch (e) {
      await this.close();
      throw e;
    }
    this.startSweep();
  }

  /** Stops every listener and closes every session (and the CryptoManager endpoint). */
  async close(): Promise<void> {
    if (this.state === "closed") return;
    this.state = "closed";
    if (this.sweep !== undefined) clearInterval(this.sweep);
    this.sweep = undefined;
    await Promise.allSettled([...this.listeners.map((l) => l.server.close()), this.crypto?.close()]);
  }

  /** Same as {@link close}, for `await using server = new SFSServer(...)`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** The bound listeners (after `listen()`), in the order of the URLs. */
  get addresses(): ServerAddress[] {
    const out: ServerAddress[] = [];
    for (const { scheme, server } of this.listeners) {
      const a = server.address;
      if (a === undefined) continue;
      const host = a.host.includes(":") ? `[${a.host}]` : a.host;
      out.push({ scheme, host: a.host, port: a.port, url: `${scheme}://${host}:${a.port}` });
    }
    return out;
  }

  /** `http(s)://host:port/BlueBox/CryptoManager` once listening with encryption, else undefined. */
  get cryptoManagerUrl(): string | undefined {
    return this.crypto?.url;
  }

  /** Open sessions by session id. */
  get sessions(): ReadonlyMap<number, Session> {
    return this.all;
  }

  /** The logged-in session of a user name in a zone. */
  sessionByName(zone: string, username: string): Session | undefined {
    return this.byName.get(nameKey(zone, username));
  }

  /** The logged-in session of a user id. */
  sessionByUserId(userId: number): Session | undefined {
    return this.byUserId.get(userId);
  }

  // ---------------------------------------------------------------- sessions

  private accept(conn: TransportConnection, scheme: string): void {
    const session = new Session(this.nextSessionId++, conn, scheme, this.sessionHost);
    session.onSendFailed = (e: unknown) => this.sendFailed(session, e);
    this.bySession.set(conn, session);
    this.all.set(session.id, session);
    conn.onMessage((m) => this.onIncoming(session, m));
    conn.onError((e) => this.reportError(new ServerError(ServerErrorCode.TRANSPORT, `session ${session.id}: ${e.message}`, { cause: e }), session));
    for (const h of this.hooks.connect) this.runHook(() => h(session), session);
  }

  private sessionClosed(session: Session, info: CloseInfo): void {
    this.bySession.delete(session.connection);
    this.all.delete(session.id);
    this.forget(session);
    if (session.token !== undefined) this.byToken.delete(session.token);
    for (const h of this.hooks.disconnect) this.runHook(() => h(session, info), session);
  }

  /** Drops the login identity from the indexes. */
  private forget(session: Session): void {
    if (session.zone !== undefined && session.username !== undefined) {
      const key = nameKey(session.zone, session.username);
      if (this.byName.get(key) === session) this.byName.delete(key);
    }
    if (session.userId !== undefined && this.byUserId.get(session.userId) === session) this.byUserId.delete(session.userId);
  }

  private startSweep(): void {
    const sessionIdle = this.o.sessionIdleTimeoutMs ?? 30_000;
    const userIdle = this.o.userIdleTimeoutMs ?? 300_000;
    const active = [sessionIdle, userIdle].filter((t) => t > 0);
    if (active.length === 0) return;
    const every = Math.max(20, Math.min(5000, Math.floor(Math.min(...active) / 4)));
    this.sweep = setInterval(() => {
      const now = Date.now();
      for (const s of this.all.values()) {
        // Messages only raise a flag (no clock read per message); the sweep turns it into a time.
        if (s.active) {
          s.active = false;
          s.lastActivity = now;
        }
        const idle = now - s.lastActivity;
        if (s.state === "logged-in") {
          if (userIdle > 0 && idle > userIdle) void s.disconnect("idle", ClientDisconnectionReason.Idle);
        } else if (s.state !== "closed" && sessionIdle > 0 && idle > sessionIdle) {
          void s.connection.close("idle (no login)");
        }
      }
    }, every);
    (this.sweep as { unref?: () => void }).unref?.();
  }

  // ---------------------------------------------------------------- dispatch

  private onIncoming(session: Session, message: Message): void {
    session.active = true;
    if (session.backlog !== undefined) {
      session.backlog.push(message);
      return;
    }
    const pending = this.process(session, message);
    if (pending !== undefined) {
      session.backlog = [];
      void pending.then(() => this.drain(session));
    }
  }

  /** Processes what arrived while an async handler ran, in order, pausing again at the next async one. */
  private drain(session: Session): void {
    const queue = session.backlog!;
    session.backlog = undefined;
    while (queue.length > 0) {
      const pending = this.process(session, queue.shift()!);
      if (pending !== undefined) {
        session.backlog = queue;
        void pending.then(() => this.drain(session));
        return;
      }
    }
  }

  /** Handles one message; returns a promise (never rejecting) when a handler went async. */
  private process(session: Session, message: Message): Promise<void> | undefined {
    if (session.state === "closed") return undefined;
    try {
      if (message.controller === ControllerId.Extension) return this.processExtension(session, message);
      if (message.controller === ControllerId.System) {
        switch (message.action) {
          case SysAction.Handshake:
            return this.settle(session, message, undefined, this.handshake(session, message));
          case SysAction.Login:
            return this.settle(session, message, undefined, this.login(session, message));
          case SysAction.Logout:
            return this.settle(session, message, undefined, this.logout(session, message));
          case SysAction.ManualDisconnection:
            void session.connection.close("manual disconnection");
            return undefined;
        }
        if (session.state === "connected") {
          this.errorReply(session, message, undefined, SFSErrorCode.GenericError, ["Handshake required"]);
          return undefined;
        }
      }
      const routes = this.table.system.get(systemKey(message.controller, message.action));
      if (routes !== undefined) return this.runRoute(session, message, routes[0]!, message.params, undefined);
      if (message.controller === ControllerId.System && message.action === SysAction.PingPong) {
        this.send(session, { controller: 0, action: SysAction.PingPong, params: new SFSObject() });
        return undefined;
      }
      if (this.table.fallback.length > 0) return this.runFallback(session, message, undefined);
      const name = message.controller === ControllerId.System ? (SysAction[message.action] ?? String(message.action)) : `${message.controller}/${message.action}`;
      this.reportError(new ServerError(ServerErrorCode.UNSUPPORTED_REQUEST, `unsupported request ${name} from session ${session.id}: answered with an error`, { action: message.action }), session);
      this.errorReply(session, message, undefined, SFSErrorCode.GenericError, [`Request not supported: ${name}`]);
      return undefined;
    } catch (e) {
      this.failed(session, message, undefined, e);
      return undefined;
    }
  }

  private processExtension(session: Session, message: Message): Promise<void> | undefined {
    // The handler context doubles as the extension parts (command, roomId, params): one object.
    const ctx: ExtContext = { params: message.params, message, session, server: this, command: "", roomId: ZONE_LEVEL };
    const ext = readExtensionInto(message.params, ctx) ? ctx : undefined;
    if (ext === undefined) {
      this.reportError(new ServerError(ServerErrorCode.BAD_REQUEST, `session ${session.id}: extension request without a valid { c UTF_STRING, r INT?, p SFS_OBJECT? } (ignored)`), session);
      return undefined;
    }
    if ((this.o.requireLogin ?? true) && session.state !== "logged-in") {
      this.logger.warn(`session ${session.id}: extension "${ext.command}" before login refused`);
      this.errorReply(session, message, ext, SFSErrorCode.GenericError, ["Login required"]);
      return undefined;
    }
    const routes = this.table.extension.get(ext.command);
    if (routes !== undefined) return this.runRoute(session, message, routes[0]!, ext.params, ext);
    if (this.table.fallback.length > 0) return this.runFallback(session, message, ext);
    // The real server answers nothing and logs "Request handler not found".
    this.reportError(new ServerError(ServerErrorCode.UNKNOWN_COMMAND, `no handler for extension command "${ext.command}" (session ${session.id}); nothing sent`, { command: ext.command }), session);
    return undefined;
  }

  private context(session: Session, message: Message, params: SFSObject, ext: ExtensionParts | undefined): ServerContext {
    if (ext !== undefined && (ext as ExtContext).session === session && ext.params === params) return ext as ExtContext;
    return ext === undefined
      ? { params, message, session, server: this }
      : { params, message, session, server: this, command: ext.command, roomId: ext.roomId };
  }

  private runRoute(session: Session, message: Message, route: Route<ServerContext>, params: SFSObject, ext: ExtensionParts | undefined): Promise<void> | undefined {
    let model: unknown;
    try {
      model = parseForRoute(route, params);
    } catch (e) {
      if (!(e instanceof ModelError)) throw e;
      const what = ext ? `extension "${ext.command}"` : `action ${message.action}`;
      this.reportError(new ServerError(ServerErrorCode.BAD_REQUEST, `session ${session.id}: ${what} params do not parse: ${e.message}`, { cause: e, command: ext?.command, action: message.action }), session);
      this.errorReply(session, message, ext, SFSErrorCode.GenericError, [`Bad request: ${e.message}`]);
      return undefined;
    }
    let result: unknown;
    try {
      result = (route.fn as (m: unknown, c: ServerContext) => unknown)(model, this.context(session, message, params, ext));
    } catch (e) {
      this.failed(session, message, ext, e);
      return undefined;
    }
    return this.settle(session, message, ext, result);
  }

  private runFallback(session: Session, message: Message, ext: ExtensionParts | undefined): Promise<void> | undefined {
    const route = this.table.fallback[0]!;
    let result: unknown;
    try {
      result = (route.fn as (m: unknown, c: ServerContext) => unknown)(message, this.context(session, message, ext ? ext.params : message.params, ext));
    } catch (e) {
      this.failed(session, message, ext, e);
      return undefined;
    }
    return this.settle(session, message, ext, result);
  }

  /** Sends a handler's result now, or once its promise settles (the returned promise never rejects). */
  private settle(session: Session, message: Message, ext: ExtensionParts | undefined, result: unknown): Promise<void> | undefined {
    if (!isThenable(result)) {
      this.deliver(session, message, ext, result);
      return undefined;
    }
    return Promise.resolve(result).then(
      (v) => this.deliver(session, message, ext, v),
      (e: unknown) => this.failed(session, message, ext, e),
    );
  }

  /** Turns a handler's result into the reply. */
  private deliver(session: Session, message: Message, ext: ExtensionParts | undefined, value: unknown): void {
    if (value === undefined || value === null) return;
    if (value instanceof SFSModel && ext !== undefined) {
      // The common case: an extension handler returned a model.
      let reply: Message;
      try {
        const ctor = value.constructor as ModelClass;
        reply = extensionMessage(commandOf(ctor) ?? ext.command, encodeModel(value, planOf(ctor), undefined, true), ext.roomId === ZONE_LEVEL ? undefined : ext.roomId);
      } catch (e) {
        this.failed(session, message, ext, e);
        return;
      }
      this.send(session, reply);
      return;
    }
    if (value instanceof SFSError) {
      this.errorReply(session, message, ext, value.code, value.params);
      return;
    }
    let body: unknown = value;
    let opts: ReplyOptions = NO_REPLY_OPTIONS;
    if (value instanceof Reply) {
      body = value.body;
      opts = value.options;
    }
    let reply: Message;
    try {
      if (!(body instanceof SFSObject) && isMessage(body)) reply = body;
      else if (body instanceof SFSObject || isModelInstance(body)) {
        const params = toParams(body as Body);
        if (ext !== undefined && (opts.controller ?? ControllerId.Extension) === ControllerId.Extension && opts.action === undefined) {
          const command = opts.command ?? commandOf((body as object).constructor) ?? ext.command;
          const roomId = opts.roomId ?? (ext.roomId === ZONE_LEVEL ? undefined : ext.roomId);
          reply = extensionMessage(command, params, roomId);
        } else {
          reply = { controller: opts.controller ?? message.controller, action: opts.action ?? message.action, params };
        }
      } else {
        const what = typeof body === "object" ? (body as object).constructor?.name ?? "object" : typeof body;
        throw new ServerError(ServerErrorCode.BAD_REPLY, `a handler returned ${what}, which is not a reply (a model, an SFSObject, a Reply or an SFSError)`, {
          command: ext?.command,
          action: message.action,
        });
      }
    } catch (e) {
      this.failed(session, message, ext, e);
      return;
    }
    this.send(session, reply);
  }

  /** A handler failed: replies and errors go back as replies; anything else is reported and answered with a generic error. */
  private failed(session: Session, message: Message, ext: ExtensionParts | undefined, e: unknown): void {
    if (e instanceof SFSError) {
      this.errorReply(session, message, ext, e.code, e.params);
      return;
    }
    if (e instanceof Reply || e instanceof SFSObject || isModelInstance(e)) {
      this.deliver(session, message, ext, e);
      return;
    }
    const error = e instanceof Error ? e : new Error(String(e));
    const what = ext ? `extension "${ext.command}"` : `action ${SysAction[message.action] ?? message.action}`;
    const reported = error instanceof ServerError ? error : new ServerError(ServerErrorCode.HANDLER_FAILED, `handler of ${what} failed (session ${session.id}): ${error.message}`, { cause: error, command: ext?.command, action: message.action });
    this.reportError(reported, session);
    this.errorReply(session, message, ext, SFSErrorCode.GenericError, [this.o.exposeErrors ? error.message : INTERNAL]);
  }

  private errorReply(session: Session, message: Message, ext: ExtensionParts | undefined, code: number, params: readonly string[]): void {
    let reply: Message;
    try {
      reply =
        ext !== undefined
          ? extensionMessage(ext.command, createErrorParams(code, params), ext.roomId === ZONE_LEVEL ? undefined : ext.roomId)
          : createErrorReply(message.controller, message.action, code, params);
    } catch (e) {
      // e.g. a code outside SHORT: fall back to the generic error.
      this.reportError(new ServerError(ServerErrorCode.BAD_REPLY, `error reply ${code} could not be built: ${(e as Error).message}`, { cause: e }), session);
      reply = ext !== undefined ? extensionMessage(ext.command, createErrorParams(SFSErrorCode.GenericError, [INTERNAL]), undefined) : createErrorReply(message.controller, message.action, SFSErrorCode.GenericError, [INTERNAL]);
    }
    this.send(session, reply);
  }

  /** Sends without awaiting; a failure is reported, and a full send queue closes the session (the peer does not read). */
  private send(session: Session, message: Message): void {
    const p = session.connection.send(message);
    // Transports may hand out one promise for a whole batch of writes: one failure handler per
    // distinct promise is enough (and reports a failed batch once).
    if (p !== session.lastSend) {
      session.lastSend = p;
      p.then(undefined, session.onSendFailed);
    }
  }

  private sendFailed(session: Session, e: unknown): void {
    const error = e instanceof Error ? e : new Error(String(e));
    if (error instanceof TransportError && error.code === TransportErrorCode.CLOSED) return; // the peer left; nothing to tell
    this.reportError(new ServerError(ServerErrorCode.SEND_FAILED, `reply to session ${session.id} not sent: ${error.message}`, { cause: error }), session);
    if (error instanceof TransportError && error.code === TransportErrorCode.QUEUE_FULL) void session.connection.close("send queue full (the client does not read)");
  }

  /** @internal Reports to onError listeners, or to the logger when there are none. */
  reportError(error: Error, session?: Session): void {
    if (this.hooks.error.length === 0) {
      this.logger.error(`[SFSServer] ${error.message}`, session ? { session: session.id } : undefined);
      return;
    }
    for (const h of this.hooks.error) {
      try {
        const r = h(error, session);
        if (isThenable(r)) Promise.resolve(r).catch((e: unknown) => this.logger.error(`[SFSServer] onError listener failed: ${String(e)}`));
      } catch (e) {
        this.logger.error(`[SFSServer] onError listener failed: ${String(e)}`);
      }
    }
  }

  private runHook(fn: () => unknown, session: Session | undefined): void {
    try {
      const r = fn();
      if (isThenable(r)) Promise.resolve(r).catch((e: unknown) => this.reportError(asHookError(e), session));
    } catch (e) {
      this.reportError(asHookError(e), session);
    }
  }

  // ---------------------------------------------------------------- system requests

  private async handshake(session: Session, message: Message): Promise<unknown> {
    if (session.state !== "connected") throw new SFSError(SFSErrorCode.GenericError, ["Handshake already done"]);
    const request = parseModel(HandshakeRequest, message.params);
    session.clientType = request.clientType;
    const ctx = this.context(session, message, message.params, undefined);
    for (const h of this.hooks.handshake) await h(request, ctx);
    if (session.state !== "connected") return undefined; // closed meanwhile
    const token = newSessionToken();
    session.token = token;
    session.state = "handshaken";
    this.byToken.set(token, session);
    const params = new SFSObject().putUtfString("tk", token).putInt("ct", clampInt(this.ct)).putInt("ms", clampInt(this.ms));
    this.send(session, { controller: 0, action: SysAction.Handshake, params });
    // A fixed key: both sides switch right after the handshake reply (send() has encoded it already).
    const key = this.o.encryption?.key;
    if (key !== undefined && session.scheme === "tcp") session.enableEncryption(key);
    return undefined;
  }

  private async login(session: Session, message: Message): Promise<unknown> {
    if (session.state === "connected") throw new SFSError(SFSErrorCode.GenericError, ["Handshake required"]);
    const request = parseModel(LoginRequest, message.params);
    if (session.state === "logged-in") throw new SFSError(SFSErrorCode.LoginAlreadyLogged, [session.username ?? "", session.zone ?? ""]);
    const zones = this.o.zones;
    if (zones === undefined ? request.zone === "" : zones !== "*" && !zones.includes(request.zone)) {
      throw new SFSError(SFSErrorCode.LoginBadZoneName, [request.zone]);
    }
    if (this.o.encryption?.required && session.scheme === "tcp" && !session.encrypted) {
      throw new SFSError(SFSErrorCode.GenericError, ["Encryption required: fetch the key from the CryptoManager before login"]);
    }
    const ctx = this.context(session, message, message.params, undefined);
    let decision: LoginDecision = {};
    if (this.hooks.login.length === 0) {
      if (request.password !== "") throw new SFSError(SFSErrorCode.LoginBadPassword, [request.username]);
    } else {
      for (const h of this.hooks.login) {
        const r = await h(request, ctx);
        if (r instanceof SFSError) throw r;
        if (r !== undefined && r !== null) {
          if (typeof r !== "object") throw new TypeError(`a login handler returned ${typeof r}; expected a LoginDecision, an SFSError or nothing`);
          decision = { ...decision, ...(r as LoginDecision) };
        }
      }
    }
    if (session.state !== "handshaken") return undefined; // closed or logged in meanwhile
    const userId = decision.userId ?? this.allocateUserId();
    if (this.byUserId.has(userId)) throw new SFSError(SFSErrorCode.GenericError, [`User id ${userId} is in use`]);
    const requested = decision.username ?? request.username;
    const username = requested === "" ? `Guest#${userId}` : requested;
    if (this.byName.has(nameKey(request.zone, username))) throw new SFSError(SFSErrorCode.LoginAlreadyLogged, [username, request.zone]);
    session.zone = request.zone;
    session.username = username;
    session.userId = userId;
    session.privilegeId = decision.privilegeId ?? 0;
    session.state = "logged-in";
    this.byName.set(nameKey(request.zone, username), session);
    this.byUserId.set(userId, session);
    let rooms: SFSArray;
    try {
      rooms = this.o.roomListFor ? await this.o.roomListFor(session) : new SFSArray();
    } catch (e) {
      this.forget(session);
      session.zone = session.username = session.userId = undefined;
      session.state = "handshaken";
      throw e;
    }
    const reply = new LoginResponse();
    reply.zone = request.zone;
    reply.username = username;
    reply.userId = userId;
    reply.privilegeId = session.privilegeId;
    reply.roomList = rooms;
    reply.reconnectionSeconds = this.o.reconnectionSeconds ?? 0;
    if (decision.params !== undefined) reply.params = decision.params instanceof SFSObject ? decision.params : toParams(decision.params);
    return reply;
  }

  private allocateUserId(): number {
    while (this.byUserId.has(this.nextUserId)) this.nextUserId++;
    return this.nextUserId++;
  }

  private async logout(session: Session, message: Message): Promise<unknown> {
    if (session.state !== "logged-in") throw new SFSError(SFSErrorCode.GenericError, ["Not logged in"]);
    const request = parseModel(LogoutRequest, message.params);
    const ctx = this.context(session, message, message.params, undefined);
    for (const h of this.hooks.logout) await h(request, ctx);
    const zone = session.zone ?? "";
    this.forget(session);
    session.zone = session.username = session.userId = undefined;
    session.privilegeId = 0;
    if (session.state === "logged-in") session.state = "handshaken";
    return new SFSObject().putUtfString("zn", zone);
  }
}

function addHook<F>(list: F[], fn: F): () => void {
  list.push(fn);
  return () => {
    const i = list.indexOf(fn);
    if (i >= 0) list.splice(i, 1);
  };
}

function nameKey(zone: string, username: string): string {
  return `${zone}\u0000${username}`;
}

function clampInt(n: number): number {
  return Number.isFinite(n) ? Math.max(0, Math.min(0x7fffffff, Math.floor(n))) : 0x7fffffff;
}

function asHookError(e: unknown): Error {
  const error = e instanceof Error ? e : new Error(String(e));
  return new ServerError(ServerErrorCode.HANDLER_FAILED, `lifecycle handler failed: ${error.message}`, { cause: error });
}
