// The host-control lines' data operations (design 0014): `host:serial` write into the UART and
// `host:framebuffer` overlay, each only on its own line, within its declared size, served by the
// platform's host ports (none: nothing accepted).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mintCapabilities } from './capabilities.js';
import { serveSyscall, type AppServices } from './services.js';
import type { AppGrants } from '../me/app-manifest.js';

const none: AppGrants = { heciClients: [], networkListeners: [], nvram: null, dmaWindows: [], cryptoKeys: [], hostControl: [], calls: [] };

test('host:serial write and host:framebuffer overlay reach the host ports; each only on its own line', async () => {
  const written: Uint8Array[] = [];
  const overlays: string[] = [];
  const ports = {
    heciNotify: () => undefined, hostControl: () => true,
    hostSerialWrite: (_app: string, bytes: Uint8Array) => written.push(bytes) && bytes.length - 1,
    hostOverlay: (_app: string, text: string) => overlays.push(text) > 0,
  };
  const services = { app: 'amt', ports } as unknown as AppServices;
  const capabilities = mintCapabilities('amt', { ...none, hostControl: ['power', 'serial', 'framebuffer'] });
  const cap = (id: string) => capabilities.lookup(id) ?? assert.fail(`no ${id}`);
  assert.deepEqual(await serveSyscall(cap('host:serial'), 'write', { bytes: Uint8Array.of(0x6c, 0x73, 0x0d) }, services), { accepted: 2 });
  assert.deepEqual(await serveSyscall(cap('host:framebuffer'), 'overlay', { text: 'code: 123456' }, services), { accepted: true });
  assert.deepEqual([written.length, overlays], [1, ['code: 123456']]);
  await assert.rejects(serveSyscall(cap('host:power'), 'write', { bytes: Uint8Array.of(1) }, services), { code: 'VME_ERR_CAPABILITY_DENIED' });
  await assert.rejects(serveSyscall(cap('host:serial'), 'overlay', { text: 'x' }, services), { code: 'VME_ERR_CAPABILITY_DENIED' });
  await assert.rejects(serveSyscall(cap('host:serial'), 'write', { bytes: new Uint8Array(4097) }, services), { code: 'VME_ERR_IPC_INVALID' });
  await assert.rejects(serveSyscall(cap('host:framebuffer'), 'overlay', { text: 'x'.repeat(81) }, services), { code: 'VME_ERR_IPC_INVALID' });
  const bare = { app: 'amt', ports: { heciNotify: () => undefined, hostControl: () => true } } as unknown as AppServices;
  assert.deepEqual(await serveSyscall(cap('host:serial'), 'write', { bytes: Uint8Array.of(1) }, bare), { accepted: 0 });
  assert.deepEqual(await serveSyscall(cap('host:framebuffer'), 'overlay', { text: '' }, bare), { accepted: false });
});
