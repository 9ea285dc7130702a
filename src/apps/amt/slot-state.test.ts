// Tests of WsmanState over the NVRAM cache: values of every shape round-trip through NVRAM
// (Uint8Array included, also after a restart), large values are chunked, decoded values are reused,
// the committed view neither sees staged changes nor writes, volatile slots never reach NVRAM, and
// Unprovision's reset keeps the slots marked 'keep' even when this incarnation never touched them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AmtStateStore } from '../../amt-state/index.js';
import { nvramRig } from '../../amt-state/testing.js';
import { CONFIGURATION_NONCE } from '../../amt/wsman/classes/provisioning.js';
import { resetOnUnprovision, type StateSlot } from '../../amt/wsman/state.js';
import type { NvramNamespace } from '../../kernel/nvram/index.js';
import { NvramCache } from './nvram-cache.js';
import { decodeSlot, encodeSlot, SLOT_CHUNK_BYTES, slotKey } from './slot-codec.js';
import { NvramWsmanState } from './slot-state.js';

interface Shape {
  readonly name: string;
  readonly der: Uint8Array;
  readonly list: readonly { readonly id: number; readonly key?: Uint8Array }[];
  readonly missing?: string;
}
const SHAPE: StateSlot<Shape> = { name: 'test/shape', initial: () => ({ name: '', der: new Uint8Array(0), list: [] }) };
const BIG: StateSlot<{ records: string[] }> = { name: 'test/big', initial: () => ({ records: [] }) };
const KEPT: StateSlot<number> = { name: 'test/kept', initial: () => 0, unprovision: 'keep' };
const RESET: StateSlot<number> = { name: 'test/reset', initial: () => 0 };

async function open(namespace: NvramNamespace): Promise<{ cache: NvramCache; state: NvramWsmanState }> {
  const cache = await NvramCache.open(namespace);
  await AmtStateStore.open(cache);
  await cache.flush();
  return { cache, state: new NvramWsmanState(cache) };
}

test('the codec: Uint8Array (also nested and empty), undefined, the keep mark', () => {
  const value = { a: Uint8Array.of(1, 2, 255), nested: [{ b: new Uint8Array(0) }], text: 'x', n: 3, flag: false, absent: undefined };
  const decoded = decodeSlot('k', encodeSlot({ value, keep: true }));
  assert.deepEqual(decoded, { value: { a: Uint8Array.of(1, 2, 255), nested: [{ b: new Uint8Array(0) }], text: 'x', n: 3, flag: false }, keep: true });
  assert.deepEqual(decodeSlot('k', encodeSlot({ value: undefined, keep: false })), { value: undefined, keep: false });
  assert.throws(() => decodeSlot('s:x', new TextEncoder().encode('{not json')), { code: 'VME_ERR_AMT_STATE_CORRUPT' });
  assert.throws(() => decodeSlot('s:x', new TextEncoder().encode('[1]')), { code: 'VME_ERR_AMT_STATE_CORRUPT' });
});

test('values round-trip through NVRAM and a restart; big values are chunked and shrink back', async () => {
  const rig = nvramRig();
  const namespace = rig.mount().namespace('amt');
  const { cache, state } = await open(namespace);
  const shape: Shape = { name: 'cert', der: Uint8Array.from({ length: 300 }, (_, i) => i & 0xff), list: [{ id: 1, key: Uint8Array.of(9) }, { id: 2 }] };
  state.set(SHAPE, shape);
  const big = { records: Array.from({ length: 400 }, (_, i) => `record-${i}-${'x'.repeat(80)}`) };
  state.set(BIG, big);
  await cache.flush();
  assert.ok(namespace.get(slotKey(BIG.name, 1)) !== undefined, 'over 16 KiB: a second chunk');
  assert.ok((namespace.get(slotKey(BIG.name)) ?? []).length <= SLOT_CHUNK_BYTES);

  const again = await open(rig.mount().namespace('amt'));
  assert.deepEqual(again.state.get(SHAPE), shape);
  assert.deepEqual(again.state.get(BIG), big);
  again.state.set(BIG, { records: ['small'] });
  await again.cache.flush();
  assert.equal(rig.mount().namespace('amt').get(slotKey(BIG.name, 1)), undefined, 'surplus chunks deleted');
  assert.deepEqual((await open(rig.mount().namespace('amt'))).state.get(BIG), { records: ['small'] });
});

test('a decoded value is reused until its bytes change; the committed view sees only committed values and refuses writes', async () => {
  const { cache, state } = await open(nvramRig().mount().namespace('amt'));
  const committed = new NvramWsmanState(cache, { committed: true });
  assert.equal(state.get(RESET), state.get(RESET));
  state.set(SHAPE, { name: 'a', der: Uint8Array.of(1), list: [] });
  assert.equal(state.get(SHAPE), state.get(SHAPE), 'same object while unchanged');
  assert.equal(committed.get(SHAPE).name, '', 'not committed yet');
  await cache.flush();
  assert.equal(committed.get(SHAPE).name, 'a');
  state.set(SHAPE, { name: 'b', der: Uint8Array.of(2), list: [] });
  assert.equal(state.get(SHAPE).name, 'b');
  cache.rollback();
  assert.equal(state.get(SHAPE).name, 'a', 'rolled back');
  assert.throws(() => committed.set(SHAPE, state.get(SHAPE)), TypeError);
});

test('volatile slots (the ConfigurationNonce) stay in memory', async () => {
  const namespace = nvramRig().mount().namespace('amt');
  const { cache, state } = await open(namespace);
  state.set(CONFIGURATION_NONCE, Uint8Array.of(1, 2, 3));
  assert.deepEqual(state.get(CONFIGURATION_NONCE), Uint8Array.of(1, 2, 3));
  assert.equal(cache.dirty, false, 'nothing staged');
  assert.deepEqual(namespace.list('s:'), []);
});

test('reset: slots marked keep survive, also when only their stored record knows the mark', async () => {
  const rig = nvramRig();
  const { cache, state } = await open(rig.mount().namespace('amt'));
  state.set(KEPT, 7);
  state.set(RESET, 8);
  await cache.flush();
  const restarted = await open(rig.mount().namespace('amt'));
  restarted.state.reset(resetOnUnprovision);
  await restarted.cache.flush();
  const after = await open(rig.mount().namespace('amt'));
  assert.equal(after.state.get(KEPT), 7);
  assert.equal(after.state.get(RESET), 0);
});
