// Firmware-initiated messages (sendToClient) through a real host driver: a burst larger than the
// reply queue's 8 messages is held in order (bounded by bytes, not count) while the host reads
// nothing, then arrives whole; past the byte bound a send is refused with VME_ERR_HECI_SEND.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HeciPlatform } from './platform.js';

const UUID = '0c6f5b5c-7c3d-4f2e-9a41-1d3c5e7f9a0b';

test('a burst of firmware-initiated messages waits for the host in order; the byte bound refuses the rest', async () => {
  const heci = new HeciPlatform({ bus: { unsolicitedBytes: 100 * 64 } });
  heci.bus.registerClient({ uuid: UUID, name: 'burst', protocolVersion: 1, maxConnections: 1, maxMessageBytes: 64, handler: { onMessage: () => undefined } });
  await heci.start();
  const file = heci.driver.open();
  await file.connect(UUID);
  const message = (n: number): Uint8Array => new Uint8Array(64).fill(n);
  for (let n = 0; n < 100; n++) assert.equal(heci.bus.sendToClient(UUID, message(n)), 1, `message ${n}`);
  // the driver holds 8 unread, so about 92 × 64 bytes are still queued in the engine: room for about 8 more
  let refused = 0;
  for (let n = 0; n < 20; n++) {
    try {
      heci.bus.sendToClient(UUID, message(200));
    } catch (error) {
      assert.equal((error as { code?: string }).code, 'VME_ERR_HECI_SEND');
      refused++;
    }
  }
  assert.ok(refused > 0 && refused < 20, `past the byte bound a send is refused (${refused} of 20)`);
  for (let n = 0; n < 100; n++) assert.deepEqual(await file.read(2000), message(n), `message ${n} in order`);
  file.close();
  heci.engineDown();
});
