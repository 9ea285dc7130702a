// Fuzzing: thousands of seeded mutations of real partitions (random bytes, ranges, erasures, old
// areas spliced in) never crash mount: it either refuses with a typed integrity/replay error or
// shows exactly the acknowledged state.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SeededRandom } from '../../../test/support/random.js';
import { MemoryCounter, MemoryPartitionStore, NvramFileSystem, isNvramError } from './index.js';
import { SECRET, readAll, rig, text } from './test-fixtures.js';

const SIZE = 0x4000;
const NAMESPACES = ['amt', 'tpm'];
const CASES = 3000;

type Mutation = (image: Uint8Array, random: SeededRandom, older: Uint8Array) => void;

const MUTATIONS: Mutation[] = [
  (image, random) => {
    for (let n = 1 + random.int(4); n > 0; n--) image[random.int(image.length)] = random.int(256);
  },
  (image, random) => {
    const at = random.int(image.length);
    image.fill(random.pick([0x00, 0xff, random.int(256)]), at, at + 1 + random.int(256));
  },
  (image, random) => {
    const from = random.int(image.length - 64);
    image.copyWithin(random.int(image.length - 64), from, from + 1 + random.int(64));
  },
  (image, random, older) => {
    const area = random.int(2) * (SIZE / 2);
    image.set(older.subarray(area, area + SIZE / 2), area);
  },
  (image) => image.set(swapped(image)),
];

function swapped(image: Uint8Array): Uint8Array {
  const out = new Uint8Array(image.length);
  out.set(image.subarray(SIZE / 2), 0);
  out.set(image.subarray(0, SIZE / 2), SIZE / 2);
  return out;
}

test(`${CASES} seeded mutations of a partition never crash mount or leak tampered data`, (t) => {
  const r = rig(SIZE, 1024);
  const fs = r.mount();
  const random = new SeededRandom(2024);
  let older = r.store.snapshot();
  for (let i = 0; i < 60; i++) {
    if (i === 40) older = r.store.snapshot();
    fs.namespace(random.pick(NAMESPACES)).put(`k${random.int(8)}`, text('v'.repeat(random.int(120))));
  }
  const expected = JSON.stringify([...readAll(fs, NAMESPACES)].map(([n, e]) => [n, [...e]]));
  const image = r.store.snapshot();
  const outcomes = new Map<string, number>();
  for (let c = 0; c < CASES; c++) {
    const mutated = image.slice();
    random.pick(MUTATIONS)(mutated, random, older);
    const outcome = mountOutcome(mutated, r.counter.read(), expected);
    outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
  }
  t.diagnostic(JSON.stringify(Object.fromEntries(outcomes)));
  assert.ok((outcomes.get('VME_ERR_NVRAM_INTEGRITY') ?? 0) > CASES / 4, JSON.stringify([...outcomes]));
});

function mountOutcome(image: Uint8Array, counter: number, expected: string): string {
  try {
    const store = new MemoryPartitionStore(SIZE, { sectorSize: 1024, contents: image, nor: true });
    const mounted = NvramFileSystem.mount({ store, secret: SECRET, counter: new MemoryCounter(counter) });
    const seen = JSON.stringify([...readAll(mounted, NAMESPACES)].map(([n, e]) => [n, [...e]]));
    assert.equal(seen, expected, 'a mutated partition mounted with different contents');
    return 'same contents';
  } catch (e) {
    if (isNvramError(e, 'VME_ERR_NVRAM_INTEGRITY') || isNvramError(e, 'VME_ERR_NVRAM_REPLAY')) return e.code;
    throw e;
  }
}
