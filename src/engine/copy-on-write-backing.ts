/**
 * Flash backing for fleets: many platforms booted from one image share its bytes read-only, and
 * each keeps only the 4 KiB pages it has written (in practice its NVRAM sectors). Erasing a page
 * that is erased in the shared image drops the private copy again. One 8 MiB image then serves
 * 1,000 platforms at a few pages each.
 */
import type { FlashBacking } from '../flash/index.js';
import { checkRange, checkSectorAligned } from '../flash/index.js';

export const COW_PAGE_SIZE = 4096;

/** An immutable image shared by many backings; remembers which pages are all 0xFF. */
export class SharedImage {
  readonly #bytes: Uint8Array;
  readonly #erased = new Map<number, boolean>();

  constructor(bytes: Uint8Array) {
    this.#bytes = Uint8Array.from(bytes);
  }

  get size(): number {
    return this.#bytes.length;
  }

  /** A fresh copy of a range. */
  read(offset: number, length: number): Uint8Array {
    return this.#bytes.slice(offset, offset + length);
  }

  isErased(page: number): boolean {
    let erased = this.#erased.get(page);
    if (erased === undefined) {
      const start = page * COW_PAGE_SIZE;
      erased = this.#bytes.subarray(start, start + COW_PAGE_SIZE).every((b) => b === 0xff);
      this.#erased.set(page, erased);
    }
    return erased;
  }
}

export class CopyOnWriteBacking implements FlashBacking {
  readonly #pages = new Map<number, Uint8Array>();

  constructor(readonly image: SharedImage) {}

  get size(): number {
    return this.image.size;
  }

  /** Pages this backing holds privately (its whole per-platform cost). */
  get privatePages(): number {
    return this.#pages.size;
  }

  read(offset: number, length: number): Uint8Array {
    checkRange(this.size, offset, length, 'read');
    const out = this.image.read(offset, length);
    for (const [page, bytes] of this.#pages) {
      const start = page * COW_PAGE_SIZE;
      const from = Math.max(start, offset);
      const to = Math.min(start + COW_PAGE_SIZE, offset + length);
      if (from < to) out.set(bytes.subarray(from - start, to - start), from - offset);
    }
    return out;
  }

  write(offset: number, data: Uint8Array): void {
    checkRange(this.size, offset, data.length, 'write');
    let done = 0;
    while (done < data.length) {
      const at = offset + done;
      const page = Math.floor(at / COW_PAGE_SIZE);
      const within = at - page * COW_PAGE_SIZE;
      const count = Math.min(COW_PAGE_SIZE - within, data.length - done);
      this.#own(page).set(data.subarray(done, done + count), within);
      done += count;
    }
  }

  erase(offset: number, length: number): void {
    checkRange(this.size, offset, length, 'erase');
    checkSectorAligned(offset, length);
    for (let page = offset / COW_PAGE_SIZE; page < (offset + length) / COW_PAGE_SIZE; page++) {
      if (this.image.isErased(page)) this.#pages.delete(page);
      else this.#pages.set(page, new Uint8Array(COW_PAGE_SIZE).fill(0xff));
    }
  }

  sync(): void {}

  /** The whole device as this platform sees it. */
  snapshot(): Uint8Array {
    return this.read(0, this.size);
  }

  #own(page: number): Uint8Array {
    let bytes = this.#pages.get(page);
    if (!bytes) {
      bytes = this.image.read(page * COW_PAGE_SIZE, COW_PAGE_SIZE);
      this.#pages.set(page, bytes);
    }
    return bytes;
  }
}
