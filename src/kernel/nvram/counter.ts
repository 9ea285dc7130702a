/**
 * The anti-replay monotonic counter. In the real chipset it lives outside the flash, where the host
 * cannot roll it back. `MemoryCounter` is for tests and fleets; `JsonFileCounter` persists it in a
 * small JSON file written atomically (temp file, fsync, rename, directory fsync).
 */
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { NvramError } from './errors.js';

export interface MonotonicCounter {
  read(): number;
  /** Adds one and returns the new value. */
  increment(): number;
}

export class MemoryCounter implements MonotonicCounter {
  #value: number;

  constructor(initial = 0) {
    this.#value = initial;
  }

  read(): number {
    return this.#value;
  }

  increment(): number {
    return ++this.#value;
  }
}

const FORMAT = 'vme-nvram-counter/1';

export class JsonFileCounter implements MonotonicCounter {
  #value: number;

  /** Reads `path`; a missing file is a counter at 0 (a new platform). */
  constructor(readonly path: string) {
    this.#value = JsonFileCounter.#load(path);
  }

  read(): number {
    return this.#value;
  }

  increment(): number {
    const next = this.#value + 1;
    writeAtomically(this.path, `${JSON.stringify({ format: FORMAT, counter: next })}\n`);
    this.#value = next;
    return next;
  }

  static #load(path: string): number {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 0;
      throw new NvramError('VME_ERR_NVRAM_COUNTER', `cannot read counter file ${path}: ${(e as Error).message}`, { path });
    }
    return parseCounter(text, path);
  }
}

function parseCounter(text: string, path: string): number {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new NvramError('VME_ERR_NVRAM_COUNTER', `counter file ${path} is not JSON`, { path });
  }
  const record = doc as { format?: unknown; counter?: unknown } | null;
  const value = record?.counter;
  if (record?.format !== FORMAT || typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new NvramError('VME_ERR_NVRAM_COUNTER', `counter file ${path} is not ${FORMAT} with a non-negative integer counter`, { path });
  }
  return value;
}

function writeAtomically(path: string, text: string): void {
  const temporary = `${path}.tmp-${process.pid}`;
  try {
    const fd = openSync(temporary, 'w');
    try {
      writeFileSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, path);
    syncDirectory(dirname(path));
  } catch (e) {
    throw new NvramError('VME_ERR_NVRAM_COUNTER', `cannot write counter file ${path}: ${(e as Error).message}`, { path });
  }
}

function syncDirectory(directory: string): void {
  const fd = openSync(directory, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
