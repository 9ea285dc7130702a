// Host DRAM: sparse pages, zeros for untouched memory, page-crossing access, bounds, snapshots.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HostDram } from './host-dram.js';

test('a 4 GiB DRAM costs nothing until written and reads zeros', () => {
  const dram = new HostDram();
  assert.equal(dram.size, 4 * 1024 ** 3);
  assert.equal(dram.residentBytes, 0);
  assert.deepEqual(dram.read(dram.size - 16, 16), new Uint8Array(16));
  assert.equal(dram.residentBytes, 0, 'reads allocate nothing');
});

test('writes allocate only the pages they touch, and cross page boundaries correctly', () => {
  const dram = new HostDram();
  const data = Uint8Array.from({ length: 10 }, (_, i) => i + 1);
  dram.write(4096 - 5, data);
  assert.equal(dram.residentBytes, 2 * 4096);
  assert.deepEqual(dram.read(4096 - 5, 10), data);
  assert.deepEqual(dram.read(4096 - 7, 3), Uint8Array.of(0, 0, 1));
  dram.write(dram.size - 1, Uint8Array.of(0xaa));
  assert.deepEqual(dram.read(dram.size - 1, 1), Uint8Array.of(0xaa));
});

test('accesses outside DRAM are RangeErrors', () => {
  const dram = new HostDram(64 * 1024);
  assert.throws(() => dram.read(64 * 1024, 1), RangeError);
  assert.throws(() => dram.read(64 * 1024 - 1, 2), RangeError);
  assert.throws(() => dram.write(-1, Uint8Array.of(1)), RangeError);
  assert.throws(() => dram.read(0.5, 1), RangeError);
  assert.equal(dram.read(64 * 1024, 0).length, 0);
  assert.throws(() => new HostDram(1000), RangeError);
});

test('snapshot/restore forks DRAM contents without aliasing', () => {
  const dram = new HostDram(64 * 1024);
  dram.write(100, Uint8Array.of(1, 2, 3));
  const snapshot = dram.snapshot();
  dram.write(100, Uint8Array.of(9, 9, 9));
  dram.write(8192, Uint8Array.of(7));
  dram.restore(snapshot);
  assert.deepEqual(dram.read(100, 3), Uint8Array.of(1, 2, 3));
  assert.equal(dram.residentBytes, 4096);
  dram.write(100, Uint8Array.of(5));
  assert.equal(snapshot.pages.get(0)?.[100], 1, 'snapshot is not aliased');
  assert.throws(() => new HostDram(8192).restore(snapshot), RangeError);
});
