// Integrity and anti-replay: tampered bytes, older images, erased or garbage partitions and runtime
// changes are refused with typed errors and reported through onEvent; torn tails are not alarms.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryCounter, MemoryPartitionStore, NvramFileSystem, isNvramError, type NvramEvent, type NvramErrorCode } from './index.js';
import { SECRET, readAll, rig, text, type Rig } from './test-fixtures.js';

const SIZE = 0x4000;

function mountCopy(image: Uint8Array, counter: number, events: NvramEvent[] = [], size = image.length): NvramFileSystem {
  const store = new MemoryPartitionStore(size, { contents: image, nor: true });
  return NvramFileSystem.mount({ store, secret: SECRET, counter: new MemoryCounter(counter), onEvent: (e) => events.push(e) });
}

function expectCode(run: () => unknown, code: NvramErrorCode, label: string): void {
  assert.throws(run, (e: unknown) => isNvramError(e, code) || assert.fail(`${label}: got ${String(e)}`), label);
}

/** A partition with a compacted snapshot followed by log records in the active area. */
function populated(): { r: Rig; fs: NvramFileSystem } {
  const r = rig(SIZE);
  const fs = r.mount();
  const amt = fs.namespace('amt');
  for (let i = 0; i < 6; i++) amt.put(`k${i}`, text(`value-${i}`));
  fs.compact();
  amt.put('k1', text('changed'));
  fs.namespace('tpm').commit([{ type: 'put', key: 'seed', value: new Uint8Array(40).fill(9) }, { type: 'delete', key: 'none' }]);
  amt.delete('k2');
  return { r, fs };
}

test('flipping any byte of the committed area is an integrity error', () => {
  const { r, fs } = populated();
  const image = r.store.snapshot();
  const stats = fs.stats();
  const start = stats.activeArea * (SIZE / 2);
  const end = start + 64 + stats.usedBytes;
  for (let at = start; at < end; at++) {
    const bad = image.slice();
    bad[at] = (bad[at] as number) ^ (1 << (at % 8));
    const events: NvramEvent[] = [];
    expectCode(() => mountCopy(bad, r.counter.read(), events), 'VME_ERR_NVRAM_INTEGRITY', `byte 0x${at.toString(16)}`);
    assert.ok(events.some((e) => e.type === 'integrity-violation'), `event for byte 0x${at.toString(16)}`);
  }
});

test('an older copy of the partition is a replay, also one commit or one compaction behind', () => {
  const r = rig(SIZE);
  const fs = r.mount();
  const amt = fs.namespace('amt');
  amt.put('pw', text('old'));
  const beforeChange = r.store.snapshot();
  amt.put('pw', text('new'));
  const beforeCompaction = r.store.snapshot();
  fs.compact();
  amt.put('x', text('1'));
  for (const [label, image] of [['one commit behind', beforeChange], ['before compaction', beforeCompaction]] as const) {
    const events: NvramEvent[] = [];
    expectCode(() => mountCopy(image, r.counter.read(), events), 'VME_ERR_NVRAM_REPLAY', label);
    assert.deepEqual(events.map((e) => e.type), ['replay-detected']);
  }
  assert.deepEqual(r.mount().namespace('amt').get('pw'), text('new'));
});

test('a counter behind the partition (rolled back, or another device) is refused', () => {
  const { r } = populated();
  expectCode(() => mountCopy(r.store.snapshot(), r.counter.read() - 2), 'VME_ERR_NVRAM_REPLAY', 'counter rolled back');
});

test('an erased partition is empty only while the counter has never advanced', () => {
  const blank = new Uint8Array(SIZE).fill(0xff);
  const events: NvramEvent[] = [];
  assert.deepEqual(mountCopy(blank, 0, events).namespaces(), []);
  assert.ok(events.some((e) => e.type === 'formatted' && e.reason === 'blank'));
  expectCode(() => mountCopy(blank, 5), 'VME_ERR_NVRAM_REPLAY', 'erased after use');
});

test('garbage, zeroed, truncated or resized partitions are integrity errors, never empty', () => {
  const { r, fs } = populated();
  const image = r.store.snapshot();
  const active = fs.stats().activeArea * (SIZE / 2);
  const garbage = Uint8Array.from({ length: SIZE }, (_, i) => (i * 131 + 7) & 0xff);
  expectCode(() => mountCopy(garbage, 0), 'VME_ERR_NVRAM_INTEGRITY', 'garbage');
  expectCode(() => mountCopy(new Uint8Array(SIZE), 0), 'VME_ERR_NVRAM_INTEGRITY', 'zeroed');
  const onlyHeader = new Uint8Array(SIZE).fill(0xff);
  onlyHeader.set(image.subarray(active, active + 16));
  expectCode(() => mountCopy(onlyHeader, 3), 'VME_ERR_NVRAM_INTEGRITY', 'torn header, used counter');
  expectCode(() => mountCopy(image, r.counter.read(), [], SIZE * 2), 'VME_ERR_NVRAM_INTEGRITY', 'image in a larger partition');
  expectCode(() => mountCopy(image.subarray(active, active + SIZE / 2), r.counter.read()), 'VME_ERR_NVRAM_INTEGRITY', 'the active half alone');
  expectCode(() => mountCopy(image.subarray(0, 0x1000), 0), 'VME_ERR_NVRAM_ARGUMENT', 'too small for two areas');
});

test('bytes appended after the log are discarded as a torn write, keeping every commit', () => {
  const { r, fs } = populated();
  const expected = readAll(fs, ['amt', 'tpm']);
  const image = r.store.snapshot();
  const end = fs.stats().activeArea * (SIZE / 2) + 64 + fs.stats().usedBytes;
  image.set(text('$NVR garbage'), end + 3);
  const events: NvramEvent[] = [];
  assert.deepEqual(readAll(mountCopy(image, r.counter.read(), events), ['amt', 'tpm']), expected);
  assert.ok(events.some((e) => e.type === 'torn-tail-discarded'));
});

test('a value changed on flash after mount is refused on read and by compaction', () => {
  const { r, fs } = populated();
  const image = r.store.snapshot();
  const at = Buffer.from(image).indexOf('changed');
  const store = new MemoryPartitionStore(SIZE, { contents: image });
  const events: NvramEvent[] = [];
  const mounted = NvramFileSystem.mount({ store, secret: SECRET, counter: new MemoryCounter(r.counter.read()), onEvent: (e) => events.push(e) });
  store.write(at, text('CHANGED'));
  expectCode(() => mounted.namespace('amt').get('k1'), 'VME_ERR_NVRAM_INTEGRITY', 'get');
  expectCode(() => mounted.compact(), 'VME_ERR_NVRAM_INTEGRITY', 'compact');
  assert.ok(events.some((e) => e.type === 'integrity-violation'));
  assert.ok(fs.namespace('amt').get('k1'));
});
