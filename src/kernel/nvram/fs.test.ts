// Tests of the NVRAM file system API: get/put/delete/list/commit, isolation, limits, quotas, events.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JsonFileCounter, LIMITS, MemoryCounter, MemoryPartitionStore, NvramFileSystem, NvramNamespace, isNvramError } from './index.js';
import { SECRET, rig, text } from './test-fixtures.js';

const code = (c: string) => (e: unknown) => isNvramError(e) && e.code === c;

test('a blank partition mounts empty and formats itself', () => {
  const r = rig();
  const fs = r.mount();
  assert.deepEqual(fs.namespaces(), []);
  assert.equal(r.counter.read(), 1);
  assert.deepEqual(r.events.map((e) => e.type), ['compacted', 'formatted']);
});

test('put, get, list, delete and remount keep exact values', () => {
  const r = rig();
  const amt = r.mount().namespace('amt');
  amt.put('admin/password', text('P@ssw0rd'));
  amt.put('admin/realm', text('Digest:1234'));
  amt.put('empty', new Uint8Array());
  assert.deepEqual(amt.list('admin/'), ['admin/password', 'admin/realm']);
  assert.equal(amt.delete('admin/realm'), true);
  assert.equal(amt.delete('admin/realm'), false);
  const again = r.mount().namespace('amt');
  assert.deepEqual(again.list(), ['admin/password', 'empty']);
  assert.deepEqual(again.get('admin/password'), text('P@ssw0rd'));
  assert.deepEqual(again.get('empty'), new Uint8Array());
  assert.equal(again.get('admin/realm'), undefined);
  assert.equal(again.has('empty'), true);
});

test('a namespace handle reaches only its own keys', () => {
  const fs = rig().mount();
  const amt = fs.namespace('amt');
  const tpm = fs.namespace('tpm');
  amt.put('k', text('amt'));
  tpm.put('k', text('tpm'));
  assert.deepEqual(amt.get('k'), text('amt'));
  assert.deepEqual(tpm.get('k'), text('tpm'));
  assert.equal(fs.namespace('mkhi').get('k'), undefined);
  assert.deepEqual(Object.keys(amt), ['name']);
  assert.throws(() => amt.put('../tpm/k', new Uint8Array(1 + LIMITS.maxValueLength)), code('VME_ERR_NVRAM_ARGUMENT'));
  assert.equal(amt.list().includes('../tpm/k'), false);
  assert.deepEqual(fs.namespaces(), ['amt', 'tpm']);
});

test('commit applies all operations atomically, or none when one is invalid', () => {
  const r = rig();
  const fs = r.mount();
  const space = fs.namespace('tpm');
  space.put('a', text('1'));
  space.commit([{ type: 'put', key: 'b', value: text('2') }, { type: 'delete', key: 'a' }, { type: 'put', key: 'c', value: text('3') }]);
  assert.deepEqual(space.list(), ['b', 'c']);
  const sequence = fs.stats().sequence;
  assert.throws(() => space.commit([{ type: 'put', key: 'd', value: text('4') }, { type: 'put', key: '', value: text('5') }]), code('VME_ERR_NVRAM_ARGUMENT'));
  assert.throws(() => space.commit([{ type: 'put', key: 'd', value: text('4') }, { type: 'delete', key: 'd' }]), code('VME_ERR_NVRAM_ARGUMENT'));
  assert.throws(() => space.commit([]), code('VME_ERR_NVRAM_ARGUMENT'));
  assert.equal(fs.stats().sequence, sequence);
  assert.deepEqual(r.mount().namespace('tpm').list(), ['b', 'c']);
});

test('keys, values and namespace names outside the documented limits are refused', () => {
  const fs = rig().mount();
  const space = fs.namespace('amt');
  assert.throws(() => space.put('x'.repeat(LIMITS.maxKeyLength + 1), text('v')), code('VME_ERR_NVRAM_ARGUMENT'));
  assert.throws(() => space.put('tab\tkey', text('v')), code('VME_ERR_NVRAM_ARGUMENT'));
  assert.throws(() => space.put('k', new Uint8Array(LIMITS.maxValueLength + 1)), code('VME_ERR_NVRAM_ARGUMENT'));
  space.put('x'.repeat(LIMITS.maxKeyLength), new Uint8Array(LIMITS.maxValueLength));
  for (const bad of ['', 'A', '-x', 'a/b', 'x'.repeat(33)]) assert.throws(() => fs.namespace(bad), code('VME_ERR_NVRAM_ARGUMENT'));
  assert.throws(() => fs.namespace('ok', { quotaBytes: -1 }), code('VME_ERR_NVRAM_ARGUMENT'));
  const big = Array.from({ length: 5 }, (_, i) => ({ type: 'put' as const, key: `k${i}`, value: new Uint8Array(LIMITS.maxValueLength) }));
  assert.throws(() => space.commit(big), code('VME_ERR_NVRAM_ARGUMENT'));
});

