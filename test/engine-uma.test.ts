// Engine memory reaching apps (real workers): degraded mode before DRAM-init-done, ciphertext-only UMA, host tampering faults the app, no grant no memory, NVRAM tampering reaches the app as a typed error.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { FlashController, MemoryBacking } from '../src/flash/index.js';
import { testPlatform } from '../src/image/testing.js';
import type { BuiltPlatform } from '../src/image/build.js';
import type { Engine } from '../src/engine/index.js';
import { AppHostPool, type KernelError, type TraceEvent } from '../src/kernel/index.js';
import { MemoryCounter } from '../src/kernel/nvram/index.js';
import { testingDefinition } from '../src/apps/testing/index.js';
import { biosEnginePort } from '../src/machine/index.js';
import { umaPlacement } from '../src/host/bios.js';
import { findPartition, parseFpt } from '../src/me/fpt.js';
import type { HostDram, Uma } from '../src/devices/index.js';
import { appState, bootTesting, FAST, waitFor } from './support/engine.js';

const SRAM_BYTES = 256 * 1024; // 64 frames
const UMA_BYTES = 1024 * 1024;
const MARKER = 'VME-PAGER-SECRET-MARKER';
const pool = new AppHostPool({ pingTimeoutMs: 2000 }); // no hang is tested here
const engines: Engine[] = [];
let platform: BuiltPlatform;
let engine: Engine;

before(async () => {
  const definition = testingDefinition(['pager', 'prober'], { maxRestarts: 6, restartWindowMs: 60_000 });
  platform = testPlatform({ definition: { ...definition, kernel: { ...definition.kernel, sramBudgetBytes: SRAM_BYTES } } });
  engine = await boot();
});
after(async () => {
  await Promise.all(engines.map((e) => e.shutdown()));
  await pool.close();
});

async function boot(flash = new MemoryBacking(platform.image), counter = new MemoryCounter()): Promise<Engine> {
  // No hang is tested here: a generous deadline keeps page-outs (real AES-GCM) from timing out on a loaded machine.
  const booted = await bootTesting(platform, { ...FAST, requestDeadlineMs: 10_000, pool, counter }, flash);
  engines.push(booted);
  return booted;
}

const devices = (): { dram: HostDram; uma: Uma } => engine.parts.devices ?? assert.fail('engine has devices');
const fill = (pages: number, marker = MARKER): Promise<{ allocated: number; code: string }> => engine.call('pager', 'fill', { pages, marker }) as Promise<{ allocated: number; code: string }>;
const codeOf = (promise: Promise<unknown>): Promise<string> => promise.then(() => 'none', (e: unknown) => (e as KernelError).code);
const events = (component: 'uma' | 'supervisor'): TraceEvent[] => engine.trace.events(component);
/** The app's pages now in UMA, with their slots. */
const pagedOut = (): { page: number; slot: number }[] =>
  (engine.parts.kernel?.pageLocations('pager') ?? []).flatMap(({ page, location }) => (location.resident ? [] : [{ page, slot: location.slot }]));
const slotImage = (slot: number): { data: Uint8Array; tag: Uint8Array } => ({ data: devices().dram.read(devices().uma.slotAddress(slot), 4096), tag: devices().dram.read(devices().uma.tagAddress(slot), 16) });
const writeSlot = (slot: number, image: { data: Uint8Array; tag: Uint8Array }): void => {
  devices().dram.write(devices().uma.slotAddress(slot), image.data);
  devices().dram.write(devices().uma.tagAddress(slot), image.tag);
};

function contains(haystack: Uint8Array, needle: Uint8Array): boolean {
  return Buffer.from(haystack.buffer, haystack.byteOffset, haystack.length).includes(Buffer.from(needle));
}

/** Reads every page back through the app; the host's tampering must fault the pager, logged by the kernel, while mkhi answers. */
async function expectIntegrityFault(tamperedPages: readonly number[]): Promise<void> {
  const faultsBefore = engine.apps.find((a) => a.name === 'pager')?.faults ?? 0;
  assert.equal(await codeOf(engine.call('pager', 'check', {})), 'VME_ERR_APP_FAULT', 'the careless app caught the error, but the kernel faulted it');
  const logged = events('uma').at(-1);
  assert.ok(logged?.kind === 'page-integrity-fault' && logged.app === 'pager' && tamperedPages.includes(logged.page), JSON.stringify(logged));
  const fault = events('supervisor').filter((e) => e.kind === 'app-fault' && e.app === 'pager').at(-1);
  assert.ok(fault?.kind === 'app-fault' && fault.fault === 'integrity' && /VME_ERR_UMA_INTEGRITY/.test(fault.message), JSON.stringify(fault));
  const status = engine.apps.find((a) => a.name === 'pager');
  assert.equal(status?.faults, faultsBefore + 1);
  assert.equal(status?.state, 'restarting');
  assert.equal((await engine.call('mkhi', 'getVersion', {}) as { firmware: string }).firmware, '1.0.0.1', 'mkhi keeps answering meanwhile');
  assert.deepEqual(engine.parts.kernel?.pageLocations('pager'), [], 'the faulted instance\'s pages are freed');
  await waitFor(() => appState(engine, 'pager') === 'running', 3000, 'pager restart');
  assert.deepEqual(await engine.call('pager', 'check', {}), { pages: 0, ok: true, code: '' }, 'a fresh incarnation, no corrupted state');
}

