// connectionStream: an AppConnection as a Duplex (ordering, half-close both ways, destroy, close by the kernel).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AppConnection } from './app-api.js';
import { connectionStream } from './app-stream.js';

function fakeConnection(): AppConnection & { log: string[] } {
  const log: string[] = [];
  return {
    id: 1, port: 16993, remote: { address: '127.0.0.1', port: 40000 }, log,
    onData: undefined, onClose: undefined,
    write: (bytes) => log.push(`write ${Buffer.from(bytes).toString()}`),
    end: () => log.push('end'),
    destroy: () => log.push('destroy'),
  };
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

test('peer data arrives in order and the peer end ends the readable side; writes then end go out in order', async () => {
  const connection = fakeConnection();
  const stream = connectionStream(connection);
  const read: string[] = [];
  stream.on('data', (chunk: Buffer) => read.push(chunk.toString()));
  const ended = new Promise<void>((resolve) => stream.once('end', () => resolve()));
  connection.onData?.(new TextEncoder().encode('a'));
  connection.onData?.(new TextEncoder().encode('b'));
  connection.onEnd?.();
  await ended;
  assert.deepEqual(read, ['a', 'b']);
  stream.write('x');
  stream.end('y');
  await tick();
  assert.deepEqual(connection.log, ['write x', 'write y', 'end']);
});

test('destroying the stream destroys the connection; a close from the kernel does not echo a destroy back', async () => {
  const mine = fakeConnection();
  connectionStream(mine).destroy(new Error('tls failed'));
  await tick();
  assert.deepEqual(mine.log, ['destroy'], 'and the error is not thrown in the worker');
  const theirs = fakeConnection();
  const stream = connectionStream(theirs);
  const closed = new Promise<void>((resolve) => stream.once('close', () => resolve()));
  theirs.onClose?.();
  await closed;
  assert.deepEqual(theirs.log, []);
});
