// Partition stores and counters: ranges, NOR programming, erase alignment, torn operations,
// and the JSON counter's strict reading.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FaultInjectingStore, JsonFileCounter, MemoryCounter, MemoryPartitionStore, SimulatedPowerLoss, isNvramError } from './index.js';

const code = (c: string) => (e: unknown) => isNvramError(e) && e.code === c;

test('the memory store checks ranges and erase alignment', () => {
  const store = new MemoryPartitionStore(8192);
  assert.deepEqual(store.read(0, 2), Uint8Array.from([0xff, 0xff]));
  for (const [offset, length] of [[-1, 1], [8191, 2], [0, 8193], [0.5, 1]] as const) {
    assert.throws(() => store.read(offset, length), code('VME_ERR_NVRAM_STORE'));
  }
  assert.throws(() => store.erase(1, 4096), code('VME_ERR_NVRAM_STORE'));
  assert.throws(() => store.erase(0, 100), code('VME_ERR_NVRAM_STORE'));
  assert.throws(() => new MemoryPartitionStore(5000), code('VME_ERR_NVRAM_ARGUMENT'));
  store.write(8190, Uint8Array.from([1, 2]));
  store.erase(4096, 4096);
  assert.deepEqual(store.read(8190, 2), Uint8Array.from([0xff, 0xff]));
});

test('NOR mode only clears bits until erase', () => {
  const store = new MemoryPartitionStore(4096, { nor: true });
  store.write(0, Uint8Array.from([0xf0]));
  store.write(0, Uint8Array.from([0x30]));
  assert.throws(() => store.write(0, Uint8Array.from([0x31])), code('VME_ERR_NVRAM_STORE'));
  store.erase(0, 4096);
  store.write(0, Uint8Array.from([0x31]));
  assert.equal(store.read(0, 1)[0], 0x31);
});

test('a torn write lands a prefix, a torn erase a prefix of sectors; then the power stays off', () => {
  const inner = new MemoryPartitionStore(4 * 1024, { sectorSize: 1024, contents: new Uint8Array(4096) });
  const store = new FaultInjectingStore(inner, { failAfter: 1, tornFraction: 0.5 });
  store.write(0, Uint8Array.from([1]));
  assert.throws(() => store.erase(0, 4096), (e: unknown) => e instanceof SimulatedPowerLoss && e.completedBytes === 2048);
  assert.deepEqual([inner.read(0, 1)[0], inner.read(2047, 1)[0], inner.read(2048, 1)[0]], [0xff, 0xff, 0]);
  assert.throws(() => store.read(0, 1), SimulatedPowerLoss);
  assert.equal(store.tripped, true);
  const writes = new FaultInjectingStore(new MemoryPartitionStore(4096), { failAfter: 0, tornFraction: () => 0.75 });
  assert.throws(() => writes.write(0, new Uint8Array(8)), (e: unknown) => e instanceof SimulatedPowerLoss && e.completedBytes === 6);
  assert.deepEqual(writes.inner.read(5, 3), Uint8Array.from([0, 0xff, 0xff]));
  const never = new FaultInjectingStore(new MemoryPartitionStore(4096), { failAfter: Infinity });
  never.write(0, new Uint8Array(1));
  never.erase(0, 4096);
  assert.equal(never.completedOperations, 2);
});

test('counters: memory counts up, the JSON file is strict and survives reopening', () => {
  const memory = new MemoryCounter(4);
  assert.equal(memory.increment(), 5);
  assert.equal(memory.read(), 5);
  const dir = mkdtempSync(join(tmpdir(), 'vme-counter-'));
  try {
    const path = join(dir, 'c.json');
    const counter = new JsonFileCounter(path);
    assert.equal(counter.read(), 0);
    counter.increment();
    assert.equal(counter.increment(), 2);
    assert.deepEqual(JSON.parse(readFileSync(path, 'utf8')), { format: 'vme-nvram-counter/1', counter: 2 });
    assert.equal(new JsonFileCounter(path).read(), 2);
    for (const bad of ['nope', '{"format":"vme-nvram-counter/1","counter":-1}', '{"counter":3}', '{"format":"vme-nvram-counter/1","counter":1.5}']) {
      writeFileSync(path, bad);
      assert.throws(() => new JsonFileCounter(path), code('VME_ERR_NVRAM_COUNTER'));
    }
    assert.throws(() => new JsonFileCounter(dir), code('VME_ERR_NVRAM_COUNTER'));
    assert.throws(() => new JsonFileCounter(join(dir, 'missing', 'c.json')).increment(), code('VME_ERR_NVRAM_COUNTER'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
