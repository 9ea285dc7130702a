/**
 * The in-memory index of a mounted file system: for each namespace, key → where the value lies on
 * flash (offset, length) and a digest to re-check it on read. Values themselves stay on flash, so
 * an instance costs about 100 bytes per key, not a copy of the partition.
 */
import { createHash } from 'node:crypto';
import { LIMITS, MAC_SIZE, RecordHeader, operationSize } from './format.js';
import type { PartitionStore } from './store.js';
import type { TransactionOperation } from './validate.js';

export interface IndexEntry {
  /** Absolute partition offset of the value. */
  readonly offset: number;
  readonly length: number;
  /** First 16 bytes of the value's SHA-256. */
  readonly digest: Uint8Array;
}

export const valueDigest = (value: Uint8Array): Uint8Array => createHash('sha256').update(value).digest().subarray(0, 16);

const MAX_OPERATION = operationSize(LIMITS.maxKeyLength, LIMITS.maxValueLength);

/** Upper bound of the bytes a namespace's snapshot records take (greedy packing into records). */
export function snapshotBytesBound(namespaceLength: number, usage: number): number {
  if (usage === 0) return 0;
  const records = 1 + Math.floor(usage / (LIMITS.maxRecordPayload - namespaceLength - MAX_OPERATION));
  return usage + records * (RecordHeader.size + namespaceLength + MAC_SIZE);
}

export class NamespaceIndex {
  readonly entries = new Map<string, IndexEntry>();
  /** Sum of encoded operation sizes of the live entries (what quotas count). */
  usage = 0;
}

export class NvramIndex {
  readonly #namespaces = new Map<string, NamespaceIndex>();

  get(namespace: string): NamespaceIndex | undefined {
    return this.#namespaces.get(namespace);
  }

  names(): string[] {
    return [...this.#namespaces.keys()].filter((name) => (this.#namespaces.get(name)?.entries.size ?? 0) > 0).sort();
  }

  set(namespace: string, key: string, entry: IndexEntry): void {
    let space = this.#namespaces.get(namespace);
    if (!space) this.#namespaces.set(namespace, (space = new NamespaceIndex()));
    this.remove(namespace, key);
    space.entries.set(key, entry);
    space.usage += operationSize(key.length, entry.length);
  }

  remove(namespace: string, key: string): void {
    const space = this.#namespaces.get(namespace);
    const old = space?.entries.get(key);
    if (!space || !old) return;
    space.entries.delete(key);
    space.usage -= operationSize(key.length, old.length);
  }

  usage(namespace: string): number {
    return this.#namespaces.get(namespace)?.usage ?? 0;
  }

  /** The namespace's usage once `operations` were applied. */
  usageAfter(namespace: string, operations: readonly TransactionOperation[]): number {
    const entries = this.#namespaces.get(namespace)?.entries;
    let usage = this.usage(namespace);
    for (const op of operations) {
      const old = entries?.get(op.key);
      if (old) usage -= operationSize(op.key.length, old.length);
      if (op.type === 'put') usage += operationSize(op.key.length, op.value.length);
    }
    return usage;
  }

  /** Bound of the snapshot size, with `namespace` at `usageOverride` if given. */
  snapshotBound(namespace?: string, usageOverride?: number): number {
    let total = 0;
    const names = new Set(this.#namespaces.keys());
    if (namespace !== undefined) names.add(namespace);
    for (const name of names) {
      const usage = name === namespace && usageOverride !== undefined ? usageOverride : this.usage(name);
      total += snapshotBytesBound(name.length, usage);
    }
    return total;
  }

  entryCount(): number {
    let count = 0;
    for (const space of this.#namespaces.values()) count += space.entries.size;
    return count;
  }
}

/** Reads an entry's value from flash and checks it against the digest taken when it was verified. */
export function readEntry(store: PartitionStore, entry: IndexEntry): Uint8Array | undefined {
  const value = store.read(entry.offset, entry.length);
  const digest = valueDigest(value);
  return digest.every((b, i) => b === entry.digest[i]) ? value : undefined;
}
