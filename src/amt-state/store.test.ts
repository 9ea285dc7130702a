// Tests of the AMT state store on a real in-memory NVRAM: defaults, persistence, atomic updates,
// typed errors for corrupt values, the hash table, and unprovision.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { rootCertificates } from 'node:tls';
import { AMT_STATE_KEYS, AmtStateStore, DEFAULT_CERTIFICATE_HASHES, DEFAULT_MEBX, isAmtStateError } from './index.js';
import { FaultInjectingStore, MemoryCounter, MemoryPartitionStore, NvramFileSystem, SimulatedPowerLoss, type PartitionStore } from '../kernel/nvram/index.js';
import { TEST_SECRET, nvramRig, seededRandom } from './testing.js';

const code = (c: string) => (e: unknown) => isAmtStateError(e) && e.code === c;
const text = (s: string) => new TextEncoder().encode(s);

async function openFresh() {
  const rig = nvramRig();
  const fs = rig.mount();
  const nvram = fs.namespace('amt');
  return { rig, fs, nvram, store: await AmtStateStore.open(nvram, { random: seededRandom(7) }) };
}

test('a blank namespace opens in pre-provisioning with the defaults, in one commit', async () => {
  const { fs, store } = await openFresh();
  assert.equal(fs.stats().sequence, 2); // format record + the one initialisation commit
  assert.deepEqual(await store.provisioning(), { state: 'pre', mode: 'none' });
  assert.equal(await store.dnsSuffix(), '');
  assert.deepEqual(await store.hostBasedSetup(), { enabled: true, allowClientControl: true, allowAdminControl: true });
  assert.deepEqual(await store.mebx(), DEFAULT_MEBX);
  assert.equal(await store.session(), undefined);
  const hashes = await store.certificateHashes();
  assert.equal(hashes.length, DEFAULT_CERTIFICATE_HASHES.length);
  assert.ok(hashes.every((h, i) => h.handle === i && h.isDefault && h.isActive && h.algorithm === 'sha256' && h.hash.length === 32));
  const account = await store.localSystemAccount();
  assert.match(account.username, /^vme-lsa-[0-9a-f]{8}$/);
  assert.equal(account.password.length, 32);
  assert.match(account.password, /[A-Z]/);
  assert.match(account.password, /[a-z]/);
  assert.match(account.password, /[0-9]/);
  assert.match(account.password, /[^A-Za-z0-9]/);
});

test('state persists across remounts and reopening does not regenerate the account', async () => {
  const { rig, store } = await openFresh();
  const account = await store.localSystemAccount();
  await store.update({ provisioning: { state: 'post', mode: 'client' }, dnsSuffix: 'corp.example.com' });
  const again = await AmtStateStore.open(rig.mount().namespace('amt'), { random: seededRandom(99) });
  assert.deepEqual(await again.localSystemAccount(), account);
  assert.deepEqual(await again.provisioning(), { state: 'post', mode: 'client' });
  assert.equal(await again.dnsSuffix(), 'corp.example.com');
});

test('an update is one commit; an invalid one writes nothing', async () => {
  const { fs, store } = await openFresh();
  const before = fs.stats().sequence;
  await store.update({ provisioning: { state: 'in', mode: 'none' }, dnsSuffix: 'a.example', mebx: { ...DEFAULT_MEBX, userConsent: 'all' } });
  assert.equal(fs.stats().sequence, before + 1);
  await assert.rejects(() => store.update({ dnsSuffix: 'b.example', provisioning: { state: 'post', mode: 'none' } }), code('VME_ERR_AMT_STATE_ARGUMENT'));
  await assert.rejects(() => store.update({ dnsSuffix: 'bad suffix!' }), code('VME_ERR_AMT_STATE_ARGUMENT'));
  await assert.rejects(() => store.update({ provisioning: { state: 'pre', mode: 'admin' } }), code('VME_ERR_AMT_STATE_ARGUMENT'));
  assert.equal(fs.stats().sequence, before + 1);
  assert.equal(await store.dnsSuffix(), 'a.example');
  assert.equal((await store.mebx()).userConsent, 'all');
  await store.update({ dnsSuffix: null });
  assert.equal(await store.dnsSuffix(), '');
});

