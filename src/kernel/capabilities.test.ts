// Capabilities are minted only from grants (plus `platform`, which every app holds), and only genuine ones are honoured.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Capability, CapabilitySet, mintCapabilities } from './capabilities.js';
import type { AppGrants } from '../me/app-manifest.js';

const grants: AppGrants = {
  heciClients: [{ uuid: '8e6a6715-9abc-4043-88ef-9e39c6f63e0f', name: 'MKHI', maxMessageBytes: 512 }],
  networkListeners: [{ port: 16992, protocol: 'tcp', tls: false }],
  nvram: { namespace: 'amt', quotaBytes: 100 },
  dmaWindows: [{ name: 'bulk', target: 'host', maxBytes: 4096, write: false }],
  cryptoKeys: ['platform'], hostControl: ['power'], calls: ['mkhi'], platformFacts: ['end-of-post'],
};

test('one capability per granted thing, with stable ids', () => {
  const set = mintCapabilities('amt', grants);
  assert.deepEqual(set.ids, ['nvram', 'call:mkhi', 'host:power', 'crypto:platform', 'heci:8e6a6715-9abc-4043-88ef-9e39c6f63e0f', 'net:16992', 'dma:bulk', 'platform', 'platform:end-of-post']);
  assert.equal(set.lookup('call:mkhi')?.owner, 'amt');
  assert.equal(set.lookup('call:tpm'), undefined);
  assert.deepEqual(set.ofKind('host').map((c) => c.grant.control), ['power']);
});

test('a memory grant mints the single `memory` capability with its page limit', () => {
  const set = mintCapabilities('pager', { ...grants, memory: { maxPages: 8 } });
  assert.ok(set.ids.includes('memory'));
  assert.deepEqual(set.ofKind('memory').map((c) => c.grant.memory), [{ maxPages: 8 }]);
  assert.equal(mintCapabilities('amt', grants).lookup('memory'), undefined, 'no grant, no capability');
});

test('an empty grant mints only the read-only platform capability', () => {
  assert.deepEqual(mintCapabilities('x', { heciClients: [], networkListeners: [], nvram: null, dmaWindows: [], cryptoKeys: [], hostControl: [], calls: [] }).ids, ['platform']);
});

test('nobody else can mint, and look-alikes are not genuine', () => {
  assert.throws(() => new Capability(Symbol('capability mint'), 'nvram', 'x', { kind: 'call', app: 'y' }), TypeError);
  const real = mintCapabilities('amt', grants).lookup('nvram');
  assert.ok(Capability.isGenuine(real));
  const copy: unknown = { ...real };
  const proto: unknown = Object.create(Capability.prototype);
  assert.equal(Capability.isGenuine(copy), false);
  assert.equal(Capability.isGenuine(proto), false);
  assert.equal(new CapabilitySet([copy as Capability]).lookup('nvram'), undefined);
});
