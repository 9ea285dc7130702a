// `vme status` as a separate host process reading a running machine over its HECI device socket only.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { MemoryBacking } from '../src/flash/index.js';
import { testPlatform } from '../src/image/testing.js';
import { MemoryCounter } from '../src/kernel/nvram/index.js';
import { RealTimeClock } from '../src/host/index.js';
import { Machine, heciMebxTransport } from '../src/machine/index.js';
import { MebxClient } from '../src/protocols/mebx/index.js';
import type { PlatformStatus } from '../src/status/index.js';
import { tempDir, VME_BIN } from './support/cli.js';

const run = promisify(execFile);
const { dir, cleanup } = tempDir('vme-status-');
const socket = join(dir, 'mei0.sock');
let machine: Machine;

before(async () => {
  const platform = testPlatform({ version: { major: 16, minor: 1, hotfix: 27, build: 2225 } });
  machine = await Machine.create({
    flash: new MemoryBacking(platform.image), fuses: platform.fuses, clock: new RealTimeClock(),
    meiSocketPath: socket, engine: { counter: new MemoryCounter() },
  });
});
after(async () => {
  await machine.shutdown();
  cleanup();
});

const status = async (...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> => {
  try {
    const { stdout, stderr } = await run(process.execPath, [VME_BIN, 'status', ...args], { timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
};

test('vme status --json reads firmware, features and AMT state over HECI from another process', async () => {
  const r = await status('--device', socket, '--json');
  assert.equal(r.code, 0, r.stderr);
  const s = JSON.parse(r.stdout) as PlatformStatus;
  assert.equal(s.firmware.version, '16.1.27.2225');
  assert.ok(s.amt, `AMT status present (${s.amtAbsentReason ?? ''})`);
  assert.equal(s.amt.provisioningState, 'pre-provisioning');
  assert.equal(s.amt.controlMode, 'none');
  assert.match(s.amt.uuid, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  assert.match(s.amt.network.mac, /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
});

test('vme status: the feature list follows the MEBX settings (AMT disabled in MEBX, then re-enabled)', async () => {
  const features = async (): Promise<string[]> => {
    const r = await status('--device', socket, '--json');
    assert.equal(r.code, 0, r.stderr);
    return (JSON.parse(r.stdout) as PlatformStatus).firmware.features;
  };
  assert.deepEqual(await features(), ['amt', 'kvm']);
  assert.equal(machine.engine.endOfPost, false, 'MEBX is pre-boot only');
  const mebx = new MebxClient(heciMebxTransport(machine.heci?.driver ?? assert.fail('no HECI')));
  assert.equal((await mebx.login('admin')).changeRequired, true);
  assert.equal(await mebx.changePassword('Vme-2024!ok'), 'ok');
  const { settings } = await mebx.getSettings();
  await mebx.setSettings({ ...settings, amtEnabled: false });
  assert.deepEqual(await features(), []);
  const text = await status('--device', socket);
  assert.match(text.stdout, /features: +none;/);
  await mebx.setSettings({ ...settings, amtEnabled: true });
  assert.deepEqual(await features(), ['amt', 'kvm']);
});

test('vme status prints a readable report', async () => {
  const r = await status('--device', socket);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /firmware version: +16\.1\.27\.2225/);
  assert.match(r.stdout, /provisioning state: pre-provisioning/);
});

test('vme status without a running engine says so and exits 5', async () => {
  const r = await status('--state', join(dir, 'nowhere'));
  assert.equal(r.code, 5);
  assert.match(r.stderr, /no engine answers on .*nowhere\/mei0\.sock/);
});
