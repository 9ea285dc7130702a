/**
 * A bounded byte FIFO: the UART's receive buffer and its transmit history. When full it either
 * refuses new bytes (a receive overrun, like a real 16550 FIFO) or forgets the oldest (a scroll-back
 * history), and counts what it lost. Memory is one fixed array, allocated on first use.
 */

/** What to do with bytes that do not fit. */
export type OverflowPolicy = 'drop-newest' | 'drop-oldest';

export class ByteRing {
  #bytes: Uint8Array | undefined;
  #start = 0;
  #length = 0;
  #dropped = 0;

  /** @throws RangeError when the capacity is not a positive integer. */
  constructor(readonly capacity: number, readonly policy: OverflowPolicy) {
    if (!Number.isSafeInteger(capacity) || capacity <= 0) throw new RangeError(`ring capacity must be a positive integer, got ${capacity}`);
  }

  get length(): number {
    return this.#length;
  }

  /** Bytes lost to overflow since creation. */
  get dropped(): number {
    return this.#dropped;
  }

  /** Appends `data`; returns how many of its bytes were stored (all of them under drop-oldest). */
  push(data: Uint8Array): number {
    const bytes = (this.#bytes ??= new Uint8Array(this.capacity));
    let source = data;
    if (this.policy === 'drop-newest') {
      source = data.subarray(0, Math.min(data.length, this.capacity - this.#length));
      this.#dropped += data.length - source.length;
    } else if (data.length > this.capacity) {
      this.#dropped += data.length - this.capacity;
      source = data.subarray(data.length - this.capacity);
    }
    const overflow = Math.max(0, this.#length + source.length - this.capacity);
    if (overflow > 0) {
      this.#dropped += overflow;
      this.#advance(overflow);
    }
    for (const byte of source) bytes[(this.#start + this.#length++) % this.capacity] = byte;
    return this.policy === 'drop-newest' ? source.length : data.length;
  }

  /** Removes and returns up to `max` bytes from the front. */
  take(max: number = this.#length): Uint8Array {
    const out = this.peek(Math.min(max, this.#length));
    this.#advance(out.length);
    return out;
  }

  /** Returns (without removing) up to `max` bytes from the front. */
  peek(max: number = this.#length): Uint8Array {
    const count = Math.min(max, this.#length);
    const out = new Uint8Array(count);
    for (let index = 0; index < count; index++) out[index] = this.#bytes?.[(this.#start + index) % this.capacity] ?? 0;
    return out;
  }

  /** Empties the ring (the drop counter is kept). */
  clear(): void {
    this.#start = 0;
    this.#length = 0;
  }

  #advance(count: number): void {
    this.#start = (this.#start + count) % this.capacity;
    this.#length -= count;
  }
}
