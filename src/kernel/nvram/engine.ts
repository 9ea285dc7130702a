/**
 * The mounted file system's working core: reads through the index, commits by appending one MAC'd
 * record (or by compacting with the transaction when the active area is full), and enforces the
 * partition and quota limits before anything is written. Any storage failure during an update
 * leaves the instance stale: the caller must mount again, which recovers from flash.
 */
import { NvramError, type NvramErrorCode } from './errors.js';
import type { ActiveState, NvramContext } from './events.js';
import { LIMITS, RecordKind, recordSize } from './format.js';
import { readEntry, valueDigest } from './index-map.js';
import { compact, advanceCounter } from './compaction.js';
import { encodeRecord, payloadLength, valuePositions } from './record.js';
import { checkKey, checkTransaction, type TransactionOperation } from './validate.js';

const MAX_SEQUENCE = 0xffffffff;

export interface NvramStats {
  readonly generation: number;
  readonly sequence: number;
  readonly activeArea: number;
  readonly capacityBytes: number;
  readonly usedBytes: number;
  readonly entries: number;
}

export class NvramEngine {
  #state: ActiveState;
  #stale = false;
  readonly #quotas = new Map<string, number>();

  constructor(readonly context: NvramContext, state: ActiveState) {
    this.#state = state;
  }

  setQuota(namespace: string, quotaBytes: number | undefined): void {
    if (quotaBytes === undefined) this.#quotas.delete(namespace);
    else this.#quotas.set(namespace, quotaBytes);
  }

  quota(namespace: string): number | undefined {
    return this.#quotas.get(namespace);
  }

  usage(namespace: string): number {
    return this.#state.index.usage(namespace);
  }

  get(namespace: string, key: string): Uint8Array | undefined {
    this.#checkUsable();
    checkKey(key);
    const entry = this.#state.index.get(namespace)?.entries.get(key);
    if (!entry) return undefined;
    const value = readEntry(this.context.store, entry);
    if (value) return value;
    this.context.emit({ type: 'integrity-violation', offset: entry.offset, reason: `value of ${namespace}/${key} changed on flash` });
    throw new NvramError('VME_ERR_NVRAM_INTEGRITY', `value of ${namespace}/${key} at 0x${entry.offset.toString(16)} changed on flash since it was verified`, { namespace, key, offset: entry.offset });
  }

  has(namespace: string, key: string): boolean {
    this.#checkUsable();
    checkKey(key);
    return this.#state.index.get(namespace)?.entries.has(key) ?? false;
  }

  keys(namespace: string, prefix = ''): string[] {
    this.#checkUsable();
    return [...(this.#state.index.get(namespace)?.entries.keys() ?? [])].filter((key) => key.startsWith(prefix)).sort();
  }

  namespaces(): string[] {
    return this.#state.index.names();
  }

  commit(namespace: string, operations: readonly TransactionOperation[]): void {
    this.#checkUsable();
    checkTransaction(operations);
    const payload = payloadLength(namespace, operations);
    if (payload > LIMITS.maxRecordPayload) {
      throw new NvramError('VME_ERR_NVRAM_ARGUMENT', `transaction encodes to ${payload} bytes, over the ${LIMITS.maxRecordPayload}-byte record limit`, { namespace, payload });
    }
    this.#checkLimits(namespace, operations);
    const state = this.#state;
    if (state.sequence >= MAX_SEQUENCE) this.#reject(namespace, new NvramError('VME_ERR_NVRAM_FULL', `NVRAM sequence numbers are exhausted at ${state.sequence}; format to continue`, { sequence: state.sequence }));
    const fits = state.writeOffset + recordSize(payload) <= this.context.layout.areaEnd(state.area);
    this.#update(() => (fits ? this.#append(namespace, operations) : compact(this.context, state, { pending: { namespace, operations } })));
  }

  compact(): void {
    this.#checkUsable();
    this.#update(() => compact(this.context, this.#state));
  }

  stats(): NvramStats {
    const { layout } = this.context;
    const state = this.#state;
    return {
      generation: state.generation, sequence: state.sequence, activeArea: state.area, capacityBytes: layout.capacity,
      usedBytes: state.writeOffset - layout.areaOffset(state.area) - (layout.areaSize - layout.capacity), entries: state.index.entryCount(),
    };
  }

  #checkLimits(namespace: string, operations: readonly TransactionOperation[]): void {
    const index = this.#state.index;
    const after = index.usageAfter(namespace, operations);
    const quota = this.#quotas.get(namespace);
    if (quota !== undefined && after > quota && after > index.usage(namespace)) {
      this.#reject(namespace, new NvramError('VME_ERR_NVRAM_QUOTA', `namespace ${namespace} would use ${after} bytes, over its quota of ${quota}`, { namespace, usage: after, quota }));
    }
    const bound = index.snapshotBound(namespace, after);
    if (bound > this.context.layout.capacity) {
      this.#reject(namespace, new NvramError('VME_ERR_NVRAM_FULL', `NVRAM full: live data would need up to ${bound} bytes, the area holds ${this.context.layout.capacity}`, { namespace, needed: bound, capacity: this.context.layout.capacity }));
    }
  }

  #reject(namespace: string, error: NvramError): never {
    this.context.emit({ type: 'commit-rejected', namespace, code: error.code as NvramErrorCode });
    throw error;
  }

  #append(namespace: string, operations: readonly TransactionOperation[]): ActiveState {
    const { store, key } = this.context;
    const state = this.#state;
    const sequence = state.sequence + 1;
    const bytes = encodeRecord(key, state.writeOffset, { kind: RecordKind.commit, namespace, operations, sequence, generation: state.generation });
    store.write(state.writeOffset, bytes);
    store.sync?.();
    advanceCounter(this.context, sequence);
    const positions = valuePositions(namespace, operations);
    operations.forEach((op, i) => {
      if (op.type === 'delete') state.index.remove(namespace, op.key);
      else state.index.set(namespace, op.key, { offset: state.writeOffset + (positions[i] ?? 0), length: op.value.length, digest: valueDigest(op.value) });
    });
    return { ...state, sequence, writeOffset: state.writeOffset + bytes.length };
  }

  #update(step: () => ActiveState): void {
    try {
      this.#state = step();
    } catch (e) {
      this.#stale = true;
      throw e;
    }
  }

  #checkUsable(): void {
    if (this.#stale) throw new NvramError('VME_ERR_NVRAM_STALE', 'NVRAM instance is stale after a storage failure; mount again');
  }
}
