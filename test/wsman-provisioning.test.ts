// Provisioning through WS-Man as rpc-go/RPS drive it (brief §3.11 B, §6): requests built by
// @open-amt-cloud-toolkit/wsman-messages. CCM goes through the AMT web server with Digest: the
// local system account over the local (LME) interface activates, the new admin logs in over the
// network, Unprovision locks it out again. ACM uses a test PKI (@peculiar/x509) whose root hash is
// in the hash table; every refusal is tried once from the attacker's side.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { accountDirectory, AUDIT_LOG, parseAuditRecord } from '../src/amt/accounts/index.js';
import { parseChallenge, renderAuthorization } from '../src/amt/auth/digest-client.js';
import { DigestAuthenticator } from '../src/amt/auth/index.js';
import { AmtHttpCore, type AmtOrigin } from '../src/amt/http/index.js';
import { parseReply, postWsman } from '../src/amt/http/testing.js';
import { createTestPki, signNonces, type TestPki } from '../src/amt/provisioning/testing.js';
import {
  CERTIFICATE_CHAIN, PROVISIONING, PROVISIONING_CERTIFICATE_HASHES, PROVISIONING_DNS_SUFFIXES,
} from '../src/amt/wsman/classes/provisioning.js';
import { PENDING_MEBX_PASSWORD } from '../src/amt/wsman/classes/setup-and-configuration.js';
import { GENERAL_SETTINGS, SCHEMA_BASE } from '../src/amt/wsman/index.js';
import { defineSlot } from '../src/amt/wsman/state.js';
import {
  ACTION, createTestWsman, envelope, ENUMERATE_BODY, pullBody, rootNamespaces, tagSequence, textOf, TEST_WSMAN_REALM, type TestWsman,
} from '../src/amt/wsman/testing.js';

interface MessageSet { [service: string]: { [call: string]: ((...args: unknown[]) => string) | undefined } | undefined }
const wsmanMessages = createRequire(import.meta.url)('@open-amt-cloud-toolkit/wsman-messages') as Record<'AMT' | 'IPS', { Messages: new () => MessageSet }>;
const amt = new wsmanMessages.AMT.Messages();
const ips = new wsmanMessages.IPS.Messages();
const message = (set: MessageSet, service: string, name: string, ...args: unknown[]): string => {
  const fn = set[service]?.[name];
  if (fn === undefined) throw new Error(`wsman-messages has no ${service}.${name}`);
  return fn(...args);
};
const hbs = (name: string, ...args: unknown[]): string => message(ips, 'HostBasedSetupService', name, ...args);
const sac = (name: string, ...args: unknown[]): string => message(amt, 'SetupAndConfigurationService', name, ...args);

const fixture = (path: string): string => readFileSync(new URL(`../../../shared/fixtures/amt-responses/${path}`, import.meta.url), 'utf8');
const md5 = (text: string): string => createHash('md5').update(text).digest('hex');
const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
const returnValue = (body: string): number => Number(textOf(body, 'g:ReturnValue') ?? 'NaN');

const LSA = { username: 'vme-lsa-00c0ffee', password: 'Lsa-Pa55w0rd!x7Lsa-Pa55w0rd!x7ab' };
const LSA_REALMS = ['Local System'];
const ADMIN_PASSWORD = 'Adm1n-P@ssw0rd';
const SETUP_PASSWORD = md5(`admin:${TEST_WSMAN_REALM}:${ADMIN_PASSWORD}`);

/** A console speaking Digest to one interface of the device's web server. */
class Console {
  #challenge: { realm: string; nonce: string } | undefined;
  #count = 0;
  constructor(readonly core: AmtHttpCore, readonly origin: AmtOrigin, readonly user: string, readonly password: string) {}

