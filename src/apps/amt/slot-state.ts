/**
 * `WsmanState` over the AMT app's NVRAM cache: each slot one record (slot-codec.ts), the
 * provisioning slots views of the amt-state records (backed-slots.ts). Reads are synchronous
 * (the cache is in memory) and decoded values are reused until the stored bytes change; writes are
 * staged in the cache and reach NVRAM with the request's one commit. A state built on the
 * committed view is read-only: what the Digest directory reads, so a login never sees a request's
 * uncommitted change. Volatile slots (the host-based setup ConfigurationNonce, fresh at every read)
 * live in memory only: reading a setup service must not cost an NVRAM write.
 */
import type { SlotInfo, StateSlot, WsmanState } from '../../amt/wsman/state.js';
import { definedSlot } from '../../amt/wsman/state.js';
import { CONFIGURATION_NONCE } from '../../amt/wsman/classes/provisioning.js';
import { BACKED_SLOTS } from './backed-slots.js';
import type { CacheView, NvramCache } from './nvram-cache.js';
import { decodeSlot, deleteSlotBytes, encodeSlot, joinChunks, readSlotBytes, SLOT_KEY_PREFIX, slotKey, slotNameOf, writeSlotBytes } from './slot-codec.js';

/** Slots kept in memory only (per incarnation), never written to NVRAM. */
export const VOLATILE_SLOTS: ReadonlySet<string> = new Set([CONFIGURATION_NONCE.name]);

interface Decoded {
  readonly chunks: readonly Uint8Array[];
  readonly value: unknown;
}

export class NvramWsmanState implements WsmanState {
  readonly #cache: NvramCache;
  readonly #view: CacheView;
  readonly #writable: boolean;
  readonly #decoded = new Map<string, Decoded>();
  readonly #volatile = new Map<string, unknown>();
  /** Slot objects seen in this incarnation (their `unprovision` flag, for `reset`). */
  readonly #known = new Map<string, SlotInfo>();

  /** `committed`: read NVRAM as committed, refuse writes. */
  constructor(cache: NvramCache, options: { readonly committed?: boolean } = {}) {
    this.#cache = cache;
    this.#writable = options.committed !== true;
    this.#view = this.#writable ? cache : cache.committedView;
  }

  get<T>(slot: StateSlot<T>): T {
    this.#known.set(slot.name, slot);
    if (VOLATILE_SLOTS.has(slot.name)) return (this.#volatile.has(slot.name) ? this.#volatile.get(slot.name) : slot.initial()) as T;
    const backed = BACKED_SLOTS.get(slot.name);
    if (backed !== undefined) return backed.read(this.#view) as T;
    const chunks = readSlotBytes((key) => this.#view.get(key), slot.name) ?? [];
    const held = this.#decoded.get(slot.name);
    if (held !== undefined && sameChunks(held.chunks, chunks)) return held.value as T;
    const value = chunks.length === 0 ? slot.initial() : decodeSlot(slotKey(slot.name), joinChunks(chunks)).value;
    this.#decoded.set(slot.name, { chunks, value });
    return value as T;
  }

  set<T>(slot: StateSlot<T>, value: T): void {
    if (!this.#writable) throw new TypeError(`state slot ${slot.name}: this view of the AMT state is read-only`);
    this.#known.set(slot.name, slot);
    if (VOLATILE_SLOTS.has(slot.name)) return void this.#volatile.set(slot.name, value);
    const backed = BACKED_SLOTS.get(slot.name);
    if (backed !== undefined) return backed.write(this.#cache, value);
    writeSlotBytes(this.#cache, slot.name, encodeSlot({ value, keep: slot.unprovision === 'keep' }));
  }

  /** Every slot this state holds or knows (stored, seen, backed) that `filter` selects goes back to its default. */
  reset(filter: (slot: SlotInfo) => boolean): void {
    if (!this.#writable) throw new TypeError('this view of the AMT state is read-only');
    const stored = this.#cache.list(SLOT_KEY_PREFIX).flatMap((key) => slotNameOf(key) ?? []);
    for (const name of new Set([...stored, ...this.#known.keys(), ...BACKED_SLOTS.keys(), ...VOLATILE_SLOTS])) {
      if (!filter(this.#info(name))) continue;
      if (VOLATILE_SLOTS.has(name)) this.#volatile.delete(name);
      const backed = BACKED_SLOTS.get(name);
      if (backed !== undefined) backed.reset(this.#cache);
      else if (!VOLATILE_SLOTS.has(name)) deleteSlotBytes(this.#cache, name);
    }
  }

  /** What a reset filter sees: the slot object if known, else the `keep` mark stored with the value. */
  #info(name: string): SlotInfo {
    const known = this.#known.get(name) ?? definedSlot(name);
    if (known !== undefined) return known;
    const chunks = readSlotBytes((key) => this.#cache.get(key), name);
    return chunks !== undefined && decodeSlot(slotKey(name), joinChunks(chunks)).keep ? { name, unprovision: 'keep' } : { name };
  }
}

function sameChunks(a: readonly Uint8Array[], b: readonly Uint8Array[]): boolean {
  return a.length === b.length && a.every((chunk, i) => chunk === b[i]);
}
