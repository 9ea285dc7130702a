/**
 * An app's handle on its own NVRAM namespace. The kernel mints it; it holds the engine privately and
 * takes only keys, never a namespace name, so there is no way to name another app's records.
 */
import type { NvramEngine } from './engine.js';
import type { TransactionOperation } from './validate.js';

export interface NamespaceUsage {
  readonly bytes: number;
  readonly quotaBytes: number | undefined;
}

export class NvramNamespace {
  readonly #engine: NvramEngine;

  /** Minted by `NvramFileSystem.namespace`; apps receive handles, never construct them. */
  constructor(engine: NvramEngine, readonly name: string) {
    this.#engine = engine;
  }

  /** The value, or undefined when the key is absent. */
  get(key: string): Uint8Array | undefined {
    return this.#engine.get(this.name, key);
  }

  has(key: string): boolean {
    return this.#engine.has(this.name, key);
  }

  put(key: string, value: Uint8Array): void {
    this.#engine.commit(this.name, [{ type: 'put', key, value }]);
  }

  /** Deletes the key; returns false (and writes nothing) when it was absent. */
  delete(key: string): boolean {
    if (!this.#engine.has(this.name, key)) return false;
    this.#engine.commit(this.name, [{ type: 'delete', key }]);
    return true;
  }

  /** Keys starting with `prefix`, sorted. */
  list(prefix = ''): string[] {
    return this.#engine.keys(this.name, prefix);
  }

  /** Applies every operation, or none (one MAC'd record). */
  commit(operations: readonly TransactionOperation[]): void {
    this.#engine.commit(this.name, operations);
  }

  usage(): NamespaceUsage {
    return { bytes: this.#engine.usage(this.name), quotaBytes: this.#engine.quota(this.name) };
  }
}