test('corrupt stored values raise VME_ERR_AMT_STATE_CORRUPT naming the key', async () => {
  const cases: [string, Uint8Array][] = [
    [AMT_STATE_KEYS.provisioning, text('{"state":"sideways","mode":"none"}')],
    [AMT_STATE_KEYS.provisioning, text('not json')],
    [AMT_STATE_KEYS.provisioning, Uint8Array.of(0xff, 0xfe)],
    [AMT_STATE_KEYS.account, text('{"username":"","password":"x"}')],
    [AMT_STATE_KEYS.mebx, text('{"amtEnabled":true}')],
    [AMT_STATE_KEYS.hashPrefix + '0', text('{"name":"x","algorithm":"sha256","hash":"00","isDefault":true,"isActive":true}')],
    [AMT_STATE_KEYS.hashPrefix + 'x1', text('{}')],
    [AMT_STATE_KEYS.dnsSuffix, text('a'.repeat(65))],
  ];
  for (const [key, value] of cases) {
    const { nvram, store } = await openFresh();
    nvram.put(key, value);
    const read = () => Promise.all([store.provisioning(), store.localSystemAccount(), store.mebx(), store.certificateHashes(), store.dnsSuffix()]);
    await assert.rejects(read, (e) => code('VME_ERR_AMT_STATE_CORRUPT')(e) && (e as { details: { key: string } }).details.key === key, key);
  }
});

test('a namespace holding another format is refused; a missing record is corrupt', async () => {
  const { rig, nvram } = await openFresh();
  nvram.put(AMT_STATE_KEYS.format, text('vme-amt-state/9'));
  await assert.rejects(() => AmtStateStore.open(rig.mount().namespace('amt')), code('VME_ERR_AMT_STATE_CORRUPT'));
  const fresh = await openFresh();
  fresh.nvram.delete(AMT_STATE_KEYS.provisioning);
  await assert.rejects(() => fresh.store.provisioning(), code('VME_ERR_AMT_STATE_CORRUPT'));
});

test('hash table: add, deactivate, delete, limits and bad hashes', async () => {
  const { store } = await openFresh();
  const handle = await store.addCertificateHash({ name: 'Corp Root', algorithm: 'sha384', hash: new Uint8Array(48).fill(0xab) });
  assert.equal(handle, DEFAULT_CERTIFICATE_HASHES.length);
  assert.deepEqual({ ...(await store.certificateHash(handle)), hash: undefined }, { handle, name: 'Corp Root', algorithm: 'sha384', hash: undefined, isDefault: false, isActive: true });
  await store.setCertificateHashActive(0, false);
  assert.equal((await store.certificateHash(0))?.isActive, false);
  await store.deleteCertificateHash(handle);
  assert.equal(await store.certificateHash(handle), undefined);
  await assert.rejects(() => store.deleteCertificateHash(handle), code('VME_ERR_AMT_STATE_ARGUMENT'));
  await assert.rejects(() => store.addCertificateHash({ name: 'x', algorithm: 'sha256', hash: new Uint8Array(20) }), code('VME_ERR_AMT_STATE_ARGUMENT'));
  await assert.rejects(() => store.addCertificateHash({ name: '', algorithm: 'sha1', hash: new Uint8Array(20) }), code('VME_ERR_AMT_STATE_ARGUMENT'));
  while ((await store.certificateHashes()).length < 33) await store.addCertificateHash({ name: 'filler', algorithm: 'sha1', hash: new Uint8Array(20) });
  await assert.rejects(() => store.addCertificateHash({ name: 'one too many', algorithm: 'sha1', hash: new Uint8Array(20) }), code('VME_ERR_AMT_STATE_ARGUMENT'));
});

