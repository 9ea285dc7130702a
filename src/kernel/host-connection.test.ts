// HECI connection events through the kernel to real app workers: `handleHostConnection` reaches the
// app granted the client (`onHostConnection`), in order with its messages when they come through the
// bus seam (a slow 'connected' is handled before the message written right after connecting, and
// a reconnect's message after 'disconnected' and the new 'connected'); an app without the handler
// ignores them; unknown clients and events are refused; every event is traced.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { HeciPlatform, registerGrantedClients } from '../heci/index.js';
import type { AppGrants, AppManifest } from '../me/app-manifest.js';
import { AppHostPool } from './app-host-pool.js';
import { Kernel } from './kernel.js';
import { PlatformFacts } from './platform-facts.js';
import type { PlatformInfo } from './protocol.js';
import { Scheduler } from './scheduler.js';
import type { AppServices } from './services.js';
import { Trace } from './trace.js';

const EVENTS = 'e0e0e0e0-0476-4e7b-b3af-bcfc29bee7a7';
const OTHER = 'e1e1e1e1-0476-4e7b-b3af-bcfc29bee7a7';
const PLAIN = 'f0f0f0f0-0476-4e7b-b3af-bcfc29bee7a7';
const none: AppGrants = { heciClients: [], networkListeners: [], nvram: null, dmaWindows: [], cryptoKeys: [], hostControl: [], calls: [] };
const manifest = (name: string, uuids: string[]): AppManifest => ({
  name, version: '0.0.1', description: '', grants: { ...none, heciClients: uuids.map((uuid, i) => ({ uuid, name: `${name}${i}`, maxMessageBytes: 512 })) },
});
const PLATFORM: PlatformInfo = {
  platformId: 'test', firmwareVersion: '1.0.0.1', svn: 1, partition: 'NFTP', engineState: 'operational', apps: ['events', 'plain'],
  platformUuid: '00000000-0000-4000-8000-000000000000', macAddress: '02:00:00:00:00:01', macSource: 'derived', sku: 'corporate',
};

const pool = new AppHostPool({ pingTimeoutMs: 2000 });
const trace = new Trace(64);
const kernel = new Kernel({
  pool, platformNumber: 0, trace, scheduler: new Scheduler(), policy: { maxRestarts: 3, restartWindowMs: 60_000, baseDelayMs: 50, maxDelayMs: 50 },
  requestDeadlineMs: 5000, platformInfo: () => PLATFORM,
  registry: { events: { moduleUrl: new URL('./testing/host-events-app.js', import.meta.url).href }, plain: { moduleUrl: new URL('./testing/host-only-app.js', import.meta.url).href } },
  servicesFor: (app) => ({ app: app.name, nvram: undefined, facts: new PlatformFacts(trace) }) as unknown as AppServices,
});
await Promise.all([kernel.load(manifest('events', [EVENTS, OTHER])).start(), kernel.load(manifest('plain', [PLAIN])).start()]);
after(async () => {
  kernel.stop();
  await pool.close();
});

const logOf = async (client: string): Promise<string[]> => JSON.parse(new TextDecoder().decode(await kernel.handleHostMessage(client, Uint8Array.of(1, 2)))) as string[];

test('handleHostConnection reaches the owning app; an app without the handler ignores it; refusals', async () => {
  await kernel.handleHostConnection(OTHER, 'connected');
  assert.deepEqual(await logOf(OTHER), ['e1e1 connected', 'e1e1 message 2']);
  await kernel.handleHostConnection(PLAIN, 'disconnected');
  await assert.rejects(kernel.handleHostConnection('a0a0a0a0-0476-4e7b-b3af-bcfc29bee7a7', 'connected'), { code: 'VME_ERR_CAPABILITY_DENIED' });
  await assert.rejects(kernel.handleHostConnection(OTHER, 'gone' as never), { code: 'VME_ERR_IPC_INVALID' });
  const traced = trace.events('host').filter((e) => e.kind === 'host-connection');
  assert.deepEqual(traced.map((e) => e.kind === 'host-connection' && [e.app, e.event, e.ok]), [['events', 'connected', true], ['plain', 'disconnected', true]]);
});

test('through the bus seam, events and messages reach the app worker in bus order', async () => {
  const heci = new HeciPlatform();
  registerGrantedClients(heci.bus, [{ uuid: EVENTS, name: 'events', maxMessageBytes: 512 }], (uuid, bytes) => kernel.handleHostMessage(uuid, bytes), (uuid, event) => kernel.handleHostConnection(uuid, event));
  await heci.start();
  const exchange = async (): Promise<string[]> => {
    const file = heci.driver.open();
    await file.connect(EVENTS);
    file.write(Uint8Array.of(9)); // at once: the slow 'connected' must be handled first
    const log = JSON.parse(new TextDecoder().decode(await file.read(5000))) as string[];
    file.close();
    return log;
  };
  assert.deepEqual((await exchange()).slice(-2), ['e0e0 connected', 'e0e0 message 1']);
  assert.deepEqual((await exchange()).slice(-3), ['e0e0 disconnected', 'e0e0 connected', 'e0e0 message 1']);
  heci.engineDown();
});
