/**
 * Pageable engine memory: apps allocate 4 KiB pages; resident pages sit in SRAM frames, and when
 * SRAM is full the least recently used page is sealed out to UMA (see uma.ts). Each page's version
 * counter and slot live here, in engine memory the host cannot reach; page-in checks the seal and
 * a failure faults the page for good (`VME_ERR_UMA_INTEGRITY`) instead of continuing silently.
 * Before the host reserves UMA the engine runs degraded: SRAM-only allocations still work and
 * anything that needs a page-out fails with `VME_ERR_UMA_UNAVAILABLE`.
 */
import type { OwnerId } from './engine-buffer.js';
import { DeviceError, deviceFail } from './errors.js';
import type { Sram } from './sram.js';
import { UMA_PAGE_SIZE, type Uma } from './uma.js';

export const PAGE_SIZE = UMA_PAGE_SIZE;

/** An app's reference to one of its pages; meaningful only together with its owner. */
export interface PageHandle {
  readonly id: number;
}

/** Where a page is now (diagnostics and host-attack tests). */
export type PageLocation = { readonly resident: true } | { readonly resident: false; readonly slot: number };

interface PageRecord {
  readonly id: number;
  readonly owner: OwnerId;
  frame: Uint8Array | undefined;
  slot: number | undefined;
  /** Version of the sealed copy in UMA; grows at every page-out. */
  version: number;
  fault: DeviceError | undefined;
}

/** Counters for the status tool. */
export interface PagingCounters {
  pageIns: number;
  pageOuts: number;
  integrityFaults: number;
}

/** Engine memory state for a snapshot (page contents and versions; in memory only). */
export interface EngineMemorySnapshot {
  readonly pages: readonly Readonly<PageRecord>[];
  readonly nextId: number;
  readonly counters: PagingCounters;
}

/** Pages of engine memory over SRAM frames and sealed UMA slots, with LRU eviction. */
export class EngineMemory {
  readonly #sram: Sram;
  readonly #uma: Uma;
  readonly #pages = new Map<number, PageRecord>();
  /** Resident pages in least-recently-used-first order (Map keeps insertion order). */
  readonly #resident = new Map<number, PageRecord>();
  #nextId = 1;
  readonly counters: PagingCounters = { pageIns: 0, pageOuts: 0, integrityFaults: 0 };

  constructor(sram: Sram, uma: Uma) {
    this.#sram = sram;
    this.#uma = uma;
  }