test('unprovision returns to pre-provisioning in one commit and wipes secrets', async () => {
  const { fs, nvram, store } = await openFresh();
  const account = await store.localSystemAccount();
  await store.update({
    provisioning: { state: 'post', mode: 'client' }, dnsSuffix: 'corp.example',
    session: { serverHashAlgorithm: 'sha256', serverCertificateHash: new Uint8Array(32), hostVpnEnabled: false, dnsSuffixes: [], startedAt: 1 },
    amtCertificateHash: { algorithm: 'sha256', hash: new Uint8Array(32).fill(1) },
    mebx: { ...DEFAULT_MEBX, userConsent: 'none' },
  });
  nvram.put('secret/admin-ha1', text('00112233'));
  await store.addCertificateHash({ name: 'Corp Root', algorithm: 'sha256', hash: new Uint8Array(32).fill(2) });
  await store.setCertificateHashActive(1, false);
  await store.deleteCertificateHash(2);
  const before = fs.stats().sequence;
  await store.unprovision();
  assert.equal(fs.stats().sequence, before + 1);
  assert.deepEqual(await store.provisioning(), { state: 'pre', mode: 'none' });
  assert.equal(await store.dnsSuffix(), '');
  assert.equal(await store.session(), undefined);
  assert.equal(await store.amtCertificateHash(), undefined);
  assert.deepEqual(nvram.list('secret/'), []);
  assert.notDeepEqual(await store.localSystemAccount(), account);
  assert.equal((await store.mebx()).userConsent, 'none');
  const hashes = await store.certificateHashes();
  assert.equal(hashes.length, DEFAULT_CERTIFICATE_HASHES.length);
  assert.ok(hashes.every((h) => h.isDefault && h.isActive));
});

test('the default hashes are the SHA-256 of the named roots in the Node.js root store', () => {
  const fingerprints = new Map(rootCertificates.map((pem) => {
    const certificate = new X509Certificate(pem);
    return [certificate.fingerprint256.replace(/:/g, '').toLowerCase(), certificate.subject] as const;
  }));
  for (const entry of DEFAULT_CERTIFICATE_HASHES) {
    const subject = fingerprints.get(entry.sha256);
    assert.ok(subject !== undefined, `${entry.name} not in this Node.js root store`);
    const names = entry.name.split(' - ');
    assert.ok(names.every((part) => subject.includes(part.replace(/ CA$/, ''))), `${entry.name} vs ${subject}`);
  }
});

test('a power loss at any point of unprovision leaves the old state or the new one, never a mix', async () => {
  const rig = nvramRig(0x8000);
  const store = await AmtStateStore.open(rig.mount().namespace('amt'), { random: seededRandom(3) });
  await store.update({ provisioning: { state: 'post', mode: 'client' }, dnsSuffix: 'corp.example' });
  const contents = rig.store.read(0, rig.store.size);
  const counterValue = rig.counter.read();
  let completedBoth = false;
  for (let failAfter = 0; !completedBoth; failAfter++) {
    const inner = new MemoryPartitionStore(rig.store.size, { sectorSize: 4096, nor: true, contents });
    const counter = new MemoryCounter(counterValue);
    const faulty = new FaultInjectingStore(inner, { failAfter, tornFraction: 0.5 });
    const mount = (s: PartitionStore) => NvramFileSystem.mount({ store: s, secret: TEST_SECRET, counter });
    try {
      await (await AmtStateStore.open(mount(faulty).namespace('amt'))).unprovision();
      completedBoth = true;
    } catch (e) {
      assert.ok(e instanceof SimulatedPowerLoss, String(e));
    }
    const after = await AmtStateStore.open(mount(inner).namespace('amt'));
    const view = { provisioning: await after.provisioning(), suffix: await after.dnsSuffix() };
    const old = { provisioning: { state: 'post', mode: 'client' }, suffix: 'corp.example' };
    const fresh = { provisioning: { state: 'pre', mode: 'none' }, suffix: '' };
    assert.ok(JSON.stringify(view) === JSON.stringify(old) || JSON.stringify(view) === JSON.stringify(fresh), `failAfter ${failAfter}: ${JSON.stringify(view)}`);
    if (completedBoth) assert.deepEqual(view, fresh);
  }
});
