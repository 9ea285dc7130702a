// UART: output history and subscribers, bounded receive FIFO with overrun counting, metadata.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Uart } from './serial.js';

test('transmitted bytes reach every subscriber and the history; unsubscribe stops them', () => {
  const uart = new Uart();
  const seen: string[] = [];
  const stop = uart.onOutput((bytes) => seen.push(Buffer.from(bytes).toString()));
  uart.transmit('hello ');
  stop();
  uart.transmit('world');
  assert.deepEqual(seen, ['hello ']);
  assert.equal(uart.outputText(), 'hello world');
  assert.deepEqual(uart.settings, { baudRate: 115_200, dataBits: 8, parity: 'none', stopBits: 1 });
  assert.equal(uart.counters.transmittedBytes, 11);
});

test('the receive FIFO is bounded: extra input is an overrun, counted, not stored', () => {
  const uart = new Uart({ receiveCapacity: 8 });
  let notified = 0;
  uart.onReceive(() => notified++);
  assert.equal(uart.inject('12345'), 5);
  assert.equal(uart.inject('67890'), 3);
  assert.equal(uart.inject('x'), 0);
  assert.equal(notified, 2, 'no notification when nothing was accepted');
  assert.equal(Buffer.from(uart.receive()).toString(), '12345678');
  assert.deepEqual(uart.counters, { transmittedBytes: 0, receivedBytes: 8, overrunBytes: 3, historyDroppedBytes: 0 });
});

test('the output history is bounded and keeps the newest bytes', () => {
  const uart = new Uart({ historyCapacity: 16 });
  let delivered = 0;
  uart.onOutput((bytes) => (delivered += bytes.length));
  for (let line = 0; line < 10; line++) uart.transmit(`line ${line}\n`);
  assert.equal(uart.outputText(), '7\nline 8\nline 9\n');
  assert.equal(uart.outputText().length, 16);
  assert.equal(delivered, 70, 'subscribers see everything');
  assert.equal(uart.counters.historyDroppedBytes, 54);
});

test('reset (power loss) empties the receive FIFO', () => {
  const uart = new Uart();
  uart.inject('typed ahead');
  uart.reset();
  assert.equal(uart.receivePending, 0);
});
