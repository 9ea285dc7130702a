// startLms against an in-process engine (createLmeServer behind a pipe transport) with real TCP
// sockets on 127.0.0.1: listeners per forwarded port, echo through APF channels (small, 1 MiB,
// many at once), engine-side close, engine reset and reconnect, session error and restart,
// refusals (port in use, non-loopback, no handshake) and a clean close.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, createServer, type Socket } from 'node:net';
import { VmeError } from '../../common/errors.js';
import type { LmeChannelIo } from '../../protocols/apf/index.js';
import { startLms, type RunningLms } from './lms.js';
import { pipeEngine } from './testing.js';
import type { LmeTransport } from './transport.js';

const ANY = { 16992: 0, 16993: 0 };
const echo = (_port: number, io: LmeChannelIo): { receive(b: Uint8Array): void; close(): void } => ({ receive: (b) => io.write(b), close: () => undefined });

function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port }, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Writes `data`, reads until `length` bytes came back or the socket ends. */
function exchange(socket: Socket, data: Uint8Array | string, length: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const timer = setTimeout(() => reject(new Error(`only ${total} of ${length} bytes after 10 s`)), 10_000);
    const finish = (): void => { clearTimeout(timer); socket.off('data', onData); resolve(Buffer.concat(chunks)); };
    const onData = (chunk: Buffer): void => { chunks.push(chunk); total += chunk.length; if (total >= length) finish(); };
    socket.on('data', onData);
    socket.once('end', finish);
    socket.write(data);
  });
}

