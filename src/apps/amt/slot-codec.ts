/**
 * How a WS-Man state slot is stored in the `amt` namespace: JSON text of `{ v: value, k?: 1 }`
 * (`k` = the slot survives Unprovision, so a reset knows it even for a slot this incarnation never
 * touched), byte arrays as `{ "$bytes": base64 }` so Uint8Array values round-trip. A value longer
 * than one NVRAM value (16 KiB) is split over `s:<name>`, `s:<name>#1`, `s:<name>#2`, ...; only
 * chunks whose bytes changed are rewritten. A stored value that does not decode raises
 * VME_ERR_AMT_STATE_CORRUPT naming its key.
 */
import { AmtStateError } from '../../amt-state/index.js';
import { sameBytes, type NvramCache } from './nvram-cache.js';

export const SLOT_KEY_PREFIX = 's:';
/** One NVRAM value at most (src/kernel/nvram/format.ts LIMITS.maxValueLength). */
export const SLOT_CHUNK_BYTES = 16 * 1024;
/** Longest value a slot may hold (the kernel's commit carries at most 48 KiB of values). */
export const SLOT_MAX_BYTES = 3 * SLOT_CHUNK_BYTES;
const BYTES_TAG = '$bytes';

export interface StoredSlot {
  readonly value: unknown;
  /** Marked `unprovision: 'keep'`. */
  readonly keep: boolean;
}

export const slotKey = (name: string, chunk = 0): string => `${SLOT_KEY_PREFIX}${name}${chunk === 0 ? '' : `#${chunk}`}`;

/** The slot's name of a chunk-0 key, else undefined. */
export function slotNameOf(key: string): string | undefined {
  if (!key.startsWith(SLOT_KEY_PREFIX) || /#[0-9]+$/.test(key)) return undefined;
  return key.slice(SLOT_KEY_PREFIX.length);
}

export function encodeSlot(stored: StoredSlot): Uint8Array {
  const text = JSON.stringify({ v: stored.value, ...(stored.keep ? { k: 1 } : {}) }, function (this: Record<string, unknown>, key, value: unknown) {
    const raw = this[key];
    return raw instanceof Uint8Array ? { [BYTES_TAG]: Buffer.from(raw.buffer, raw.byteOffset, raw.length).toString('base64') } : value;
  });
  return new TextEncoder().encode(text);
}

/** @throws AmtStateError VME_ERR_AMT_STATE_CORRUPT */
export function decodeSlot(key: string, bytes: Uint8Array): StoredSlot {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes), (_key, value: unknown) => revive(value));
  } catch {
    throw corrupt(key, 'not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw corrupt(key, 'not a slot record');
  const record = parsed as { v?: unknown; k?: unknown };
  return { value: record.v, keep: record.k === 1 };
}

function revive(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  const tagged = (value as Record<string, unknown>)[BYTES_TAG];
  if (keys.length !== 1 || typeof tagged !== 'string') return value;
  return Uint8Array.from(Buffer.from(tagged, 'base64'));
}

const corrupt = (key: string, reason: string): AmtStateError =>
  new AmtStateError('VME_ERR_AMT_STATE_CORRUPT', `AMT state value ${JSON.stringify(key)} is corrupt: ${reason}`, { key, reason });

/** The chunks of a stored slot, read through `read`; undefined when the slot was never written. */
export function readSlotBytes(read: (key: string) => Uint8Array | undefined, name: string): Uint8Array[] | undefined {
  const first = read(slotKey(name));
  if (first === undefined) return undefined;
  const chunks = [first];
  for (let next = read(slotKey(name, 1)); next !== undefined; next = read(slotKey(name, chunks.length))) chunks.push(next);
  return chunks;
}

/**
 * Stages `bytes` as the slot's chunks (unchanged chunks are not rewritten, surplus ones deleted).
 * @throws AmtStateError VME_ERR_AMT_STATE_ARGUMENT for a value over SLOT_MAX_BYTES.
 */
export function writeSlotBytes(cache: NvramCache, name: string, bytes: Uint8Array): void {
  if (bytes.length > SLOT_MAX_BYTES) {
    throw new AmtStateError('VME_ERR_AMT_STATE_ARGUMENT', `state slot ${JSON.stringify(name)} would hold ${bytes.length} bytes (at most ${SLOT_MAX_BYTES})`, { slot: name, length: bytes.length });
  }
  const count = Math.max(1, Math.ceil(bytes.length / SLOT_CHUNK_BYTES));
  for (let i = 0; i < count; i++) {
    const chunk = bytes.subarray(i * SLOT_CHUNK_BYTES, (i + 1) * SLOT_CHUNK_BYTES);
    const current = cache.get(slotKey(name, i));
    if (current === undefined || !sameBytes(current, chunk)) cache.put(slotKey(name, i), chunk);
  }
  deleteSlotBytes(cache, name, count);
}

/** Stages the deletion of the slot's chunks from `from` on (all of them by default). */
export function deleteSlotBytes(cache: NvramCache, name: string, from = 0): void {
  for (let i = from; cache.get(slotKey(name, i)) !== undefined; i++) cache.delete(slotKey(name, i));
}

export const joinChunks = (chunks: readonly Uint8Array[]): Uint8Array => (chunks.length === 1 ? (chunks[0] as Uint8Array) : Buffer.concat(chunks));
