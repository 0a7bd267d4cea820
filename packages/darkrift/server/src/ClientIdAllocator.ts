/** No ID is free: all 65536 are in use. */
export class NoFreeIdError extends Error {
  readonly code = "NO_FREE_ID";
  constructor() {
    super("all 65536 client IDs are in use");
    this.name = "NoFreeIdError";
  }
}

/**
 * Allocates uint16 client IDs as the C# `ClientManager` does: starting at 0, each new ID is the
 * next one after the last allocated (so IDs are not reused immediately), wrapping 65535 → 0 and
 * skipping IDs still in use.
 */
export class ClientIdAllocator {
  private last = 0xffff;
  private readonly inUse = new Set<number>();

  /** IDs currently in use. */
  get size(): number {
    return this.inUse.size;
  }

  /** Whether an ID is in use. */
  has(id: number): boolean {
    return this.inUse.has(id);
  }

  /** Reserves the next free ID. Throws {@link NoFreeIdError} when none is free. */
  reserve(): number {
    let id = this.last;
    for (let i = 0; i <= 0xffff; i++) {
      id = (id + 1) & 0xffff;
      if (!this.inUse.has(id)) {
        this.last = id;
        this.inUse.add(id);
        return id;
      }
    }
    throw new NoFreeIdError();
  }

  /** Returns an ID to the pool. */
  release(id: number): void {
    this.inUse.delete(id);
  }
}
