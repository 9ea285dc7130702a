/** The socket adapter's deadlines: a request trickled byte by byte (slowloris) is cut off; a complete request then idle is not. */
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { after, before, test } from 'node:test';
import { createTestAuth } from '../auth/testing.js';
import { listenAmtHttp, type AmtHttpListener } from './index.js';

let listener: AmtHttpListener;
before(async () => {
  listener = await listenAmtHttp({
    host: '127.0.0.1', httpPort: 0, auth: createTestAuth({ clock: Date.now }).auth, handler: () => ({ kind: 'page', status: 404, message: 'Not Found.' }),
    limits: { requestTimeoutMs: 400, idleTimeoutMs: 10_000 },
  });
});
after(() => listener.close());

const open = (): Promise<Socket> => new Promise((resolve, reject) => {
  const socket = connect({ host: '127.0.0.1', port: listener.http.port }, () => resolve(socket));
  socket.once('error', reject);
});
const closed = (socket: Socket): Promise<number> => {
  const started = Date.now();
  return new Promise((resolve) => socket.once('close', () => resolve(Date.now() - started)));
};

test('slowloris: a request still incomplete after requestTimeoutMs is cut off although bytes keep coming', async () => {
  const socket = await open();
  const gone = closed(socket);
  const text = 'GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ' + 'a'.repeat(200);
  let index = 0;
  const drip = setInterval(() => {
    if (!socket.destroyed) socket.write(text[index++ % text.length] ?? 'a');
  }, 50);
  try {
    const ms = await gone;
    assert.ok(ms >= 300 && ms < 5000, `closed after ${ms} ms`);
  } finally {
    clearInterval(drip);
  }
});

test('a complete request is answered, and a connection idle between requests is not cut by the request deadline', async () => {
  const socket = await open();
  let received = '';
  socket.on('data', (chunk: Buffer) => { received += chunk.toString('latin1'); });
  socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
  await new Promise((resolve) => setTimeout(resolve, 900));
  assert.equal(socket.destroyed, false, 'still open after twice the request deadline');
  assert.match(received, /^HTTP\/1\.1 303 /);
  socket.destroy();
});