test('before DRAM-init-done: filling past SRAM gives the app VME_ERR_UMA_UNAVAILABLE, the trace says memory is degraded, others serve', async () => {
  assert.equal(devices().uma.region, undefined);
  assert.deepEqual(await fill(80), { allocated: 64, code: 'VME_ERR_UMA_UNAVAILABLE' });
  assert.ok(events('uma').some((e) => e.kind === 'memory-degraded' && e.app === 'pager' && e.code === 'VME_ERR_UMA_UNAVAILABLE'));
  assert.deepEqual(await engine.call('pager', 'check', {}), { pages: 64, ok: true, code: '' });
  assert.equal((await engine.call('mkhi', 'getVersion', {}) as { firmware: string }).firmware, '1.0.0.1');
  assert.equal(appState(engine, 'pager'), 'running');
});

test('after the BIOS reserves UMA, pages spill there as ciphertext only', async () => {
  biosEnginePort(engine, undefined, () => undefined).dramInitDone(umaPlacement(devices().dram.size, UMA_BYTES));
  assert.deepEqual(await fill(24), { allocated: 24, code: '' });
  assert.ok(pagedOut().length >= 24, 'pages were evicted to UMA');
  assert.deepEqual(await engine.call('pager', 'check', {}), { pages: 88, ok: true, code: '' });
  const region = devices().uma.region ?? assert.fail('UMA reserved');
  const hostView = devices().dram.read(region.base, region.size);
  assert.equal(contains(hostView, new TextEncoder().encode(MARKER)), false, 'the host never sees the marker');
  assert.ok(pagedOut().every(({ slot }) => slotImage(slot).data.some((b) => b !== 0)), 'UMA slots hold ciphertext');
});

test('pages are the instance\'s own: unknown, freed and out-of-page accesses are refused; maxPages is enforced', async () => {
  const { results } = (await engine.call('pager', 'misuse', {})) as { results: string[] };
  assert.deepEqual(results, ['unknown:VME_ERR_PAGE_ACCESS', 'after-free:VME_ERR_PAGE_ACCESS', 'past-end:VME_ERR_PAGE_ACCESS', 'oversized:VME_ERR_IPC_INVALID']);
  assert.deepEqual(await fill(10), { allocated: 8, code: 'VME_ERR_MEMORY_QUOTA' });
  assert.equal(appState(engine, 'pager'), 'running', 'refusals are not faults');
});

test('a host that flips a byte of a page in UMA faults the app at its next read', async () => {
  const victim = pagedOut()[0] ?? assert.fail('a paged-out page');
  const image = slotImage(victim.slot);
  image.data[100] = (image.data[100] ?? 0) ^ 0x01;
  writeSlot(victim.slot, image);
  await expectIntegrityFault([victim.page]);
});

test('a host that swaps two pages in UMA faults the app', async () => {
  assert.deepEqual(await fill(90), { allocated: 90, code: '' });
  const [a, b] = pagedOut();
  assert.ok(a && b);
  const [imageA, imageB] = [slotImage(a.slot), slotImage(b.slot)];
  writeSlot(a.slot, imageB);
  writeSlot(b.slot, imageA);
  await expectIntegrityFault([a.page, b.page]);
});

test('a host that replays an older image of a page faults the app', async () => {
  assert.deepEqual(await fill(90), { allocated: 90, code: '' });
  const victim = pagedOut()[0] ?? assert.fail('a paged-out page');
  const old = slotImage(victim.slot);
  assert.deepEqual(await engine.call('pager', 'check', {}), { pages: 90, ok: true, code: '' }, 'paged in and out again: a newer version');
  assert.deepEqual(pagedOut().find((p) => p.page === victim.page), victim, 'back in the same slot');
  assert.notDeepEqual(slotImage(victim.slot), old);
  writeSlot(victim.slot, old);
  await expectIntegrityFault([victim.page]);
});

test('an app without the memory grant is refused the capability (audited)', async () => {
  assert.deepEqual(await engine.call('prober', 'probeMemory', {}), { code: 'VME_ERR_CAPABILITY_DENIED' });
  assert.ok(engine.trace.events('audit').some((e) => e.kind === 'capability-denied' && e.app === 'prober' && e.capability === 'memory'));
});

test('a host that rewrites the NVRAM partition: the engine logs it and the app gets VME_ERR_NVRAM_INTEGRITY', async () => {
  const flash = new MemoryBacking(platform.image);
  const counter = new MemoryCounter();
  const first = await boot(flash, counter);
  assert.equal(first.state, 'operational');
  await first.shutdown();
  const controller = new FlashController(flash);
  const me = controller.region('me');
  const mfs = findPartition(parseFpt(flash.read(me.base, me.size)), 'MFS') ?? assert.fail('MFS partition');
  flash.write(me.base + mfs.offset + 0x20, new Uint8Array(0xe0).fill(0x5a));
  const second = await boot(flash, counter);
  assert.equal(second.state, 'degraded');
  const logged = second.bootLog.find((e) => e.stage === 'kernel' && e.check === 'nvram');
  assert.ok(logged && !logged.ok && logged.actual === 'VME_ERR_NVRAM_INTEGRITY', JSON.stringify(logged));
  assert.ok(second.trace.events('nvram').some((e) => e.kind === 'nvram-unavailable' && e.code === 'VME_ERR_NVRAM_INTEGRITY'));
  assert.deepEqual(await second.call('pager', 'nvramGet', {}), { code: 'VME_ERR_NVRAM_INTEGRITY' });
  assert.ok(second.trace.events('nvram').some((e) => e.kind === 'nvram-refused' && e.app === 'pager' && e.code === 'VME_ERR_NVRAM_INTEGRITY'));
  assert.equal(second.apps.find((a) => a.name === 'pager')?.state, 'running', 'a clear error, not a fault');
});
