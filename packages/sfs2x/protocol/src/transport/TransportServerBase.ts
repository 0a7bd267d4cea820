import { createDebugLogger } from "@sfs2x/core";
import {
  DEFAULT_FIRST_PACKET_TIMEOUT_MS,
  silentLogger,
  type TransportAddress,
  type TransportConnection,
  type TransportLogger,
  type TransportServer,
  type TransportServerOptions,
} from "../Transport.js";
import { TypedEmitter } from "../TypedEmitter.js";
import { CloseReason } from "./CloseReason.js";
import type { ConnectionHooks } from "./ConnectionBase.js";

interface Events<C> {
  connection: [C];
  error: [Error, C | undefined];
}

/**
 * The transport-independent half of a {@link TransportServer}: the set of open connections,
 * the connection and error listeners, the logger, and closing (stop accepting, close every
 * connection, resolve when all are closed). A subclass binds the socket server and hands each
 * new socket to {@link adopt}. For transport implementations.
 */
export abstract class TransportServerBase<C extends TransportConnection, O extends TransportServerOptions = TransportServerOptions> implements TransportServer {
  /** The options given, with the server default of `firstPacketTimeoutMs` applied. */
  protected readonly options: O;
  protected readonly logger: TransportLogger;
  private readonly events: TypedEmitter<Events<C>>;
  private readonly conns = new Set<C>();
  private closing: Promise<void> | undefined = undefined;

  /**
   * `debugNamespace` names the default logger (`"sfs2x:transport-tcp"`): without a `logger` option,
   * the server and its connections log there when `DEBUG` names it (see `createDebugLogger`).
   */
  protected constructor(options: O, debugNamespace?: string) {
    const logger = options.logger ?? (debugNamespace !== undefined ? createDebugLogger(debugNamespace) : silentLogger);
    // The connections it creates share the server's logger.
    this.options = { ...options, logger, firstPacketTimeoutMs: options.firstPacketTimeoutMs ?? DEFAULT_FIRST_PACKET_TIMEOUT_MS };
    this.logger = logger;
    this.events = new TypedEmitter<Events<C>>((error, event) => this.logger.error(`a ${String(event)} listener threw`, { error }));
  }

  abstract listen(): Promise<void>;
  abstract get address(): TransportAddress | undefined;
  /** Stops accepting new sockets; resolves once the listening socket is closed. */
  protected abstract stopAccepting(): Promise<void>;

  get connections(): ReadonlySet<C> {
    return this.conns;
  }

  /** True once `close()` was called. */
  protected get isClosing(): boolean {
    return this.closing !== undefined;
  }

  onConnection(listener: (connection: C) => void): () => void {
    return this.events.on("connection", listener);
  }

  onError(listener: (error: Error, connection?: C) => void): () => void {
    return this.events.on("error", listener);
  }

  /** Stops accepting, closes every connection (flushing what was accepted), resolves when all are closed. */
  close(): Promise<void> {
    if (this.closing !== undefined) return this.closing;
    const stopped = this.stopAccepting();
    const closes = [...this.conns].map((c) => c.close(CloseReason.SERVER_CLOSING));
    this.closing = Promise.all([stopped, ...closes]).then(() => {
      this.logger.info("closed", {});
    });
    return this.closing;
  }

  /**
   * Takes a new connection: `create` builds it with hooks that report its drops through
   * `onError(error, connection)`; `abort` disposes of the socket when the server is closing or
   * `create` throws. The connection is announced to `onConnection` listeners and forgotten once closed.
   */
  protected adopt(create: (hooks: ConnectionHooks) => C, abort: () => void): void {
    if (this.closing !== undefined) {
      abort();
      return;
    }
    let conn: C;
    try {
      conn = create({ onDrop: (error) => this.events.emit("error", error, conn) });
    } catch (error) {
      abort();
      this.logger.error("could not set up a connection", { error });
      return;
    }
    this.conns.add(conn);
    conn.onClose(() => this.conns.delete(conn));
    this.logger.debug("connection", { remoteAddress: conn.remoteAddress });
    this.events.emit("connection", conn);
  }

  /** An error of the listening socket: logged and reported without a connection. */
  protected serverError(error: Error): void {
    this.logger.error("server error", { error });
    this.events.emit("error", error, undefined);
  }
}