  /**
   * Allocates a zeroed page for `owner`, paging out the least recently used page if SRAM is full.
   * @throws DeviceError VME_ERR_UMA_UNAVAILABLE (SRAM full, no UMA) or VME_ERR_MEMORY_EXHAUSTED.
   */
  allocate(owner: OwnerId): PageHandle {
    const frame = this.#takeFrame();
    const record: PageRecord = { id: this.#nextId++, owner, frame, slot: undefined, version: 0, fault: undefined };
    this.#pages.set(record.id, record);
    this.#resident.set(record.id, record);
    return { id: record.id };
  }

  /** Frees a page (resident or paged out, faulted or not). @throws DeviceError VME_ERR_PAGE_ACCESS */
  free(owner: OwnerId, handle: PageHandle): void {
    const record = this.#record(owner, handle);
    if (record.frame) {
      record.frame.fill(0);
      this.#sram.giveFrames(1);
    }
    if (record.slot !== undefined) this.#uma.freeSlot(record.slot);
    this.#resident.delete(record.id);
    this.#pages.delete(record.id);
  }

  /**
   * Reads `length` bytes at `offset` of a page (paging it in if needed).
   * @throws DeviceError VME_ERR_PAGE_ACCESS, VME_ERR_UMA_INTEGRITY, VME_ERR_UMA_UNAVAILABLE, VME_ERR_MEMORY_EXHAUSTED
   */
  read(owner: OwnerId, handle: PageHandle, offset: number, length: number): Uint8Array {
    checkWithinPage(offset, length);
    return this.#frameOf(owner, handle).slice(offset, offset + length);
  }

  /** Writes `data` at `offset` of a page (paging it in if needed). @throws as `read` */
  write(owner: OwnerId, handle: PageHandle, offset: number, data: Uint8Array): void {
    checkWithinPage(offset, data.length);
    this.#frameOf(owner, handle).set(data, offset);
  }

  /** Where a page is now. @throws DeviceError VME_ERR_PAGE_ACCESS for an unknown page. */
  locate(handle: PageHandle): PageLocation {
    const record = this.#pages.get(handle.id) ?? deviceFail('VME_ERR_PAGE_ACCESS', `no page ${handle.id}`, 'app');
    return record.frame ? { resident: true } : { resident: false, slot: record.slot ?? -1 };
  }

  get residentPages(): number {
    return this.#resident.size;
  }

  snapshot(): EngineMemorySnapshot {
    const pages = [...this.#pages.values()].map((r) => ({ ...r, frame: r.frame?.slice() }));
    return { pages, nextId: this.#nextId, counters: { ...this.counters } };
  }

  /**
   * Replaces all pages with a snapshot's (restore the Uma and HostDram snapshots of the same moment too).
   * @throws DeviceError VME_ERR_MEMORY_EXHAUSTED when SRAM cannot hold the snapshot's resident pages.
   */
  restore(snapshot: EngineMemorySnapshot): void {
    const resident = snapshot.pages.filter((r) => r.frame !== undefined).length;
    this.#sram.giveFrames(this.#resident.size);
    if (!this.#sram.takeFrames(resident)) {
      this.#sram.takeFrames(this.#resident.size);
      deviceFail('VME_ERR_MEMORY_EXHAUSTED', `SRAM cannot hold the snapshot's ${resident} resident pages`, 'kernel');
    }
    this.#pages.clear();
    this.#resident.clear();
    for (const page of snapshot.pages) {
      const record = { ...page, frame: page.frame?.slice() };
      this.#pages.set(record.id, record);
      if (record.frame) this.#resident.set(record.id, record);
    }
    this.#nextId = snapshot.nextId;
    Object.assign(this.counters, snapshot.counters);
  }

  #record(owner: OwnerId, handle: PageHandle): PageRecord {
    const record = this.#pages.get(handle.id);
    if (!record || record.owner !== owner) {
      return deviceFail('VME_ERR_PAGE_ACCESS', `page ${handle.id} is not a page of ${owner}`, 'app', { owner, page: handle.id });
    }
    return record;
  }

  #frameOf(owner: OwnerId, handle: PageHandle): Uint8Array {
    const record = this.#record(owner, handle);
    if (record.fault) throw record.fault;
    if (!record.frame) this.#pageIn(record);
    this.#resident.delete(record.id);
    this.#resident.set(record.id, record);
    return record.frame ?? deviceFail('VME_ERR_INTERNAL', 'page-in left no frame', 'kernel');
  }

  #pageIn(record: PageRecord): void {
    const slot = record.slot ?? deviceFail('VME_ERR_INTERNAL', `page ${record.id} has neither frame nor slot`, 'kernel');
    const frame = this.#takeFrame();
    try {
      this.#uma.open(slot, record.id, record.version, frame);
    } catch (error) {
      this.#sram.giveFrames(1);
      if (error instanceof DeviceError) this.#faultPage(record, error);
      throw error;
    }
    record.frame = frame;
    this.counters.pageIns++;
  }

  #faultPage(record: PageRecord, cause: DeviceError): void {
    this.counters.integrityFaults++;
    record.fault = new DeviceError(cause.code, `${cause.message}; page of ${record.owner} is lost`, 'host', { ...cause.details, owner: record.owner });
    if (record.slot !== undefined) this.#uma.freeSlot(record.slot);
    record.slot = undefined;
  }

  /** A zeroed frame from SRAM, paging out the least recently used page if none is free. */
  #takeFrame(): Uint8Array {
    if (this.#sram.takeFrames(1)) return new Uint8Array(PAGE_SIZE);
    const victim = this.#resident.values().next().value;
    if (!victim) return deviceFail('VME_ERR_MEMORY_EXHAUSTED', 'SRAM is full of pinned buffers; nothing to page out', 'app');
    const frame = this.#pageOut(victim);
    frame.fill(0);
    return frame;
  }

  /** Seals `victim` to UMA and returns its frame (still charged to SRAM, now for the new user). */
  #pageOut(victim: PageRecord): Uint8Array {
    const frame = victim.frame ?? deviceFail('VME_ERR_INTERNAL', 'evicting a page with no frame', 'kernel');
    const slot = victim.slot ?? this.#uma.allocateSlot();
    this.#uma.seal(slot, victim.id, victim.version + 1, frame);
    victim.version++;
    victim.slot = slot;
    victim.frame = undefined;
    this.#resident.delete(victim.id);
    this.counters.pageOuts++;
    return frame;
  }
}

function checkWithinPage(offset: number, length: number): void {
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > PAGE_SIZE) {
    deviceFail('VME_ERR_PAGE_ACCESS', `access [${offset}, +${length}) is outside a ${PAGE_SIZE}-byte page`, 'app', { offset, length });
  }
}