test('a quota refuses growth past it and leaves the namespace usable', () => {
  const r = rig();
  const fs = r.mount();
  const space = fs.namespace('ipt', { quotaBytes: 100 });
  space.put('a', new Uint8Array(60));
  assert.throws(() => space.put('b', new Uint8Array(60)), code('VME_ERR_NVRAM_QUOTA'));
  assert.deepEqual(space.usage(), { bytes: 65, quotaBytes: 100 });
  space.put('a', new Uint8Array(90));
  assert.ok(r.events.some((e) => e.type === 'commit-rejected' && e.code === 'VME_ERR_NVRAM_QUOTA'));
  assert.equal(fs.namespace('ipt', { quotaBytes: 10 }).get('a')?.length, 90);
  space.put('a', new Uint8Array(5));
  assert.deepEqual(space.usage(), { bytes: 10, quotaBytes: 10 });
});

test('a full partition refuses the commit, keeps every value and still works', () => {
  const r = rig(0x4000);
  const fs = r.mount();
  const space = fs.namespace('amt');
  let stored = 0;
  assert.throws(() => {
    for (;;) space.put(`k${stored++}`, new Uint8Array(1000).fill(stored));
  }, code('VME_ERR_NVRAM_FULL'));
  stored -= 1;
  const check = (s: NvramNamespace) => {
    for (let i = 0; i < stored; i++) assert.deepEqual(s.get(`k${i}`), new Uint8Array(1000).fill(i + 1), `k${i}`);
  };
  check(space);
  check(r.mount().namespace('amt'));
  space.delete('k0');
  space.put('k-new', new Uint8Array(900));
  assert.ok(fs.stats().generation > 1);
});

test('overwrites trigger compaction and the state survives many generations', () => {
  const r = rig(0x4000);
  const fs = r.mount();
  const space = fs.namespace('mkhi');
  for (let i = 0; i < 400; i++) space.put(`k${i % 7}`, text(`value ${i}`.repeat(1 + (i % 5))));
  assert.ok(fs.stats().generation > 3, `generation ${fs.stats().generation}`);
  const again = r.mount().namespace('mkhi');
  for (let i = 393; i < 400; i++) assert.deepEqual(again.get(`k${i % 7}`), text(`value ${i}`.repeat(1 + (i % 5))));
  assert.equal(r.counter.read(), 401);
});

test('the JSON file counter persists across mounts and is written atomically', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vme-nvram-'));
  try {
    const path = join(dir, 'counter.json');
    const store = new MemoryPartitionStore(0x4000);
    const fs = NvramFileSystem.mount({ store, secret: SECRET, counter: new JsonFileCounter(path) });
    fs.namespace('amt').put('k', text('v'));
    const counter = new JsonFileCounter(path);
    assert.equal(counter.read(), 2);
    assert.deepEqual(NvramFileSystem.mount({ store, secret: SECRET, counter }).namespace('amt').get('k'), text('v'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a wrong fuse secret cannot read the partition', () => {
  const r = rig();
  r.mount().namespace('amt').put('k', text('v'));
  const other = Uint8Array.from(SECRET, (b) => b ^ 1);
  assert.throws(() => NvramFileSystem.mount({ store: r.store, secret: other, counter: r.counter }), code('VME_ERR_NVRAM_INTEGRITY'));
  assert.throws(() => NvramFileSystem.mount({ store: r.store, secret: new Uint8Array(8), counter: r.counter }), code('VME_ERR_NVRAM_ARGUMENT'));
});

test('format wipes every namespace at a new sequence', () => {
  const r = rig();
  r.mount().namespace('amt').put('k', text('v'));
  const old = r.store.snapshot();
  const fs = NvramFileSystem.format({ store: r.store, secret: SECRET, counter: r.counter });
  assert.deepEqual(fs.namespaces(), []);
  assert.throws(() => r.mount(new MemoryPartitionStore(old.length, { contents: old })), code('VME_ERR_NVRAM_REPLAY'));
});

test('many instances coexist without shared state', () => {
  const rigs = Array.from({ length: 20 }, () => rig(0x2000 * 2));
  rigs.forEach((r, i) => r.mount().namespace('amt').put('id', text(String(i))));
  rigs.forEach((r, i) => assert.deepEqual(r.mount().namespace('amt').get('id'), text(String(i))));
});

test('sequence numbers stop at u32 with a typed error instead of wrapping', () => {
  const store = new MemoryPartitionStore(0x4000);
  const counter = new MemoryCounter(0xfffffffe);
  const fs = NvramFileSystem.format({ store, secret: SECRET, counter });
  assert.equal(fs.stats().sequence, 0xffffffff);
  assert.throws(() => fs.namespace('amt').put('k', text('v')), code('VME_ERR_NVRAM_FULL'));
  assert.deepEqual(NvramFileSystem.mount({ store, secret: SECRET, counter }).namespaces(), []);
});
