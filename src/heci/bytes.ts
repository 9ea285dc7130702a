/**
 * Small byte buffers for the hot path. A fresh `Uint8Array` allocates its own ArrayBuffer, which is
 * slow for the many fragments and messages the bus moves; `allocate` carves views out of a shared
 * slab instead (like Node's Buffer pool, but one object per call and up to 8 KiB, so a whole 4 KiB
 * message is pooled too). They are plain `Uint8Array`s, so `.slice()` keeps meaning "copy".
 */

const SLAB_BYTES = 64 * 1024;
/** Larger requests get their own ArrayBuffer (a long-lived view pins at most one slab). */
const POOLED_MAX = 8 * 1024;
/** Slabs are not zero-filled (`allocUnsafeSlow`): every view handed out is overwritten by its caller. */
const newSlab = (): ArrayBufferLike => Buffer.allocUnsafeSlow(SLAB_BYTES).buffer;
let slab = newSlab();
let slabUsed = 0;

/** `length` bytes, contents unspecified: the caller overwrites all of them. */
export function allocate(length: number): Uint8Array {
  if (length > POOLED_MAX) return new Uint8Array(length);
  if (slabUsed + length > SLAB_BYTES) {
    slab = newSlab();
    slabUsed = 0;
  }
  const view = new Uint8Array(slab, slabUsed, length);
  slabUsed = (slabUsed + length + 7) & ~7; // keep views 8-byte aligned
  return view;
}

/** A private copy of `data` (what a receiver keeps must not alias a buffer someone else reuses). */
export function copyBytes(data: Uint8Array): Uint8Array {
  const copy = allocate(data.length);
  copy.set(data);
  return copy;
}

/**
 * One message being reassembled from fragments, in a buffer reused from message to message (grown
 * by doubling up to `limit`, the client's maximum message length, which callers check before
 * appending). Per fragment one copy and no allocation; per message one private copy out.
 */
export class MessageAssembly {
  #buffer = new Uint8Array(0);
  #length = 0;

  constructor(private readonly limit = Infinity) {}

  /** Bytes assembled so far. */
  get length(): number {
    return this.#length;
  }

  /** Appends a copy of `part` (which may be a view the caller only lends). */
  append(part: Uint8Array): void {
    const needed = this.#length + part.length;
    if (needed > this.#buffer.length) this.#grow(needed);
    this.#buffer.set(part, this.#length);
    this.#length = needed;
  }

  /** The whole message as a private copy; the assembly starts over. */
  take(): Uint8Array {
    const message = copyBytes(this.#buffer.subarray(0, this.#length));
    this.#length = 0;
    return message;
  }

  /** Drops the partial message (`release` also frees the buffer, for a closed connection). */
  clear(release = false): void {
    this.#length = 0;
    if (release) this.#buffer = new Uint8Array(0);
  }

  #grow(needed: number): void {
    const grown = new Uint8Array(Math.max(needed, Math.min(Math.max(this.#buffer.length * 2, 512), this.limit)));
    grown.set(this.#buffer.subarray(0, this.#length));
    this.#buffer = grown;
  }
}
