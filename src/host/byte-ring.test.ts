// Bounded byte FIFO: both overflow policies, wrap-around, drop counting.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ByteRing } from './byte-ring.js';

test('drop-newest refuses what does not fit and counts it', () => {
  const ring = new ByteRing(4, 'drop-newest');
  assert.equal(ring.push(Uint8Array.of(1, 2, 3)), 3);
  assert.equal(ring.push(Uint8Array.of(4, 5, 6)), 1);
  assert.equal(ring.dropped, 2);
  assert.deepEqual(ring.take(2), Uint8Array.of(1, 2));
  assert.equal(ring.push(Uint8Array.of(7, 8)), 2);
  assert.deepEqual(ring.take(), Uint8Array.of(3, 4, 7, 8), 'wraps around');
  assert.equal(ring.length, 0);
});

test('drop-oldest keeps the newest bytes and counts the forgotten ones', () => {
  const ring = new ByteRing(4, 'drop-oldest');
  ring.push(Uint8Array.of(1, 2, 3));
  assert.equal(ring.push(Uint8Array.of(4, 5)), 2);
  assert.deepEqual(ring.peek(), Uint8Array.of(2, 3, 4, 5));
  ring.push(Uint8Array.of(6, 7, 8, 9, 10, 11));
  assert.deepEqual(ring.peek(), Uint8Array.of(8, 9, 10, 11));
  assert.equal(ring.dropped, 7);
  ring.take(1);
  assert.equal(ring.dropped, 7, 'taking is not dropping');
  assert.throws(() => new ByteRing(0, 'drop-oldest'), RangeError);
});
