// Crash consistency by fault injection: a power loss at every write/erase index (torn), then remount
// (with further losses during recovery) must show every acknowledged commit exactly, the interrupted
// one fully or not at all, and a file system that keeps working.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SeededRandom } from '../../../test/support/random.js';
import { FaultInjectingStore, MemoryCounter, MemoryPartitionStore, NvramFileSystem, SimulatedPowerLoss, type MonotonicCounter, type NvramEvent, type PartitionStore, type TransactionOperation } from './index.js';
import { SECRET, cloneModel, readAll, type Model } from './test-fixtures.js';

const NAMESPACES = ['amt', 'tpm'];
const PARTITION = 0x2000;
const SECTOR = 1024;

type Step = { kind: 'commit'; namespace: string; operations: TransactionOperation[] } | { kind: 'compact' };

function workload(seed: number, commits: number): Step[] {
  const random = new SeededRandom(seed);
  const steps: Step[] = [];
  for (let i = 0; i < commits; i++) {
    if (i % 25 === 12) steps.push({ kind: 'compact' });
    const keys = [...new Set(Array.from({ length: 1 + random.int(3) }, () => `key${random.int(6)}`))];
    const operations = keys.map((key): TransactionOperation => (random.int(5) === 0
      ? { type: 'delete', key }
      : { type: 'put', key, value: Uint8Array.from({ length: random.int(200) }, () => random.int(256)) }));
    steps.push({ kind: 'commit', namespace: random.pick(NAMESPACES), operations });
  }
  return steps;
}

function applyToModel(model: Model, step: Step): Model {
  const next = cloneModel(model);
  if (step.kind === 'compact') return next;
  const entries = next.get(step.namespace) ?? new Map<string, string>();
  for (const op of step.operations) {
    if (op.type === 'put') entries.set(op.key, Buffer.from(op.value).toString('hex'));
    else entries.delete(op.key);
  }
  if (entries.size > 0) next.set(step.namespace, entries);
  else next.delete(step.namespace);
  return next;
}

const plain = (model: Model) => Object.fromEntries([...model].sort().map(([n, e]) => [n, Object.fromEntries([...e].sort())]));

function mount(store: PartitionStore, counter: MonotonicCounter, events: NvramEvent[]): NvramFileSystem {
  return NvramFileSystem.mount({ store, secret: SECRET, counter, onEvent: (e) => events.push(e) });
}

function runSteps(fs: NvramFileSystem, steps: readonly Step[], state: { model: Model; pending?: Model }): void {
  for (const step of steps) {
    state.pending = applyToModel(state.model, step);
    if (step.kind === 'compact') fs.compact();
    else fs.namespace(step.namespace).commit(step.operations);
    state.model = state.pending;
    state.pending = undefined;
  }
}

/** Mounts after a crash, losing power again during recovery (j = 0, 1, ...) until it completes. */
function recover(inner: MemoryPartitionStore, counter: MonotonicCounter, events: NvramEvent[], seed: number): NvramFileSystem {
  for (let failAfter = 0; ; failAfter++) {
    const store = new FaultInjectingStore(inner, { failAfter, tornFraction: new SeededRandom(seed + failAfter).next() });
    try {
      const fs = mount(store, counter, events);
      if (!store.tripped) return mount(inner, counter, events);
      return fs;
    } catch (e) {
      if (!(e instanceof SimulatedPowerLoss)) throw e;
    }
  }
}

