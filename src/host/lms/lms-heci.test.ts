// LMS over the real MEI device path: a HECI platform whose LME client is served by createLmeServer
// (one per HECI connection, its output sent as engine-initiated messages) in front of an AMT HTTP
// core with Digest users; `startLms({ device })` opens the device socket like any host program,
// and real curl --digest reaches /wsman through 127.0.0.1 → LMS → APF over HECI → AMT.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HeciPlatform, MeiDeviceServer, type HeciConnection } from '../../heci/index.js';
import { createTestCore } from '../../amt/http/testing.js';
import { TEST_PASSWORD } from '../../amt/auth/testing.js';
import type { AmtRequest } from '../../amt/http/index.js';
import { runPeer } from '../../amt/peer-process.js';
import { createLmeServer, LME_CLIENT_UUID, type LmeServer } from '../../protocols/apf/index.js';
import { startLms } from './lms.js';

const directory = mkdtempSync(join(tmpdir(), 'vme-lms-'));
const socketPath = join(directory, 'mei0.sock');
const seen: AmtRequest[] = [];
const { core } = createTestCore((request) => {
  seen.push(request);
  return { kind: 'wsman', status: 200, body: `<r user="${request.principal.user}" origin="${request.origin}"/>` };
}, { now: () => new Date() });

const sessions = new Map<HeciConnection, LmeServer>();
const heci = new HeciPlatform();
heci.bus.registerClient({
  uuid: LME_CLIENT_UUID, name: 'LME', protocolVersion: 1, maxConnections: 1, maxMessageBytes: 4096,
  handler: {
    onConnect: (connection) => {
      sessions.set(connection, createLmeServer({
        uuid: new Uint8Array(16).fill(7), maxMessageBytes: 4096,
        send: (message) => { if (connection.isOpen) connection.send(message); },
        openChannel: (port, io) => {
          const http = core.connect({ transport: 'http', remote: { address: '127.0.0.1', port }, origin: 'local' }, io);
          return { receive: (bytes) => http.receive(bytes), close: () => http.abort() };
        },
      }));
    },
    onMessage: (connection, message) => sessions.get(connection)?.receive(message),
    onDisconnect: (connection) => {
      sessions.get(connection)?.reset();
      sessions.delete(connection);
    },
  },
});
await heci.start();
const device = await MeiDeviceServer.listen(socketPath, heci.driver);
const lms = await startLms({ device: socketPath, ports: { 16992: 0, 16993: 0 } });

after(async () => {
  await lms.close();
  await device.close();
  rmSync(directory, { recursive: true, force: true });
});

const httpPort = (): number => lms.addresses.find((a) => a.amtPort === 16992)?.port ?? -1;

test('LMS forwards both AMT ports over the MEI device', async () => {
  assert.deepEqual(lms.addresses.map((a) => a.amtPort), [16992, 16993]);
  assert.equal(sessions.size, 1);
  const forwarded = (): readonly number[] => [...sessions.values()][0]?.forwardedPorts ?? [];
  for (let i = 0; i < 500 && forwarded().length < 2; i++) await new Promise((resolve) => setTimeout(resolve, 10));
  assert.deepEqual(forwarded(), [16992, 16993]); // the engine saw REQUEST_SUCCESS for both
});

test('curl --digest reaches AMT through LMS: 401, then 200 with the local origin', async () => {
  const result = await runPeer('curl', [
    '-sS', '-i', '--digest', '-u', `admin:${TEST_PASSWORD}`, '-H', 'Content-Type: application/soap+xml; charset=utf-8',
    '--data-binary', '<Envelope/>', `http://127.0.0.1:${httpPort()}/wsman`,
  ]);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /^HTTP\/1\.1 401 Unauthorized\r\n/);
  assert.match(result.stdout, /HTTP\/1\.1 200 OK\r\n/);
  assert.ok(result.stdout.endsWith('<r user="admin" origin="local"/>'), result.stdout.slice(-120));
  assert.equal(seen.at(-1)?.origin, 'local');
});

test('three curls in a row and a 100 KiB body keep the session healthy', async () => {
  const body = `<Envelope>${'x'.repeat(100 * 1024)}</Envelope>`;
  for (let i = 0; i < 3; i++) {
    const result = await runPeer('curl', ['-sS', '-o', '/dev/null', '-w', '%{http_code}', '--digest', '-u', `admin:${TEST_PASSWORD}`, '--data-binary', '@-', `http://127.0.0.1:${httpPort()}/wsman`], { input: body });
    assert.equal(result.stdout, '200', result.stderr);
  }
  assert.equal([...sessions.values()][0]?.state, 'ready');
});
