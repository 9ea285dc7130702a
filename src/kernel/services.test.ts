// Kernel services behind the nvram `commit` and `platform` syscalls: declared limits, atomicity,
// the End-of-POST fact (read by every app, set only through the granted capability, audited).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mintCapabilities } from './capabilities.js';
import { PlatformFacts } from './platform-facts.js';
import { serveSyscall, type AppServices } from './services.js';
import { Trace } from './trace.js';
import { rig, text } from './nvram/test-fixtures.js';
import type { AppGrants } from '../me/app-manifest.js';

const none: AppGrants = { heciClients: [], networkListeners: [], nvram: null, dmaWindows: [], cryptoKeys: [], hostControl: [], calls: [] };

function setup(grants: Partial<AppGrants> = {}) {
  const trace = new Trace(16);
  const facts = new PlatformFacts(trace);
  const namespace = rig().mount().namespace('app', { quotaBytes: 65536 });
  const services = { app: 'app', nvram: namespace, facts } as unknown as AppServices;
  const capabilities = mintCapabilities('app', { ...none, nvram: { namespace: 'app', quotaBytes: 65536 }, ...grants });
  const call = (id: string, operation: string, args: unknown) => serveSyscall(capabilities.lookup(id) ?? assert.fail(`no ${id}`), operation, args, services);
  return { trace, facts, namespace, call };
}

test('nvram commit applies puts and deletes together', async () => {
  const { namespace, call } = setup();
  namespace.put('old', text('x'));
  await call('nvram', 'commit', { puts: [{ key: 'a', value: text('1') }, { key: 'b', value: text('2') }], deletes: ['old'] });
  assert.deepEqual(namespace.list(), ['a', 'b']);
});

test('nvram commit: a repeated key writes nothing; fields over their declared limits are refused first', async () => {
  const { namespace, call } = setup();
  await assert.rejects(call('nvram', 'commit', { puts: [{ key: 'a', value: text('1') }], deletes: ['a'] }), { code: 'VME_ERR_NVRAM_ARGUMENT' });
  assert.deepEqual(namespace.list(), []);
  const many = Array.from({ length: 129 }, (_, i) => ({ key: `k${i}`, value: text('v') }));
  const big = Array.from({ length: 4 }, (_, i) => ({ key: `k${i}`, value: new Uint8Array(16384) }));
  for (const puts of [many, big, [{ key: 'k'.repeat(65), value: text('v') }], [{ key: 'a', value: 'v' }], [{ key: 'a', value: text('v'), extra: 1 }]]) {
    await assert.rejects(call('nvram', 'commit', { puts, deletes: [] }), { code: 'VME_ERR_IPC_INVALID' });
  }
  await assert.rejects(call('nvram', 'commit', { puts: [] }), { code: 'VME_ERR_IPC_INVALID' });
  assert.deepEqual(namespace.list(), []);
});

test('every app reads the platform facts; only platform:end-of-post sets End-of-POST, once, audited', async () => {
  const plain = setup();
  assert.deepEqual(await plain.call('platform', 'facts', {}), { endOfPost: false, hostPower: 8 });
  await assert.rejects(plain.call('platform', 'setEndOfPost', {}), { code: 'VME_ERR_CAPABILITY_DENIED' });
  assert.equal(plain.facts.endOfPost, false);
  const granted = setup({ platformFacts: ['end-of-post'] });
  assert.deepEqual(await granted.call('platform:end-of-post', 'setEndOfPost', {}), { changed: true });
  assert.deepEqual(await granted.call('platform:end-of-post', 'setEndOfPost', {}), { changed: false });
  assert.deepEqual(await granted.call('platform', 'facts', {}), { endOfPost: true, hostPower: 8 });
  granted.facts.hostReset();
  assert.equal(granted.facts.endOfPost, false);
  const audit = granted.trace.snapshot().rings.audit?.records.map((r) => r.event);
  assert.deepEqual(audit, [
    { kind: 'platform-fact', app: 'app', fact: 'end-of-post', value: true },
    { kind: 'platform-fact', app: 'kernel', fact: 'end-of-post', value: false },
  ]);
});

test('heci send: an unsolicited message on the granted client, within its declared size; no host port means not sent', async () => {
  const sent: [string, string, number][] = [];
  const client = { uuid: '6733a4db-0476-4e7b-b3af-bcfc29bee7a7', name: 'LME', maxMessageBytes: 16 };
  const capabilities = mintCapabilities('app', { ...none, heciClients: [client] });
  const capability = capabilities.lookup(`heci:${client.uuid}`) ?? assert.fail('no heci capability');
  const ports = { heciNotify: () => undefined, hostControl: () => false, heciSend: (app: string, uuid: string, bytes: Uint8Array) => sent.push([app, uuid, bytes.length]) > 0 };
  const services = { app: 'app', ports } as unknown as AppServices;
  assert.deepEqual(await serveSyscall(capability, 'send', { bytes: new Uint8Array(16) }, services), { sent: true });
  assert.deepEqual(sent, [['app', client.uuid, 16]]);
  for (const bytes of [new Uint8Array(17), new Uint8Array(0)]) await assert.rejects(serveSyscall(capability, 'send', { bytes }, services), { code: 'VME_ERR_IPC_INVALID' });
  const withoutPort = { app: 'app', ports: { heciNotify: () => undefined, hostControl: () => false } } as unknown as AppServices;
  assert.deepEqual(await serveSyscall(capability, 'send', { bytes: Uint8Array.of(1) }, withoutPort), { sent: false });
});
