/**
 * Server nonces for Digest: 24 random bytes in base64 (32 characters, never `=` padding), each with
 * an issue time and a replay window over the nonce-counts (`nc`) already accepted with it.
 * Bounded: the oldest nonce is forgotten when the store is full (its client then gets `stale`).
 */
import { randomBytes } from 'node:crypto';

/** How many nc values below the highest one seen are still remembered (and so refused again). */
export const NC_WINDOW = 256;

export interface NonceStoreOptions {
  /** Lifetime of a nonce in milliseconds; after it the nonce is stale. */
  readonly lifetimeMs: number;
  /** Maximum number of outstanding nonces. */
  readonly capacity: number;
  readonly random?: (length: number) => Uint8Array;
}

interface NonceEntry {
  readonly issuedAt: number;
  highest: number;
  readonly seen: Set<number>;
  usedWithoutCount: boolean;
}

export type NonceLookup = 'fresh' | 'stale' | 'unknown';

export class NonceStore {
  readonly #entries = new Map<string, NonceEntry>();
  readonly #options: NonceStoreOptions;

  constructor(options: NonceStoreOptions) {
    this.#options = options;
  }

  /** Issues a new nonce at time `now` (ms). */
  issue(now: number): string {
    const bytes = this.#options.random?.(24) ?? randomBytes(24);
    const nonce = Buffer.from(bytes).toString('base64');
    while (this.#entries.size >= this.#options.capacity) {
      const oldest = this.#entries.keys().next();
      if (oldest.done === true) break;
      this.#entries.delete(oldest.value);
    }
    this.#entries.set(nonce, { issuedAt: now, highest: 0, seen: new Set(), usedWithoutCount: false });
    return nonce;
  }

  /** Whether `nonce` was issued by this store and is still within its lifetime. */
  lookup(nonce: string, now: number): NonceLookup {
    const entry = this.#entries.get(nonce);
    if (entry === undefined) return 'unknown';
    if (now - entry.issuedAt >= this.#options.lifetimeMs || now < entry.issuedAt) return 'stale';
    return 'fresh';
  }

  /**
   * Records a use of `nonce` with nonce-count `count` (undefined: a request without qop, which may
   * use the nonce once). Returns false when that count was already used or fell out of the window.
   */
  claim(nonce: string, count: number | undefined): boolean {
    const entry = this.#entries.get(nonce);
    if (entry === undefined) return false;
    if (count === undefined) {
      if (entry.usedWithoutCount) return false;
      entry.usedWithoutCount = true;
      return true;
    }
    if (count <= entry.highest - NC_WINDOW || entry.seen.has(count)) return false;
    entry.seen.add(count);
    if (count > entry.highest) this.#raise(entry, count);
    return true;
  }

  #raise(entry: NonceEntry, count: number): void {
    entry.highest = count;
    const floor = count - NC_WINDOW;
    if (entry.seen.size > 2 * NC_WINDOW) {
      for (const value of entry.seen) if (value <= floor) entry.seen.delete(value);
    }
  }

  get size(): number {
    return this.#entries.size;
  }
}
