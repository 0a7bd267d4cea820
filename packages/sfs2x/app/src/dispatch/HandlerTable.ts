import type { SFSObject } from "@sfs2x/core";
import type { ModelSpec } from "../model/SFSModel.js";
import { parseUnion } from "../model/SFSModel.js";
import { decodeModel, planOf, type ModelPlan } from "../model/ModelPlan.js";
import type { ModelClass } from "../model/metadata.js";

/** @internal One registered handler. */
export interface Route<Ctx> {
  spec: ModelSpec | undefined;
  fn: (model: never, ctx: Ctx) => unknown;
  /** The plan of a single-model spec, resolved on first use. */
  plan?: ModelPlan;
}

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
}

/** @internal The handler's argument: the params parsed with the route's model(s), or raw. */
export function parseForRoute(route: { spec: ModelSpec | undefined; plan?: ModelPlan }, params: SFSObject): unknown {
  const spec = route.spec;
  if (spec === undefined) return params;
  if (route.plan !== undefined) return decodeModel(params, route.plan);
  if (!Array.isArray(spec)) return decodeModel(params, (route.plan = planOf(spec as ModelClass)));
  return parseUnion(spec, params);
}
