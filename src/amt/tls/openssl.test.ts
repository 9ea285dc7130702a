// A real peer: Debian openssl s_client against the TLS port: protocol and cipher per profile, the device's certificate,
// TLS 1.0/1.1 refused unless the legacy profile is committed, commit affects new connections only, mutual TLS.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type TLSSocket } from 'node:tls';
import { listenAmtHttp, type AmtHttpListener } from '../http/server.js';
import { createTestAuth } from '../auth/testing.js';
import { runPeer } from '../peer-process.js';
import { certificateFingerprints, generateDeviceCertificate, loadOrCreateDeviceCertificate, MemoryCertificateStore, TlsSettings, type DeviceCredential } from './index.js';
import { createTestCa, issueClientCertificate } from './testing.js';

let listener: AmtHttpListener;
let settings: TlsSettings;
let credential: DeviceCredential;
const dir = mkdtempSync(join(tmpdir(), 'vme-amt-tls-'));

before(async () => {
  credential = await loadOrCreateDeviceCertificate(new MemoryCertificateStore(), { commonName: 'vme-amt-test' });
  settings = new TlsSettings({ credential });
  listener = await listenAmtHttp({ host: '127.0.0.1', httpPort: 0, tlsPort: 0, tls: settings, auth: createTestAuth().auth, handler: () => ({ kind: 'wsman', status: 200, body: '<ok/>' }) });
});
after(async () => {
  await listener.close();
  rmSync(dir, { recursive: true, force: true });
});

const sClient = (args: readonly string[]): ReturnType<typeof runPeer> =>
  runPeer('openssl', ['s_client', '-connect', `127.0.0.1:${listener.tls?.port ?? 0}`, '-servername', 'localhost', ...args]);
const field = (output: string, name: string): string | undefined => new RegExp(`${name}: *(\\S+)`).exec(output)?.[1];
const firstPem = (output: string): string => /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(output)?.[0] ?? '';

test('default profile: TLS 1.3 handshake, and with -tls1_2 the first AMT suite (ECDHE-RSA-AES128-GCM-SHA256)', async () => {
  const tls13 = await sClient(['-brief']);
  assert.equal(tls13.code, 0, tls13.stderr);
  assert.equal(field(tls13.stderr, 'Protocol version'), 'TLSv1.3');
  const tls12 = await sClient(['-brief', '-tls1_2']);
  assert.equal(field(tls12.stderr, 'Protocol version'), 'TLSv1.2');
  assert.equal(field(tls12.stderr, 'Ciphersuite'), 'ECDHE-RSA-AES128-GCM-SHA256');
});

test('RSA key exchange suites as MeshCentral offers them ("RSA+AES") are accepted', async () => {
  for (const cipher of ['AES128-SHA', 'AES256-SHA', 'AES128-GCM-SHA256']) {
    const result = await sClient(['-brief', '-tls1_2', '-cipher', `${cipher}:@SECLEVEL=0`]);
    assert.equal(field(result.stderr, 'Ciphersuite'), cipher, result.stderr);
  }
});

test('the presented certificate is the device certificate: RSA-2048, self-signed, SANs, fingerprint', async () => {
  const result = await sClient(['-showcerts']);
  const presented = new X509Certificate(firstPem(result.stdout));
  assert.equal(presented.fingerprint256, certificateFingerprints(credential).sha256);
  assert.equal(presented.publicKey.asymmetricKeyDetails?.modulusLength, 2048);
  assert.match(presented.subject, /CN=vme-amt-test/);
  assert.equal(presented.subject, presented.issuer);
  assert.match(presented.subjectAltName ?? '', /DNS:localhost.*IP Address:127\.0\.0\.1/);
});

test('TLS 1.0 and 1.1 are refused by the default profile; after staging and committing amt-legacy they are accepted', async () => {
  const legacy = ['-brief', '-cipher', 'DEFAULT:@SECLEVEL=0'];
  for (const version of ['-tls1', '-tls1_1']) {
    const refused = await sClient([...legacy, version]);
    assert.notEqual(refused.code, 0, `${version} must be refused`);
    assert.match(refused.stderr, /alert protocol version|unsupported protocol|no protocols available/i);
  }
  settings.stage({ profile: 'amt-legacy' });
  assert.notEqual((await sClient([...legacy, '-tls1_1'])).code, 0, 'staged, not committed: still refused');
  settings.commit();
  try {
    const accepted = await sClient([...legacy, '-tls1_1']);
    assert.equal(accepted.code, 0, accepted.stderr);
    assert.equal(field(accepted.stderr, 'Protocol version'), 'TLSv1.1');
  } finally {
    settings.stage({ profile: 'amt-16' });
    settings.commit();
  }
});

