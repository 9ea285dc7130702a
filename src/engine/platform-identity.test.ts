// Platform identity at boot: UUID stable per device secret and never a sentinel, MAC from the GbE
// region when it parses and derived (locally administered) when not, SKU from the apps carried.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CryptoEngine } from '../devices/index.js';
import { FlashController, MemoryBacking } from '../flash/index.js';
import { testPlatform } from '../image/testing.js';
import { platformIdentity } from './platform-identity.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test('UUID and MAC: deterministic per device secret, GbE MAC when present, derived otherwise', async () => {
  const platform = testPlatform();
  const controller = new FlashController(new MemoryBacking(platform.image));
  const engine = (byte: number) => new CryptoEngine({ deviceSecret: Buffer.alloc(32, byte) });
  const a = await platformIdentity(engine(1), controller, ['mkhi', 'amt']);
  const again = await platformIdentity(engine(1), controller, ['mkhi', 'amt']);
  const other = await platformIdentity(engine(2), controller, ['mkhi']);
  assert.match(a.platformUuid, UUID);
  assert.equal(again.platformUuid, a.platformUuid);
  assert.notEqual(other.platformUuid, a.platformUuid);
  assert.deepEqual([a.sku, other.sku], ['corporate', 'consumer']);
  assert.deepEqual([a.macSource, a.macAddress], ['gbe', '02:00:00:56:4d:45']);

  const erased = Uint8Array.from(platform.image);
  const gbe = controller.region('gbe');
  erased.fill(0xff, gbe.base, gbe.base + gbe.size);
  const derived = await platformIdentity(engine(1), new FlashController(new MemoryBacking(erased)), ['mkhi']);
  assert.equal(derived.macSource, 'derived');
  assert.match(derived.macAddress, /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/);
  assert.equal(Number.parseInt(derived.macAddress.slice(0, 2), 16) & 0x03, 0x02, 'unicast, locally administered');
  assert.equal(derived.platformUuid, a.platformUuid, 'the UUID does not depend on the GbE region');
});
