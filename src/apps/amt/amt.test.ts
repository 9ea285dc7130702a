// The AMT app's state and pipeline without a kernel (a fake AppContext over a real in-memory NVRAM):
// one truth for PTHI and WS-Man (activation through WS-Man is what PTHI reports; a PTHI unprovision
// is what WS-Man sees, accounts included), Digest logins through the network core, a failed commit
// answered with a fault and leaving the old state, device actions only after the commit, the host
// power fact reaching WS-Man, the device identity surviving a restart, presence pongs, TLS commits.
import { test } from 'node:test';
import { X509Certificate } from 'node:crypto';
import { Duplex, PassThrough } from 'node:stream';
import { connect as tlsConnect } from 'node:tls';
import assert from 'node:assert/strict';
import { nvramRig, type NvramRig } from '../../amt-state/testing.js';
import { AUDIT_LOG, parseAuditRecord } from '../../amt/accounts/index.js';
import { PresencePing } from '../../amt/rmcp/index.js';
import { PROVISIONING } from '../../amt/wsman/classes/provisioning.js';
import { ACTIVE_TLS, STAGED_TLS, stageTls } from '../../amt/wsman/classes/tls-state.js';
import { ACTION, ANONYMOUS, SCHEMA_BASE } from '../../amt/wsman/index.js';
import { envelope } from '../../amt/wsman/testing.js';
import { AMT_STATUS, PTHI_COMMAND as C } from '../../protocols/pthi/index.js';
import { reply, request } from '../../protocols/pthi/testing.js';
import { activateClientControl } from './activation.js';
import { openAmt, type Amt } from './amt.js';
import { DEVICE_CERTIFICATE_KEY } from './tls-identity.js';
import { digestPost, fakeContext, TEST_PLATFORM, type FakeContext } from './testing.js';
import { hostMessage } from './transaction.js';

const AMTHI = '12f80028-b4b7-4b2d-aca8-46e0ff65814c';
const PASSWORD = 'P@ssw0rd1';
const uri = (name: string): string => `${SCHEMA_BASE[name.slice(0, 3) as 'AMT' | 'CIM' | 'IPS']}${name}`;
const u32 = (data: Uint8Array): number => Buffer.from(data).readUInt32LE(0);

async function start(rig: NvramRig = nvramRig(0x40000)): Promise<{ amt: Amt; context: FakeContext; rig: NvramRig }> {
  const context = fakeContext(rig.mount().namespace('amt', { quotaBytes: 131072 }));
  return { amt: await openAmt(context, { scryptCost: 1024 }), context, rig };
}

const pthi = async (amt: Amt, command: number, body?: Uint8Array) => reply(await hostMessage(amt.runtime, AMTHI, request(command, body)));
const account = (amt: Amt) => amt.runtime.store.localSystemAccount();
const activate = async (amt: Amt): Promise<number> => activateClientControl(amt.pipeline.handler, amt.runtime.realm, await account(amt), PASSWORD);
const get = (amt: Amt, name: string, user = 'admin', password = PASSWORD) => digestPost(amt.pipeline.network, user, password, envelope({ action: ACTION.get, resourceUri: uri(name) }));

test('activation through WS-Man is what PTHI reports; the admin then logs in over the network core', async () => {
  const { amt } = await start();
  assert.equal((await get(amt, 'AMT_GeneralSettings')).status, 401, 'nobody is admin before activation');
  assert.equal(await activate(amt), 0);
  assert.equal(u32((await pthi(amt, C.getControlMode)).data), 1, 'client control');
  assert.equal(u32((await pthi(amt, C.getProvisioningState)).data), 2, 'post-provisioning');
  assert.deepEqual(await amt.runtime.store.provisioning(), { state: 'post', mode: 'client' });
  const settings = await get(amt, 'AMT_GeneralSettings');
  assert.equal(settings.status, 200);
  assert.match(settings.body, new RegExp(`<g:DigestRealm>${amt.runtime.realm}</g:DigestRealm>`));
  assert.equal(await activate(amt), 2, 'a second Setup: invalid state');
});

