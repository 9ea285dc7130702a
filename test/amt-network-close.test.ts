// The AMT app frees a connection as soon as its peer goes (found by bench/amt-wsman.ts): a keep-alive
// client that closes after its WS-Man reply, and a TLS client that leaves before its handshake is
// finished, must not hold one of the listener's connections until the idle or handshake timeout
// (30 s). With at most 2 connections per listener, many such clients in a row must all get through.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { connect as connectTls } from 'node:tls';
import { MemoryBacking } from '../src/flash/index.js';
import { testPlatform } from '../src/image/testing.js';
import type { BuiltPlatform } from '../src/image/build.js';
import { bootEngine, type Engine } from '../src/engine/index.js';
import { MemoryCounter } from '../src/kernel/nvram/index.js';
import { AMT_INTERFACE } from '../src/apps/amt/interface.js';
import { ACTION, envelope } from '../src/amt/wsman/testing.js';
import { fetchOnce, type LoadTarget } from '../bench/lib/http-load.js';
import { engineFixture } from './support/engine.js';

const { pool, engines } = engineFixture({ pingTimeoutMs: 2000 });
const address = `127.${randomInt(1, 255)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;
const PASSWORD = 'P@ssw0rd1';
const GENERAL_SETTINGS = 'http://intel.com/wbem/wscim/1/amt-schema/1/AMT_GeneralSettings';
let platform: BuiltPlatform;
let engine: Engine;

before(async () => {
  platform = testPlatform();
  engine = await bootEngine({ flash: new MemoryBacking(platform.image), fuses: platform.fuses, options: { pool, counter: new MemoryCounter(), network: { address, limits: { maxConnections: 2 } } } });
  engines.push(engine);
  assert.deepEqual(await engine.client(AMT_INTERFACE).activate({ password: PASSWORD }), { returnValue: 0 });
});

/** Retries `attempt` every 50 ms until it succeeds; fails after 5 s (a leaked connection is held 30 s). */
async function eventually<T>(attempt: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 5000;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

test('keep-alive clients that close after their reply free their connection', async () => {
  const target: LoadTarget = { host: address, port: 16992, body: envelope({ action: ACTION.get, resourceUri: GENERAL_SETTINGS }), digest: { user: 'admin', password: PASSWORD } };
  for (let i = 0; i < 6; i++) {
    const reply = await eventually(() => fetchOnce(target));
    assert.match(reply.body, /<g:AMT_GeneralSettings/);
  }
});

test('TLS clients that leave before finishing the handshake free their connection', async () => {
  const handshake = (leaveEarly: boolean): Promise<void> => new Promise((resolve, reject) => {
    const socket = connectTls({ host: address, port: 16993, rejectUnauthorized: false }, () => {
      if (leaveEarly) socket.destroy(); // before the client's Finished is written: the server's handshake never completes
      else socket.end();
    });
    socket.on('data', () => undefined);
    socket.once('error', reject);
    socket.once('close', (hadError) => (hadError ? undefined : resolve()));
  });
  for (let i = 0; i < 6; i++) await eventually(() => handshake(true));
  await eventually(() => handshake(false));
});
