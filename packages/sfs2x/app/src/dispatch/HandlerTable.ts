import type { SFSObject } from "@sfs2x/core";
import type { ModelSpec } from "../model/SFSModel.js";
import { parseUnion } from "../model/SFSModel.js";
import { decodeModel, planOf, type ModelPlan } from "../model/ModelPlan.js";
import type { ModelClass } from "../model/metadata.js";
import { boundMethod, extensionTarget, getHandlerDeclarations, type HandlerDeclaration } from "./decorators.js";

/** @internal One registered handler. */
export interface Route<Ctx> {
  spec: ModelSpec | undefined;
  fn: RouteFn<Ctx>;
  /** The plan of a single-model spec, resolved on first use. */
  plan?: ModelPlan;
}

/** @internal A handler as the table stores it: the model type is erased. */
export type RouteFn<Ctx> = (model: never, ctx: Ctx) => unknown;

/** @internal How each side registers the declaration kinds that are not table routes. */
export type DeclaredHooks = {
  [K in Exclude<HandlerDeclaration["kind"], "extension" | "system">]?: (fn: (...args: unknown[]) => unknown) => () => void;
};

/** @internal Key of a system route: controller and action in one number. */
export const systemKey = (controller: number, action: number): number => controller * 65536 + (action & 0xffff);

/**
 * @internal Handlers by system action and by extension command, plus catch-alls. `unique`
 * tables (the server's) refuse a second handler for the same key: a request has one answer.
 */
export class HandlerTable<Ctx> {
  readonly system = new Map<number, Route<Ctx>[]>();
  readonly extension = new Map<string, Route<Ctx>[]>();
  readonly fallback: Route<Ctx>[] = [];

  constructor(private readonly unique: boolean) {}

  private add<K>(map: Map<K, Route<Ctx>[]>, key: K, route: Route<Ctx>, label: string): () => void {
    const list = map.get(key);
    if (list !== undefined && list.length > 0 && this.unique) throw new Error(`a handler for ${label} is already registered`);
    map.set(key, list ? [...list, route] : [route]);
    return () => {
      const now = map.get(key);
      if (!now) return;
      const next = now.filter((r) => r !== route);
      if (next.length) map.set(key, next);
      else map.delete(key);
    };
  }

  addSystem(controller: number, action: number, route: Route<Ctx>): () => void {
    return this.add(this.system, systemKey(controller, action), route, `system action ${controller}/${action}`);
  }

  addExtension(command: string, route: Route<Ctx>): () => void {
    return this.add(this.extension, command, route, `extension command "${command}"`);
  }

  addFallback(route: Route<Ctx>): () => void {
    this.fallback.push(route);
    return () => {
      const i = this.fallback.indexOf(route);
      if (i >= 0) this.fallback.splice(i, 1);
    };
  }

  // The bodies of the client's and the server's public registration overloads (the overload
  // declarations and their TSDoc stay on each class: they differ only in the handler type).

  /** `onExtension(command, model, h)`, `onExtension(BoundModel, h)` or raw `onExtension(command, h)`. */
  onExtension(a: string | ModelClass, b: ModelSpec | RouteFn<Ctx>, c?: RouteFn<Ctx>): () => void {
    const t = extensionTarget(a, c === undefined ? undefined : (b as ModelSpec));
    return this.addExtension(t.command, { spec: t.spec, fn: c ?? (b as RouteFn<Ctx>) });
  }

  /** `on(action, model, h, controller?)` or raw `on(action, h)` (controller 0). */
  on(action: number, b: ModelSpec | RouteFn<Ctx>, c?: RouteFn<Ctx>, controller = 0): () => void {
    if (c === undefined) return this.addSystem(0, action, { spec: undefined, fn: b as RouteFn<Ctx> });
    return this.addSystem(controller, action, { spec: b as ModelSpec, fn: c });
  }

  /** The raw catch-all: the handler gets the `Message` itself. */
  onMessage<M>(handler: (message: M, ctx: Ctx) => unknown): () => void {
    return this.addFallback({ spec: undefined, fn: handler as RouteFn<Ctx> });
  }

  /**
   * The body of `register(handlers)`: installs every decorated method of `handlers`, bound to it.
   * `@onExtension` / `@onSystem` go into this table; the other kinds go through `hooks` (each
   * side's own public methods). A kind without a hook is a server-side decorator used on the
   * client: it throws. All or nothing: a declaration that fails undoes the ones installed before it.
   */
  register(handlers: object, hooks: DeclaredHooks): () => void {
    const offs: (() => void)[] = [];
    try {
      for (const d of getHandlerDeclarations(handlers)) {
        const fn = boundMethod(handlers, d.method);
        if (d.kind === "extension") offs.push(this.addExtension(d.command, { spec: d.spec, fn }));
        else if (d.kind === "system") offs.push(this.addSystem(d.controller, d.action, { spec: d.spec, fn }));
        else {
          const hook = hooks[d.kind];
          if (hook === undefined) throw new TypeError(`@on${d.kind[0]!.toUpperCase()}${d.kind.slice(1)}() is a server-side handler`);
          offs.push(hook(fn));
        }
      }
    } catch (e) {
      for (const off of offs) off();
      throw e;
    }
    return () => {
      for (const off of offs) off();
    };
  }
}

/** @internal The handler's argument: the params parsed with the route's model(s), or raw. */
export function parseForRoute(route: { spec: ModelSpec | undefined; plan?: ModelPlan }, params: SFSObject): unknown {
  const spec = route.spec;
  if (spec === undefined) return params;
  if (route.plan !== undefined) return decodeModel(params, route.plan);
  if (!Array.isArray(spec)) return decodeModel(params, (route.plan = planOf(spec as ModelClass)));
  return parseUnion(spec, params);
}