function openClient(port: number): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, rejectUnauthorized: false }, () => resolve(socket));
    socket.once('error', reject);
  });
}

function roundTrip(socket: TLSSocket): Promise<string> {
  return new Promise((resolve) => {
    socket.once('data', (data: Buffer) => resolve(data.toString('latin1')));
    socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
  });
}

test('a commit changes new connections only: an open connection keeps its certificate and keeps working', async () => {
  const port = listener.tls?.port ?? 0;
  const old = await openClient(port);
  const next = await generateDeviceCertificate({ commonName: 'vme-amt-next' });
  settings.stage({ credential: next });
  try {
    const beforeCommit = await openClient(port);
    assert.equal(beforeCommit.getPeerCertificate().fingerprint256, certificateFingerprints(credential).sha256, 'staged only');
    beforeCommit.destroy();
    settings.commit();
    const fresh = await openClient(port);
    assert.equal(fresh.getPeerCertificate().fingerprint256, certificateFingerprints(next).sha256);
    fresh.destroy();
    assert.equal(old.getPeerCertificate().fingerprint256, certificateFingerprints(credential).sha256);
    assert.match(await roundTrip(old), /^HTTP\/1\.1 303 See Other/);
  } finally {
    old.destroy();
    settings.stage({ credential });
    settings.commit();
  }
});

test('mutual TLS: a client without a certificate is refused; one issued by a trusted root gets in; TrustedCN is enforced', async () => {
  const ca = await createTestCa();
  const client = await issueClientCertificate(ca, 'console.example');
  writeFileSync(join(dir, 'client.pem'), client.certificatePem);
  writeFileSync(join(dir, 'client.key'), client.privateKeyPem);
  const stranger = await issueClientCertificate(await createTestCa('other CA'), 'console.example');
  writeFileSync(join(dir, 'stranger.pem'), stranger.certificatePem);
  writeFileSync(join(dir, 'stranger.key'), stranger.privateKeyPem);
  settings.stage({ mutualAuthentication: true, trustedRoots: [ca.certificatePem], trustedCommonNames: ['console.example'] });
  settings.commit();
  try {
    const none = await sClient(['-brief', '-tls1_2']);
    assert.notEqual(none.code, 0, 'no client certificate');
    assert.match(none.stderr, /alert|handshake failure/i);
    const foreign = await sClient(['-brief', '-tls1_2', '-cert', join(dir, 'stranger.pem'), '-key', join(dir, 'stranger.key')]);
    assert.notEqual(foreign.code, 0, 'certificate from an untrusted CA');
    const trusted = await sClient(['-brief', '-tls1_2', '-cert', join(dir, 'client.pem'), '-key', join(dir, 'client.key')]);
    assert.equal(trusted.code, 0, trusted.stderr);
    settings.stage({ trustedCommonNames: ['someone.else'] });
    settings.commit();
    const wrongName = await runPeer('openssl', ['s_client', '-connect', `127.0.0.1:${listener.tls?.port ?? 0}`, '-tls1_2', '-quiet', '-cert', join(dir, 'client.pem'), '-key', join(dir, 'client.key')], { input: 'GET / HTTP/1.1\r\n\r\n' });
    assert.doesNotMatch(wrongName.stdout, /HTTP\/1\.1/, 'CN not in TrustedCN: closed before any reply');
  } finally {
    settings.stage({ mutualAuthentication: false, trustedRoots: [], trustedCommonNames: [] });
    settings.commit();
  }
});

test('settings are validated at commit and a refused commit keeps the running settings', () => {
  const generation = settings.active.generation;
  settings.stage({ mutualAuthentication: true, trustedRoots: [] });
  assert.throws(() => settings.commit(), { code: 'VME_ERR_AMT_TLS_CONFIG' });
  settings.stage({ mutualAuthentication: false, credential: { ...credential, privateKeyPem: 'junk' } });
  assert.throws(() => settings.commit(), { code: 'VME_ERR_AMT_TLS_CONFIG' });
  settings.discard();
  assert.equal(settings.active.generation, generation);
  assert.equal(settings.staged, settings.active.config);
});

test('first boot generates and saves the certificate once; later boots load it', async () => {
  const store = new MemoryCertificateStore();
  const first = await loadOrCreateDeviceCertificate(store);
  const second = await loadOrCreateDeviceCertificate(store);
  assert.equal(store.saves, 1);
  assert.equal(second.certificatePem, first.certificatePem);
});
