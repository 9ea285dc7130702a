// The ACM chain and nonce-signature checks from the attacker's side: every rule broken once.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes, X509Certificate } from 'node:crypto';
import type { CertificateHashEntry } from '../../amt-state/index.js';
import { networkAdminHA1 } from './admin-password.js';
import { parseChainCertificate, type ChainCertificate } from './certificate.js';
import { underDnsSuffix, verifyProvisioningChain, type ProvisioningTrust } from './chain.js';
import { verifyNonceSignature } from './signature.js';
import { createTestPki, signNonces, type TestPki } from './testing.js';

let pki: TestPki;
let other: TestPki;
const NOW = Date.now();
const entry = (hash: Uint8Array, over: Partial<CertificateHashEntry> = {}): CertificateHashEntry =>
  ({ handle: 9, name: 'test root', algorithm: 'sha256', hash, isDefault: false, isActive: true, ...over });
const parse = (der: Uint8Array): ChainCertificate => parseChainCertificate(der) ?? assert.fail('not parsed');
const trust = (over: Partial<ProvisioningTrust> = {}): ProvisioningTrust => ({ hashes: [entry(pki.rootSha256)], dnsSuffixes: ['vme.example'], ...over });
const chainOf = async (leaf?: Uint8Array): Promise<ChainCertificate[]> => [parse(leaf ?? await pki.issueLeaf()), parse(pki.intermediate), parse(pki.root)];

before(async () => {
  [pki, other] = await Promise.all([createTestPki(), createTestPki()]);
});

test('a good chain passes; each broken rule is named', async () => {
  assert.deepEqual(verifyProvisioningChain(await chainOf(), trust(), NOW), { ok: true });
  const fail = (chain: ChainCertificate[], t: ProvisioningTrust, failure: string): void =>
    assert.deepEqual(verifyProvisioningChain(chain, t, NOW), { ok: false, failure });
  fail([parse(await other.issueLeaf()), parse(pki.intermediate), parse(pki.root)], trust(), 'broken-chain');
  fail([parse(await pki.issueLeaf()), parse(pki.root)], trust(), 'broken-chain');
  fail([parse(await pki.issueLeaf()), parse(pki.intermediate), parse(pki.intermediate)], trust(), 'broken-chain');
  fail([parse(await pki.issueLeaf()), parse(await pki.issueLeaf())], trust(), 'broken-chain');
  fail([], trust(), 'broken-chain');
  fail(await chainOf(), trust({ hashes: [entry(other.rootSha256)] }), 'untrusted-root');
  fail(await chainOf(), trust({ hashes: [entry(pki.rootSha256, { isActive: false })] }), 'untrusted-root');
  fail(await chainOf(await pki.issueLeaf({ notBefore: new Date(NOW - 10 * 86_400_000), notAfter: new Date(NOW - 86_400_000) })), trust(), 'outside-validity');
  fail(await chainOf(await pki.issueLeaf({ notBefore: new Date(NOW + 86_400_000) })), trust(), 'outside-validity');
  fail(await chainOf(await pki.issueLeaf({ extendedKeyUsages: ['1.3.6.1.5.5.7.3.2'] })), trust(), 'not-provisioning-certificate');
  fail(await chainOf(await pki.issueLeaf({ commonName: 'rps.evil.example' })), trust(), 'wrong-dns-suffix');
  fail(await chainOf(), trust({ dnsSuffixes: [''] }), 'wrong-dns-suffix');
});

test('the root may be trusted by a SHA-1 or SHA-384 entry; lengths must match', async () => {
  const digest = (algorithm: string): Uint8Array => Uint8Array.from(createHash(algorithm).update(pki.root).digest());
  assert.equal(verifyProvisioningChain(await chainOf(), trust({ hashes: [entry(digest('sha1'), { algorithm: 'sha1' })] }), NOW).ok, true);
  assert.equal(verifyProvisioningChain(await chainOf(), trust({ hashes: [entry(digest('sha384'), { algorithm: 'sha384' })] }), NOW).ok, true);
  assert.equal(verifyProvisioningChain(await chainOf(), trust({ hashes: [entry(pki.rootSha256.subarray(0, 20), { algorithm: 'sha1' })] }), NOW).ok, false);
});

test('DNS suffix: equal or a dot boundary, case-insensitive; no suffix trusts nothing', async () => {
  const leaf = parse(await pki.issueLeaf({ commonName: 'RPS.Corp.VME.example' }));
  assert.ok(underDnsSuffix(leaf, ['vme.example']));
  assert.ok(underDnsSuffix(leaf, ['.corp.vme.example.']));
  assert.ok(underDnsSuffix(leaf, ['rps.corp.vme.example']));
  assert.ok(!underDnsSuffix(leaf, ['me.example']), 'not on a label boundary');
  assert.ok(!underDnsSuffix(leaf, []));
});

test('only one DER certificate parses: PEM, garbage, trailing bytes and oversized input are refused', () => {
  const pem = new X509Certificate(pki.root).toString();
  assert.equal(parseChainCertificate(Buffer.from(pem)), undefined);
  assert.equal(parseChainCertificate(Uint8Array.of(0x30, 0x03, 1, 2, 3)), undefined);
  assert.equal(parseChainCertificate(new Uint8Array()), undefined);
  assert.equal(parseChainCertificate(Uint8Array.from([...pki.root, 0])), undefined);
  assert.equal(parseChainCertificate(new Uint8Array(20_000).fill(0x30)), undefined);
  assert.deepEqual(parse(pki.root).commonNames, ['vme test provisioning root']);
});

test('the nonce signature verifies only with the leaf key over firmware nonce || McNonce', async () => {
  const leaf = parse(await pki.issueLeaf());
  const fw = randomBytes(20);
  const mc = randomBytes(20);
  assert.ok(verifyNonceSignature(leaf, fw, mc, signNonces(pki.leafKey, fw, mc)));
  assert.ok(!verifyNonceSignature(leaf, fw, mc, signNonces(pki.leafKey, mc, fw)), 'order matters');
  assert.ok(!verifyNonceSignature(leaf, fw, mc, signNonces(other.leafKey, fw, mc)), 'another key');
  assert.ok(!verifyNonceSignature(leaf, fw, mc, new Uint8Array()));
  assert.ok(!verifyNonceSignature(leaf, fw, mc, randomBytes(256)));
});

test('NetworkAdminPassword: type 2 and 32 hex characters, lower-cased', () => {
  const hex = 'ABCDEF0123456789abcdef0123456789';
  assert.equal(networkAdminHA1(2, hex), hex.toLowerCase());
  assert.equal(networkAdminHA1(1, hex), undefined);
  assert.equal(networkAdminHA1(2, hex.slice(1)), undefined);
  assert.equal(networkAdminHA1(2, `${hex.slice(1)}g`), undefined);
  assert.equal(networkAdminHA1(2, Buffer.from(hex, 'hex').toString('base64')), undefined);
  assert.equal(networkAdminHA1(2, undefined), undefined);
});
