/**
 * The host's physical memory (DRAM), addressed by physical address and stored sparsely: a 4 KiB
 * page is allocated on its first write and untouched memory reads as zeros. A 4 GiB platform that
 * never writes its DRAM costs a few hundred bytes. The host may read and write all of it,
 * including the UMA region it reserved for the engine (which is why UMA pages are sealed).
 */

export const HOST_PAGE_SIZE = 4096;
const DEFAULT_SIZE = 4 * 1024 ** 3;

/** A host DRAM snapshot: the size and a deep copy of every allocated page. */
export interface HostDramSnapshot {
  readonly size: number;
  readonly pages: ReadonlyMap<number, Uint8Array>;
}

/** Sparse host DRAM; all addresses are byte addresses below `size`. */
export class HostDram {
  readonly size: number;
  readonly #pages = new Map<number, Uint8Array>();

  /**
   * @param size bytes of DRAM, a positive multiple of 4 KiB up to 2^48 (default 4 GiB).
   * @throws RangeError when the size is not a positive multiple of 4 KiB.
   */
  constructor(size: number = DEFAULT_SIZE) {
    if (!Number.isSafeInteger(size) || size <= 0 || size % HOST_PAGE_SIZE !== 0 || size > 2 ** 48) {
      throw new RangeError(`host DRAM size must be a positive multiple of 4 KiB up to 2^48, got ${size}`);
    }
    this.size = size;
  }

  /** Bytes of DRAM actually allocated (pages touched by writes). */
  get residentBytes(): number {
    return this.#pages.size * HOST_PAGE_SIZE;
  }

  /**
   * Host-side read of `length` bytes at physical address `address` (fresh copy).
   * @throws RangeError when the range is not inside DRAM.
   */
  read(address: number, length: number): Uint8Array {
    const out = new Uint8Array(length);
    this.copyOut(address, out);
    return out;
  }

  /**
   * Host-side write of `data` at physical address `address`.
   * @throws RangeError when the range is not inside DRAM.
   */
  write(address: number, data: Uint8Array): void {
    this.copyIn(address, data);
  }

  /** Copies DRAM bytes at `address` into all of `target` (zeros where never written). */
  copyOut(address: number, target: Uint8Array): void {
    this.#check(address, target.length);
    let done = 0;
    while (done < target.length) {
      const at = address + done;
      const inPage = at % HOST_PAGE_SIZE;
      const step = Math.min(HOST_PAGE_SIZE - inPage, target.length - done);
      const page = this.#pages.get(Math.floor(at / HOST_PAGE_SIZE));
      if (page) target.set(page.subarray(inPage, inPage + step), done);
      else target.fill(0, done, done + step);
      done += step;
    }
  }

  /** Copies all of `source` into DRAM at `address`, allocating pages on first write. */
  copyIn(address: number, source: Uint8Array): void {
    this.#check(address, source.length);
    let done = 0;
    while (done < source.length) {
      const at = address + done;
      const inPage = at % HOST_PAGE_SIZE;
      const step = Math.min(HOST_PAGE_SIZE - inPage, source.length - done);
      this.#page(Math.floor(at / HOST_PAGE_SIZE)).set(source.subarray(done, done + step), inPage);
      done += step;
    }
  }

  /** A deep copy of the allocated pages, for forking a platform in tests. */
  snapshot(): HostDramSnapshot {
    return { size: this.size, pages: copyPages(this.#pages) };
  }

  /**
   * Replaces the contents with a snapshot's.
   * @throws RangeError when the snapshot is of a DRAM of another size.
   */
  restore(snapshot: HostDramSnapshot): void {
    if (snapshot.size !== this.size) throw new RangeError(`snapshot is of ${snapshot.size} bytes of DRAM, not ${this.size}`);
    this.#pages.clear();
    for (const [number, page] of copyPages(snapshot.pages)) this.#pages.set(number, page);
  }

  #page(number: number): Uint8Array {
    let page = this.#pages.get(number);
    if (!page) {
      page = new Uint8Array(HOST_PAGE_SIZE);
      this.#pages.set(number, page);
    }
    return page;
  }

  #check(address: number, length: number): void {
    if (!Number.isSafeInteger(address) || !Number.isSafeInteger(length) || address < 0 || length < 0 || address + length > this.size) {
      throw new RangeError(`host DRAM access [${address}, +${length}) is outside 0..${this.size}`);
    }
  }
}

function copyPages(pages: ReadonlyMap<number, Uint8Array>): Map<number, Uint8Array> {
  return new Map([...pages].map(([number, page]) => [number, page.slice()]));
}
