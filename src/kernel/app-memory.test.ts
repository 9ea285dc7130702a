// The memory capability in the kernel, with a fake app host: owner-bound page tables, quota, pages
// freed when an instance ends, and the fault policy's order — the app first receives
// VME_ERR_UMA_INTEGRITY, then the kernel faults the instance (requests in flight: VME_ERR_APP_FAULT).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EngineMemory, HostDram, Sram, Uma } from '../devices/index.js';
import type { AppGrants, AppManifest } from '../me/app-manifest.js';
import { AppMemory } from './app-memory.js';
import type { AppHostPool } from './app-host-pool.js';
import type { InstanceSink } from './app-host.js';
import type { KernelError } from './errors.js';
import { Kernel } from './kernel.js';
import { PlatformFacts } from './platform-facts.js';
import { Scheduler } from './scheduler.js';
import type { AppServices } from './services.js';
import { Trace } from './trace.js';

const none: AppGrants = { heciClients: [], networkListeners: [], nvram: null, dmaWindows: [], cryptoKeys: [], hostControl: [], calls: [] };

function devices() {
  const dram = new HostDram(64 * 1024 * 1024);
  const uma = new Uma(dram);
  uma.reserveUma(32 * 1024 * 1024, 1024 * 1024);
  return { dram, uma, memory: new EngineMemory(new Sram(256 * 1024), uma) };
}

/** What the fake worker saw, in order. */
type Seen = { t: 'reply'; ok: boolean; code?: string } | { t: 'detach'; code: string };

function rig() {
  const { dram, uma, memory } = devices();
  const seen: Seen[] = [];
  const sinks = new Map<number, InstanceSink>();
  let next = 1;
  const pending: { reject(error: unknown): void }[] = [];
  const host = {
    warm: () => undefined,
    attach: (instance: number, sink: InstanceSink) => void sinks.set(instance, sink),
    request: (_instance: number, body: { kind: string }) => (body.kind === 'start' ? Promise.resolve({}) : new Promise((_resolve, reject) => pending.push({ reject }))),
    replySyscall: (_instance: number, _call: number, outcome: { ok: boolean; error?: unknown }) => void seen.push({ t: 'reply', ok: outcome.ok, ...(outcome.ok ? {} : { code: (outcome.error as KernelError).code }) }),
    detach: (_instance: number, error?: KernelError) => {
      seen.push({ t: 'detach', code: error?.code ?? 'VME_ERR_APP_UNAVAILABLE' });
      for (const p of pending.splice(0)) p.reject(error);
    },
  };
  const pool = { hostFor: () => host, nextInstance: () => next++ } as unknown as AppHostPool;
  const trace = new Trace(32);
  const app: AppManifest = { name: 'pager', version: '0.0.1', description: '', grants: { ...none, memory: { maxPages: 80 } } };
  const kernel = new Kernel({
    pool, platformNumber: 0, trace, scheduler: new Scheduler(), policy: { maxRestarts: 3, restartWindowMs: 60_000, baseDelayMs: 60_000, maxDelayMs: 60_000 },
    requestDeadlineMs: 1000, registry: { pager: { moduleUrl: 'fake:pager' } }, platformInfo: () => ({}) as never,
    servicesFor: () => ({ app: 'pager', nvram: undefined, facts: new PlatformFacts(trace), memory: new AppMemory('pager', memory, 80) }) as unknown as AppServices,
  });
  const slot = kernel.load(app);
  /** Sends a syscall as the running instance and waits for the kernel's answer to reach the fake worker. */
  const syscall = async (operation: string, args: unknown): Promise<Seen | undefined> => {
    const before = seen.length;
    const instance = Math.max(...sinks.keys());
    sinks.get(instance)?.onSyscall(1, 'memory', operation, args);
    await new Promise((resolve) => setImmediate(resolve));
    return seen.slice(before).find((s) => s.t === 'reply');
  };
  return { dram, uma, memory, seen, kernel, slot, trace, syscall };
}

test('pages are numbered per app, bound to the instance, capped by maxPages', () => {
  const { memory } = devices();
  const a = new AppMemory('a', memory, 2);
  const b = new AppMemory('b', memory, 2);
  a.bind(1);
  b.bind(1);
  const page = a.allocate();
  a.write(page, 0, Uint8Array.of(7));
  assert.throws(() => b.read(page, 0, 1), { code: 'VME_ERR_PAGE_ACCESS' }, 'b cannot name a\'s page');
  a.allocate();
  assert.throws(() => a.allocate(), { code: 'VME_ERR_MEMORY_QUOTA' });
  a.bind(2);
  assert.equal(a.pageCount, 0, 'a new incarnation starts empty; the old pages are freed');
  assert.throws(() => a.read(page, 0, 1), { code: 'VME_ERR_PAGE_ACCESS' });
  assert.notEqual(a.allocate(), page, 'numbers are never reused across incarnations');
  assert.equal(memory.residentPages, 1);
});

test('a tampered page: the app gets VME_ERR_UMA_INTEGRITY first, then the kernel faults the instance', async () => {
  const { dram, uma, seen, kernel, slot, trace, syscall } = rig();
  await slot.start();
  assert.equal(slot.state, 'running');
  for (let i = 0; i < 70; i++) assert.deepEqual(await syscall('allocate', {}), { t: 'reply', ok: true });
  const victim = kernel.pageLocations('pager').find((p) => !p.location.resident) ?? assert.fail('a paged-out page');
  const slotIndex = victim.location.resident ? -1 : victim.location.slot;
  dram.write(uma.slotAddress(slotIndex), Uint8Array.of(dram.read(uma.slotAddress(slotIndex), 1)[0] === 1 ? 2 : 1));
  const inFlight = slot.request({ kind: 'call', caller: 'kernel', operation: 'check', args: {} }).then(() => 'none', (e: unknown) => (e as KernelError).code);
  assert.deepEqual(await syscall('read', { page: victim.page, offset: 0, length: 16 }), { t: 'reply', ok: false, code: 'VME_ERR_UMA_INTEGRITY' });
  assert.equal(await inFlight, 'VME_ERR_APP_FAULT', 'the request the app was serving fails as a fault');
  assert.deepEqual(seen.slice(-2), [{ t: 'reply', ok: false, code: 'VME_ERR_UMA_INTEGRITY' }, { t: 'detach', code: 'VME_ERR_APP_FAULT' }]);
  assert.equal(slot.state, 'restarting');
  assert.deepEqual(slot.status().lastFault?.fault, 'integrity');
  assert.deepEqual(kernel.pageLocations('pager'), [], 'the instance\'s pages were freed');
  assert.ok(trace.events('uma').some((e) => e.kind === 'page-integrity-fault' && e.page === victim.page && e.incarnation === 1));
  kernel.stop();
});

test('other memory errors are plain refusals: the instance keeps running', async () => {
  const { slot, syscall, kernel } = rig();
  await slot.start();
  assert.deepEqual(await syscall('read', { page: 12345, offset: 0, length: 1 }), { t: 'reply', ok: false, code: 'VME_ERR_PAGE_ACCESS' });
  assert.deepEqual(await syscall('read', { page: 1, offset: 0, length: 4097 }), { t: 'reply', ok: false, code: 'VME_ERR_IPC_INVALID' });
  assert.equal(slot.state, 'running');
  kernel.stop();
});
