/**
 * UMA: the region of host DRAM the host BIOS reserves for the engine at DRAM-init-done. The engine
 * pages out to it, but the host can read and write it, so every page is sealed with AES-256-GCM
 * under a per-boot key: nonce = page id ‖ version, AAD = "vme-uma" ‖ page id ‖ version ‖ slot.
 * The version counter lives in engine memory (see engine-memory.ts), so a modified, swapped or
 * replayed page fails authentication at page-in and its plaintext is never released.
 *
 * Layout of a region of S slots: S ciphertext slots of 4 KiB from `base`, then a table of S
 * 16-byte tags. S = floor(size / (4096 + 16)).
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { HOST_PAGE_SIZE, type HostDram } from './host-dram.js';
import { deviceFail } from './errors.js';

export const UMA_PAGE_SIZE = 4096;
const TAG_SIZE = 16;
const CIPHER = 'aes-256-gcm';

/** Where the host placed UMA. */
export interface UmaRegion {
  readonly base: number;
  readonly size: number;
  readonly slotCount: number;
}

/** UMA state for a snapshot: region, free slots and the per-boot key (in memory only: it is secret). */
export interface UmaSnapshot {
  readonly region: UmaRegion | undefined;
  readonly freeSlots: readonly number[];
  readonly nextSlot: number;
  readonly key: Uint8Array;
}

/** The sealed page store in host DRAM. */
export class Uma {
  readonly #dram: HostDram;
  #key: Buffer = randomBytes(32);
  #region: UmaRegion | undefined;
  #freeSlots: number[] = [];
  #nextSlot = 0;

  constructor(dram: HostDram) {
    this.#dram = dram;
  }

  /** The reserved region, or undefined while the engine runs degraded (no DRAM-init-done yet). */
  get region(): UmaRegion | undefined {
    return this.#region;
  }

  /**
   * Host BIOS call at DRAM-init-done: reserve `[base, base + size)` of host DRAM as UMA.
   * @throws DeviceError VME_ERR_UMA_RESERVE when misaligned, outside DRAM, under one slot or repeated.
   * @example uma.reserveUma(0xF000_0000, 16 * 1024 * 1024);
   */
  reserveUma(base: number, size: number): void {
    const fail = (why: string): never => deviceFail('VME_ERR_UMA_RESERVE', `UMA reservation [${base}, +${size}): ${why}`, 'host', { base, size });
    if (this.#region) fail('UMA is already reserved');
    if (!Number.isSafeInteger(base) || !Number.isSafeInteger(size) || base < 0) fail('not integers');
    if (base % HOST_PAGE_SIZE !== 0 || size % HOST_PAGE_SIZE !== 0) fail('not 4 KiB aligned');
    if (base + size > this.#dram.size) fail(`beyond host DRAM of ${this.#dram.size} bytes`);
    const slotCount = Math.floor(size / (UMA_PAGE_SIZE + TAG_SIZE));
    if (slotCount < 1) fail('smaller than one page slot');
    this.#region = { base, size, slotCount };
  }

  /** True when `[address, address + length)` intersects the UMA region. */
  overlaps(address: number, length: number): boolean {
    const region = this.#region;
    return region !== undefined && address < region.base + region.size && region.base < address + length;
  }

  /** Host physical address of a slot's ciphertext (for diagnostics and host-attack tests). */
  slotAddress(slot: number): number {
    return this.#need().base + slot * UMA_PAGE_SIZE;
  }

  /** Host physical address of a slot's 16-byte tag. */
  tagAddress(slot: number): number {
    const region = this.#need();
    return region.base + region.slotCount * UMA_PAGE_SIZE + slot * TAG_SIZE;
  }

  /**
   * Takes a free slot.
   * @throws DeviceError VME_ERR_UMA_UNAVAILABLE before reservation, VME_ERR_MEMORY_EXHAUSTED when full.
   */
  allocateSlot(): number {
    const region = this.#need();
    const reused = this.#freeSlots.pop();
    if (reused !== undefined) return reused;
    if (this.#nextSlot >= region.slotCount) deviceFail('VME_ERR_MEMORY_EXHAUSTED', `all ${region.slotCount} UMA slots are in use`, 'app');
    return this.#nextSlot++;
  }

  freeSlot(slot: number): void {
    this.#freeSlots.push(slot);
  }

  /** Encrypts `plaintext` (one page) as version `version` of page `pageId` into `slot`. */
  seal(slot: number, pageId: number, version: number, plaintext: Uint8Array): void {
    const cipher = createCipheriv(CIPHER, this.#key, nonce(pageId, version));
    cipher.setAAD(additionalData(pageId, version, slot));
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    this.#dram.copyIn(this.slotAddress(slot), ciphertext);
    this.#dram.copyIn(this.tagAddress(slot), cipher.getAuthTag());
  }

  /**
   * Reads, authenticates and decrypts version `version` of page `pageId` from `slot` into `target`.
   * `target` is written only after the tag verified; on failure no plaintext escapes.
   * @throws DeviceError VME_ERR_UMA_INTEGRITY (blame: host) when the slot was modified, swapped or replayed.
   */
  open(slot: number, pageId: number, version: number, target: Uint8Array): void {
    const ciphertext = this.#dram.read(this.slotAddress(slot), UMA_PAGE_SIZE);
    const tag = this.#dram.read(this.tagAddress(slot), TAG_SIZE);
    const decipher = createDecipheriv(CIPHER, this.#key, nonce(pageId, version));
    decipher.setAAD(additionalData(pageId, version, slot));
    decipher.setAuthTag(tag);
    const plaintext = decipher.update(ciphertext);
    try {
      decipher.final();
    } catch {
      plaintext.fill(0);
      deviceFail('VME_ERR_UMA_INTEGRITY', `UMA page ${pageId} (version ${version}, slot ${slot}) failed authentication`, 'host', { pageId, version, slot });
    }
    target.set(plaintext);
    plaintext.fill(0);
  }

  snapshot(): UmaSnapshot {
    return { region: this.#region, freeSlots: [...this.#freeSlots], nextSlot: this.#nextSlot, key: Uint8Array.from(this.#key) };
  }

  restore(snapshot: UmaSnapshot): void {
    this.#region = snapshot.region;
    this.#freeSlots = [...snapshot.freeSlots];
    this.#nextSlot = snapshot.nextSlot;
    this.#key = Buffer.from(snapshot.key);
  }

  #need(): UmaRegion {
    return this.#region ?? deviceFail('VME_ERR_UMA_UNAVAILABLE', 'no UMA reserved: the host has not sent DRAM-init-done', 'host');
  }
}

/** 96-bit GCM nonce: page id (32 bits) ‖ version (64 bits); unique per key because versions only grow. */
function nonce(pageId: number, version: number): Buffer {
  const out = Buffer.alloc(12);
  out.writeUInt32BE(pageId, 0);
  out.writeBigUInt64BE(BigInt(version), 4);
  return out;
}

function additionalData(pageId: number, version: number, slot: number): Buffer {
  const out = Buffer.alloc(7 + 16);
  out.write('vme-uma', 0, 'latin1');
  out.writeUInt32BE(pageId, 7);
  out.writeBigUInt64BE(BigInt(version), 11);
  out.writeUInt32BE(slot, 19);
  return out;
}
