/**
 * Flash backing stores: where the SPI chip's bytes live. All operations are synchronous and
 * bounds-checked; erase works on whole 4 KiB sectors and sets them to 0xFF.
 *
 * Write semantics: `write` stores the bytes as given (plain overwrite). The NOR rule that
 * programming can only clear bits is NOT modelled; callers erase before writing as real flash
 * requires, and the fault injector makes the order of writes and erases observable.
 *
 * API:
 *   interface FlashBacking { size; read(offset, length); write(offset, data); erase(offset, length); sync() }
 *   new MemoryBacking(bytesOrSize)        — in memory (copies its input)
 *   FileBacking.open(path) / .close()     — pread/pwrite on an image file, never a whole-file rewrite
 *   new FaultInjectingBacking(inner, { failAfter, tornBytes? }) — after `failAfter` completed writes
 *     and erases, the next one is torn (only a prefix reaches `inner`) and throws SimulatedPowerLoss.
 */
import { openSync, closeSync, fstatSync, readSync, writeSync, fsyncSync } from 'node:fs';
import { FlashRangeError, SimulatedPowerLoss, type FlashOperation } from './errors.js';
import { VmeError } from '../common/errors.js';
import { PowerLossInjector, tornPrefixFromCount } from '../common/power-loss.js';

export const SECTOR_SIZE = 0x1000;

export interface FlashBacking {
  readonly size: number;
  /** A fresh copy of `length` bytes at `offset`. */
  read(offset: number, length: number): Uint8Array;
  /** Store `data` at `offset` (plain overwrite, see the file header). */
  write(offset: number, data: Uint8Array): void;
  /** Set whole 4 KiB sectors to 0xFF; offset and length must be sector-aligned. */
  erase(offset: number, length: number): void;
  /** Make completed writes durable (fsync for files). */
  sync(): void;
}

/** @throws FlashRangeError when [offset, offset + length) is not inside a device of `size` bytes. */
export function checkRange(size: number, offset: number, length: number, what = 'flash access'): void {
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > size) {
    throw new FlashRangeError(`${what} 0x${offset.toString(16)}+0x${length.toString(16)} is outside the 0x${size.toString(16)}-byte device`, { offset, length, size });
  }
}

/** @throws FlashRangeError unless offset and length are multiples of the 4 KiB sector. */
export function checkSectorAligned(offset: number, length: number): void {
  if (offset % SECTOR_SIZE !== 0 || length % SECTOR_SIZE !== 0) {
    throw new FlashRangeError(`erase 0x${offset.toString(16)}+0x${length.toString(16)} is not 4 KiB sector-aligned`, { offset, length });
  }
}

export class MemoryBacking implements FlashBacking {
  readonly #bytes: Uint8Array;

  constructor(initial: Uint8Array | number) {
    this.#bytes = typeof initial === 'number' ? new Uint8Array(initial).fill(0xff) : Uint8Array.from(initial);
  }

  get size(): number {
    return this.#bytes.length;
  }

  read(offset: number, length: number): Uint8Array {
    checkRange(this.size, offset, length, 'read');
    return this.#bytes.slice(offset, offset + length);
  }

  write(offset: number, data: Uint8Array): void {
    checkRange(this.size, offset, data.length, 'write');
    this.#bytes.set(data, offset);
  }

  erase(offset: number, length: number): void {
    checkRange(this.size, offset, length, 'erase');
    checkSectorAligned(offset, length);
    this.#bytes.fill(0xff, offset, offset + length);
  }

  sync(): void {}

  /** A copy of the whole device. */
  snapshot(): Uint8Array {
    return Uint8Array.from(this.#bytes);
  }
}

export class FileBacking implements FlashBacking {
  private constructor(readonly path: string, private fd: number | undefined, readonly size: number) {}

  /** Open an existing image file for reading and writing. @throws VmeError VME_ERR_IO */
  static open(path: string, options: { readOnly?: boolean } = {}): FileBacking {
    try {
      const fd = openSync(path, options.readOnly ? 'r' : 'r+');
      return new FileBacking(path, fd, fstatSync(fd).size);
    } catch (err) {
      throw new VmeError('VME_ERR_IO', `cannot open flash image ${path}: ${(err as Error).message}`, { path });
    }
  }

