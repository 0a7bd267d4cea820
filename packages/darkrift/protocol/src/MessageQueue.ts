/**
 * An unbounded FIFO with promise-based consumers, used as a connection's receive queue (the
 * connection bounds it with its own flow control). Items pushed before `close()` are still
 * handed out; after that `next()` rejects with the close error and iteration ends.
 */
export class MessageQueue<T> {
  private items: (T | undefined)[] = [];
  private head = 0;
  private waiters: { resolve: (v: T) => void; reject: (e: unknown) => void }[] = [];
  private closeError: Error | undefined;

  /** Items waiting to be taken. */
  get length(): number {
    return this.items.length - this.head;
  }

  /** Whether `close()` was called. */
  get isClosed(): boolean {
    return this.closeError !== undefined;
  }

  /** Adds an item (handed straight to a waiting consumer if there is one). Ignored after close. */
  push(item: T): void {
    if (this.closeError) return;
    const waiter = this.waiters.shift();
    if (waiter) waiter.resolve(item);
    else this.items.push(item);
  }

  /** Takes the next item if one is waiting. */
  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head];
    this.items[this.head++] = undefined;
    if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  /** The next item; waits for one. Rejects with the close error once closed and empty. */
  next(): Promise<T> {
    if (this.head < this.items.length) return Promise.resolve(this.shift() as T);
    if (this.closeError) return Promise.reject(this.closeError);
    return new Promise<T>((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  /** Closes the queue: waiting consumers reject with `error`; queued items stay available. */
  close(error: Error): void {
    if (this.closeError) return;
    this.closeError = error;
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w.reject(error);
  }
}
