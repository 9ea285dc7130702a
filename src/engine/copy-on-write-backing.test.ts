// Copy-on-write flash: behaves like a private MemoryBacking while sharing the image's bytes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryBacking } from '../flash/index.js';
import { CopyOnWriteBacking, SharedImage } from './copy-on-write-backing.js';

const base = new Uint8Array(4 * 4096).fill(0xff);
base.fill(0x11, 4096, 8192);

test('reads, writes across pages and erases match a MemoryBacking', () => {
  const shared = new SharedImage(base);
  const cow = new CopyOnWriteBacking(shared);
  const reference = new MemoryBacking(base);
  for (const backing of [cow, reference]) {
    backing.write(4000, new Uint8Array(200).fill(7));
    backing.erase(4096, 4096);
    backing.write(12288, Uint8Array.of(1, 2, 3));
  }
  assert.deepEqual(cow.snapshot(), reference.snapshot());
  assert.deepEqual(cow.read(4090, 20), reference.read(4090, 20));
  assert.equal(cow.privatePages, 3, 'page 0 written, page 1 erased over non-erased bytes, page 3 written');
});

test('erasing a page that is erased in the image drops the private copy; others do not see writes', () => {
  const shared = new SharedImage(base);
  const a = new CopyOnWriteBacking(shared);
  const b = new CopyOnWriteBacking(shared);
  a.write(0, Uint8Array.of(0));
  a.erase(0, 4096);
  assert.equal(a.privatePages, 0);
  a.write(8192, Uint8Array.of(5));
  assert.equal(b.read(8192, 1)[0], 0xff);
  assert.throws(() => a.erase(1, 4096), { code: 'VME_ERR_FLASH_RANGE' });
  assert.throws(() => a.read(base.length, 1), { code: 'VME_ERR_FLASH_RANGE' });
});
