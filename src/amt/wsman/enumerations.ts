/**
 * Enumeration contexts between Enumerate and Pull/Release (brief §2.4). Enumerate snapshots the
 * instances; Pull hands them out (all at once unless MaxElements says otherwise) and forgets the
 * context at the end. Contexts expire, are bound to the user who opened them, and are bounded in
 * number (the oldest is dropped first). Names look like AMT's: a little-endian counter in the
 * first 8 hex digits, e.g. `8A000000-0000-0000-0000-000000000000`.
 */
import type { Instance } from './declaration.js';
import type { RegisteredClass } from './registry.js';

export interface EnumerationOptions {
  /** Idle lifetime of a context (ms). */
  readonly lifetimeMs: number;
  /** Open contexts kept at most. */
  readonly maxContexts: number;
  readonly clock: () => number;
}

export const DEFAULT_ENUMERATION_OPTIONS: Omit<EnumerationOptions, 'clock'> = { lifetimeMs: 60_000, maxContexts: 64 };

interface Open {
  readonly cls: RegisteredClass;
  readonly user: string;
  readonly items: readonly Instance[];
  offset: number;
  expires: number;
}

export class EnumerationContexts {
  readonly #open = new Map<string, Open>();
  #counter = 0;

  constructor(readonly options: EnumerationOptions) {}

  get size(): number {
    return this.#open.size;
  }

  /** Opens a context over `items`; returns its name. */
  open(cls: RegisteredClass, user: string, items: readonly Instance[]): string {
    this.#sweep();
    while (this.#open.size >= this.options.maxContexts) this.#open.delete(this.#open.keys().next().value as string);
    this.#counter = (this.#counter + 1) >>> 0 || 1;
    const name = `${Buffer.from(Uint32Array.of(this.#counter).buffer).toString('hex').toUpperCase()}-0000-0000-0000-000000000000`;
    this.#open.set(name, { cls, user, items, offset: 0, expires: this.options.clock() + this.options.lifetimeMs });
    return name;
  }

  /**
   * Up to `max` further items of the context, and whether it is finished (then it is gone).
   * Undefined for an unknown, expired, other user's or other class's context.
   */
  pull(name: string, cls: RegisteredClass | undefined, user: string, max: number | undefined): { items: readonly Instance[]; cls: RegisteredClass; done: boolean } | undefined {
    const open = this.#find(name, cls, user);
    if (open === undefined) return undefined;
    const end = max === undefined ? open.items.length : Math.min(open.items.length, open.offset + Math.max(1, max));
    const items = open.items.slice(open.offset, end);
    open.offset = end;
    open.expires = this.options.clock() + this.options.lifetimeMs;
    const done = end >= open.items.length;
    if (done) this.#open.delete(name);
    return { items, cls: open.cls, done };
  }

  /** Forgets a context; false if there was none (for this user and class). */
  release(name: string, cls: RegisteredClass | undefined, user: string): boolean {
    if (this.#find(name, cls, user) === undefined) return false;
    return this.#open.delete(name);
  }

  #find(name: string, cls: RegisteredClass | undefined, user: string): Open | undefined {
    this.#sweep();
    const open = this.#open.get(name);
    if (open === undefined || open.user !== user || (cls !== undefined && cls !== open.cls)) return undefined;
    return open;
  }

  #sweep(): void {
    const now = this.options.clock();
    for (const [name, open] of this.#open) if (open.expires <= now) this.#open.delete(name);
  }
}
