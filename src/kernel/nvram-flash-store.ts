/**
 * The NVRAM file system's storage on real flash: a `PartitionStore` over the MFS data partition,
 * reached through the flash controller as the ME master (so the descriptor's access rules apply
 * to the engine too). Offsets are partition-relative; flash errors become NVRAM store errors.
 */
import { VmeError } from '../common/errors.js';
import type { FlashController } from '../flash/index.js';
import { NvramError, type PartitionStore } from './nvram/index.js';

export const MFS_SECTOR_SIZE = 4096;

export class FlashPartitionStore implements PartitionStore {
  readonly sectorSize = MFS_SECTOR_SIZE;

  /** `offset` and `size`: the partition inside the ME region (from `$FPT`). */
  constructor(readonly controller: FlashController, readonly offset: number, readonly size: number) {
    if (offset % MFS_SECTOR_SIZE !== 0 || size % MFS_SECTOR_SIZE !== 0 || size <= 0) {
      throw new NvramError('VME_ERR_NVRAM_ARGUMENT', `MFS partition 0x${offset.toString(16)}+0x${size.toString(16)} is not sector-aligned`, { offset, size });
    }
  }

  read(offset: number, length: number): Uint8Array {
    this.#check(offset, length, 'read');
    return this.#flash(() => this.controller.read('me', 'me', this.offset + offset, length));
  }

  write(offset: number, data: Uint8Array): void {
    this.#check(offset, data.length, 'write');
    this.#flash(() => this.controller.write('me', 'me', this.offset + offset, data));
  }

  erase(offset: number, length: number): void {
    this.#check(offset, length, 'erase');
    this.#flash(() => this.controller.erase('me', 'me', this.offset + offset, length));
  }

  sync(): void {
    this.#flash(() => this.controller.backing.sync());
  }

  #check(offset: number, length: number, operation: string): void {
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > this.size) {
      throw new NvramError('VME_ERR_NVRAM_STORE', `${operation} [${offset}, +${length}) outside the ${this.size}-byte MFS partition`, { operation, offset, length });
    }
  }

  #flash<T>(operation: () => T): T {
    try {
      return operation();
    } catch (error) {
      if (error instanceof NvramError || !(error instanceof VmeError)) throw error;
      throw new NvramError('VME_ERR_NVRAM_STORE', `flash refused the NVRAM access: ${error.message}`, { flashError: error.code });
    }
  }
}
