/**
 * Compaction: the live set is written as snapshot records into the other area, then that area's
 * header (with generation + 1) is written last — the single write that makes it active — and only
 * then is the old area erased. A pending transaction can ride along (its sequence number is then
 * the snapshot's), which is how a commit that does not fit the active area's free space lands.
 */
import { eraseArea, encodeAreaHeader, inspectArea, otherArea, type AreaNumber } from './area.js';
import { NvramError } from './errors.js';
import type { ActiveState, NvramContext } from './events.js';
import { AreaHeader, LIMITS, RecordKind, operationSize } from './format.js';
import { NvramIndex, readEntry, valueDigest, type IndexEntry } from './index-map.js';
import { encodeRecord, valuePositions } from './record.js';
import type { TransactionOperation } from './validate.js';

export interface PendingCommit {
  readonly namespace: string;
  readonly operations: readonly TransactionOperation[];
}

export interface CompactionOptions {
  /** A transaction to apply in the same step (the new snapshot gets sequence + 1). */
  readonly pending?: PendingCommit;
  /** Give the snapshot sequence + 1 even without a transaction (format). */
  readonly bumpSequence?: boolean;
}

/** Adds one to the anti-replay counter and checks it now equals the sequence just made durable. */
export function advanceCounter(context: NvramContext, sequence: number): void {
  const value = context.counter.increment();
  if (value !== sequence) {
    throw new NvramError('VME_ERR_NVRAM_COUNTER', `anti-replay counter advanced to ${value}, expected ${sequence}`, { counter: value, sequence });
  }
}

export function compact(context: NvramContext, state: ActiveState, options: CompactionOptions = {}): ActiveState {
  const { store, layout } = context;
  const target = otherArea(state.area);
  const generation = state.generation + 1;
  const bump = options.pending !== undefined || options.bumpSequence === true;
  const sequence = bump ? state.sequence + 1 : state.sequence;
  eraseArea(store, layout, target);
  const writer = new SnapshotWriter(context, target, generation, sequence);
  copyLiveSet(context, state.index, writer, options.pending);
  const snapshotEnd = writer.finish();
  store.write(layout.areaOffset(target), encodeAreaHeader(context.key, layout, target, { generation, baseSequence: sequence, snapshotEnd }));
  store.sync?.();
  if (bump) advanceCounter(context, sequence);
  eraseArea(store, layout, state.area);
  store.sync?.();
  context.emit({ type: 'compacted', generation, sequence, snapshotBytes: snapshotEnd - AreaHeader.size });
  return { area: target, generation, sequence, writeOffset: layout.areaOffset(target) + snapshotEnd, index: writer.index };
}

function copyLiveSet(context: NvramContext, index: NvramIndex, writer: SnapshotWriter, pending?: PendingCommit): void {
  const names = new Set(index.names());
  if (pending) names.add(pending.namespace);
  for (const namespace of [...names].sort()) {
    const touched = new Set(pending?.namespace === namespace ? pending.operations.map((op) => op.key) : []);
    for (const [key, entry] of index.get(namespace)?.entries ?? []) {
      if (!touched.has(key)) writer.add(namespace, key, verifiedValue(context, namespace, key, entry));
    }
    if (pending?.namespace !== namespace) continue;
    for (const op of pending.operations) if (op.type === 'put') writer.add(namespace, op.key, op.value);
  }
}

function verifiedValue(context: NvramContext, namespace: string, key: string, entry: IndexEntry): Uint8Array {
  const value = readEntry(context.store, entry);
  if (value) return value;
  context.emit({ type: 'integrity-violation', offset: entry.offset, reason: `value of ${namespace}/${key} changed on flash` });
  throw new NvramError('VME_ERR_NVRAM_INTEGRITY', `value of ${namespace}/${key} at 0x${entry.offset.toString(16)} changed on flash since it was verified`, { namespace, key, offset: entry.offset });
}

/** Packs puts into snapshot records of at most `maxRecordPayload`, one namespace per record. */
class SnapshotWriter {
  readonly index = new NvramIndex();
  #at: number;
  #namespace = '';
  #payload = 0;
  #operations: { type: 'put'; key: string; value: Uint8Array }[] = [];

  constructor(readonly context: NvramContext, readonly area: AreaNumber, readonly generation: number, readonly sequence: number) {
    this.#at = context.layout.areaOffset(area) + AreaHeader.size;
  }

  add(namespace: string, key: string, value: Uint8Array): void {
    const size = operationSize(key.length, value.length);
    if (namespace !== this.#namespace || this.#payload + size > LIMITS.maxRecordPayload) this.#flush();
    if (this.#operations.length === 0) this.#payload = namespace.length;
    this.#namespace = namespace;
    this.#operations.push({ type: 'put', key, value });
    this.#payload += size;
  }

  /** Writes what is buffered; returns the snapshot end relative to the area start. */
  finish(): number {
    this.#flush();
    return this.#at - this.context.layout.areaOffset(this.area);
  }

  #flush(): void {
    if (this.#operations.length === 0) return;
    const { store, key } = this.context;
    const record = { kind: RecordKind.snapshot, namespace: this.#namespace, operations: this.#operations, sequence: this.sequence, generation: this.generation };
    const bytes = encodeRecord(key, this.#at, record);
    store.write(this.#at, bytes);
    valuePositions(this.#namespace, this.#operations).forEach((position, i) => {
      const op = this.#operations[i];
      if (op) this.index.set(this.#namespace, op.key, { offset: this.#at + position, length: op.value.length, digest: valueDigest(op.value) });
    });
    this.#at += bytes.length;
    this.#operations = [];
  }
}

/** The highest generation among valid area headers (0 if none), so a format outranks them all. */
export function highestGeneration(context: NvramContext): number {
  let generation = 0;
  for (const area of [0, 1] as const) {
    const state = inspectArea(context.store, context.key, context.layout, area);
    if (state.kind === 'valid') generation = Math.max(generation, state.header.generation);
  }
  return generation;
}
