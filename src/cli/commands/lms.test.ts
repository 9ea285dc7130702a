// `vme lms` as a process: against a HECI platform served from this test (its LME client answered
// by createLmeServer with an echo behind each channel), it prints where AMT is reachable, tunnels
// a TCP connection, and stops cleanly (exit 0) on SIGINT; no engine → exit 5; bad options → exit 2.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HeciPlatform, MeiDeviceServer, type HeciConnection } from '../../heci/index.js';
import { createLmeServer, LME_CLIENT_UUID, type LmeServer } from '../../protocols/apf/index.js';

const VME = fileURLToPath(new URL('../../../../bin/vme.js', import.meta.url));
const directory = mkdtempSync(join(tmpdir(), 'vme-cli-lms-'));
const socketPath = join(directory, 'mei0.sock');
const children = new Set<ChildProcess>();

const sessions = new Map<HeciConnection, LmeServer>();
const heci = new HeciPlatform();
heci.bus.registerClient({
  uuid: LME_CLIENT_UUID, name: 'LME', protocolVersion: 1, maxConnections: 1, maxMessageBytes: 4096,
  handler: {
    onConnect: (connection) => sessions.set(connection, createLmeServer({
      uuid: new Uint8Array(16), send: (m) => { if (connection.isOpen) connection.send(m); },
      openChannel: (_port, io) => ({ receive: (b) => io.write(b), close: () => undefined }),
    })),
    onMessage: (connection, message) => sessions.get(connection)?.receive(message),
    onDisconnect: (connection) => { sessions.get(connection)?.reset(); sessions.delete(connection); },
  },
});
await heci.start();
const device = await MeiDeviceServer.listen(socketPath, heci.driver);

after(async () => {
  for (const child of children) child.kill('SIGKILL');
  await device.close();
  rmSync(directory, { recursive: true, force: true });
});

test('vme lms serves until SIGINT: reachable line, an echoed connection, exit 0', async () => {
  const child = spawn(process.execPath, [VME, 'lms', '--device', socketPath, '--http-port', '0', '--tls-port', '0', '--verbose'], { stdio: ['ignore', 'ignore', 'pipe'] });
  children.add(child);
  const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => { clearTimeout(killer); children.delete(child); resolve(code); }));
  const port = await new Promise<number>((resolve, reject) => {
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const m = /AMT 16992 \(HTTP\) is reachable at 127\.0\.0\.1:(\d+)/.exec(stderr);
      if (m && stderr.includes('running; press Ctrl-C')) resolve(Number(m[1]));
    });
    void exited.then(() => reject(new Error(`vme lms exited early:\n${stderr}`)));
  });
  const echoed = await new Promise<string>((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port }, () => socket.write('ping'));
    socket.on('data', (data) => { socket.destroy(); resolve(data.toString()); });
    socket.on('error', reject);
  });
  assert.equal(echoed, 'ping');
  child.kill('SIGINT');
  assert.equal(await exited, 0, stderr);
  assert.match(stderr, /AMT 16993 \(TLS\) is reachable at 127\.0\.0\.1:\d+/);
  assert.match(stderr, /connection from 127\.0\.0\.1:\d+ → AMT 16992/);
  assert.match(stderr, /stopping/);
});

test('no engine on the device: exit 5; a non-loopback address or a bad port: exit 2', () => {
  const run = (...args: string[]): { code: number | null; stderr: string } => {
    const r = spawnSync(process.execPath, [VME, 'lms', ...args], { encoding: 'utf8', timeout: 30_000 });
    return { code: r.status, stderr: r.stderr };
  };
  const missing = run('--device', join(directory, 'nothing.sock'));
  assert.equal(missing.code, 5, missing.stderr);
  assert.match(missing.stderr, /VME_ERR_IO: no engine answers on .*nothing\.sock \(ENOENT\)/);
  assert.equal(run('--device', socketPath, '--address', '192.0.2.1').code, 2);
  assert.equal(run('--device', socketPath, '--tls-port', 'x').code, 2);
});
