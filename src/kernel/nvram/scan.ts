/**
 * Reads the active area at mount: the snapshot (which must be intact: its header was written after
 * it) and then the commit log up to the first record that is missing, torn or fails its MAC. What
 * follows the last valid record is reported as `damage`; the caller decides with the anti-replay
 * counter whether that is a torn write (discarded) or tampering (refused).
 */
import { NvramError } from './errors.js';
import { AreaHeader, RecordHeader, RecordKind, recordSize, type AreaHeaderValue, type RecordHeaderValue } from './format.js';
import { firstNonErased, type AreaNumber, type PartitionLayout } from './area.js';
import { NvramIndex, valueDigest } from './index-map.js';
import { decodeRecord, parseRecordHeader, type DecodedRecord } from './record.js';
import type { PartitionStore } from './store.js';

export interface LogState {
  readonly index: NvramIndex;
  /** Sequence number of the last valid record (the snapshot's if the log is empty). */
  readonly sequence: number;
  /** Absolute offset where the next record goes. */
  readonly writeOffset: number;
  /** The first non-erased byte after the last valid record, if any. */
  readonly damage?: { readonly offset: number; readonly reason: string };
}

interface ScanContext {
  readonly store: PartitionStore;
  readonly key: Buffer;
  readonly areaEnd: number;
  readonly generation: number;
}

type ReadResult = { ok: true; record: DecodedRecord; bytes: Uint8Array } | { ok: false; reason: string };

export function readArea(store: PartitionStore, key: Buffer, layout: PartitionLayout, area: AreaNumber, header: AreaHeaderValue): LogState {
  const start = layout.areaOffset(area);
  const context: ScanContext = { store, key, areaEnd: layout.areaEnd(area), generation: header.generation };
  const index = new NvramIndex();
  readSnapshot(context, index, start + AreaHeader.size, start + header.snapshotEnd, header.baseSequence);
  return readLog(context, index, start + header.snapshotEnd, header.baseSequence);
}

function readSnapshot(context: ScanContext, index: NvramIndex, from: number, end: number, sequence: number): void {
  for (let at = from; at < end;) {
    const result = readRecord(context, at, end);
    const problem = !result.ok ? result.reason : snapshotProblem(result.record.header, context.generation, sequence);
    if (problem !== undefined || !result.ok) {
      throw new NvramError('VME_ERR_NVRAM_INTEGRITY', `NVRAM snapshot record at 0x${at.toString(16)} is damaged: ${problem ?? 'unreadable'}`, { offset: at, reason: problem });
    }
    if (result.record.operations.some((op) => op.type !== 'put')) {
      throw new NvramError('VME_ERR_NVRAM_INTEGRITY', `NVRAM snapshot record at 0x${at.toString(16)} holds a delete`, { offset: at });
    }
    apply(index, result.record, result.bytes, at);
    at += result.record.size;
  }
}

function snapshotProblem(header: RecordHeaderValue, generation: number, sequence: number): string | undefined {
  if (header.kind !== RecordKind.snapshot) return `kind ${header.kind} inside the snapshot`;
  if (header.generation !== generation) return `generation ${header.generation}, area has ${generation}`;
  if (header.sequence !== sequence) return `sequence ${header.sequence}, snapshot has ${sequence}`;
  return undefined;
}

function readLog(context: ScanContext, index: NvramIndex, from: number, baseSequence: number): LogState {
  let sequence = baseSequence;
  let at = from;
  for (;;) {
    const tail = firstNonErased(context.store, at, Math.min(RecordHeader.size, context.areaEnd - at));
    if (tail < 0) {
      const rest = firstNonErased(context.store, at, context.areaEnd - at);
      if (rest < 0) return { index, sequence, writeOffset: at };
      return { index, sequence, writeOffset: at, damage: { offset: rest, reason: 'bytes after the end of the log' } };
    }
    const result = readRecord(context, at, context.areaEnd);
    const problem = !result.ok ? result.reason : logProblem(result.record.header, context.generation, sequence + 1);
    if (problem !== undefined || !result.ok) return { index, sequence, writeOffset: at, damage: { offset: at, reason: problem ?? 'unreadable' } };
    apply(index, result.record, result.bytes, at);
    sequence += 1;
    at += result.record.size;
  }
}

function logProblem(header: RecordHeaderValue, generation: number, sequence: number): string | undefined {
  if (header.kind !== RecordKind.commit) return `kind ${header.kind} in the commit log`;
  if (header.generation !== generation) return `generation ${header.generation}, area has ${generation}`;
  if (header.sequence !== sequence) return `sequence ${header.sequence}, expected ${sequence}`;
  return undefined;
}

/** Reads and verifies one record at `at` that must end by `end`. */
function readRecord(context: ScanContext, at: number, end: number): ReadResult {
  if (at + RecordHeader.size > end) return { ok: false, reason: 'record header past the end' };
  const parsed = parseRecordHeader(context.store.read(at, RecordHeader.size));
  if (!parsed.ok) return parsed;
  const size = recordSize(parsed.header.payloadLength);
  if (at + size > end) return { ok: false, reason: `record of ${size} bytes runs past the end` };
  const bytes = context.store.read(at, size);
  const decoded = decodeRecord(context.key, at, bytes, parsed.header);
  return decoded.ok ? { ok: true, record: decoded.record, bytes } : decoded;
}

function apply(index: NvramIndex, record: DecodedRecord, bytes: Uint8Array, recordOffset: number): void {
  for (const op of record.operations) {
    if (op.type === 'delete') {
      index.remove(record.namespace, op.key);
      continue;
    }
    const local = op.valueOffset - recordOffset;
    const digest = valueDigest(bytes.subarray(local, local + op.valueLength));
    index.set(record.namespace, op.key, { offset: op.valueOffset, length: op.valueLength, digest });
  }
}