test('a PTHI unprovision is seen by WS-Man: pre-provisioning, no admin any more, audited; PTHI and WS-Man agree after a restart', async () => {
  const { amt, rig } = await start();
  await activate(amt);
  const unprovisioned = await pthi(amt, C.unprovision, Uint8Array.of(0, 0, 0, 0));
  assert.equal(unprovisioned.status, AMT_STATUS.success);
  assert.equal(amt.runtime.state.get(PROVISIONING).state, 0);
  assert.equal(amt.runtime.state.get(PROVISIONING).controlMode, 0);
  assert.equal((await get(amt, 'AMT_GeneralSettings')).status, 401, 'the account table was reset');
  const records = amt.runtime.committed.get(AUDIT_LOG).records.map((r) => parseAuditRecord(Buffer.from(r, 'base64')));
  assert.deepEqual([...records.at(-1)?.extendedData ?? []], [2], 'Unprovisioning Started via local MEI');
  const again = (await start(rig)).amt;
  assert.equal(again.runtime.state.get(PROVISIONING).state, 0);
  assert.equal(u32((await pthi(again, C.getProvisioningState)).data), 0);
});

test('a WS-Man Unprovision is seen by PTHI, with a new local system account', async () => {
  const { amt } = await start();
  const before = await account(amt);
  await activate(amt);
  const service = uri('AMT_SetupAndConfigurationService');
  const body = `<h:Unprovision_INPUT xmlns:h="${service}"><h:ProvisioningMode>1</h:ProvisioningMode></h:Unprovision_INPUT>`;
  const result = await digestPost(amt.pipeline.network, 'admin', PASSWORD, envelope({ action: `${service}/Unprovision`, resourceUri: service, body }));
  assert.match(result.body, /<g:ReturnValue>0<\/g:ReturnValue>/);
  assert.equal(u32((await pthi(amt, C.getProvisioningState)).data), 0);
  assert.equal(u32((await pthi(amt, C.getControlMode)).data), 0);
  assert.notEqual((await account(amt)).password, before.password);
});

test('a commit NVRAM refuses: the request gets a fault, the old state stays, no device action happens', async () => {
  const { amt, context } = await start();
  await activate(amt);
  const settings = uri('AMT_GeneralSettings');
  const nvram = context.nvram;
  const commit = nvram.commit.bind(nvram);
  nvram.commit = () => Promise.reject(new Error('flash worn out'));
  const put = await digestPost(amt.pipeline.network, 'admin', PASSWORD, envelope({ action: ACTION.put, resourceUri: settings, body: `<h:AMT_GeneralSettings xmlns:h="${settings}"><h:HostName>renamed</h:HostName></h:AMT_GeneralSettings>` }));
  assert.equal(put.status, 400);
  assert.match(put.body, /InternalError/);
  const pms = uri('CIM_PowerManagementService');
  const element = `<h:ManagedElement><a:Address>${ANONYMOUS}</a:Address><a:ReferenceParameters><w:ResourceURI>${uri('CIM_ComputerSystem')}</w:ResourceURI><w:SelectorSet><w:Selector Name="Name">ManagedSystem</w:Selector></w:SelectorSet></a:ReferenceParameters></h:ManagedElement>`;
  const power = envelope({ action: `${pms}/RequestPowerStateChange`, resourceUri: pms, body: `<h:RequestPowerStateChange_INPUT xmlns:h="${pms}"><h:PowerState>10</h:PowerState>${element}</h:RequestPowerStateChange_INPUT>` });
  assert.equal((await digestPost(amt.pipeline.network, 'admin', PASSWORD, power)).status, 400);
  assert.deepEqual(context.hostRequests, [], 'nothing performed for a request whose state was not committed');
  nvram.commit = commit;
  assert.doesNotMatch((await get(amt, 'AMT_GeneralSettings')).body, /renamed/);
  assert.match((await digestPost(amt.pipeline.network, 'admin', PASSWORD, power)).body, /<g:ReturnValue>0<\/g:ReturnValue>/);
  assert.deepEqual(context.hostRequests, ['power:reset']);
});

test('the host power fact reaches WS-Man before each request', async () => {
  const { amt, context } = await start();
  await activate(amt);
  context.facts.hostPower = 8;
  assert.match((await get(amt, 'CIM_AssociatedPowerManagementService')).body, /<g:PowerState>8<\/g:PowerState>/);
  context.facts.hostPower = 2;
  assert.match((await get(amt, 'CIM_AssociatedPowerManagementService')).body, /<g:PowerState>2<\/g:PowerState>/);
});

