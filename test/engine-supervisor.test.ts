// Supervisor across platforms with real workers: give-up, memory budget, shared-worker hangs, state after restart.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { AppHostPool } from '../src/kernel/index.js';
import { TESTING_APP_REGISTRY } from '../src/apps/testing/index.js';
import type { Engine } from '../src/engine/index.js';
import { appState, bootTesting, FAST, testingPlatform, waitFor } from './support/engine.js';

const leakerUrl = TESTING_APP_REGISTRY.leaker?.moduleUrl ?? '';
const pool = new AppHostPool({ pingTimeoutMs: 200 });
// The leaker gets its own pool with a generous heartbeat: a worker thrashing near its heap limit on a
// loaded machine can miss a 200 ms ping, and the test is about the memory verdict, not hang detection.
const leakerPool = new AppHostPool({ pingTimeoutMs: 10_000, resourceLimitsByModule: { [leakerUrl]: { maxOldGenerationSizeMb: 32, maxYoungGenerationSizeMb: 8 } } });
const engines: Engine[] = [];
after(async () => {
  await Promise.all(engines.map((e) => e.shutdown()));
  await pool.close();
  await leakerPool.close();
});

async function boot(apps: string[], supervisor?: { maxRestarts: number; restartWindowMs: number }): Promise<Engine> {
  const engine = await bootTesting(testingPlatform(apps, supervisor), { ...FAST, pool });
  engines.push(engine);
  return engine;
}

test('the supervisor gives up after maxRestarts faults inside the window', async () => {
  const engine = await boot(['thrower'], { maxRestarts: 2, restartWindowMs: 60_000 });
  for (let i = 0; i < 2; i++) {
    await assert.rejects(engine.call('thrower', 'boom', {}));
    await waitFor(() => appState(engine, 'thrower') === 'running', 3000, `restart ${i + 1}`);
  }
  await assert.rejects(engine.call('thrower', 'boom', {}));
  assert.equal(appState(engine, 'thrower'), 'failed');
  const delays = engine.trace.events('supervisor').flatMap((e) => (e.kind === 'app-restart' ? [e.delayMs] : []));
  assert.deepEqual(delays, [20, 40], 'exponential back-off');
  assert.ok(engine.trace.events('supervisor').some((e) => e.kind === 'app-given-up'));
  await assert.rejects(engine.call('thrower', 'ping', {}), { code: 'VME_ERR_APP_UNAVAILABLE' });
  assert.equal(appState(engine, 'mkhi'), 'running');
});

test('in-memory state is reset by a restart; NVRAM state survives it', async () => {
  const engine = await boot(['echo']);
  await engine.call('echo', 'echo', { text: 'a' });
  assert.deepEqual(await engine.call('echo', 'echo', { text: 'b' }), { text: 'b', calls: 2, persisted: 2 });
  await assert.rejects(engine.call('echo', 'echo', { text: 'x'.repeat(65) }), { code: 'VME_ERR_IPC_INVALID' });
  await assert.rejects(engine.call('echo', 'crash', {}), { code: 'VME_ERR_APP_FAULT' });
  await waitFor(() => appState(engine, 'echo') === 'running', 3000, 'echo restart');
  assert.deepEqual(await engine.call('echo', 'echo', { text: 'c' }), { text: 'c', calls: 1, persisted: 3 });
});

test('a worker-blocking hang on one platform re-initialises that app kind on the others without blame', async () => {
  const a = await boot(['hanger']);
  const b = await boot(['hanger']);
  await assert.rejects(a.call('hanger', 'spin', {}), { code: 'VME_ERR_APP_FAULT' });
  await waitFor(() => appState(a, 'hanger') === 'running' && appState(b, 'hanger') === 'running', 5000, 'both hangers back');
  assert.equal(a.apps.find((x) => x.name === 'hanger')?.faults, 1);
  assert.equal(b.apps.find((x) => x.name === 'hanger')?.faults, 0, 'the bystander is not charged');
  assert.ok((b.apps.find((x) => x.name === 'hanger')?.incarnation ?? 0) >= 2, 'the bystander was re-initialised');
  assert.deepEqual(await b.call('hanger', 'ping', {}), { pong: true });
});

test('an app over its memory budget (worker heap limit) is restarted', async () => {
  const engine = await bootTesting(testingPlatform(['leaker']), { ...FAST, pool: leakerPool, requestDeadlineMs: 10_000 });
  engines.push(engine);
  await assert.rejects(engine.call('leaker', 'leak', {}), { code: 'VME_ERR_APP_FAULT' });
  const fault = engine.trace.events('supervisor').find((e) => e.kind === 'app-fault' && e.app === 'leaker');
  assert.ok(fault?.kind === 'app-fault' && fault.fault === 'memory', JSON.stringify(fault));
  await waitFor(() => appState(engine, 'leaker') === 'running', 5000, 'leaker restart');
  assert.deepEqual(await engine.call('leaker', 'ping', {}), { pong: true });
  assert.equal(appState(engine, 'mkhi'), 'running');
});