function crashAt(steps: readonly Step[], failAfter: number, fraction: number): void {
  const inner = new MemoryPartitionStore(PARTITION, { sectorSize: SECTOR, nor: true });
  const counter = new MemoryCounter();
  const events: NvramEvent[] = [];
  const state: { model: Model; pending?: Model } = { model: new Map() };
  try {
    runSteps(mount(new FaultInjectingStore(inner, { failAfter, tornFraction: fraction }), counter, events), steps, state);
    assert.fail(`no power loss at operation ${failAfter}`);
  } catch (e) {
    if (!(e instanceof SimulatedPowerLoss)) throw e;
  }
  const fs = recover(inner, counter, events, failAfter);
  const seen = plain(readAll(fs, NAMESPACES));
  const allowed = [plain(state.model), ...(state.pending ? [plain(state.pending)] : [])];
  assert.ok(allowed.some((m) => JSON.stringify(m) === JSON.stringify(seen)), `fault at ${failAfter} (${fraction}): state is neither before nor after the interrupted step`);
  assert.equal(events.filter((e) => e.type === 'integrity-violation' || e.type === 'replay-detected').length, 0, `fault at ${failAfter}: a crash was taken for an attack`);
  const after = { model: readAll(fs, NAMESPACES) };
  runSteps(fs, [...workload(failAfter + 1000, 6), { kind: 'compact' }], after);
  assert.deepEqual(plain(readAll(mount(inner, counter, events), NAMESPACES)), plain(after.model));
}

test('power loss at every write and erase index never loses or half-applies a commit', () => {
  const steps = workload(7, 70);
  const probe = new FaultInjectingStore(new MemoryPartitionStore(PARTITION, { sectorSize: SECTOR, nor: true }), { failAfter: Infinity });
  const state = { model: new Map() as Model };
  const fs = mount(probe, new MemoryCounter(), []);
  runSteps(fs, steps, state);
  const operations = probe.completedOperations;
  assert.ok(fs.stats().generation >= 5, `workload compacts (generation ${fs.stats().generation})`);
  assert.ok(operations > 100, `workload has ${operations} operations`);
  const random = new SeededRandom(99);
  for (let k = 0; k < operations; k++) {
    for (const fraction of [0, 0.5, random.next()]) crashAt(steps, k, fraction);
  }
});

/** A counter whose next increment loses power, before or after the new value is durable. */
class FailingCounter extends MemoryCounter {
  armed: 'before' | 'after' | undefined;

  override increment(): number {
    const mode = this.armed;
    this.armed = undefined;
    if (mode === 'before') throw new SimulatedPowerLoss(0, 'write', 0);
    const value = super.increment();
    if (mode === 'after') throw new SimulatedPowerLoss(0, 'write', 0);
    return value;
  }
}

test('a crash around the counter increment is neither lost data nor a replay alarm', () => {
  for (const mode of ['before', 'after'] as const) {
    for (const size of [10, 1400]) {
      const store = new MemoryPartitionStore(PARTITION, { sectorSize: SECTOR, nor: true });
      const counter = new FailingCounter();
      const events: NvramEvent[] = [];
      const space = mount(store, counter, events).namespace('amt');
      space.put('a', new Uint8Array(size).fill(1));
      space.put('a', new Uint8Array(size).fill(1));
      const generation = mount(store, counter, events).stats().generation;
      counter.armed = mode;
      assert.throws(() => space.put('b', new Uint8Array(size).fill(2)), SimulatedPowerLoss);
      const again = mount(store, counter, events).namespace('amt');
      assert.deepEqual(again.get('b'), new Uint8Array(size).fill(2), `${mode} ${size}`);
      assert.equal(mount(store, counter, []).stats().generation > generation, size > 1000, 'large values take the compaction path');
      assert.equal(events.some((e) => e.type === 'counter-resynced'), mode === 'before');
      again.put('c', new Uint8Array(1));
      assert.deepEqual(mount(store, counter, events).namespace('amt').list(), ['a', 'b', 'c']);
    }
  }
});

test('after a storage failure the instance refuses further use until remounted', () => {
  const inner = new MemoryPartitionStore(PARTITION, { sectorSize: SECTOR });
  const counter = new MemoryCounter();
  const faulty = new FaultInjectingStore(inner, { failAfter: 1 });
  const space = mount(faulty, counter, []).namespace('amt');
  assert.throws(() => space.put('a', new Uint8Array(4)), SimulatedPowerLoss);
  assert.throws(() => space.get('a'), (e: unknown) => e instanceof Error && 'code' in e && e.code === 'VME_ERR_NVRAM_STALE');
});
