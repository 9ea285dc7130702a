// Flash controller: the full master x region x operation matrix (locked, unlocked, override strap), bounds, descriptor reload.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DecodeError } from '../codec/index.js';
import { FlashController } from './controller.js';
import { MemoryBacking } from './backing.js';
import { assembleImage } from './image.js';
import { lockDescriptor, type Master, type RegionName } from './descriptor.js';
import { FlashAccessDenied, FlashRangeError, type FlashOperation } from './errors.js';

const MiB = 1024 * 1024;
const MASTERS: Master[] = ['host', 'me', 'gbe', 'ec'];
const REGIONS: RegionName[] = ['fd', 'gbe', 'me', 'bios'];
const OPERATIONS: FlashOperation[] = ['read', 'write', 'erase'];

/** Locked grants for fd+GbE+ME+BIOS, written out by hand from `ifdtool -p sklkbl -l` (brief §1.4). */
const LOCKED: Record<Master, { read: RegionName[]; write: RegionName[] }> = {
  host: { read: ['fd', 'bios', 'gbe'], write: ['bios', 'gbe'] },
  me: { read: ['fd', 'me', 'gbe'], write: ['me'] },
  gbe: { read: ['fd', 'gbe'], write: ['gbe'] },
  ec: { read: [], write: [] },
};

const controllerFor = (access: 'locked' | 'unlocked', strapOverride = false): FlashController =>
  new FlashController(new MemoryBacking(assembleImage({ sizeBytes: 8 * MiB, meRegion: new Uint8Array(0), access })), { strapOverride });

function expectedAllowed(mode: 'locked' | 'unlocked' | 'override', master: Master, region: RegionName, operation: FlashOperation): boolean {
  if (mode === 'unlocked' || (mode === 'override' && master === 'host')) return true;
  const grant = LOCKED[master];
  return (operation === 'read' ? grant.read : grant.write).includes(region);
}

/** Try one operation on a fresh controller; report whether it was allowed. */
function attempt(c: FlashController, master: Master, region: RegionName, operation: FlashOperation): boolean {
  try {
    if (operation === 'read') c.read(master, region, 0x10, 4);
    else if (operation === 'write') c.write(master, region, 0x1000 - 4, new Uint8Array(4));
    else c.erase(master, region, 0, 0x1000);
    return true;
  } catch (err) {
    if (!(err instanceof FlashAccessDenied)) throw err;
    assert.deepEqual([err.master, err.region, err.operation, err.code, err.exitStatus], [master, region, operation, 'VME_ERR_FLASH_ACCESS_DENIED', 4]);
    assert.match(err.message, new RegExp(`^master ${master} may not ${operation} region ${region}: FLMSTR\\d = 0x[0-9a-f]{8} has (read|write) bit \\d+`));
    return false;
  }
}

for (const mode of ['locked', 'unlocked', 'override'] as const) {
  test(`access matrix, ${mode}: every master x region x operation`, () => {
    for (const master of MASTERS) {
      for (const region of REGIONS) {
        for (const operation of OPERATIONS) {
          const c = controllerFor(mode === 'unlocked' ? 'unlocked' : 'locked', mode === 'override');
          const want = expectedAllowed(mode, master, region, operation);
          assert.equal(c.isAllowed(master, region, operation), want, `${mode} ${master} ${operation} ${region}`);
          assert.equal(attempt(c, master, region, operation), want, `${mode} ${master} ${operation} ${region}`);
        }
      }
    }
  });
}

test('allowed operations reach the right flash addresses', () => {
  const backing = new MemoryBacking(assembleImage({ sizeBytes: 8 * MiB, meRegion: new Uint8Array(0) }));
  const c = new FlashController(backing);
  c.write('me', 'me', 0x20, Uint8Array.from([9, 8]));
  assert.deepEqual([...backing.read(0x3020, 2)], [9, 8]);
  assert.deepEqual([...c.read('me', 'me', 0x20, 2)], [9, 8]);
  c.erase('me', 'me', 0, 0x1000);
  assert.deepEqual([...backing.read(0x3020, 2)], [0xff, 0xff]);
  assert.equal(c.regionAddress('bios', 0x10), 0x300010);
  assert.equal(c.regionAt(0x2fff)?.name, 'gbe');
  assert.equal(c.regionAt(0x800000), undefined);
});

test('out-of-range, misaligned and missing-region accesses are typed range errors', () => {
  const c = controllerFor('locked');
  const isRange = (e: unknown): boolean => e instanceof FlashRangeError && e.code === 'VME_ERR_FLASH_RANGE';
  assert.throws(() => c.read('host', 'bios', 0x500000 - 2, 4), isRange);
  assert.throws(() => c.read('host', 'bios', -1, 1), isRange);
  assert.throws(() => c.write('me', 'me', 0x2fd000, new Uint8Array(1)), isRange);
  assert.throws(() => c.erase('me', 'me', 0x800, 0x1000), isRange);
  assert.throws(() => c.read('host', 'ec', 0, 1), isRange);
  assert.throws(() => c.regionAddress('me', 0x2fd001), isRange);
});

test('writing the descriptor region reloads it: an unlocked host locks itself out of ME', () => {
  const backing = new MemoryBacking(assembleImage({ sizeBytes: 8 * MiB, meRegion: new Uint8Array(0), access: 'unlocked' }));
  const c = new FlashController(backing);
  assert.equal(c.isAllowed('host', 'me', 'write'), true);
  c.write('host', 'fd', 0, lockDescriptor(c.read('host', 'fd', 0, 0x1000)));
  assert.equal(c.descriptor.locked, true);
  assert.throws(() => c.write('host', 'me', 0, new Uint8Array(1)), FlashAccessDenied);
});

test('a garbage descriptor is refused at construction and after a damaging write', () => {
  assert.throws(() => new FlashController(new MemoryBacking(8 * MiB)), DecodeError);
  const c = controllerFor('unlocked');
  c.erase('host', 'fd', 0, 0x1000);
  assert.throws(() => c.read('host', 'bios', 0, 1), DecodeError);
  c.reloadDescriptor();
  assert.throws(() => c.descriptor, DecodeError);
});
