import "reflect-metadata";
import { commandOf } from "../model/binding.js";
import { isStandardDecoratorContext, STANDARD_DECORATORS } from "../model/field.js";
import type { ModelClass } from "../model/metadata.js";
import { ModelError, ModelErrorCode } from "../model/ModelError.js";
import type { ModelSpec } from "../model/SFSModel.js";

const HANDLERS_KEY = "sfs2x:handlers";

/** What a handler decorator declares on a method. */
export type HandlerDeclaration =
  | { kind: "extension"; method: string | symbol; command: string; spec: ModelSpec | undefined }
  | { kind: "system"; method: string | symbol; action: number; controller: number; spec: ModelSpec | undefined }
  | { kind: "handshake" | "login" | "logout" | "message" | "connect" | "disconnect" | "error"; method: string | symbol };

/** A method decorator (TypeScript `experimentalDecorators`). */
export type HandlerDecorator = (target: object, method: string | symbol, descriptor?: PropertyDescriptor) => void;

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

function declare(decl: DistributiveOmit<HandlerDeclaration, "method">): HandlerDecorator {
  return (target, method) => {
    if (isStandardDecoratorContext(method)) throw new ModelError(ModelErrorCode.BAD_DEFINITION, STANDARD_DECORATORS);
    if (typeof target === "function") throw new ModelError(ModelErrorCode.BAD_DEFINITION, `handler decorators go on instance methods, not static ${String(method)}`);
    const own = (Reflect.getOwnMetadata(HANDLERS_KEY, target) as HandlerDeclaration[] | undefined) ?? [];
    Reflect.defineMetadata(HANDLERS_KEY, [...own, { ...decl, method } as HandlerDeclaration], target);
  };
}

/** Every handler declared on an object's class and its base classes (base first). */
export function getHandlerDeclarations(instance: object): HandlerDeclaration[] {
  const chain: object[] = [];
  for (let p = Object.getPrototypeOf(instance) as object | null; p !== null && p !== Object.prototype; p = Object.getPrototypeOf(p) as object | null) chain.unshift(p);
  return chain.flatMap((p) => (Reflect.getOwnMetadata(HANDLERS_KEY, p) as HandlerDeclaration[] | undefined) ?? []);
}

/** @internal The declared method of `handlers`, bound to it (what `register()` installs). */
export function boundMethod(handlers: object, method: string | symbol): (...args: unknown[]) => unknown {
  const fn = (handlers as Record<string | symbol, unknown>)[method];
  if (typeof fn !== "function") throw new TypeError(`${String(method)} is not a method`);
  return (fn as (...a: unknown[]) => unknown).bind(handlers);
}

/** @internal Normalises the `(command | BoundModel, model?)` pair of `onExtension`. */
export function extensionTarget(commandOrModel: string | ModelClass, spec?: ModelSpec): { command: string; spec: ModelSpec | undefined } {
  if (typeof commandOrModel === "string") return { command: commandOrModel, spec };
  const command = commandOf(commandOrModel);
  if (command === undefined) {
    throw new ModelError(ModelErrorCode.BAD_DEFINITION, `${commandOrModel?.name ?? String(commandOrModel)} is not bound to a command: pass the command name or add @command("…")`);
  }
  return { command, spec: spec ?? commandOrModel };
}

/**
 * Handles an extension command: `@onExtension("ping", PingRequest)`, `@onExtension(PingRequest)`
 * (command bound to the class), `@onExtension("ping")` (raw params), or a union
 * `@onExtension("move", [MoveA, MoveB])`. The method gets `(model, ctx)`.
 */
export function onExtension(commandOrModel: string | ModelClass, spec?: ModelSpec): HandlerDecorator {
  const t = extensionTarget(commandOrModel, spec);
  return declare({ kind: "extension", command: t.command, spec: t.spec });
}

/** Handles a system request or event: `@onSystem(SysAction.JoinRoom, JoinRoomRequest)` (controller 0 unless given). */
export function onSystem(action: number, spec?: ModelSpec, controller = 0): HandlerDecorator {
  return declare({ kind: "system", action, controller, spec });
}

/** Server: decides a Handshake (`HandshakeRequest`); throw an `SFSError` to refuse. */
export function onHandshake(): HandlerDecorator {
  return declare({ kind: "handshake" });
}

/** Server: decides a Login (`LoginRequest`); return a `LoginDecision` or throw an `SFSError` to refuse. */
export function onLogin(): HandlerDecorator {
  return declare({ kind: "login" });
}

/** Server: told of a Logout (`LogoutRequest`) before the reply. */
export function onLogout(): HandlerDecorator {
  return declare({ kind: "logout" });
}

/** Catch-all: every message no other handler takes, as a raw `Message`. */
export function onMessage(): HandlerDecorator {
  return declare({ kind: "message" });
}

/** Server: a session opened (`(session)`). */
export function onConnect(): HandlerDecorator {
  return declare({ kind: "connect" });
}

/** A session (server) or the client connection closed (`(session, info)` / `(info)`). */
export function onDisconnect(): HandlerDecorator {
  return declare({ kind: "disconnect" });
}

/** An error that no caller could receive: a throwing handler, an unknown command, a bad packet. */
export function onError(): HandlerDecorator {
  return declare({ kind: "error" });
}
