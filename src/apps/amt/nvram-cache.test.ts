// Tests of the AMT app's NVRAM cache on a real in-memory NVRAM: staged reads, one commit per flush,
// rollback, a failed commit leaving NVRAM and the cache as before, and a power loss at every write
// of a flush leaving either the whole old state or the whole new one after remount.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nvramRig, TEST_SECRET } from '../../amt-state/testing.js';
import { FaultInjectingStore, MemoryCounter, MemoryPartitionStore, NvramFileSystem, type NvramNamespace, type TransactionOperation } from '../../kernel/nvram/index.js';
import { NvramCache, type CacheBackend } from './nvram-cache.js';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const text = (value: Uint8Array | undefined): string | undefined => (value === undefined ? undefined : new TextDecoder().decode(value));

interface Counted extends CacheBackend {
  readonly commits: TransactionOperation[][];
  failNext: boolean;
  get(key: string): Uint8Array | undefined;
}

/** A namespace whose commits are counted (and can be made to fail). */
function counted(namespace: NvramNamespace): Counted {
  const wrapper: Counted = {
    commits: [],
    failNext: false,
    get: (key) => namespace.get(key),
    list: (prefix) => namespace.list(prefix),
    commit: (operations) => {
      if (wrapper.failNext) {
        wrapper.failNext = false;
        throw new Error('simulated NVRAM refusal');
      }
      wrapper.commits.push([...operations]);
      namespace.commit(operations);
    },
  };
  return wrapper;
}

test('open loads every key; reads see staged changes; list merges staged puts and deletes', async () => {
  const namespace = nvramRig().mount().namespace('amt');
  namespace.commit([{ type: 'put', key: 'a', value: bytes('1') }, { type: 'put', key: 'b/1', value: bytes('2') }, { type: 'put', key: 'b/2', value: bytes('3') }]);
  const cache = await NvramCache.open(namespace);
  assert.equal(text(cache.get('a')), '1');
  cache.put('b/3', bytes('4'));
  assert.equal(cache.delete('b/1'), true);
  assert.equal(cache.delete('missing'), false);
  assert.deepEqual(cache.list('b/'), ['b/2', 'b/3']);
  assert.equal(cache.get('b/1'), undefined);
  assert.equal(text(cache.committed('b/1')), '2', 'NVRAM unchanged until the flush');
  assert.deepEqual(cache.committedView.list('b/'), ['b/1', 'b/2']);
  assert.equal(namespace.get('b/3'), undefined);
});

test('flush is ONE commit of the net changes; nothing staged means no write; rollback restores the old values', async () => {
  const namespace = counted(nvramRig().mount().namespace('amt'));
  await namespace.commit([{ type: 'put', key: 'same', value: bytes('x') }, { type: 'put', key: 'old', value: bytes('o') }]);
  namespace.commits.length = 0;
  const cache = await NvramCache.open(namespace);
  cache.put('new', bytes('n'));
  cache.put('same', bytes('x'));
  cache.commit([{ type: 'put', key: 'old', value: bytes('p') }, { type: 'delete', key: 'gone-already' }]);
  cache.put('new', bytes('n2'));
  await cache.flush();
  assert.equal(namespace.commits.length, 1);
  assert.deepEqual(namespace.commits[0]?.map((op) => [op.type, op.key]), [['put', 'new'], ['put', 'old']], 'unchanged values and deletes of absent keys are not written');
  assert.equal(text(namespace.get('new')), 'n2');
  await cache.flush();
  assert.equal(namespace.commits.length, 1, 'a clean flush writes nothing');

  cache.put('old', bytes('q'));
  cache.delete('new');
  cache.rollback();
  assert.equal(text(cache.get('old')), 'p');
  assert.equal(text(cache.get('new')), 'n2');
  assert.equal(cache.dirty, false);
});

test('a refused commit rolls the cache back and leaves NVRAM as it was', async () => {
  const namespace = counted(nvramRig().mount().namespace('amt'));
  const cache = await NvramCache.open(namespace);
  cache.put('a', bytes('1'));
  await cache.flush();
  cache.put('a', bytes('2'));
  cache.put('b', bytes('3'));
  namespace.failNext = true;
  await assert.rejects(cache.flush(), /simulated NVRAM refusal/);
  assert.equal(text(cache.get('a')), '1');
  assert.equal(cache.get('b'), undefined);
  assert.equal(text(namespace.get('a')), '1');
  assert.equal(namespace.get('b'), undefined);
});

test('power loss at every write of a flush: after remount the namespace holds all of the old state or all of the new', async () => {
  const size = 0x20000;
  const base = nvramRig(size);
  base.mount().namespace('amt').commit([
    { type: 'put', key: 'provisioning', value: bytes('pre') }, { type: 'put', key: 'admin', value: bytes('none') }, { type: 'put', key: 'hash/1', value: bytes('h1') },
  ]);
  const image = base.store.read(0, size);
  const counterAt = base.counter.read();
  const before = { admin: 'none', 'hash/1': 'h1', provisioning: 'pre' };
  const after = { admin: 'HA1', 'hash/2': 'h2', provisioning: 'post' };
  const stage = (cache: NvramCache): void => {
    cache.put('provisioning', bytes('post'));
    cache.put('admin', bytes('HA1'));
    cache.delete('hash/1');
    cache.put('hash/2', bytes('h2'));
  };
  const platform = () => ({ inner: new MemoryPartitionStore(size, { contents: image, sectorSize: 4096, nor: true }), counter: new MemoryCounter(counterAt) });
  const contents = (inner: MemoryPartitionStore, counter: MemoryCounter): Record<string, string | undefined> => {
    const namespace = NvramFileSystem.mount({ store: inner, secret: TEST_SECRET, counter }).namespace('amt');
    return Object.fromEntries(namespace.list().sort().map((key) => [key, text(namespace.get(key))]));
  };

  // Size the flush: writes of the mount, then of the flush.
  const sizing = platform();
  const counting = new FaultInjectingStore(sizing.inner, { failAfter: Infinity });
  const fs = NvramFileSystem.mount({ store: counting, secret: TEST_SECRET, counter: sizing.counter });
  const mountWrites = counting.completedOperations;
  const cache = await NvramCache.open(fs.namespace('amt'));
  stage(cache);
  await cache.flush();
  const flushWrites = counting.completedOperations - mountWrites;
  assert.ok(flushWrites > 0);
  assert.deepEqual(contents(sizing.inner, sizing.counter), after);

  for (let n = 0; n < flushWrites; n++) {
    const { inner, counter } = platform();
    const store = new FaultInjectingStore(inner, { failAfter: mountWrites + n, tornFraction: 0.5 });
    const crashing = await NvramCache.open(NvramFileSystem.mount({ store, secret: TEST_SECRET, counter }).namespace('amt'));
    stage(crashing);
    await assert.rejects(crashing.flush(), `the power fails at write ${n} of the flush`);
    assert.ok(store.tripped);
    const seen = contents(inner, counter);
    assert.ok([before, after].some((state) => JSON.stringify(state) === JSON.stringify(seen)), `write ${n}: all or nothing, got ${JSON.stringify(seen)}`);
  }
});
