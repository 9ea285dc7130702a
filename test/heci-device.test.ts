// The MEI device across processes: a bus with an echo and a slow client behind a Unix socket in
// this process, host programs in child processes using the host library, and a child that dies
// mid-frame while another is served. Every child is killed and the socket removed at the end.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HeciPlatform, MeiDevice, MeiDeviceServer, MeiErrnoError } from '../src/heci/index.js';
import { ECHO_UUID, echoHandler, SLOW_UUID, slowHandler } from './support/heci-harness.js';
import { waitUntil } from './support/wait.js';

const CHILD = fileURLToPath(new URL('./support/heci-child.js', import.meta.url));
const directory = mkdtempSync(join(tmpdir(), 'vme-heci-'));
const socketPath = join(directory, 'mei0.sock');
const children = new Set<ChildProcess>();

const heci = new HeciPlatform();
heci.bus.registerClient({ uuid: ECHO_UUID, name: 'echo', protocolVersion: 1, maxConnections: 4, maxMessageBytes: 512, handler: echoHandler });
heci.bus.registerClient({ uuid: SLOW_UUID, name: 'slow', protocolVersion: 1, maxConnections: 1, maxMessageBytes: 64, handler: slowHandler(20) });
await heci.start();
const server = await MeiDeviceServer.listen(socketPath, heci.driver);

after(async () => {
  for (const child of children) child.kill('SIGKILL');
  await server.close();
  rmSync(directory, { recursive: true, force: true });
});

interface Child {
  readonly process: ChildProcess;
  /** Resolves with the next JSON line the child prints. */
  readonly line: () => Promise<Record<string, unknown>>;
  readonly exit: Promise<number | null>;
}

function startChild(scenario: string, uuid: string, count = 10): Child {
  const child = spawn(process.execPath, [CHILD, socketPath, scenario, uuid, String(count)], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.add(child);
  const lines: string[] = [];
  const waiting: ((line: string) => void)[] = [];
  let buffered = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    let newline: number;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      const waiter = waiting.shift();
      if (waiter) waiter(line);
      else lines.push(line);
    }
  });
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => {
    children.delete(child);
    resolve(code);
  }));
  const line = (): Promise<Record<string, unknown>> => new Promise((resolve) => {
    const ready = lines.shift();
    if (ready !== undefined) resolve(JSON.parse(ready) as Record<string, unknown>);
    else waiting.push((text) => resolve(JSON.parse(text) as Record<string, unknown>));
  });
  return { process: child, line, exit };
}

const until = (condition: () => boolean, what: string): Promise<void> => waitUntil(condition, what, 2000);


const errnoOf = (operation: Promise<unknown>): Promise<string> => operation.then(() => 'no error', (error: unknown) => (error instanceof MeiErrnoError ? error.errno : String(error)));

test('the device socket is mode 0600 and a second server on a live path is refused', async () => {
  assert.equal(statSync(socketPath).mode & 0o777, 0o600);
  await assert.rejects(MeiDeviceServer.listen(socketPath, heci.driver), /already serving/);
  const file = join(directory, 'not-a-socket');
  writeFileSync(file, '');
  await assert.rejects(MeiDeviceServer.listen(file, heci.driver), /not a socket/);
});

test('a host process connects, runs requests, gets ENOTTY/EFBIG/EBUSY, and closes (the engine frees the connection)', async () => {
  const child = startChild('requests', ECHO_UUID, 25);
  assert.deepEqual(await child.line(), {
    connected: { maxMessageLength: 512, protocolVersion: 1 }, echoed: 25, tooLong: 'EFBIG', again: 'EBUSY', unknown: 'ENOTTY',
  });
  assert.equal(await child.exit, 0);
  await until(() => heci.bus.connections().length === 0, 'closing the socket disconnects the client');
});

test('a child that dies mid-frame leaves the bus serving another child', async () => {
  const dying = startChild('half-frame', ECHO_UUID);
  assert.deepEqual(await dying.line(), { halfWritten: 58 });
  assert.equal(heci.bus.connections().length, 1);
  const survivor = startChild('requests', ECHO_UUID, 50);
  dying.process.kill('SIGKILL');
  await dying.exit;
  assert.equal((await survivor.line()).echoed, 50);
  assert.equal(await survivor.exit, 0);
  await until(() => heci.bus.connections().length === 0 && server.sessionCount === 0, 'the dead child\'s connection is freed');
  assert.equal(heci.bus.counters.clientFaults, 0);
});

test('a second connection beyond the slow client\'s limit gets EBUSY until the holder dies', async () => {
  const holder = startChild('hold', SLOW_UUID);
  assert.deepEqual(await holder.line(), { connected: { maxMessageLength: 64, protocolVersion: 1 } });
  const device = await MeiDevice.open(socketPath);
  assert.equal(await errnoOf(device.connect(SLOW_UUID)), 'EBUSY');
  holder.process.kill('SIGKILL');
  await holder.exit;
  await until(() => heci.bus.connections().length === 0, 'the holder\'s connection is freed');
  assert.deepEqual(await device.connect(SLOW_UUID), { maxMessageLength: 64, protocolVersion: 1 });
  assert.deepEqual([...(await device.request(Uint8Array.of(1, 2, 3)))], [1, 2, 3]);
  await device.close();
});

test('an oversized socket frame is skipped unread and answered EFBIG; the file keeps working', async () => {
  const device = await MeiDevice.open(socketPath);
  await device.connect(ECHO_UUID);
  assert.equal(await errnoOf(device.send(new Uint8Array(100_000))), 'EFBIG');
  assert.equal(await errnoOf(device.receive(0)), 'EAGAIN');
  assert.deepEqual([...(await device.request(Uint8Array.of(9)))], [9]);
  await device.close();
});

test('opening a path with no device is ENOENT; a closed device refuses with EBADF', async () => {
  assert.equal(await errnoOf(MeiDevice.open(join(directory, 'missing.sock'))), 'ENOENT');
  const device = await MeiDevice.open(socketPath);
  await device.close();
  assert.equal(await errnoOf(device.connect(ECHO_UUID)), 'EBADF');
});