test('the device certificate and realm survive a restart; presence pings are answered from the committed state', async () => {
  const { amt, rig } = await start();
  const first = await amt.runtime.identity.ensure(); // made at start (the platform has a network), stored before the restart
  const again = (await start(rig)).amt;
  assert.equal((await again.runtime.identity.ensure()).certificatePem, first.certificatePem);
  assert.equal(again.runtime.realm, amt.runtime.realm);
  const ping = PresencePing.serialize(PresencePing.defaults({ sequence: 0xff, messageTag: 7 }));
  const pong = again.presence(ping);
  assert.ok(pong !== undefined && pong.length === 28);
  assert.equal(again.presence(Uint8Array.of(1, 2, 3)), undefined);
});

test('CommitChanges switches new connections to the committed TLS setup; TLS without AcceptNonSecure closes 16992', async () => {
  const { amt } = await start();
  await activate(amt);
  const generation = (await amt.runtime.identity.tls()).generation;
  const staged = amt.runtime.state.get(STAGED_TLS);
  stageTls(amt.runtime.state, { remote: { ...staged.remote, enabled: true, acceptNonSecure: false } });
  const service = uri('AMT_SetupAndConfigurationService');
  const committed = await digestPost(amt.pipeline.network, 'admin', PASSWORD, envelope({ action: `${service}/CommitChanges`, resourceUri: service, body: `<h:CommitChanges_INPUT xmlns:h="${service}"></h:CommitChanges_INPUT>` }));
  assert.match(committed.body, /<g:ReturnValue>0<\/g:ReturnValue>/);
  assert.equal((await amt.runtime.identity.tls()).generation, generation + 1);
  assert.equal(amt.runtime.committed.get(ACTIVE_TLS).remote.enabled, true);
  const plain = new PassThrough();
  amt.pipeline.acceptNetwork(16992, plain, { address: '127.0.0.1', port: 1 });
  assert.equal(plain.destroyed, true, 'plain HTTP refused from the network');
  const local: Uint8Array[] = [];
  amt.pipeline.openLocalConnection(16992, { write: (bytes) => local.push(bytes), end: () => undefined })?.receive(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
  await new Promise((resolve) => setImmediate(resolve));
  assert.match(Buffer.concat(local).toString(), /^HTTP\/1\.1 303/, 'the local interface keeps plain HTTP (LMS TLS settings unchanged)');
  assert.equal(amt.pipeline.openLocalConnection(623, { write: () => undefined, end: () => undefined }), undefined, 'only 16992 and 16993');
});

test('a local channel to 16993 is TLS terminated in the app with the device certificate (origin local)', async () => {
  const { amt } = await start();
  const wire = new Duplex({
    read: () => undefined,
    write(chunk: Uint8Array, _encoding, callback) {
      handle?.receive(chunk);
      callback();
    },
  });
  const handle = amt.pipeline.openLocalConnection(16993, { write: (bytes) => void wire.push(bytes), end: () => void wire.push(null) });
  const socket = tlsConnect({ socket: wire, rejectUnauthorized: false });
  const text = await new Promise<string>((resolve, reject) => {
    let received = '';
    socket.on('secureConnect', () => socket.write('GET / HTTP/1.1\r\nHost: localhost\r\n\r\n'));
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      if (received.includes('\r\n\r\n')) resolve(received);
    });
    socket.on('error', reject);
  });
  assert.match(text, /^HTTP\/1\.1 303 See Other\r\n/);
  assert.equal(socket.getPeerX509Certificate()?.fingerprint256, new X509Certificate((await amt.runtime.identity.ensure()).certificatePem).fingerprint256);
  socket.destroy();
  handle?.close();
});

test('without a network the identity is made at first need (here a PTHI message), not at start', async () => {
  const rig = nvramRig(0x40000);
  const { networkAddress: _unused, ...offline } = TEST_PLATFORM;
  const amt = await openAmt(fakeContext(rig.mount().namespace('amt'), offline), { scryptCost: 1024 });
  assert.equal(amt.runtime.identity.credential, undefined);
  assert.equal(amt.runtime.cache.committed(DEVICE_CERTIFICATE_KEY), undefined);
  assert.equal((await pthi(amt, C.getProvisioningState)).status, AMT_STATUS.success);
  assert.ok(amt.runtime.cache.committed(DEVICE_CERTIFICATE_KEY) !== undefined);
  assert.ok((await amt.runtime.store.amtCertificateHash()) !== undefined, 'its hash is what StartConfigurationHBased will report');
});
