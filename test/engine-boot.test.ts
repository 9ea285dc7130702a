// Booting whole platforms (default manifest, real workers): boot log from ROM into kernel, mkhi, NVRAM on flash, degraded modes, power gating.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryBacking } from '../src/flash/index.js';
import { testPlatform } from '../src/image/testing.js';
import type { BuiltPlatform } from '../src/image/build.js';
import { bootEngine, type Engine, type EngineOptions } from '../src/engine/index.js';
import { Scheduler } from '../src/kernel/index.js';
import { MemoryCounter } from '../src/kernel/nvram/index.js';
import { MKHI_INTERFACE } from '../src/apps/mkhi/interface.js';
import { engineFixture, waitFor } from './support/engine.js';

const MKHI = '8e6a6715-9abc-4043-88ef-9e39c6f63e0f';
const ME_BASE = 0x3000;
const MFS = ME_BASE + 0x181000;
const { pool, engines } = engineFixture();
let platform: BuiltPlatform;

before(() => {
  platform = testPlatform();
});

async function boot(flash: MemoryBacking, options: EngineOptions = {}, fuses = platform.fuses): Promise<Engine> {
  const engine = await bootEngine({ flash, fuses, options: { pool, counter: new MemoryCounter(), ...options } });
  engines.push(engine);
  return engine;
}

test('a good platform boots to operational; the boot log runs from the ROM into the kernel', async () => {
  const engine = await boot(new MemoryBacking(platform.image));
  assert.equal(engine.state, 'operational');
  const stages = engine.bootLog.map((e) => e.stage);
  assert.equal(stages[0], 'rom');
  assert.ok(stages.indexOf('kernel') > stages.lastIndexOf('rom'), 'kernel entries follow the ROM entries');
  const kernelChecks = engine.bootLog.filter((e) => e.stage === 'kernel').map((e) => `${e.check}:${e.ok}`);
  assert.deepEqual(kernelChecks, ['devices:true', 'nvram:true', 'app-load:true', 'app-load:true', 'app-start:true', 'app-start:true', 'ready:true']);
  assert.match(engine.formatBootLog(), /^kernel NFTP app-start +ok +mkhi started in/m);
  assert.deepEqual(engine.apps.map((a) => [a.name, a.state]), [['mkhi', 'running'], ['amt', 'running']]);
});

test('mkhi reports version, capabilities and status through its declared interface', async () => {
  const engine = await boot(new MemoryBacking(platform.image));
  const mkhi = engine.client(MKHI_INTERFACE);
  assert.deepEqual(await mkhi.getVersion({}), { firmware: '1.0.0.1', svn: 1, partition: 'NFTP', app: '1.0.0' });
  assert.deepEqual(await mkhi.getCapabilities({}), { apps: ['mkhi', 'amt'] });
  const status = await mkhi.getStatus({});
  assert.equal(status.engineState, 'operational');
  assert.equal(status.bootCount, 1);
});

test('the HECI seam: an MKHI GET_FW_VERSION host message gets its reply; unknown clients are refused', async () => {
  const engine = await boot(new MemoryBacking(platform.image));
  const reply = await engine.handleHostMessage(MKHI, Uint8Array.of(0xff, 0x02, 0x00, 0x00));
  // header: group 0xFF, command 0x02|0x80, reserved, result 0; then 3 × {minor 0, major 1, build 1, hotfix 0}
  assert.deepEqual([...reply.subarray(0, 12)], [0xff, 0x82, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0]);
  assert.equal(reply.length, 4 + 3 * 8);
  await assert.rejects(engine.handleHostMessage('00000000-0000-0000-0000-000000000000', Uint8Array.of(1)), { code: 'VME_ERR_CAPABILITY_DENIED' });
  await assert.rejects(engine.handleHostMessage(MKHI, new Uint8Array(513)), { code: 'VME_ERR_IPC_INVALID' });
  assert.deepEqual([...(await engine.handleHostMessage(MKHI, Uint8Array.of(0x03, 0x02, 0, 0)))], [0x03, 0x82, 0, 0x05], 'FWCAPS GET_RULE without its rule id: SIZE_ERROR');
});

