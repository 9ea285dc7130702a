// Local management end to end on a whole machine: `startLms` on the host opens the machine's MEI
// device socket, the HECI LME client carries APF to the AMT app's LME server, and its channels reach
// the same AMT pipeline with origin `local` (each side on its own random loopback address):
// real curl --digest with the local system account (read over PTHI) through LMS, local CCM
// activation through LMS (PTHI then reports client control mode, the admin logs in over the
// network address, over LMS with TLS, and 16 curls at once share the LME session), LMS restarted (the engine's session resets, the new LMS
// handshakes and works), and the local system account refused on the network address.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { join } from 'node:path';
import { MemoryBacking } from '../src/flash/index.js';
import { testPlatform } from '../src/image/testing.js';
import { AppHostPool } from '../src/kernel/index.js';
import { MemoryCounter } from '../src/kernel/nvram/index.js';
import { RealTimeClock } from '../src/host/index.js';
import { startLms, type RunningLms } from '../src/host/lms/index.js';
import { LME_CLIENT_UUID } from '../src/protocols/apf/index.js';
import { activateLocally, readLocalAmtFacts } from '../src/host/activation/index.js';
import { WsmanClient } from '../src/client/index.js';
import { Machine } from '../src/machine/index.js';
import { runPeer } from '../src/amt/peer-process.js';
import { ACTION, envelope } from '../src/amt/wsman/testing.js';
import { tempDir } from './support/cli.js';

const loopback = (): string => `127.${randomInt(1, 255)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;
const address = loopback();
let lmsAddress = loopback();
while (lmsAddress === address) lmsAddress = loopback();
const PASSWORD = 'P@ssw0rd1';
const GENERAL_SETTINGS = 'http://intel.com/wbem/wscim/1/amt-schema/1/AMT_GeneralSettings';
const { dir, cleanup } = tempDir('vme-amt-lms-');
const device = join(dir, 'mei0.sock');
const pool = new AppHostPool({ pingTimeoutMs: 2000 });
let machine: Machine;
let lms: RunningLms | undefined;

before(async () => {
  const platform = testPlatform();
  machine = await Machine.create({
    flash: new MemoryBacking(platform.image), fuses: platform.fuses, clock: new RealTimeClock(), meiSocketPath: device,
    engine: { counter: new MemoryCounter(), pool }, network: { address },
  });
});
after(async () => {
  await lms?.close();
  await machine.shutdown();
  await pool.close();
  cleanup();
});

const start = (): Promise<RunningLms> => startLms({ device, address: lmsAddress, ports: { 16992: 0, 16993: 0 }, handshakeTimeoutMs: 15_000, retryDelayMs: 200 });
const portOf = (running: RunningLms, amtPort: number): number => running.addresses.find((a) => a.amtPort === amtPort)?.port ?? assert.fail(`LMS forwards no ${amtPort}`);

/** curl --digest POSTing a Get of AMT_GeneralSettings; `-i` so the status lines show. */
const getSettings = (url: string, user: string, extra: readonly string[] = []) => runPeer('curl', [
  '-sS', '-i', '--max-time', '20', '--digest', '-u', user, '-H', 'Content-Type: application/soap+xml; charset=utf-8',
  '--data-binary', envelope({ action: ACTION.get, resourceUri: GENERAL_SETTINGS }), ...extra, url,
], { timeoutMs: 30_000 });

test('LMS ↔ MEI ↔ LME ↔ the AMT app: local account through LMS, local activation, LMS restart, network refusal', async () => {
  lms = await start();
  assert.deepEqual(lms.addresses.map((a) => [a.amtPort, a.address]), [[16992, lmsAddress], [16993, lmsAddress]]);

  // (a) the local system account (PTHI) logs in through LMS only: its requests are local
  const facts = await readLocalAmtFacts(device);
  assert.equal(facts.controlMode, 0);
  const local = `${facts.account.username}:${facts.account.password}`;
  const viaLms = await getSettings(`http://${lmsAddress}:${portOf(lms, 16992)}/wsman`, local);
  assert.equal(viaLms.code, 0, viaLms.stderr);
  assert.match(viaLms.stdout, /^HTTP\/1\.1 401 Unauthorized\r\n/);
  assert.match(viaLms.stdout, /HTTP\/1\.1 200 OK\r\n/);
  assert.match(viaLms.stdout, /<g:AMT_GeneralSettings/);

  // (d) the same account from the network is refused
  const viaNetwork = await getSettings(`http://${address}:16992/wsman`, local);
  assert.equal(viaNetwork.code, 0, viaNetwork.stderr);
  assert.match(viaNetwork.stdout, /^HTTP\/1\.1 401 Unauthorized\r\n/);
  assert.doesNotMatch(viaNetwork.stdout, /200 OK/);

  // (b) client control mode activated locally through LMS, as rpc-go does it
  const activation = await activateLocally({ device, lms: { address: lmsAddress, port: portOf(lms, 16992) }, password: PASSWORD });
  assert.deepEqual([activation.outcome, activation.controlMode], ['activated', 1]);
  assert.equal((await readLocalAmtFacts(device)).controlMode, 1, 'PTHI reports client control mode');
  const admin = new WsmanClient({ host: address, port: 16992, user: 'admin', password: PASSWORD, timeoutMs: 20_000 });
  try {
    const settings = await admin.get('AMT_GeneralSettings');
    assert.equal(settings.DigestRealm, activation.realm);
  } finally {
    admin.close();
  }
  const overTls = await getSettings(`https://${lmsAddress}:${portOf(lms, 16993)}/wsman`, `admin:${PASSWORD}`, ['-k', '--tlsv1.2']);
  assert.equal(overTls.code, 0, overTls.stderr);
  assert.match(overTls.stdout, /HTTP\/1\.1 200 OK\r\n/, 'TLS through LMS, terminated in the AMT app');

  const burst = await Promise.all(Array.from({ length: 16 }, () => getSettings(`http://${lmsAddress}:${portOf(lms as RunningLms, 16992)}/wsman`, `admin:${PASSWORD}`)));
  assert.deepEqual(burst.map((r) => /HTTP\/1\.1 200 OK\r\n/.test(r.stdout)), new Array<boolean>(16).fill(true), '16 curls at once through one LME session');

  // (c) LMS goes away and comes back: the engine's LME session resets and the new handshake works
  await lms.close();
  lms = undefined;
  lms = await start();
  const again = await getSettings(`http://${lmsAddress}:${portOf(lms, 16992)}/wsman`, `admin:${PASSWORD}`);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /HTTP\/1\.1 200 OK\r\n/);
  const lme = machine.engine.trace.events('host').flatMap((e) => (e.kind === 'host-connection' && e.client === LME_CLIENT_UUID ? [`${e.event} ${e.ok}`] : []));
  assert.deepEqual(lme.slice(-2), ['disconnected true', 'connected true'], 'the AMT app heard LMS go and come');
});
