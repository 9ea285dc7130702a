/**
 * The host's keyboard, reduced to a bounded queue of typed characters with subscribers. The BIOS
 * reads it for the MEBX hotkey (Ctrl-P); later a KVM session injects RFB key events here.
 */
import { ByteRing } from './byte-ring.js';
import { toBytes } from './serial.js';

/** Ctrl-P, the MEBX hotkey, as the byte a terminal sends for it. */
export const CONTROL_P = 0x10;

export class Keyboard {
  readonly #queue: ByteRing;
  readonly #listeners = new Set<() => void>();

  constructor(capacity = 256) {
    this.#queue = new ByteRing(capacity, 'drop-newest');
  }

  /** Types keys (characters or bytes, e.g. "\x10" for Ctrl-P); returns how many fit in the queue. */
  press(keys: Uint8Array | string): number {
    const accepted = this.#queue.push(toBytes(keys));
    if (accepted > 0) for (const listener of [...this.#listeners]) listener();
    return accepted;
  }

  /** Host side: takes every queued key. */
  take(): Uint8Array {
    return this.#queue.take();
  }

  /** Host side: subscribes to "a key was pressed"; returns the unsubscribe function. */
  onKey(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Keys lost because the queue was full. */
  get droppedKeys(): number {
    return this.#queue.dropped;
  }

  /** Power loss: forget queued keys. */
  reset(): void {
    this.#queue.clear();
  }
}
