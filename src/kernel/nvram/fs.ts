/**
 * The NVRAM file system the kernel mounts at boot: one instance per platform, no global state.
 * `mount` recovers from torn writes and refuses tampered or replayed partitions with typed errors;
 * `namespace` mints an app's handle with its quota; `format` is the deliberate reset.
 */
import { PartitionLayout } from './area.js';
import type { MonotonicCounter } from './counter.js';
import { NvramEngine, type NvramStats } from './engine.js';
import { NvramError } from './errors.js';
import type { NvramContext, NvramEventListener } from './events.js';
import { deriveMacKey } from './mac.js';
import { formatPartition, mountPartition } from './mount.js';
import { NvramNamespace } from './namespace.js';
import type { PartitionStore } from './store.js';
import { checkNamespace } from './validate.js';

export interface NvramMountOptions {
  readonly store: PartitionStore;
  /** The fuse secret the MAC key is derived from (at least 16 bytes). */
  readonly secret: Uint8Array;
  readonly counter: MonotonicCounter;
  readonly onEvent?: NvramEventListener;
}

export interface NamespaceOptions {
  /** Most bytes (keys + values + 4 per entry) the namespace may hold; unlimited if absent. */
  readonly quotaBytes?: number;
}

export class NvramFileSystem {
  readonly #engine: NvramEngine;

  private constructor(engine: NvramEngine) {
    this.#engine = engine;
  }

  /**
   * Mounts the partition: a fully erased one with the counter at 0 is formatted; otherwise it must
   * verify. @throws NvramError VME_ERR_NVRAM_INTEGRITY, VME_ERR_NVRAM_REPLAY, VME_ERR_NVRAM_ARGUMENT
   */
  static mount(options: NvramMountOptions): NvramFileSystem {
    const context = makeContext(options);
    return new NvramFileSystem(new NvramEngine(context, mountPartition(context)));
  }

  /** Wipes every namespace and starts an empty file system at counter + 1; repeat it if interrupted. */
  static format(options: NvramMountOptions): NvramFileSystem {
    const context = makeContext(options);
    return new NvramFileSystem(new NvramEngine(context, formatPartition(context, 'requested')));
  }

  /** Mints the handle for one app's namespace (kernel only); `quotaBytes` applies from now on. */
  namespace(name: string, options: NamespaceOptions = {}): NvramNamespace {
    checkNamespace(name);
    const quota = options.quotaBytes;
    if (quota !== undefined && (!Number.isSafeInteger(quota) || quota < 0)) {
      throw new NvramError('VME_ERR_NVRAM_ARGUMENT', `quota for ${name} must be a non-negative integer, got ${quota}`, { namespace: name, quota });
    }
    this.#engine.setQuota(name, quota);
    return new NvramNamespace(this.#engine, name);
  }

  /** Namespaces that hold at least one key. */
  namespaces(): string[] {
    return this.#engine.namespaces();
  }

  compact(): void {
    this.#engine.compact();
  }

  stats(): NvramStats {
    return this.#engine.stats();
  }
}

function makeContext(options: NvramMountOptions): NvramContext {
  const { store, counter } = options;
  const layout = new PartitionLayout(store.size, store.sectorSize);
  const listener = options.onEvent;
  return { store, counter, layout, key: deriveMacKey(options.secret), emit: (event) => listener?.(event) };
}