test('NVRAM lives in the image: a second boot of the same flash sees the first boot\'s state', async () => {
  const flash = new MemoryBacking(platform.image);
  const counter = new MemoryCounter();
  const first = await boot(flash, { counter });
  await first.shutdown();
  const second = await boot(flash, { counter });
  assert.equal(((await second.call('mkhi', 'getStatus', {})) as { bootCount: number }).bootCount, 2);
  assert.notDeepEqual(flash.read(MFS, 64), new Uint8Array(64).fill(0xff), 'the MFS partition was written through the flash controller');
});

test('a tampered NVRAM partition degrades the engine; apps keep serving and get typed errors', async () => {
  const flash = new MemoryBacking(platform.image);
  const counter = new MemoryCounter();
  await (await boot(flash, { counter })).shutdown();
  flash.write(MFS + 0x20, new Uint8Array(0xe0));
  const engine = await boot(flash, { counter });
  assert.equal(engine.state, 'degraded');
  const nvramEntry = engine.bootLog.find((e) => e.stage === 'kernel' && e.check === 'nvram');
  assert.equal(nvramEntry?.ok, false);
  assert.match(nvramEntry?.actual ?? '', /^VME_ERR_NVRAM_(INTEGRITY|REPLAY)$/);
  assert.ok(engine.trace.events('nvram').some((e) => e.kind === 'nvram-unavailable'));
  const status = (await engine.call('mkhi', 'getStatus', {})) as { engineState: string; bootCount: number };
  assert.equal(status.engineState, 'degraded');
  assert.equal(status.bootCount, 0, 'mkhi caught the NVRAM error and kept serving');
});

test('a broken operational partition boots recovery; a foreign key keeps the engine down', async () => {
  const image = Uint8Array.from(platform.image);
  image[ME_BASE + 0x81000 + 0x600] = (image[ME_BASE + 0x81000 + 0x600] ?? 0) ^ 0xff;
  const recovery = await boot(new MemoryBacking(image));
  assert.equal(recovery.state, 'recovery');
  assert.deepEqual(recovery.apps.map((a) => a.state), ['running']);
  const down = await boot(new MemoryBacking(platform.image), {}, { ...platform.fuses, firmwareKeyHash: '00'.repeat(32) });
  assert.equal(down.state, 'down');
  assert.deepEqual(down.apps, []);
  assert.ok(down.bootLog.every((e) => e.stage === 'rom'));
  await assert.rejects(down.call('mkhi', 'getVersion', {}), { code: 'VME_ERR_APP_UNAVAILABLE' });
});

test('without an injected counter the anti-replay counter is <image>.counters.json', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vme-engine-'));
  try {
    const imagePath = join(dir, 'platform.bin');
    const engine = await bootEngine({ flash: new MemoryBacking(platform.image), fuses: platform.fuses, options: { pool, imagePath } });
    engines.push(engine);
    assert.ok(existsSync(`${imagePath}.counters.json`));
    assert.ok((JSON.parse(readFileSync(`${imagePath}.counters.json`, 'utf8')) as { counter: number }).counter >= 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the engine sleeps when idle and wakes on a HECI message', async () => {
  const engine = await boot(new MemoryBacking(platform.image), { idleMs: 40, scheduler: new Scheduler() });
  assert.equal(engine.power, 'awake');
  await waitFor(() => engine.power === 'asleep', 2000, 'sleep');
  await engine.handleHostMessage(MKHI, Uint8Array.of(0xff, 0x02, 0x00, 0x00));
  assert.equal(engine.power, 'awake');
  assert.equal(engine.trace.counter('power.sleeps'), 1);
  assert.equal(engine.trace.counter('power.wakes'), 1);
  assert.deepEqual(engine.trace.events('power').map((e) => e.kind === 'power' && `${e.state}:${e.reason}`), ['asleep:idle', 'awake:heci']);
});