  async send(xml: string): Promise<{ status: number; body: string }> {
    const context = { transport: 'http' as const, origin: this.origin, remote: { address: this.origin === 'local' ? '127.0.0.1' : '127.0.0.2', port: 50000 } };
    if (this.#challenge === undefined) {
      const first = parseReply(Buffer.from((await this.core.inject(postWsman(xml), context)).bytes).toString('latin1'));
      this.#challenge = parseChallenge(first.headers.find(([name]) => name === 'WWW-Authenticate')?.[1] ?? '');
    }
    const authorization = renderAuthorization({ user: this.user, password: this.password, ...this.#challenge, method: 'POST', uri: '/wsman', nonceCount: ++this.#count });
    const reply = parseReply(Buffer.from((await this.core.inject(postWsman(xml, authorization), context)).bytes).toString('latin1'));
    return { status: reply.status, body: reply.body };
  }
}

/** The device's web server on both interfaces over one state: the local one knows the local system account. */
function device(): { wsman: TestWsman; local: AmtHttpCore; network: AmtHttpCore } {
  const wsman = createTestWsman();
  const core = (local: boolean): AmtHttpCore => new AmtHttpCore({
    auth: new DigestAuthenticator({ realm: TEST_WSMAN_REALM, users: accountDirectory(wsman.state, { local, localSystemAccount: LSA }) }), handler: wsman.handler,
  });
  return { wsman, local: core(true), network: core(false) };
}

const provisioning = (wsman: TestWsman): { state: number; controlMode: number } => {
  const { state, controlMode } = wsman.state.get(PROVISIONING);
  return { state, controlMode };
};
const kinds = (wsman: TestWsman): string[] => wsman.device.actions.map((a) => a.kind);
const local = (wsman: TestWsman, xml: string): Promise<{ status: number; body: string }> => wsman.call(xml, LSA_REALMS, LSA.username, 'local');

test('CCM as rpc-go/RPS: GeneralSettings Get, HostBasedSetupService Get, Setup over the local interface; the admin logs in; Unprovision locks it out', async () => {
  const { wsman, local: lme, network } = device();
  const lsa = new Console(lme, 'local', LSA.username, LSA.password);
  const admin = new Console(network, 'network', 'admin', ADMIN_PASSWORD);
  assert.equal((await admin.send(message(amt, 'GeneralSettings', 'Get'))).status, 401, 'no admin before activation');

  const general = await lsa.send(message(amt, 'GeneralSettings', 'Get'));
  assert.equal(general.status, 200);
  const realm = textOf(general.body, 'g:DigestRealm') ?? '';
  const before = await lsa.send(hbs('Get'));
  assert.equal(textOf(before.body, 'g:CurrentControlMode'), '0');
  assert.deepEqual([...before.body.matchAll(/<g:AllowedControlModes>(\d)</g)].map((m) => m[1]), ['2', '1']);

  const setup = await lsa.send(hbs('Setup', 2, md5(`admin:${realm}:${ADMIN_PASSWORD}`)));
  assert.equal(setup.status, 200);
  assert.equal(returnValue(setup.body), 0);
  assert.deepEqual(tagSequence(setup.body), tagSequence(fixture('ips/hostbasedsetup/setup.xml')));
  assert.deepEqual(kinds(wsman), ['provisioning-changed']);
  assert.equal(textOf((await lsa.send(hbs('Get'))).body, 'g:CurrentControlMode'), '1');
  const after = await lsa.send(sac('Get'));
  assert.equal(textOf(after.body, 'g:ProvisioningState'), '2');
  assert.equal(textOf(after.body, 'g:ProvisioningMode'), '4', 'ProvisioningMode 4 = client control (GWM)');

  assert.equal((await admin.send(message(amt, 'GeneralSettings', 'Get'))).status, 200, 'the admin HA1 from Setup logs in');
  const commit = await admin.send(sac('CommitChanges'));
  assert.equal(returnValue(commit.body), 0);
  assert.deepEqual(tagSequence(commit.body), tagSequence(fixture('amt/setupandconfiguration/commitchanges.xml')));
  assert.deepEqual(kinds(wsman), ['provisioning-changed', 'commit']);

  const unprovision = await admin.send(sac('Unprovision', 1));
  assert.equal(returnValue(unprovision.body), 0);
  assert.deepEqual(kinds(wsman), ['provisioning-changed', 'commit', 'provisioning-changed']);
  assert.equal((await admin.send(message(amt, 'GeneralSettings', 'Get'))).status, 401, 'the admin is gone');
  assert.equal(textOf((await lsa.send(sac('Get'))).body, 'g:ProvisioningState'), '0');
  const records = wsman.state.get(AUDIT_LOG).records.map((r) => parseAuditRecord(Buffer.from(r, 'base64')));
  assert.deepEqual(records.map((r) => [r.auditAppId, r.eventId]).at(-1), [16, 19], 'Unprovisioning Started is recorded');
  assert.deepEqual([...records.at(-1)?.extendedData ?? []], [4], 'via remote WS-Man');
});

test('Setup refusals: from the network, already provisioned, client control not allowed, wrong encryption type or digest format', async () => {
  const wsman = createTestWsman();
  const setup = (password: string, type = 2, origin: AmtOrigin = 'local'): Promise<number> =>
    wsman.call(hbs('Setup', type, password), LSA_REALMS, LSA.username, origin).then((r) => returnValue(r.body));
  assert.equal(await setup(SETUP_PASSWORD, 2, 'network'), 2, 'host-based setup is for the host only');
  assert.equal(await setup(SETUP_PASSWORD.slice(1)), 3, '31 hex digits');
  assert.equal(await setup(b64(Buffer.from(SETUP_PASSWORD, 'hex'))), 3, 'base64 of the raw HA1 is the ACL format, not Setup\'s');
  assert.equal(await setup(`${SETUP_PASSWORD.slice(1)}z`), 3, 'not hex');
  assert.equal(await setup(SETUP_PASSWORD, 1), 3, 'NetAdminPassEncryptionType 1');
  wsman.state.set(PROVISIONING, { ...wsman.state.get(PROVISIONING), allowedControlModes: [2] });
  assert.equal(await setup(SETUP_PASSWORD), 4, 'client control not allowed');
  assert.deepEqual(provisioning(wsman), { state: 0, controlMode: 0 });
  assert.deepEqual(wsman.device.actions, [], 'nothing happened');
  wsman.state.set(PROVISIONING, PROVISIONING.initial());
  assert.equal(await setup(SETUP_PASSWORD.toUpperCase()), 0, 'upper-case hex is accepted');
  assert.equal(await setup(SETUP_PASSWORD), 2, 'already provisioned');
  const missing = await local(wsman, hbs('Setup', 2, SETUP_PASSWORD).replace(/<h:NetworkAdminPassword>[^<]*<\/h:NetworkAdminPassword>/, ''));
  assert.match(missing.body, /InvalidParameter/, 'a missing required input is a fault');
  const denied = await wsman.call(hbs('Setup', 2, SETUP_PASSWORD), ['General Info'], 'reader', 'local');
  assert.match(denied.body, /AccessDenied/);
});

let pki: TestPki;
let stranger: TestPki;
before(async () => {
  [pki, stranger] = await Promise.all([createTestPki('vme.example'), createTestPki('vme.example')]);
});

/** A device that trusts the test root and has the PKI DNS suffix `vme.example`. */
function acmDevice(): TestWsman {
  const wsman = createTestWsman();
  const hashes = wsman.state.get(PROVISIONING_CERTIFICATE_HASHES);
  wsman.state.set(PROVISIONING_CERTIFICATE_HASHES, [...hashes, { handle: hashes.length, name: 'vme test root', algorithm: 'sha256', hash: pki.rootSha256, isDefault: false, isActive: true }]);
  wsman.state.set(PROVISIONING_DNS_SUFFIXES, { pki: 'vme.example', network: [] });
  return wsman;
}

async function readNonce(wsman: TestWsman, origin: AmtOrigin = 'local'): Promise<Uint8Array> {
  const reply = await wsman.call(hbs('Get'), LSA_REALMS, LSA.username, origin);
  return Buffer.from(textOf(reply.body, 'g:ConfigurationNonce') ?? '', 'base64');
}

async function addChain(wsman: TestWsman, chain: readonly Uint8Array[], realms = LSA_REALMS, origin: AmtOrigin = 'local'): Promise<number[]> {
  const codes: number[] = [];
  for (const [i, der] of chain.entries()) {
    const reply = await wsman.call(hbs('AddNextCertInChain', b64(der), i === 0, i === chain.length - 1), realms, LSA.username, origin);
    codes.push(returnValue(reply.body));
  }
  return codes;
}

const adminSetup = async (wsman: TestWsman, options: { nonce: Uint8Array; mcNonce?: Uint8Array; signature?: Uint8Array; algorithm?: number }): Promise<number> => {
  const mcNonce = options.mcNonce ?? randomBytes(20);
  const signature = options.signature ?? signNonces(pki.leafKey, options.nonce, mcNonce);
  return returnValue((await local(wsman, hbs('AdminSetup', 2, SETUP_PASSWORD, b64(mcNonce), options.algorithm ?? 2, b64(signature)))).body);
};

test('ACM as RPS: Get nonce, AddNextCertInChain leaf..root, AdminSetup signed over ConfigurationNonce || McNonce; SetMEBxPassword; Unprovision', async () => {
  const wsman = acmDevice();
  let nonce = await readNonce(wsman);
  const leaf = await pki.issueLeaf();
  const first = await local(wsman, hbs('AddNextCertInChain', b64(leaf), true, false));
  assert.deepEqual(tagSequence(first.body), tagSequence(fixture('ips/hostbasedsetup/addnextcertinchain.xml')));
  assert.equal(returnValue(first.body), 0);
  // RPS reads the service once, before the chain; any later read replaces the nonce.
  const progress = await local(wsman, hbs('Get'));
  assert.equal(textOf(progress.body, 'g:CertChainStatus'), '1', 'chain in progress');
  nonce = Buffer.from(textOf(progress.body, 'g:ConfigurationNonce') ?? '', 'base64');
  assert.equal(returnValue((await local(wsman, hbs('AddNextCertInChain', b64(pki.intermediate), false, false))).body), 0);
  assert.equal(returnValue((await local(wsman, hbs('AddNextCertInChain', b64(pki.root), false, true))).body), 0);
  assert.equal(wsman.state.get(CERTIFICATE_CHAIN).complete, true);
  const mcNonce = randomBytes(20);
  const reply = await local(wsman, hbs('AdminSetup', 2, SETUP_PASSWORD, b64(mcNonce), 2, b64(signNonces(pki.leafKey, nonce, mcNonce))));
  assert.equal(returnValue(reply.body), 0, reply.body);
  assert.deepEqual(tagSequence(reply.body), tagSequence(fixture('ips/hostbasedsetup/adminsetup.xml')));
  assert.deepEqual(provisioning(wsman), { state: 2, controlMode: 2 });
  assert.equal(textOf((await local(wsman, sac('Get'))).body, 'g:ProvisioningMode'), '1');
  assert.deepEqual(kinds(wsman), ['provisioning-changed']);

  const admin = (xml: string): Promise<{ body: string }> => wsman.call(xml, ['PT Administration'], 'admin');
  assert.equal(returnValue((await admin(sac('SetMEBXPassword', 'weak'))).body), 2054);
  assert.equal(returnValue((await admin(sac('SetMEBXPassword', 'Mebx-P4ss!'))).body), 0);
  assert.equal(wsman.state.get(PENDING_MEBX_PASSWORD), 'Mebx-P4ss!', 'staged for the AMT app');
  assert.equal(returnValue((await admin(sac('Unprovision', 1))).body), 0);
  assert.deepEqual(provisioning(wsman), { state: 0, controlMode: 0 });
  assert.equal(wsman.state.get(PROVISIONING_CERTIFICATE_HASHES).some((e) => !e.isDefault), false, 'administrator hashes removed');
  assert.deepEqual(wsman.state.get(PROVISIONING_DNS_SUFFIXES), { pki: '', network: [] });
  assert.equal(wsman.state.get(PENDING_MEBX_PASSWORD), undefined);
});

test('ACM refusals, each once: untrusted root, broken chain, wrong suffix, expired, no provisioning EKU, bad signature, wrong state, bad parameters', async () => {
  const wsman = acmDevice();
  const chain = async (leaf?: Uint8Array): Promise<Uint8Array[]> => [leaf ?? await pki.issueLeaf(), pki.intermediate, pki.root];
  const failure = (): string | undefined => wsman.state.get(CERTIFICATE_CHAIN).failure;

  assert.deepEqual(await addChain(wsman, [await stranger.issueLeaf(), stranger.intermediate, stranger.root]), [0, 0, 4]);
  assert.equal(failure(), 'untrusted-root');
  assert.deepEqual(await addChain(wsman, [await stranger.issueLeaf(), pki.intermediate]), [0, 4]);
  assert.equal(failure(), 'broken-chain');
  assert.deepEqual(await addChain(wsman, [await pki.issueLeaf(), pki.root]), [0, 4], 'intermediate left out');
  assert.equal(failure(), 'broken-chain');
  assert.deepEqual(await addChain(wsman, await chain(await pki.issueLeaf({ commonName: 'rps.elsewhere.example' }))), [0, 0, 4]);
  assert.equal(failure(), 'wrong-dns-suffix');
  const expired = await pki.issueLeaf({ notBefore: new Date(Date.now() - 30 * 86_400_000), notAfter: new Date(Date.now() - 86_400_000) });
  assert.deepEqual(await addChain(wsman, await chain(expired)), [0, 0, 4]);
  assert.equal(failure(), 'outside-validity');
  assert.deepEqual(await addChain(wsman, await chain(await pki.issueLeaf({ extendedKeyUsages: ['1.3.6.1.5.5.7.3.2'] }))), [0, 0, 4]);
  assert.equal(failure(), 'not-provisioning-certificate');
  assert.deepEqual(await addChain(wsman, [...await chain(), pki.root, pki.root, pki.root]), [0, 0, 0, 0, 0, 5], 'chain length');

  const garbage = await local(wsman, hbs('AddNextCertInChain', b64(randomBytes(300)), true, false));
  assert.equal(returnValue(garbage.body), 1, 'not a DER certificate');
  assert.equal(returnValue((await local(wsman, hbs('AddNextCertInChain', b64(pki.intermediate), false, false))).body), 1, 'the first must be the leaf');
  assert.deepEqual(await addChain(wsman, await chain(), LSA_REALMS, 'network'), [3, 3, 3], 'not from the host');

  let nonce = await readNonce(wsman);
  assert.equal(await adminSetup(wsman, { nonce }), 2, 'no complete chain');
  assert.deepEqual(await addChain(wsman, await chain()), [0, 0, 0]);
  assert.equal(returnValue((await local(wsman, hbs('AddNextCertInChain', b64(pki.root), false, true))).body), 3, 'the chain is complete');
  assert.equal(await adminSetup(wsman, { nonce, mcNonce: randomBytes(19) }), 3, 'McNonce is 20 bytes');
  assert.equal(await adminSetup(wsman, { nonce, algorithm: 1 }), 3, 'SigningAlgorithm 2 only');
  const stale = nonce;
  nonce = await readNonce(wsman);
  assert.equal(await adminSetup(wsman, { nonce: stale }), 5, 'signed over an old ConfigurationNonce');
  assert.equal(await adminSetup(wsman, { nonce }), 2, 'the chain was used up by the failed attempt');
  assert.deepEqual(await addChain(wsman, await chain()), [0, 0, 0]);
  const mcNonce = randomBytes(20);
  nonce = await readNonce(wsman);
  assert.equal(await adminSetup(wsman, { nonce, mcNonce, signature: signNonces(stranger.leafKey, nonce, mcNonce) }), 5, 'another key');
  assert.deepEqual(provisioning(wsman), { state: 0, controlMode: 0 });
  assert.deepEqual(wsman.device.actions, []);

  assert.equal(returnValue((await local(wsman, hbs('Setup', 2, SETUP_PASSWORD))).body), 0);
  assert.equal(await adminSetup(wsman, { nonce: await readNonce(wsman) }), 2, 'already provisioned');
});

test('UpgradeClientToAdmin: CCM → ACM with the admin credentials over the network', async () => {
  const wsman = acmDevice();
  assert.equal(returnValue((await local(wsman, hbs('Setup', 2, SETUP_PASSWORD))).body), 0);
  const realms = ['PT Administration', 'General Info'];
  const nonce = Buffer.from(textOf((await wsman.call(hbs('Get'), realms)).body, 'g:ConfigurationNonce') ?? '', 'base64');
  assert.deepEqual(await addChain(wsman, [await pki.issueLeaf(), pki.intermediate, pki.root], realms, 'network'), [0, 0, 0]);
  const mcNonce = randomBytes(20);
  const reply = await wsman.call(hbs('UpgradeClientToAdmin', b64(mcNonce), 2, b64(signNonces(pki.leafKey, nonce, mcNonce))), realms);
  assert.equal(returnValue(reply.body), 0, reply.body);
  assert.deepEqual(tagSequence(reply.body), tagSequence(fixture('ips/hostbasedsetup/upgradeclienttoadmin.xml')));
  assert.deepEqual(provisioning(wsman), { state: 2, controlMode: 2 });
  assert.equal(returnValue((await wsman.call(hbs('UpgradeClientToAdmin', b64(mcNonce), 2, b64(new Uint8Array(256))), realms)).body), 2, 'already admin');
});

const KEPT = defineSlot('test/kept-over-unprovision', () => 'factory', { unprovision: 'keep' });

test('Unprovision: every other slot back to factory, kept slots kept; refused in pre-provisioning and for unknown modes; CCM SetMEBxPassword refused', async () => {
  const wsman = acmDevice();
  const admin = (xml: string): Promise<{ body: string }> => wsman.call(xml, ['PT Administration'], 'admin');
  assert.equal(returnValue((await admin(sac('Unprovision', 1))).body), 16, 'nothing to unprovision');
  assert.equal(returnValue((await local(wsman, hbs('Setup', 2, SETUP_PASSWORD))).body), 0);
  assert.equal(returnValue((await admin(sac('SetMEBXPassword', 'Mebx-P4ss!'))).body), 16, 'ACM only');
  wsman.state.set(GENERAL_SETTINGS, { ...wsman.state.get(GENERAL_SETTINGS), HostName: 'renamed' });
  wsman.state.set(KEPT, 'changed');
  assert.equal(returnValue((await admin(sac('Unprovision', 3))).body), 36);
  assert.equal(returnValue((await admin(sac('Unprovision', 0))).body), 0);
  assert.equal(wsman.state.get(GENERAL_SETTINGS).HostName, '');
  assert.equal(wsman.state.get(KEPT), 'changed');
  assert.deepEqual(provisioning(wsman), { state: 0, controlMode: 0 });
  assert.equal(returnValue((await local(wsman, hbs('Setup', 2, SETUP_PASSWORD))).body), 0, 'and activation works again');
});

test('IPS_ProvisioningRecordLog has the recorded shape and one record once activated', async () => {
  const wsman = createTestWsman();
  const get = (): Promise<{ body: string }> => local(wsman, envelope({ action: ACTION.get, resourceUri: `${SCHEMA_BASE.IPS}IPS_ProvisioningRecordLog` }));
  const before = await get();
  assert.deepEqual(tagSequence(before.body), tagSequence(fixture('ips/provisioningrecordlog/get.xml')));
  assert.deepEqual(rootNamespaces(before.body), rootNamespaces(fixture('ips/provisioningrecordlog/get.xml')));
  assert.equal(textOf(before.body, 'g:CurrentNumberOfRecords'), '0');
  assert.equal(returnValue((await local(wsman, hbs('Setup', 2, SETUP_PASSWORD))).body), 0);
  assert.equal(textOf((await get()).body, 'g:CurrentNumberOfRecords'), '1');
});

test('AMT_ProvisioningCertificateHash lists the hash table; disabling the test root with Put makes its chain untrusted', async () => {
  const wsman = acmDevice();
  const uri = `${SCHEMA_BASE.AMT}AMT_ProvisioningCertificateHash`;
  const context = textOf((await local(wsman, envelope({ action: ACTION.enumerate, resourceUri: uri, body: ENUMERATE_BODY }))).body, 'g:EnumerationContext') ?? '';
  const pulled = await local(wsman, envelope({ action: ACTION.pull, resourceUri: uri, body: pullBody(context) }));
  const hashes = wsman.state.get(PROVISIONING_CERTIFICATE_HASHES);
  assert.equal([...pulled.body.matchAll(/<h:AMT_ProvisioningCertificateHash>/g)].length, hashes.length);
  assert.ok(pulled.body.includes(`<h:HashData>${b64(pki.rootSha256)}</h:HashData><h:HashType>2</h:HashType>`));
  const id = `Intel(r) AMT: Certificate Hash ${hashes.length - 1}`;
  const body = `<h:AMT_ProvisioningCertificateHash xmlns:h="${uri}"><h:Enabled>false</h:Enabled><h:InstanceID>${id}</h:InstanceID></h:AMT_ProvisioningCertificateHash>`;
  assert.match((await local(wsman, envelope({ action: ACTION.put, resourceUri: uri, selectors: { InstanceID: id }, body }))).body, /AccessDenied/, 'Put needs PT Administration');
  const put = await wsman.call(envelope({ action: ACTION.put, resourceUri: uri, selectors: { InstanceID: id }, body }), ['PT Administration']);
  assert.equal(textOf(put.body, 'g:Enabled'), 'false');
  assert.deepEqual(await addChain(wsman, [await pki.issueLeaf(), pki.intermediate, pki.root]), [0, 0, 4]);
  assert.equal(wsman.state.get(CERTIFICATE_CHAIN).failure, 'untrusted-root');
});
