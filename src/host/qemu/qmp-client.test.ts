// QmpClient over a Unix socket against a scripted fake QMP server: negotiation, replies, QEMU errors, timeouts, events, close.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VmeError } from '../../common/errors.js';
import { QmpClient } from './qmp-client.js';

const isCode = (code: string) => (error: unknown): boolean => error instanceof VmeError && error.code === code;

/** A fake QMP monitor: greets, answers qmp_capabilities, then lets the test answer each command. */
async function fakeQmp(answer: (command: { execute: string; id: string; arguments?: unknown }, socket: Socket) => void): Promise<{ path: string; server: Server; done: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'vme-qmp-'));
  const path = join(dir, 'qmp.sock');
  const server = createServer((socket) => {
    socket.write(`${JSON.stringify({ QMP: { version: { qemu: { major: 7, minor: 2, micro: 0 }, package: '' }, capabilities: [] } })}\r\n`);
    let buffer = '';
    socket.on('data', (chunk) => {
      buffer += chunk.toString();
      for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
        const command = JSON.parse(buffer.slice(0, nl)) as { execute: string; id: string };
        buffer = buffer.slice(nl + 1);
        if (command.execute === 'qmp_capabilities') socket.write(`${JSON.stringify({ return: {}, id: command.id })}\r\n`);
        else answer(command, socket);
      }
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(path, resolve));
  return { path, server, done: () => { server.close(); rmSync(dir, { recursive: true, force: true }); } };
}

void test('execute resolves with the return value, QEMU errors reject with VME_ERR_QMP_COMMAND, events reach subscribers', async () => {
  const fake = await fakeQmp((command, socket) => {
    if (command.execute === 'query-status') {
      socket.write(`${JSON.stringify({ event: 'RESUME', timestamp: { seconds: 1, microseconds: 0 } })}\r\n`);
      socket.write(`${JSON.stringify({ return: { status: 'running', running: true }, id: command.id })}\r\n`);
    } else socket.write(`${JSON.stringify({ error: { class: 'CommandNotFound', desc: `The command ${command.execute} has not been found` }, id: command.id })}\r\n`);
  });
  const client = await QmpClient.connect(fake.path, 5000);
  try {
    assert.equal(client.version?.major, 7);
    const events: string[] = [];
    client.onEvent((event) => events.push(event.event));
    assert.deepEqual(await client.execute('query-status'), { status: 'running', running: true });
    assert.deepEqual(events, ['RESUME']);
    await assert.rejects(client.execute('nope'), (error: unknown) => isCode('VME_ERR_QMP_COMMAND')(error) && /CommandNotFound/.test((error as Error).message));
  } finally {
    client.close();
    fake.done();
  }
});

void test('no reply in time rejects with VME_ERR_QMP_UNAVAILABLE; a closed connection rejects what is pending', async () => {
  let held: Socket | undefined;
  const fake = await fakeQmp((_command, socket) => { held = socket; });
  const client = await QmpClient.connect(fake.path, 5000);
  try {
    await assert.rejects(client.execute('query-status', undefined, 100), isCode('VME_ERR_QMP_UNAVAILABLE'));
    const pending = client.execute('query-status', undefined, 5000);
    held?.destroy();
    await assert.rejects(pending, isCode('VME_ERR_QMP_UNAVAILABLE'));
    await assert.rejects(client.execute('query-status'), isCode('VME_ERR_QMP_UNAVAILABLE'));
    assert.equal(client.closed, true);
  } finally {
    client.close();
    fake.done();
  }
});

void test('garbage from the server closes the client with VME_ERR_QMP_PROTOCOL; no server is UNAVAILABLE', async () => {
  const fake = await fakeQmp((command, socket) => { socket.write(`not json ${command.id}\n`); });
  const client = await QmpClient.connect(fake.path, 5000);
  try {
    await assert.rejects(client.execute('query-status', undefined, 2000), isCode('VME_ERR_QMP_PROTOCOL'));
  } finally {
    client.close();
    fake.done();
  }
  await assert.rejects(QmpClient.connect(join(tmpdir(), 'vme-no-such-qmp.sock'), 1000), isCode('VME_ERR_QMP_UNAVAILABLE'));
});
