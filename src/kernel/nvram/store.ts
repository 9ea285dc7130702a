/**
 * The storage the NVRAM file system runs on: a fixed-size partition with sector erase. Kept tiny so
 * the flash controller can adapt to it. `MemoryPartitionStore` is the in-memory implementation,
 * optionally with NOR semantics (a write may only clear bits until the sector is erased).
 */
import { NvramError } from './errors.js';

export const ERASED_BYTE = 0xff;
export const DEFAULT_SECTOR_SIZE = 4096;

export interface PartitionStore {
  readonly size: number;
  /** Erase granularity in bytes (4096 for SPI NOR). */
  readonly sectorSize: number;
  /** A copy of `length` bytes at `offset`. */
  read(offset: number, length: number): Uint8Array;
  write(offset: number, data: Uint8Array): void;
  /** Sets the range to 0xFF; `offset` and `length` are sector-aligned. */
  erase(offset: number, length: number): void;
  /** Makes completed writes durable, where the medium needs it. */
  sync?(): void;
}

/** Throws unless [offset, offset+length) lies inside a store of `size` bytes. */
export function checkRange(size: number, offset: number, length: number, operation: string): void {
  const ok = Number.isInteger(offset) && Number.isInteger(length) && offset >= 0 && length >= 0 && offset + length <= size;
  if (!ok) throw new NvramError('VME_ERR_NVRAM_STORE', `${operation} [${offset}, +${length}) outside partition of ${size} bytes`, { operation, offset, length, size });
}

/** Throws unless the erase range is whole sectors. */
export function checkEraseAlignment(sectorSize: number, offset: number, length: number): void {
  if (offset % sectorSize !== 0 || length % sectorSize !== 0) {
    throw new NvramError('VME_ERR_NVRAM_STORE', `erase [${offset}, +${length}) is not aligned to ${sectorSize}-byte sectors`, { offset, length, sectorSize });
  }
}

export interface MemoryStoreOptions {
  readonly sectorSize?: number;
  /** Enforce NOR programming: a write that would turn a 0 bit into 1 is refused. */
  readonly nor?: boolean;
  /** Initial contents (copied); default all erased. */
  readonly contents?: Uint8Array;
}

export class MemoryPartitionStore implements PartitionStore {
  readonly sectorSize: number;
  readonly nor: boolean;
  readonly #bytes: Uint8Array;

  constructor(readonly size: number, options: MemoryStoreOptions = {}) {
    this.sectorSize = options.sectorSize ?? DEFAULT_SECTOR_SIZE;
    this.nor = options.nor ?? false;
    if (!Number.isInteger(size) || size <= 0 || size % this.sectorSize !== 0) {
      throw new NvramError('VME_ERR_NVRAM_ARGUMENT', `partition size ${size} is not a whole number of ${this.sectorSize}-byte sectors`, { size });
    }
    this.#bytes = new Uint8Array(size).fill(ERASED_BYTE);
    if (options.contents) this.#bytes.set(options.contents.subarray(0, size));
  }

  read(offset: number, length: number): Uint8Array {
    checkRange(this.size, offset, length, 'read');
    return this.#bytes.slice(offset, offset + length);
  }

  write(offset: number, data: Uint8Array): void {
    checkRange(this.size, offset, data.length, 'write');
    if (this.nor) this.#checkProgram(offset, data);
    this.#bytes.set(data, offset);
  }

  erase(offset: number, length: number): void {
    checkRange(this.size, offset, length, 'erase');
    checkEraseAlignment(this.sectorSize, offset, length);
    this.#bytes.fill(ERASED_BYTE, offset, offset + length);
  }

  /** A copy of the whole partition (for tests and image files). */
  snapshot(): Uint8Array {
    return this.#bytes.slice();
  }

  #checkProgram(offset: number, data: Uint8Array): void {
    for (let i = 0; i < data.length; i++) {
      const old = this.#bytes[offset + i] as number;
      const next = data[i] as number;
      if ((old & next) !== next) {
        throw new NvramError('VME_ERR_NVRAM_STORE', `NOR program at 0x${(offset + i).toString(16)} would set bits (0x${old.toString(16)} → 0x${next.toString(16)}); erase first`, {
          offset: offset + i, current: old, requested: next,
        });
      }
    }
  }
}
