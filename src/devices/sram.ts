/**
 * The engine's SRAM: a per-platform budget of 4 KiB frames (256 KiB to 1 MiB). Frames are
 * accounted here but allocated lazily by whoever takes them, so an idle platform holds no SRAM
 * bytes. Pageable app pages (see engine-memory.ts) and pinned DMA buffers share the budget.
 */
import { EngineBuffer, type OwnerId } from './engine-buffer.js';
import { deviceFail } from './errors.js';

export const SRAM_PAGE_SIZE = 4096;
export const SRAM_MIN_BYTES = 256 * 1024;
export const SRAM_MAX_BYTES = 1024 * 1024;

/** Frame accounting for one engine's SRAM. */
export class Sram {
  readonly budgetBytes: number;
  readonly frameCount: number;
  #usedFrames = 0;

  /**
   * @param budgetBytes the SRAM size; 256 KiB to 1 MiB, a multiple of 4 KiB (default 512 KiB).
   * @throws DeviceError VME_ERR_SRAM_BUDGET when outside that range.
   */
  constructor(budgetBytes: number = 512 * 1024) {
    if (!Number.isSafeInteger(budgetBytes) || budgetBytes < SRAM_MIN_BYTES || budgetBytes > SRAM_MAX_BYTES || budgetBytes % SRAM_PAGE_SIZE !== 0) {
      deviceFail('VME_ERR_SRAM_BUDGET', `SRAM budget ${budgetBytes} is not a multiple of 4 KiB between 256 KiB and 1 MiB`, 'kernel', { budgetBytes });
    }
    this.budgetBytes = budgetBytes;
    this.frameCount = budgetBytes / SRAM_PAGE_SIZE;
  }

  get usedFrames(): number {
    return this.#usedFrames;
  }

  get freeFrames(): number {
    return this.frameCount - this.#usedFrames;
  }

  /** Takes `count` frames from the budget if that many are free; returns whether it did. */
  takeFrames(count: number): boolean {
    if (count > this.freeFrames) return false;
    this.#usedFrames += count;
    return true;
  }

  /** Gives `count` frames back to the budget. */
  giveFrames(count: number): void {
    if (count > this.#usedFrames) throw new Error(`SRAM accounting: giving back ${count} of ${this.#usedFrames} frames`);
    this.#usedFrames -= count;
  }

  /**
   * Allocates a pinned (never paged) buffer of `length` bytes for `owner`, e.g. a DMA target.
   * @throws DeviceError VME_ERR_MEMORY_EXHAUSTED when the budget has too few free frames.
   * @example const buffer = sram.allocateBuffer('amt', 16384);
   */
  allocateBuffer(owner: OwnerId, length: number): EngineBuffer {
    if (!Number.isSafeInteger(length) || length <= 0) throw new RangeError(`buffer length must be a positive integer, got ${length}`);
    const frames = Math.ceil(length / SRAM_PAGE_SIZE);
    if (!this.takeFrames(frames)) {
      deviceFail('VME_ERR_MEMORY_EXHAUSTED', `SRAM has ${this.freeFrames} free frames, buffer needs ${frames}`, 'app', { owner, frames });
    }
    return new EngineBuffer(owner, new Uint8Array(length), () => this.giveFrames(frames));
  }
}
