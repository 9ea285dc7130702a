/** Test helpers: a real in-memory NVRAM (file system over a memory store) and a seeded byte source. */
import { MemoryCounter, MemoryPartitionStore, NvramFileSystem, type MonotonicCounter, type PartitionStore } from '../kernel/nvram/index.js';

export const TEST_SECRET = Uint8Array.from({ length: 32 }, (_, i) => (i * 13 + 5) & 0xff);

export interface NvramRig {
  readonly store: MemoryPartitionStore;
  readonly counter: MonotonicCounter;
  mount(store?: PartitionStore): NvramFileSystem;
}

export function nvramRig(size = 0x20000): NvramRig {
  const store = new MemoryPartitionStore(size, { sectorSize: 4096, nor: true });
  const counter = new MemoryCounter();
  return { store, counter, mount: (other) => NvramFileSystem.mount({ store: other ?? store, secret: TEST_SECRET, counter }) };
}

/** Deterministic bytes (xorshift) so generated accounts are reproducible in tests. */
export function seededRandom(seed: number): (length: number) => Uint8Array {
  let state = seed >>> 0 || 1;
  return (length) => Uint8Array.from({ length }, () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) & 0xff;
  });
}
