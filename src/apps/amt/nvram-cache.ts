/**
 * The AMT app's view of its NVRAM namespace `amt`: read whole at open (list + get), then served
 * synchronously from memory. Writes are staged; `flush()` sends everything staged as ONE atomic
 * NVRAM commit (all or nothing, also across a power loss) and `rollback()` drops it, so the state
 * seen after a failed request is the state before it. AmtStateStore (PTHI, MEBX) and the WS-Man
 * slot state both sit on one cache, so the host interface and the network interface read the same
 * bytes. Not concurrency-safe by itself: the app serializes requests (mutex.ts).
 */
import type { NvramOperation } from '../../kernel/app-api.js';

type Awaitable<T> = T | Promise<T>;

/** What the cache needs of the namespace: an app's `context.nvram`, or a kernel handle in tests. */
export interface CacheBackend {
  get(key: string): Awaitable<Uint8Array | undefined>;
  list(prefix?: string): Awaitable<string[]>;
  commit(operations: readonly NvramOperation[]): Awaitable<void>;
}

/** Reads of one view of the namespace: as the current request sees it, or as NVRAM holds it. */
export interface CacheView {
  get(key: string): Uint8Array | undefined;
  /** Keys starting with `prefix`, sorted. */
  list(prefix?: string): string[];
}

/** `null` marks a staged delete. */
type Staged = Uint8Array | null;

export class NvramCache {
  readonly #backend: CacheBackend;
  readonly #committed: Map<string, Uint8Array>;
  readonly #staged = new Map<string, Staged>();

  private constructor(backend: CacheBackend, committed: Map<string, Uint8Array>) {
    this.#backend = backend;
    this.#committed = committed;
  }

  /** Loads every key of the namespace. */
  static async open(backend: CacheBackend): Promise<NvramCache> {
    const committed = new Map<string, Uint8Array>();
    for (const key of await backend.list()) {
      const value = await backend.get(key);
      if (value !== undefined) committed.set(key, value);
    }
    return new NvramCache(backend, committed);
  }

  /** The value as the current request sees it (staged changes included). */
  get(key: string): Uint8Array | undefined {
    const staged = this.#staged.get(key);
    return staged === undefined ? this.#committed.get(key) : staged ?? undefined;
  }

  /** The value as it is in NVRAM (staged changes ignored). */
  committed(key: string): Uint8Array | undefined {
    return this.#committed.get(key);
  }

  put(key: string, value: Uint8Array): void {
    this.#staged.set(key, Uint8Array.from(value));
  }

  delete(key: string): boolean {
    const existed = this.get(key) !== undefined;
    this.#staged.set(key, null);
    return existed;
  }

  /** Keys (staged view) starting with `prefix`, sorted. */
  list(prefix = ''): string[] {
    const keys = new Set([...this.#committed.keys()].filter((key) => key.startsWith(prefix)));
    for (const [key, value] of this.#staged) {
      if (!key.startsWith(prefix)) continue;
      if (value === null) keys.delete(key);
      else keys.add(key);
    }
    return [...keys].sort();
  }

  /** The view of NVRAM as committed (what another request, or the next boot, sees). */
  readonly committedView: CacheView = {
    get: (key) => this.#committed.get(key),
    list: (prefix = '') => [...this.#committed.keys()].filter((key) => key.startsWith(prefix)).sort(),
  };

  /** Stages the operations together (they reach NVRAM at the next `flush`, with everything else staged). */
  commit(operations: readonly NvramOperation[]): void {
    for (const operation of operations) {
      if (operation.type === 'put') this.put(operation.key, operation.value);
      else this.delete(operation.key);
    }
  }

  /** True while something is staged. */
  get dirty(): boolean {
    return this.#staged.size > 0;
  }

  /** The staged changes that differ from NVRAM, as one transaction. */
  pending(): NvramOperation[] {
    const operations: NvramOperation[] = [];
    for (const [key, value] of this.#staged) {
      const current = this.#committed.get(key);
      if (value === null) {
        if (current !== undefined) operations.push({ type: 'delete', key });
      } else if (current === undefined || !sameBytes(current, value)) {
        operations.push({ type: 'put', key, value });
      }
    }
    return operations;
  }

  /**
   * Writes everything staged in one atomic commit. On failure the staged changes are dropped (the
   * cache is back to what NVRAM holds) and the error is rethrown.
   */
  async flush(): Promise<void> {
    const operations = this.pending();
    if (operations.length === 0) return this.rollback();
    try {
      await this.#backend.commit(operations);
    } catch (error) {
      this.rollback();
      throw error;
    }
    for (const operation of operations) {
      if (operation.type === 'put') this.#committed.set(operation.key, operation.value);
      else this.#committed.delete(operation.key);
    }
    this.#staged.clear();
  }

  /** Drops every staged change. */
  rollback(): void {
    this.#staged.clear();
  }
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.from(a.buffer, a.byteOffset, a.length).equals(Buffer.from(b.buffer, b.byteOffset, b.length));
}
