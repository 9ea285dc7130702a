/**
 * One direction's circular buffer (H_CB_WW → ME, or ME_CB_RW → host): `depth` dword slots with
 * free-running 8-bit read and write pointers, as H_CSR/ME_CSR_HA expose them. A fragment takes one
 * header slot plus ceil(length/4) data slots, so the largest fragment is depth×4 − 4 bytes.
 * [brief me-internals §3.1 "Slot arithmetic"; Linux hw-me.c `mei_me_count_full_read_slots`]
 */
import { MEI_HEADER_BYTES, MEI_HEADER_MAX_LENGTH, readHeaderWord, unpackMeiHeader } from './header.js';

const ZEROS = new Uint8Array(4);

/** H_CBD on current chipsets is 128 dwords. */
export const DEFAULT_BUFFER_DEPTH = 128;

/** The outcome of reading one fragment; `corrupt` means the pointers and header disagree. */
export type BufferRead = { readonly kind: 'empty' } | { readonly kind: 'fragment'; readonly frame: Uint8Array } | { readonly kind: 'corrupt'; readonly reason: string };

export class CircularBuffer {
  readonly depth: number;
  /** The slots as bytes (slot n = bytes 4n..4n+3, little-endian), so fragments move with two copies at most. */
  readonly #slots: Uint8Array;
  /** Where a fragment that wraps past the end is read out contiguously (reused: see `read`). */
  readonly #unwrapped: Uint8Array;
  #readPointer = 0;
  #writePointer = 0;

  /**
   * @throws RangeError unless depth is a power of two from 16 (the largest HBM, HOST_ENUM's 40-byte
   * response, must fit one fragment) to 128 (the pointers are 8-bit).
   */
  constructor(depth = DEFAULT_BUFFER_DEPTH) {
    if (!Number.isInteger(depth) || depth < 16 || depth > 128 || (depth & (depth - 1)) !== 0) {
      throw new RangeError(`circular buffer depth must be a power of two from 16 to 128 dwords, got ${depth}`);
    }
    this.depth = depth;
    this.#slots = new Uint8Array(depth * 4);
    this.#unwrapped = new Uint8Array(depth * 4);
  }

  /** The largest fragment payload: the header shares the buffer (depth×4 − 4), capped by the 9-bit length. */
  get maxFragmentBytes(): number {
    return Math.min(this.depth * 4 - MEI_HEADER_BYTES, MEI_HEADER_MAX_LENGTH);
  }

  get filledSlots(): number {
    return (this.#writePointer - this.#readPointer) & 0xff;
  }

  get emptySlots(): number {
    return this.depth - this.filledSlots;
  }

  /** The CSR view of this buffer: depth, write pointer, read pointer (bits 31:24, 23:16, 15:8). */
  get pointers(): { depth: number; writePointer: number; readPointer: number } {
    return { depth: this.depth, writePointer: this.#writePointer, readPointer: this.#readPointer };
  }

  /** Slots a frame of `frameBytes` (header included) occupies. */
  static slotsFor(frameBytes: number): number {
    return Math.ceil(frameBytes / 4);
  }

  /**
   * Pushes one fragment (header dword + payload). Returns false, writing nothing, when there are
   * not enough empty slots; the writer waits for the reader, as the driver does.
   * @throws RangeError when the frame could never fit this buffer (a bug in the writer)
   */
  write(frame: Uint8Array): boolean {
    const slots = CircularBuffer.slotsFor(frame.length);
    if (frame.length < MEI_HEADER_BYTES || slots > this.depth) throw new RangeError(`a ${frame.length}-byte frame does not fit a ${this.depth}-dword buffer`);
    if (slots > this.emptySlots) return false;
    const start = this.#writePointer % this.depth;
    this.#copyIn(frame, start * 4);
    const padding = slots * 4 - frame.length; // the last slot's unused bytes read as zero
    if (padding > 0) this.#copyIn(ZEROS.subarray(0, padding), (start * 4 + frame.length) % this.#slots.length);
    this.#writePointer = (this.#writePointer + slots) & 0xff;
    return true;
  }

  /**
   * Pops one fragment; a header whose length needs more slots than are filled is `corrupt` (the
   * buffer is then reset). The frame may be a view of the buffer (or of a scratch area for a
   * fragment that wraps): it is lent to the reader until the next read or write, so a reader
   * copies what it keeps.
   */
  read(): BufferRead {
    const filled = this.filledSlots;
    if (filled === 0) return { kind: 'empty' };
    if (filled > this.depth) return this.#corrupt(`filled slots ${filled} exceed depth ${this.depth}`);
    const start = (this.#readPointer % this.depth) * 4;
    const header = unpackMeiHeader(readHeaderWord(this.#slots, start));
    const slots = 1 + CircularBuffer.slotsFor(header.length);
    if (slots > filled) return this.#corrupt(`header length ${header.length} needs ${slots} slots, ${filled} filled`);
    const frame = this.#copyOut(start, MEI_HEADER_BYTES + header.length);
    this.#readPointer = (this.#readPointer + slots) & 0xff;
    return { kind: 'fragment', frame };
  }

  #copyIn(data: Uint8Array, byteOffset: number): void {
    const first = Math.min(data.length, this.#slots.length - byteOffset);
    this.#slots.set(data.subarray(0, first), byteOffset);
    if (first < data.length) this.#slots.set(data.subarray(first), 0);
  }

  #copyOut(byteOffset: number, length: number): Uint8Array {
    if (byteOffset + length <= this.#slots.length) return this.#slots.subarray(byteOffset, byteOffset + length);
    const out = this.#unwrapped.subarray(0, length);
    const first = this.#slots.length - byteOffset;
    out.set(this.#slots.subarray(byteOffset, byteOffset + first));
    if (first < length) out.set(this.#slots.subarray(0, length - first), first);
    return out;
  }

  /** Empties the buffer (H_RST). */
  reset(): void {
    this.#readPointer = 0;
    this.#writePointer = 0;
  }

  #corrupt(reason: string): BufferRead {
    this.reset();
    return { kind: 'corrupt', reason };
  }
}
