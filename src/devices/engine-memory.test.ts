// SRAM budget and UMA paging: degraded mode, LRU page-out, and host attacks on UMA from HostDram.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EngineMemory, type PageHandle, PAGE_SIZE } from './engine-memory.js';
import { HostDram } from './host-dram.js';
import { Sram } from './sram.js';
import { Uma } from './uma.js';

const KiB = 1024;
const UMA_BASE = 0x100000;
const MARKER = Buffer.from('PLAINTEXT-MARKER-7f3a');

function platform(budget = 256 * KiB) {
  const dram = new HostDram(16 * 1024 * KiB);
  const sram = new Sram(budget);
  const uma = new Uma(dram);
  const memory = new EngineMemory(sram, uma);
  return { dram, sram, uma, memory };
}

/** A page filled with the marker and its index, so contents are recognisable. */
function fill(memory: EngineMemory, page: PageHandle, index: number): void {
  const data = Buffer.alloc(PAGE_SIZE);
  for (let at = 0; at + MARKER.length < PAGE_SIZE; at += 64) MARKER.copy(data, at);
  data.writeUInt32LE(index, PAGE_SIZE - 4);
  memory.write('app', page, 0, data);
}

function tag(memory: EngineMemory, page: PageHandle): number {
  return Buffer.from(memory.read('app', page, PAGE_SIZE - 4, 4)).readUInt32LE(0);
}

/** Allocates and fills `count` pages (more than SRAM holds, so the first ones are paged out). */
function manyPages(memory: EngineMemory, count: number): PageHandle[] {
  return Array.from({ length: count }, (_, i) => {
    const page = memory.allocate('app');
    fill(memory, page, i);
    return page;
  });
}

test('SRAM budgets outside 256 KiB..1 MiB or not page multiples are refused', () => {
  assert.throws(() => new Sram(252 * KiB), { code: 'VME_ERR_SRAM_BUDGET' });
  assert.throws(() => new Sram(1028 * KiB), { code: 'VME_ERR_SRAM_BUDGET' });
  assert.throws(() => new Sram(300 * KiB + 1), { code: 'VME_ERR_SRAM_BUDGET' });
  assert.equal(new Sram(256 * KiB).frameCount, 64);
  assert.equal(new Sram(1024 * KiB).frameCount, 256);
});

test('before UMA is reserved, SRAM-only allocations work and page-out fails with VME_ERR_UMA_UNAVAILABLE', () => {
  const { memory, sram } = platform();
  const pages = manyPages(memory, 64);
  assert.equal(sram.freeFrames, 0);
  assert.throws(() => memory.allocate('app'), { code: 'VME_ERR_UMA_UNAVAILABLE' });
  assert.equal(tag(memory, pages[63] as PageHandle), 63, 'state intact after the refusal');
  memory.free('app', pages[0] as PageHandle);
  memory.allocate('app');
});

test('UMA reservations are checked', () => {
  const { uma } = platform();
  assert.throws(() => uma.reserveUma(UMA_BASE + 1, 64 * KiB), { code: 'VME_ERR_UMA_RESERVE' });
  assert.throws(() => uma.reserveUma(16 * 1024 * KiB - 4096, 8192), { code: 'VME_ERR_UMA_RESERVE' });
  assert.throws(() => uma.reserveUma(UMA_BASE, 4096), { code: 'VME_ERR_UMA_RESERVE' });
  uma.reserveUma(UMA_BASE, 64 * KiB);
  assert.throws(() => uma.reserveUma(UMA_BASE, 64 * KiB), { code: 'VME_ERR_UMA_RESERVE' });
});

test('with UMA, pages beyond SRAM page out (LRU) and come back intact', () => {
  const { memory, uma } = platform();
  uma.reserveUma(UMA_BASE, 1024 * KiB);
  const pages = manyPages(memory, 100);
  assert.equal(memory.residentPages, 64);
  assert.deepEqual(memory.locate(pages[0] as PageHandle).resident, false, 'oldest went out first');
  assert.deepEqual(memory.locate(pages[99] as PageHandle).resident, true);
  pages.forEach((page, i) => assert.equal(tag(memory, page), i));
  assert.ok(memory.counters.pageOuts >= 36 && memory.counters.pageIns >= 36);
});

test('UMA fills up: VME_ERR_MEMORY_EXHAUSTED', () => {
  const { memory, uma } = platform();
  uma.reserveUma(UMA_BASE, 9 * 4096); // 8 slots and their tag table
  manyPages(memory, 72);
  assert.throws(() => memory.allocate('app'), { code: 'VME_ERR_MEMORY_EXHAUSTED' });
});

test('the host reading UMA sees only ciphertext, never the plaintext marker', () => {
  const { memory, uma, dram } = platform();
  uma.reserveUma(UMA_BASE, 1024 * KiB);
  manyPages(memory, 100);
  const region = Buffer.from(dram.read(UMA_BASE, 1024 * KiB));
  assert.equal(region.indexOf(MARKER), -1);
  assert.equal(region.indexOf(MARKER.subarray(0, 8)), -1);
  assert.ok(region.some((b) => b !== 0), 'something was written');
});

