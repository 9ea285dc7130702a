/**
 * An engine buffer: a pinned piece of engine SRAM owned by one app, the engine-side end of DMA.
 * While a DMA transfer is in flight the buffer is *lent* to the DMA engine and every access by its
 * owner throws `VME_ERR_DMA_BUSY`: this is how the model enforces that the submitting side cannot
 * reuse its buffer until completion (the promise of the transfer settles first, then access works).
 */
import { deviceFail } from './errors.js';

/** Identifies the app (or kernel component) that owns a buffer, page or key. */
export type OwnerId = string;

let lendImplementation: ((buffer: EngineBuffer) => Uint8Array) | undefined;
let returnImplementation: ((buffer: EngineBuffer) => void) | undefined;

/** Pinned engine memory; create with `Sram.allocateBuffer`. */
export class EngineBuffer {
  #bytes: Uint8Array | undefined;
  #lent = false;
  readonly #onRelease: () => void;

  /** @internal Only `Sram.allocateBuffer` constructs buffers (it charges the SRAM budget). */
  constructor(
    readonly owner: OwnerId,
    bytes: Uint8Array,
    onRelease: () => void,
  ) {
    this.#bytes = bytes;
    this.#onRelease = onRelease;
  }

  static {
    lendImplementation = (buffer) => {
      const bytes = buffer.#usable();
      buffer.#lent = true;
      return bytes;
    };
    returnImplementation = (buffer) => {
      buffer.#lent = false;
    };
  }

  get length(): number {
    return this.#bytes?.length ?? 0;
  }

  /** True while a DMA transfer holds the buffer. */
  get lent(): boolean {
    return this.#lent;
  }

  /** True once released. */
  get released(): boolean {
    return this.#bytes === undefined;
  }

  /**
   * The buffer's bytes, for its owner to fill or read between transfers. Do not keep the view
   * across a DMA submission: the engine may write it until the transfer completes.
   * @throws DeviceError VME_ERR_DMA_BUSY while lent, VME_ERR_PAGE_ACCESS after release.
   */
  bytes(): Uint8Array {
    return this.#usable();
  }

  /**
   * Returns the buffer's SRAM to the budget; its contents are wiped.
   * @throws DeviceError VME_ERR_DMA_BUSY while lent.
   */
  release(): void {
    const bytes = this.#usable();
    bytes.fill(0);
    this.#bytes = undefined;
    this.#onRelease();
  }

  #usable(): Uint8Array {
    if (!this.#bytes) return deviceFail('VME_ERR_PAGE_ACCESS', 'engine buffer was released', 'app', { owner: this.owner });
    if (this.#lent) return deviceFail('VME_ERR_DMA_BUSY', 'engine buffer is lent to an in-flight DMA transfer', 'app', { owner: this.owner });
    return this.#bytes;
  }
}

/** For the DMA engine only: marks the buffer lent and returns its bytes. */
export function lendBuffer(buffer: EngineBuffer): Uint8Array {
  if (!lendImplementation) throw new Error('EngineBuffer not initialised');
  return lendImplementation(buffer);
}

/** For the DMA engine only: ends a loan started by `lendBuffer`. */
export function returnBuffer(buffer: EngineBuffer): void {
  returnImplementation?.(buffer);
}
