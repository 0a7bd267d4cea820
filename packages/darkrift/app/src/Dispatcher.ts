import type { DarkRiftEncoding, DarkRiftMessage, DarkRiftSerializable } from "@darkrift/core";
import { MessageDefinitionError } from "./errors.js";
import type { MessageClass } from "./message.js";
import { MessageContainer } from "./MessageContainer.js";
import { getOwnTag } from "./metadata.js";

/** Handler of a typed message: the converted instance, the context, the raw message. */
export type MessageHandler<T, Ctx> = (message: T, ctx: Ctx, raw: DarkRiftMessage) => unknown;
/** Handler of a raw message. */
export type RawHandler<Ctx> = (raw: DarkRiftMessage, ctx: Ctx) => unknown;
/** Receives errors of handlers that returned a rejected promise from `dispatch`. */
export type DispatchErrorHandler<Ctx> = (error: unknown, raw: DarkRiftMessage, ctx: Ctx) => void;

/** Options of {@link Dispatcher}. */
export interface DispatcherOptions {
  /** Container to convert with (and register handled classes in). Default: a private one. */
  container?: MessageContainer;
  /** Default encoding for string fields that do not fix one, when the dispatcher creates its container. */
  encoding?: DarkRiftEncoding;
}

type Route<Ctx> = { kind: "class"; cls: MessageClass; handler: MessageHandler<DarkRiftSerializable, Ctx> } | { kind: "tag"; handler: RawHandler<Ctx> };

/**
 * Routes raw messages to handlers by message class or by tag. Generic over a context (`Ctx`),
 * e.g. the client or server connection a message came from; this package never imports them.
 *
 * ```ts
 * const d = new Dispatcher<Connection>()
 *   .on(ChooseMessage, (msg, conn) => conn.send(new ChosenMessage({ value: msg.items[0] }).toMessage()))
 *   .onTag(5, (raw, conn) => …)
 *   .onUnknown((raw) => console.warn("unhandled tag", raw.tag));
 * d.dispatch(raw, conn); // true if a handler ran
 * ```
 *
 * A tag has at most one handler (class or raw). Command messages (flags 0x80) never reach class
 * or tag handlers, only `onUnknown`.
 */
export class Dispatcher<Ctx = void> {
  /** The container used to convert messages. */
  readonly container: MessageContainer;
  private readonly routes = new Map<number, Route<Ctx>>();
  private unknown: RawHandler<Ctx> | undefined;
  private errorHandler: DispatchErrorHandler<Ctx> | undefined;

  constructor(options: DispatcherOptions = {}) {
    this.container = options.container ?? new MessageContainer({ encoding: options.encoding });
  }

  private claim(tag: number, route: Route<Ctx>): void {
    if (this.routes.has(tag)) throw new MessageDefinitionError("DUPLICATE_HANDLER", `tag ${tag} already has a handler`);
    this.routes.set(tag, route);
  }

  /** Handles messages of a class decorated with `@message(tag)` (registers it in the container). */
  on<T extends DarkRiftSerializable>(cls: MessageClass<T>, handler: MessageHandler<T, Ctx>): this {
    const tag = getOwnTag(cls);
    if (tag === undefined) throw new MessageDefinitionError("NO_TAG", `${cls.name} has no tag: decorate it with @message(tag)`);
    this.container.register(cls);
    this.claim(tag, { kind: "class", cls, handler: handler as MessageHandler<DarkRiftSerializable, Ctx> });
    return this;
  }

  /** Handles raw messages with this tag. */
  onTag(tag: number, handler: RawHandler<Ctx>): this {
    if (!Number.isInteger(tag) || tag < 0 || tag > 0xffff) throw new MessageDefinitionError("BAD_TAG", `tag ${tag} is not an integer in 0..65535`);
    this.claim(tag, { kind: "tag", handler });
    return this;
  }

  /** Handles every message no other handler takes (replaces a previous one). */
  onUnknown(handler: RawHandler<Ctx>): this {
    this.unknown = handler;
    return this;
  }

  /** Receives rejections of handlers' promises when using the synchronous {@link dispatch}. */
  onError(handler: DispatchErrorHandler<Ctx>): this {
    this.errorHandler = handler;
    return this;
  }

  /** Runs the handler for `raw`; returns its result (maybe a promise) in `result`, or `handled: false`. */
  private route(raw: DarkRiftMessage, ctx: Ctx): { handled: boolean; result?: unknown } {
    const route = raw.isCommand ? undefined : this.routes.get(raw.tag);
    if (route !== undefined) {
      if (route.kind === "tag") return { handled: true, result: route.handler(raw, ctx) };
      const typed = this.container.convert(raw); // throws TypedMessageError on a bad payload
      return { handled: true, result: route.handler(typed, ctx, raw) };
    }
    if (this.unknown !== undefined) return { handled: true, result: this.unknown(raw, ctx) };
    return { handled: false };
  }

  /**
   * Dispatches one message synchronously; returns whether a handler ran. Conversion errors
   * (`TypedMessageError`) and synchronous handler errors are thrown; a handler's rejected promise
   * goes to `onError` (or stays an unhandled rejection if there is none, so it is never silent).
   */
  dispatch(raw: DarkRiftMessage, ctx: Ctx): boolean {
    const { handled, result } = this.route(raw, ctx);
    if (result instanceof Promise && this.errorHandler !== undefined) {
      const onError = this.errorHandler;
      result.catch((e: unknown) => onError(e, raw, ctx));
    }
    return handled;
  }

  /** Dispatches one message and awaits its handler; resolves to whether a handler ran. */
  async dispatchAsync(raw: DarkRiftMessage, ctx: Ctx): Promise<boolean> {
    const { handled, result } = this.route(raw, ctx);
    await result;
    return handled;
  }
}
