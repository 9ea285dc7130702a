// Whole-engine isolation tests with real app-host workers: capabilities, declared interfaces, supervisor.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { AppHostPool, KernelError } from '../src/kernel/index.js';
import type { Engine } from '../src/engine/index.js';
import type { BuiltPlatform } from '../src/image/build.js';
import { appState, bootTesting, FAST, testingPlatform, waitFor } from './support/engine.js';

const pool = new AppHostPool({ pingTimeoutMs: 200 });
let platform: BuiltPlatform;
let engine: Engine;

before(async () => {
  platform = testingPlatform(['echo', 'caller', 'prober', 'thrower', 'hanger']);
  engine = await bootTesting(platform, { ...FAST, pool });
});
after(async () => {
  await engine.shutdown();
  await pool.close();
});

const codeOf = (promise: Promise<unknown>): Promise<string> => promise.then(() => 'none', (e: unknown) => (e as KernelError).code);

test('every app of the manifest starts, each in a worker shared per app kind', () => {
  assert.equal(engine.state, 'operational');
  assert.deepEqual(engine.apps.map((a) => [a.name, a.state]), [['mkhi', 'running'], ['amt', 'running'], ['echo', 'running'], ['caller', 'running'], ['prober', 'running'], ['thrower', 'running'], ['hanger', 'running']]);
  assert.equal(pool.hostCount, 7);
});

test('an app with no grants is refused everything, and each refusal is audited', async () => {
  const before = engine.trace.counter('audit.capability-denied');
  const { results } = (await engine.call('prober', 'probe', {})) as { results: string[] };
  assert.deepEqual(results, ['nvram', 'host:power', 'crypto:platform', 'forged', 'heci', 'platform:end-of-post', 'platform.setEndOfPost'].map((c) => `${c}:VME_ERR_CAPABILITY_DENIED`));
  assert.equal(engine.trace.counter('audit.capability-denied') - before, 7);
  assert.equal(engine.endOfPost, false, 'End-of-POST is set only by the app granted platform:end-of-post');
  const audit = engine.trace.events('audit').filter((e) => e.kind === 'capability-denied' && e.app === 'prober');
  assert.ok(audit.some((e) => e.kind === 'capability-denied' && e.capability === 'nvram:mkhi'));
});

test('calls between apps go only through granted, declared interfaces', async () => {
  assert.deepEqual(await engine.call('caller', 'callEcho', {}), { text: 'via caller' });
  assert.deepEqual(await engine.call('caller', 'callSecret', {}), { code: 'VME_ERR_IPC_DENIED' }, 'operation not open to this caller');
  assert.deepEqual(await engine.call('caller', 'callMkhi', {}), { code: 'VME_ERR_CAPABILITY_DENIED' }, 'no calls grant for mkhi');
  assert.deepEqual(await engine.call('caller', 'callOversized', {}), { code: 'VME_ERR_IPC_INVALID' }, 'kernel re-checks sizes');
  assert.ok(engine.trace.events('audit').some((e) => e.kind === 'call-denied' && e.caller === 'caller' && e.operation === 'secret'));
});

test('the kernel checks kernel-side callers against the declaration too', async () => {
  assert.equal(await codeOf(engine.call('echo', 'nope', {})), 'VME_ERR_IPC_DENIED');
  assert.equal(await codeOf(engine.call('echo', 'echo', { text: 1 })), 'VME_ERR_IPC_INVALID');
  assert.equal(await codeOf(engine.call('echo', 'echo', { text: 'a', extra: true })), 'VME_ERR_IPC_INVALID');
});

test('an app error reply is not a fault', async () => {
  await assert.rejects(engine.call('thrower', 'refuse', {}), (e: Error & { status?: string }) => e.status === 'refused');
  assert.equal(appState(engine, 'thrower'), 'running');
});

test('a throwing app is restarted with back-off while the others keep serving', async () => {
  assert.equal(await codeOf(engine.call('thrower', 'boom', {})), 'VME_ERR_APP_FAULT');
  assert.equal(appState(engine, 'thrower'), 'restarting');
  assert.equal(await codeOf(engine.call('thrower', 'ping', {})), 'VME_ERR_APP_UNAVAILABLE');
  assert.deepEqual(await engine.call('echo', 'echo', { text: 'still here' }).then((r) => (r as { text: string }).text), 'still here');
  await waitFor(() => appState(engine, 'thrower') === 'running', 3000, 'thrower restart');
  assert.deepEqual(await engine.call('thrower', 'ping', {}), { pong: true });
  const restart = engine.trace.events('supervisor').find((e) => e.kind === 'app-restart' && e.app === 'thrower');
  assert.ok(restart && restart.kind === 'app-restart' && restart.delayMs === FAST.backoffBaseMs);
});

test('an instance that stops answering is faulted alone; its worker stays', async () => {
  assert.equal(await codeOf(engine.call('hanger', 'stall', {})), 'VME_ERR_APP_FAULT');
  const fault = engine.trace.events('supervisor').find((e) => e.kind === 'app-fault' && e.app === 'hanger');
  assert.ok(fault?.kind === 'app-fault' && fault.fault === 'hung');
  await waitFor(() => appState(engine, 'hanger') === 'running', 3000, 'hanger restart');
  assert.deepEqual(await engine.call('hanger', 'ping', {}), { pong: true });
});

test('a hang that blocks the worker thread gets the worker terminated and respawned', async () => {
  const faultsBefore = engine.apps.find((a) => a.name === 'hanger')?.faults ?? 0;
  assert.equal(await codeOf(engine.call('hanger', 'spin', {})), 'VME_ERR_APP_FAULT');
  await waitFor(() => appState(engine, 'hanger') === 'running', 5000, 'hanger restart after respawn');
  assert.equal(engine.apps.find((a) => a.name === 'hanger')?.faults, faultsBefore + 1);
  assert.deepEqual(await engine.call('hanger', 'ping', {}), { pong: true });
  assert.deepEqual(await engine.call('mkhi', 'getVersion', {}).then((r) => (r as { firmware: string }).firmware), '1.0.0.1');
});