/** A platform with page 0 paged out, and where it lives in host DRAM. */
function pagedOut() {
  const setup = platform();
  setup.uma.reserveUma(UMA_BASE, 1024 * KiB);
  const pages = manyPages(setup.memory, 70);
  const first = pages[0] as PageHandle;
  const location = setup.memory.locate(first);
  assert.equal(location.resident, false);
  const slot = location.resident ? -1 : location.slot;
  return { ...setup, pages, first, slot };
}

test('a flipped ciphertext byte is detected at page-in and faults the page for good', () => {
  const { dram, uma, memory, first, slot } = pagedOut();
  const at = uma.slotAddress(slot) + 100;
  dram.write(at, Uint8Array.of(dram.read(at, 1)[0]! ^ 0x01));
  assert.throws(() => memory.read('app', first, 0, 16), { code: 'VME_ERR_UMA_INTEGRITY', blame: 'host' });
  assert.throws(() => memory.read('app', first, 0, 16), { code: 'VME_ERR_UMA_INTEGRITY' }, 'no silent continuation');
  assert.equal(memory.counters.integrityFaults, 1);
  memory.free('app', first);
});

test('a flipped tag byte is detected', () => {
  const { dram, uma, memory, first, slot } = pagedOut();
  const at = uma.tagAddress(slot) + 15;
  dram.write(at, Uint8Array.of(dram.read(at, 1)[0]! ^ 0x80));
  assert.throws(() => memory.read('app', first, 0, 1), { code: 'VME_ERR_UMA_INTEGRITY' });
});

test('swapping two pages (ciphertext and tags) is detected for both', () => {
  const { dram, uma, memory, pages } = pagedOut();
  const [a, b] = [pages[0] as PageHandle, pages[1] as PageHandle];
  const [sa, sb] = [memory.locate(a), memory.locate(b)].map((l) => (l.resident ? -1 : l.slot)) as [number, number];
  const swap = (x: number, y: number, length: number): void => {
    const [bx, by] = [dram.read(x, length), dram.read(y, length)];
    dram.write(x, by);
    dram.write(y, bx);
  };
  swap(uma.slotAddress(sa), uma.slotAddress(sb), PAGE_SIZE);
  swap(uma.tagAddress(sa), uma.tagAddress(sb), 16);
  assert.throws(() => memory.read('app', a, 0, 1), { code: 'VME_ERR_UMA_INTEGRITY' });
  assert.throws(() => memory.read('app', b, 0, 1), { code: 'VME_ERR_UMA_INTEGRITY' });
});

test('replaying an old version of a page is detected', () => {
  const { dram, uma, memory, pages, first, slot } = pagedOut();
  const old = { data: dram.read(uma.slotAddress(slot), PAGE_SIZE), tag: dram.read(uma.tagAddress(slot), 16) };
  memory.write('app', first, 0, Buffer.from('new contents'));
  for (const page of pages.slice(1)) memory.read('app', page, 0, 1);
  const again = memory.locate(first);
  assert.equal(again.resident, false);
  assert.equal(again.resident ? -1 : again.slot, slot, 'same slot, newer version');
  dram.write(uma.slotAddress(slot), old.data);
  dram.write(uma.tagAddress(slot), old.tag);
  assert.throws(() => memory.read('app', first, 0, 1), { code: 'VME_ERR_UMA_INTEGRITY' });
});

test('pages are owner-checked and accesses stay inside the page', () => {
  const { memory } = platform();
  const page = memory.allocate('app');
  assert.throws(() => memory.read('mallory', page, 0, 1), { code: 'VME_ERR_PAGE_ACCESS' });
  assert.throws(() => memory.read('app', page, PAGE_SIZE - 1, 2), { code: 'VME_ERR_PAGE_ACCESS' });
  assert.throws(() => memory.write('app', page, -1, Uint8Array.of(1)), { code: 'VME_ERR_PAGE_ACCESS' });
  assert.equal(memory.read('app', page, PAGE_SIZE - 1, 1).length, 1);
  memory.free('app', page);
  assert.throws(() => memory.read('app', page, 0, 1), { code: 'VME_ERR_PAGE_ACCESS' });
});

test('pinned buffers and pages share the SRAM budget', () => {
  const { sram, memory } = platform();
  const buffer = sram.allocateBuffer('app', 63 * 4096);
  const page = memory.allocate('app');
  assert.throws(() => sram.allocateBuffer('app', 1), { code: 'VME_ERR_MEMORY_EXHAUSTED' });
  memory.free('app', page);
  buffer.release();
  assert.equal(sram.usedFrames, 0);
});

test('snapshot/restore of DRAM, UMA and engine memory forks a paged platform', () => {
  const { dram, uma, memory, pages } = pagedOut();
  const snapshot = { dram: dram.snapshot(), uma: uma.snapshot(), memory: memory.snapshot() };
  memory.write('app', pages[0] as PageHandle, PAGE_SIZE - 4, Uint8Array.of(0xff, 0xff, 0xff, 0xff));
  dram.restore(snapshot.dram);
  uma.restore(snapshot.uma);
  memory.restore(snapshot.memory);
  pages.forEach((page, i) => assert.equal(tag(memory, page), i));
});
