// The machine's SOL seam and consent overlay: the host UART's output reaches the app that opened
// the line, in order, one delivery in flight, coalesced and bounded; close stops it. The overlay
// line survives the host scrolling and clearing its screen, and removing it blanks its cells.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextFramebuffer, Uart } from '../host/index.js';
import { HostSerialRelay } from './host-serial-relay.js';
import { ScreenOverlay } from './screen-overlay.js';

test('deliveries are ordered, one in flight, coalesced, bounded, and stop at close', async () => {
  const uart = new Uart();
  const delivered: string[] = [];
  let release: (() => void) | undefined;
  const relay = new HostSerialRelay((app, bytes) => {
    delivered.push(`${app}:${Buffer.from(bytes).toString()}`);
    return new Promise((resolve) => (release = resolve));
  }, 8);
  relay.open('amt', uart);
  uart.transmit('a');
  uart.transmit('bc');
  uart.transmit('defg');
  assert.deepEqual(delivered, ['amt:a'], 'one in flight');
  release?.();
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(delivered, ['amt:a', 'amt:bcdefg'], 'what came meanwhile, coalesced');
  uart.transmit('hijkl');
  uart.transmit('mnopq');
  release?.();
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(delivered, ['amt:a', 'amt:bcdefg', 'amt:mnopq'], 'the rest coalesced; the oldest chunks beyond 8 bytes dropped');
  assert.equal(relay.droppedBytes, 5);
  relay.close('amt');
  release?.();
  uart.transmit('zz');
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(delivered.length, 3);
  assert.equal(relay.isOpen('amt'), false);
});

test('the overlay line is redrawn after the host scrolls or clears, and blanked when removed', async () => {
  const screen = new TextFramebuffer();
  const overlay = new ScreenOverlay(screen);
  const line = ' consent code: 123456 ';
  overlay.show(line);
  assert.match(screen.render().split('\n')[0] ?? '', /consent code: 123456$/);
  for (let i = 0; i < 30; i++) screen.write(`line ${i}\n`);
  screen.clear();
  await new Promise((resolve) => setTimeout(resolve, 250));
  assert.match(screen.render().split('\n')[0] ?? '', /consent code: 123456$/, 'drawn again');
  overlay.show('');
  assert.doesNotMatch(screen.render(), /consent code/);
  overlay.stop();
});
