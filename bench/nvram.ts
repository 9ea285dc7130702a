/**
 * NVRAM commit throughput on the in-memory store (0x80000-byte MFS partition, NOR semantics), with
 * compaction in the loop (keys overwritten in a cycle), against a baseline of raw `store.write`
 * calls of the same bytes without journaling or MACs. Prints Markdown tables.
 * Run: npx tsc -p . && node dist/bench/nvram.js
 */
import { measure, printTable, type Summary } from './lib/measure.js';
import { MemoryCounter, MemoryPartitionStore, NvramFileSystem } from '../src/kernel/nvram/index.js';

const PARTITION = 0x80000;
const BATCH = 100;
const SECRET = new Uint8Array(32).fill(7);

function journaled(valueSize: number): () => void {
  const store = new MemoryPartitionStore(PARTITION, { nor: true });
  const space = NvramFileSystem.mount({ store, secret: SECRET, counter: new MemoryCounter() }).namespace('bench');
  const value = new Uint8Array(valueSize).fill(0x5a);
  let n = 0;
  return () => {
    for (let i = 0; i < BATCH; i++) space.put(`key-${n++ % 32}`, value);
  };
}

/** Raw appends of record-sized writes, erasing the partition when it fills (the same NOR medium). */
function raw(valueSize: number): () => void {
  const store = new MemoryPartitionStore(PARTITION, { nor: true });
  const bytes = new Uint8Array(valueSize + 64).fill(0x5a);
  let at = 0;
  return () => {
    for (let i = 0; i < BATCH; i++) {
      if (at + bytes.length > PARTITION) {
        store.erase(0, PARTITION);
        at = 0;
      }
      store.write(at, bytes);
      at += bytes.length;
    }
  };
}

const rate = (ms: number): string => Math.round((BATCH * 1000) / ms).toLocaleString('en-US');
const perSecond = (s: Summary): string => `${rate(s.medianMs)} (median batch), ${rate(s.meanMs)} (mean, compaction amortized)`;

for (const size of [64, 4096]) {
  const baseline = await measure(`raw store.write ${size} B ×${BATCH}`, raw(size), 100, 10);
  const nvram = await measure(`nvram put ${size} B ×${BATCH}`, journaled(size), 100, 10);
  console.log(`\n### ${size}-byte values\n`);
  printTable([baseline, nvram], baseline);
  console.log(`\ncommits/s — nvram: ${perSecond(nvram)}; raw writes: ${perSecond(baseline)}`);
}
