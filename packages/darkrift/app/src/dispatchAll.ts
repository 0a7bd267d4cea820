import type { DarkRiftMessage } from "@darkrift/core";
import type { Dispatcher } from "./Dispatcher.js";

/** What {@link dispatchAll} counted. */
export interface DispatchAllResult {
  /** Messages a handler (class, tag or unknown) took. */
  handled: number;
  /** Messages no handler took. */
  unhandled: number;
}

/**
 * Feeds every message of an async-iterable source (e.g. a DarkRift client or server connection)
 * to a dispatcher, one at a time and in order, awaiting each handler. Resolves when the source ends;
 * rejects with the first conversion or handler error, after stopping the iteration (which calls the
 * source's `return()`; the caller decides whether to close the connection).
 *
 * ```ts
 * await dispatchAll(client, dispatcher, client);
 * ```
 */
export async function dispatchAll<Ctx>(source: AsyncIterable<DarkRiftMessage>, dispatcher: Dispatcher<Ctx>, ctx: Ctx): Promise<DispatchAllResult> {
  const result: DispatchAllResult = { handled: 0, unhandled: 0 };
  for await (const raw of source) {
    if (await dispatcher.dispatchAsync(raw, ctx)) result.handled++;
    else result.unhandled++;
  }
  return result;
}
