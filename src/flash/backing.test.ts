// Backing stores: memory and file (pread/pwrite in place), sector erase, bounds, and deterministic fault injection.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MemoryBacking, FileBacking, FaultInjectingBacking, SECTOR_SIZE, type FlashBacking } from './backing.js';
import { FlashRangeError, SimulatedPowerLoss } from './errors.js';
import { VmeError } from '../common/errors.js';
import { withTempDir } from '../../test/support/external-tools.js';

function exercise(backing: FlashBacking): void {
  backing.write(0x10, Uint8Array.from([1, 2, 3]));
  assert.deepEqual([...backing.read(0x0f, 5)], [0xff, 1, 2, 3, 0xff]);
  backing.erase(0, SECTOR_SIZE);
  assert.deepEqual([...backing.read(0x10, 3)], [0xff, 0xff, 0xff]);
  assert.throws(() => backing.read(backing.size - 1, 2), FlashRangeError);
  assert.throws(() => backing.write(-1, new Uint8Array(1)), FlashRangeError);
  assert.throws(() => backing.erase(0x800, SECTOR_SIZE), /not 4 KiB sector-aligned/);
  assert.throws(() => backing.erase(0, 0x10), FlashRangeError);
  assert.throws(() => backing.erase(backing.size, SECTOR_SIZE), FlashRangeError);
  backing.sync();
}

test('MemoryBacking reads, writes, erases and checks bounds', () => {
  const backing = new MemoryBacking(0x4000);
  exercise(backing);
  assert.equal(backing.size, 0x4000);
  const input = Uint8Array.from([5, 6]);
  const copy = new MemoryBacking(input);
  input[0] = 0;
  assert.deepEqual([...copy.snapshot()], [5, 6]);
});

test('FileBacking writes in place (same inode, other bytes untouched) and reports I/O errors', () => {
  withTempDir((dir) => {
    const path = join(dir, 'flash.bin');
    writeFileSync(path, new Uint8Array(0x4000).fill(0xff));
    const inode = statSync(path).ino;
    const backing = FileBacking.open(path);
    exercise(backing);
    backing.write(0x3ffe, Uint8Array.from([0xaa, 0xbb]));
    backing.close();
    const bytes = readFileSync(path);
    assert.equal(statSync(path).ino, inode);
    assert.equal(bytes.length, 0x4000);
    assert.deepEqual([...bytes.subarray(0x3ffd)], [0xff, 0xaa, 0xbb]);
    assert.throws(() => backing.read(0, 1), (e: unknown) => e instanceof VmeError && e.code === 'VME_ERR_IO');
    assert.throws(() => FileBacking.open(join(dir, 'missing.bin')), (e: unknown) => e instanceof VmeError && e.code === 'VME_ERR_IO');
    const readOnly = FileBacking.open(path, { readOnly: true });
    assert.equal(readOnly.read(0x3fff, 1)[0], 0xbb);
    readOnly.close();
  });
});

test('FaultInjectingBacking counts writes and erases only, deterministically', () => {
  const counting = new FaultInjectingBacking(new MemoryBacking(0x4000), { failAfter: Infinity });
  counting.read(0, 16);
  counting.write(0, new Uint8Array(4));
  counting.erase(0x1000, 0x2000);
  counting.write(8, new Uint8Array(4));
  assert.equal(counting.operationCount, 3);
  assert.equal(counting.powerLost, false);
});

test('the (N+1)-th write is torn to a prefix, then the device stays off', () => {
  const inner = new MemoryBacking(0x4000);
  const faulty = new FaultInjectingBacking(inner, { failAfter: 2 });
  faulty.write(0, Uint8Array.from([1]));
  faulty.write(1, Uint8Array.from([2]));
  assert.throws(() => faulty.write(0x100, new Uint8Array(10).fill(7)), (e: unknown) => {
    assert.ok(e instanceof SimulatedPowerLoss);
    assert.equal(e.code, 'VME_ERR_POWER_LOSS');
    assert.deepEqual([e.operationIndex, e.operation, e.offset, e.bytesDone, e.bytesRequested], [2, 'write', 0x100, 5, 10]);
    return true;
  });
  assert.deepEqual([...inner.read(0x100, 10)], [7, 7, 7, 7, 7, 0xff, 0xff, 0xff, 0xff, 0xff]);
  assert.equal(faulty.operationCount, 2);
  assert.equal(faulty.powerLost, true);
  assert.throws(() => faulty.read(0, 1), SimulatedPowerLoss);
  assert.throws(() => faulty.write(0, new Uint8Array(1)), SimulatedPowerLoss);
  assert.throws(() => faulty.sync(), SimulatedPowerLoss);
});

test('torn erases erase only a prefix; tornBytes may be a count or a function', () => {
  const inner = new MemoryBacking(new Uint8Array(0x3000));
  assert.throws(() => new FaultInjectingBacking(inner, { failAfter: 0, tornBytes: 0x1800 }).erase(0, 0x2000), SimulatedPowerLoss);
  assert.deepEqual([inner.read(0x17ff, 1)[0], inner.read(0x1800, 1)[0]], [0xff, 0]);
  const other = new MemoryBacking(new Uint8Array(0x1000));
  assert.throws(() => new FaultInjectingBacking(other, { failAfter: 0, tornBytes: (n) => n - 1 }).write(0, new Uint8Array(8).fill(1)), SimulatedPowerLoss);
  assert.deepEqual([...other.read(0, 8)], [1, 1, 1, 1, 1, 1, 1, 0]);
  const none = new MemoryBacking(new Uint8Array(0x1000));
  assert.throws(() => new FaultInjectingBacking(none, { failAfter: 0, tornBytes: 0 }).write(0, new Uint8Array(8).fill(1)), SimulatedPowerLoss);
  assert.deepEqual([...none.read(0, 2)], [0, 0]);
});
