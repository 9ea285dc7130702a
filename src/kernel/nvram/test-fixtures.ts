/** Shared helpers for the NVRAM tests: a small platform (store, counter, secret) and a state model. */
import { MemoryCounter } from './counter.js';
import type { NvramEvent } from './events.js';
import { NvramFileSystem } from './fs.js';
import { MemoryPartitionStore, type PartitionStore } from './store.js';

export const SECRET = Uint8Array.from({ length: 32 }, (_, i) => i * 7 + 1);
export const text = (s: string): Uint8Array => new TextEncoder().encode(s);

export interface Rig {
  store: MemoryPartitionStore;
  counter: MemoryCounter;
  events: NvramEvent[];
  mount(store?: PartitionStore): NvramFileSystem;
}

export function rig(size = 0x80000, sectorSize = 4096): Rig {
  const store = new MemoryPartitionStore(size, { sectorSize, nor: true });
  const counter = new MemoryCounter();
  const events: NvramEvent[] = [];
  return {
    store, counter, events,
    mount: (other?: PartitionStore) => NvramFileSystem.mount({ store: other ?? store, secret: SECRET, counter, onEvent: (e) => events.push(e) }),
  };
}

/** Model of what the file system should hold: namespace → key → value (hex for easy comparison). */
export type Model = Map<string, Map<string, string>>;

export function readAll(fs: NvramFileSystem, namespaces: readonly string[]): Model {
  const out: Model = new Map();
  for (const name of namespaces) {
    const space = fs.namespace(name);
    const entries = new Map<string, string>();
    for (const key of space.list()) entries.set(key, Buffer.from(space.get(key) ?? new Uint8Array()).toString('hex'));
    if (entries.size > 0) out.set(name, entries);
  }
  return out;
}

export function cloneModel(model: Model): Model {
  return new Map([...model].map(([name, entries]) => [name, new Map(entries)]));
}