const ended = (socket: Socket): Promise<void> => new Promise((resolve) => {
  if (socket.destroyed || socket.readableEnded) resolve();
  else { socket.once('close', () => resolve()); socket.resume(); }
});
const portOf = (lms: RunningLms, amtPort: number): number => lms.addresses.find((a) => a.amtPort === amtPort)?.port ?? -1;
const waitFor = async (condition: () => boolean, what: string): Promise<void> => {
  for (let i = 0; i < 1000 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  assert.ok(condition(), what);
};

test('listens per forwarded port and echoes through APF channels', async () => {
  const engine = pipeEngine({ openChannel: echo });
  const lines: string[] = [];
  const lms = await startLms({ transport: () => engine.transport(), ports: ANY, log: (l) => lines.push(l) });
  try {
    assert.deepEqual(lms.addresses.map((a) => [a.amtPort, a.address]), [[16992, '127.0.0.1'], [16993, '127.0.0.1']]);
    const socket = await open(portOf(lms, 16992));
    assert.equal((await exchange(socket, 'GET / HTTP/1.1\r\n\r\n', 18)).toString(), 'GET / HTTP/1.1\r\n\r\n');
    socket.end();
    await waitFor(() => engine.server?.channelCount === 0, 'the channel closed on the engine side');
    assert.ok(lines.some((l) => /AMT port 16993 → listening on 127\.0\.0\.1:\d+/.test(l)), lines.join('\n'));
  } finally {
    await lms.close();
  }
});

test('1 MiB crosses intact, and 20 connections at once each get their own bytes', async () => {
  const engine = pipeEngine({ openChannel: echo });
  const lms = await startLms({ transport: () => engine.transport(), ports: ANY });
  try {
    const big = Buffer.from(Uint8Array.from({ length: 1024 * 1024 }, (_, i) => (i * 7) & 0xff));
    const socket = await open(portOf(lms, 16993));
    assert.ok((await exchange(socket, big, big.length)).equals(big));
    socket.destroy();
    const sockets = await Promise.all(Array.from({ length: 20 }, () => open(portOf(lms, 16992))));
    const replies = await Promise.all(sockets.map((s, i) => exchange(s, `connection ${i} `.repeat(200), `connection ${i} `.repeat(200).length)));
    replies.forEach((reply, i) => assert.equal(reply.toString(), `connection ${i} `.repeat(200)));
    sockets.forEach((s) => s.destroy());
  } finally {
    await lms.close();
  }
});

test('the engine closes the channel: the local socket ends after the data', async () => {
  const engine = pipeEngine({ openChannel: (_p, io) => ({ receive: (b) => { io.write(b); io.end(); }, close: () => undefined }) });
  const lms = await startLms({ transport: () => engine.transport(), ports: ANY });
  try {
    const socket = await open(portOf(lms, 16992));
    assert.equal((await exchange(socket, 'once', 1000)).toString(), 'once');
    await ended(socket);
  } finally {
    await lms.close();
  }
});

test('engine reset: connections end, LMS reconnects and serves again on the same ports', async () => {
  const engine = pipeEngine({ openChannel: echo });
  const lms = await startLms({ transport: () => engine.transport(), ports: ANY, retryDelayMs: 20 });
  try {
    const socket = await open(portOf(lms, 16992));
    assert.equal((await exchange(socket, 'a', 1)).toString(), 'a');
    engine.drop();
    await ended(socket);
    // Ready on both ends: AMT heard REQUEST_SUCCESS for 16992, which LMS sends once it maps the port again.
    await waitFor(() => engine.connections === 2 && engine.server?.state === 'ready' && engine.server.forwardedPorts.includes(16992), 'reconnected');
    const again = await open(portOf(lms, 16992));
    assert.equal((await exchange(again, 'b', 1)).toString(), 'b');
    again.destroy();
  } finally {
    await lms.close();
  }
});

test('a malformed message from the engine: LMS sends DISCONNECT, then handshakes again on the same connection', async () => {
  const engine = pipeEngine({ openChannel: echo });
  const lines: string[] = [];
  const lms = await startLms({ transport: () => engine.transport(), ports: ANY, retryDelayMs: 20, log: (l) => lines.push(l) });
  try {
    const socket = await open(portOf(lms, 16992));
    assert.equal((await exchange(socket, 'b', 1)).toString(), 'b');
    engine.injectToHost(Uint8Array.of(94, 0, 0, 0)); // a truncated CHANNEL_DATA
    await ended(socket);
    await waitFor(() => engine.events.some((e) => e.type === 'disconnected' && e.reason === 2), 'DISCONNECT (protocol error) reached the engine');
    await waitFor(() => engine.server?.state === 'ready' && engine.events.filter((e) => e.type === 'handshake').length === 2 && engine.server.forwardedPorts.includes(16992), 'handshake again, 16992 forwarded');
    assert.equal(engine.connections, 1, 'the same LME connection');
    assert.ok(lines.some((l) => l.includes('VME_ERR_APF_MALFORMED') || l.includes('truncated')), lines.join('\n'));
    const again = await open(portOf(lms, 16992));
    assert.equal((await exchange(again, 'c', 1)).toString(), 'c');
    again.destroy();
  } finally {
    await lms.close();
  }
});

test('refusals: a port in use, a non-loopback address, an engine that never answers', async () => {
  const busy = createServer();
  await new Promise<void>((resolve) => busy.listen({ host: '127.0.0.1', port: 0 }, resolve));
  const busyPort = (busy.address() as { port: number }).port;
  try {
    const engine = pipeEngine({ openChannel: echo });
    await assert.rejects(startLms({ transport: () => engine.transport(), ports: { 16992: busyPort, 16993: 0 } }), (e: unknown) => e instanceof VmeError && e.code === 'VME_ERR_LMS_LISTEN');
  } finally {
    busy.close();
  }
  await assert.rejects(startLms({ transport: () => pipeEngine({ openChannel: echo }).transport(), address: '0.0.0.0' }), (e: unknown) => e instanceof VmeError && e.code === 'VME_ERR_USAGE');
  const silent: LmeTransport = { maxMessageBytes: 4096, send: () => Promise.resolve(), start: () => undefined, close: () => Promise.resolve() };
  await assert.rejects(startLms({ transport: () => Promise.resolve(silent), ports: ANY, handshakeTimeoutMs: 100 }), (e: unknown) => e instanceof VmeError && e.code === 'VME_ERR_LMS_HANDSHAKE');
});

test('close: DISCONNECT to the engine, listeners gone', async () => {
  const engine = pipeEngine({ openChannel: echo });
  const lms = await startLms({ transport: () => engine.transport(), ports: ANY });
  const port = portOf(lms, 16992);
  const socket = await open(port);
  await lms.close();
  await ended(socket);
  await waitFor(() => engine.events.some((e) => e.type === 'disconnected' && e.reason === 11), 'DISCONNECT by application');
  await assert.rejects(open(port));
});