  read(offset: number, length: number): Uint8Array {
    checkRange(this.size, offset, length, 'read');
    const out = new Uint8Array(length);
    let done = 0;
    while (done < length) {
      const n = readSync(this.#fd(), out, done, length - done, offset + done);
      if (n === 0) throw new VmeError('VME_ERR_IO', `${this.path}: unexpected end of file at 0x${(offset + done).toString(16)}`, { path: this.path });
      done += n;
    }
    return out;
  }

  write(offset: number, data: Uint8Array): void {
    checkRange(this.size, offset, data.length, 'write');
    let done = 0;
    while (done < data.length) done += writeSync(this.#fd(), data, done, data.length - done, offset + done);
  }

  erase(offset: number, length: number): void {
    checkRange(this.size, offset, length, 'erase');
    checkSectorAligned(offset, length);
    const sector = new Uint8Array(SECTOR_SIZE).fill(0xff);
    for (let at = offset; at < offset + length; at += SECTOR_SIZE) this.write(at, sector);
  }

  sync(): void {
    fsyncSync(this.#fd());
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  #fd(): number {
    if (this.fd === undefined) throw new VmeError('VME_ERR_IO', `${this.path}: flash image already closed`, { path: this.path });
    return this.fd;
  }
}

export interface FaultOptions {
  /** Number of writes and erases that complete before the torn one (Infinity: never fail, just count). */
  readonly failAfter: number;
  /** How many bytes of the torn operation reach the inner store: a count, or a function of the length (default: half). */
  readonly tornBytes?: number | ((length: number) => number);
}

/**
 * Wraps a backing and cuts the power during the (failAfter + 1)-th write or erase. Counting is
 * deterministic: every write and every erase call counts as one operation, reads do not. After the
 * power loss every further call throws SimulatedPowerLoss too (the device is off); reopen the inner
 * store to model the next boot. The counting and the torn prefix are the shared
 * `PowerLossInjector` (src/common/power-loss.ts); a torn erase lands as a byte prefix of 0xFF.
 */
export class FaultInjectingBacking implements FlashBacking {
  readonly #power: PowerLossInjector;

  constructor(readonly inner: FlashBacking, readonly options: FaultOptions) {
    this.#power = new PowerLossInjector(options.failAfter);
  }

  get size(): number {
    return this.inner.size;
  }

  /** Writes and erases completed so far (the torn one is not counted). */
  get operationCount(): number {
    return this.#power.completed;
  }

  get powerLost(): boolean {
    return this.#power.lost;
  }

  read(offset: number, length: number): Uint8Array {
    this.#checkPower('read', offset, length);
    return this.inner.read(offset, length);
  }

  write(offset: number, data: Uint8Array): void {
    this.#operate('write', offset, data.length, (n) => this.inner.write(offset, data.subarray(0, n)), () => this.inner.write(offset, data));
  }

  erase(offset: number, length: number): void {
    checkRange(this.size, offset, length, 'erase');
    checkSectorAligned(offset, length);
    this.#operate('erase', offset, length, (n) => this.inner.write(offset, new Uint8Array(n).fill(0xff)), () => this.inner.erase(offset, length));
  }

  sync(): void {
    this.#checkPower('sync', 0, 0);
    this.inner.sync();
  }

  #operate(operation: 'write' | 'erase', offset: number, length: number, torn: (n: number) => void, whole: () => void): void {
    this.#checkPower(operation, offset, length);
    this.#power.run(whole, (index) => {
      const n = tornPrefixFromCount(this.options.tornBytes, length);
      torn(n);
      return new SimulatedPowerLoss(index, operation, offset, n, length);
    });
  }

  #checkPower(operation: FlashOperation | 'sync', offset: number, length: number): void {
    this.#power.ensurePower(() => new SimulatedPowerLoss(this.#power.completed, operation, offset, 0, length));
  }
}
