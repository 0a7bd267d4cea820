/** A listener of event `K` of an event map. */
export type Listener<Args extends unknown[]> = (...args: Args) => void;

/**
 * A tiny browser-safe typed event emitter (no Node `events`). `Events` maps event names to
 * their argument tuples:
 *
 * ```ts
 * const e = new TypedEmitter<{ message: [Message]; close: [CloseInfo] }>();
 * const off = e.on("message", (m) => console.log(m.action));
 * e.emit("message", msg);
 * off();
 * ```
 *
 * A listener that throws does not stop the others nor the emitter's caller: its error goes to
 * the `onListenerError` handler given to the constructor, or, by default, is rethrown on a
 * microtask (so it surfaces as an uncaught error instead of disappearing).
 */
export class TypedEmitter<Events extends { [K in keyof Events]: unknown[] }> {
  private readonly listeners = new Map<keyof Events, Listener<never>[]>();

  constructor(private readonly onListenerError?: (error: unknown, event: keyof Events) => void) {}

  /** Adds a listener; returns a function that removes it. */
  on<K extends keyof Events>(event: K, listener: Listener<Events[K]>): () => void {
    const list = this.listeners.get(event);
    // Copy on write: emit() may be iterating the current list.
    this.listeners.set(event, list ? [...list, listener as Listener<never>] : [listener as Listener<never>]);
    return () => this.off(event, listener);
  }

  /** Adds a listener called at most once. */
  once<K extends keyof Events>(event: K, listener: Listener<Events[K]>): () => void {
    const off = this.on(event, ((...args: Events[K]) => {
      off();
      listener(...args);
    }) as Listener<Events[K]>);
    return off;
  }

  /** Removes a listener (no-op when absent). */
  off<K extends keyof Events>(event: K, listener: Listener<Events[K]>): void {
    const list = this.listeners.get(event);
    if (!list) return;
    const i = list.indexOf(listener as Listener<never>);
    if (i < 0) return;
    const next = list.slice();
    next.splice(i, 1);
    if (next.length) this.listeners.set(event, next);
    else this.listeners.delete(event);
  }

  /** Calls the listeners of `event` in the order they were added; returns whether there were any. */
  emit<K extends keyof Events>(event: K, ...args: Events[K]): boolean {
    const list = this.listeners.get(event);
    if (!list) return false;
    for (const l of list) {
      try {
        (l as unknown as Listener<Events[K]>)(...args);
      } catch (error) {
        if (this.onListenerError) this.onListenerError(error, event);
        else
          queueMicrotask(() => {
            throw error;
          });
      }
    }
    return true;
  }

  /** Number of listeners of `event`. */
  listenerCount(event: keyof Events): number {
    return this.listeners.get(event)?.length ?? 0;
  }

  /** Removes every listener (of one event, or of all). */
  removeAllListeners(event?: keyof Events): void {
    if (event === undefined) this.listeners.clear();
    else this.listeners.delete(event);
  }
}
