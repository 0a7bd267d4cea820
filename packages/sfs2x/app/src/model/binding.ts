import type { ModelClass } from "./metadata.js";
import { isStandardDecoratorContext, STANDARD_DECORATORS } from "./field.js";
import { ModelError, ModelErrorCode } from "./ModelError.js";

/**
 * What a model class may say about the message it travels in, as static fields:
 * `static command = "ping"` (extension messages, controller 1) or
 * `static action = SysAction.Login` (system messages, controller 0 unless `controller` says otherwise).
 */
export interface MessageBinding {
  /** Extension command name. */
  command?: string;
  /** Action id (root `a`). */
  action?: number;
  /** Controller id (root `c`); 0 when `action` is set without it. */
  controller?: number;
}

/** A model class, possibly carrying a {@link MessageBinding}. */
export type BoundModelClass<T extends object = object> = ModelClass<T> & MessageBinding;

/** The extension command a model class is bound to, if any. */
export function commandOf(cls: unknown): string | undefined {
  if (typeof cls !== "function") return undefined;
  const c = (cls as MessageBinding).command;
  return typeof c === "string" ? c : undefined;
}

/** The system action a model class is bound to, if any. */
export function actionOf(cls: unknown): number | undefined {
  if (typeof cls !== "function") return undefined;
  const a = (cls as MessageBinding).action;
  return typeof a === "number" ? a : undefined;
}

/** The controller a model class is bound to (0 for system models; undefined when unbound). */
export function controllerOf(cls: unknown): number | undefined {
  if (typeof cls !== "function") return undefined;
  const c = (cls as MessageBinding).controller;
  if (typeof c === "number") return c;
  return actionOf(cls) === undefined ? undefined : 0;
}

/**
 * Binds a model class to an extension command (same as `static command = name`):
 *
 * ```ts
 * @command("ping")
 * class PingRequest extends ExtensionRequest { @int("n") n = 0; }
 * ```
 */
export function command(name: string): (cls: ModelClass, context?: unknown) => void {
  if (typeof name !== "string" || name.length === 0) throw new ModelError(ModelErrorCode.BAD_DEFINITION, "a command name is a non-empty string");
  return (cls: ModelClass, context?: unknown) => {
    if (isStandardDecoratorContext(context)) throw new ModelError(ModelErrorCode.BAD_DEFINITION, STANDARD_DECORATORS);
    Object.defineProperty(cls, "command", { value: name, writable: true, configurable: true, enumerable: true });
  };
}
