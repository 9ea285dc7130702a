// Certificates and TLS over WS-Man (issue 5 §1, §3.7) with requests built by
// @open-amt-cloud-toolkit/wsman-messages, in the RPS/MeshCentral order (brief §3.11): trusted root,
// RSA key generated in the device, a null-signed CSR signed by AMT (checked by @peculiar/x509 and
// openssl), the CA's certificate added, the TLS credential context and settings staged, committed,
// and a real `openssl s_client` mutual-TLS handshake against TlsSettings built from the result.
import 'reflect-metadata';
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey, X509Certificate, webcrypto } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';
import { listenAmtHttp } from '../src/amt/http/index.js';
import { createTestAuth } from '../src/amt/auth/testing.js';
import { runPeer } from '../src/amt/peer-process.js';
import { generateDeviceCertificate, TlsSettings } from '../src/amt/tls/index.js';
import { createTestCa, issueClientCertificate } from '../src/amt/tls/testing.js';
import {
  acceptsNonSecure, activeTlsConfig, CERTIFICATE_STORE, checkStagedTls, commitStagedTls, resetCertificates, tlsEnabled,
} from '../src/amt/wsman/classes/group-certificates.js';
import { ACTION, createTestWsman, envelope, rootNamespaces, tagSequence, textOf, type TestWsman } from '../src/amt/wsman/testing.js';

interface MessageSet { [service: string]: { [call: string]: ((...args: unknown[]) => string) | undefined } | undefined }
const wsmanMessages = createRequire(import.meta.url)('@open-amt-cloud-toolkit/wsman-messages') as Record<'AMT', { Messages: new () => MessageSet }>;
const amt = new wsmanMessages.AMT.Messages();
const msg = (service: string, name: string, ...args: unknown[]): string => {
  const fn = amt[service]?.[name];
  if (fn === undefined) throw new Error(`wsman-messages has no ${service}.${name}`);
  return fn(...args);
};

const fixture = (path: string): string => readFileSync(new URL(`../../../shared/fixtures/amt-responses/${path}`, import.meta.url), 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'vme-wsman-certs-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const RSA = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 } as const;
const b64 = (bytes: Uint8Array | ArrayBuffer): string => Buffer.from(bytes instanceof ArrayBuffer ? new Uint8Array(bytes) : bytes).toString('base64');
const unb64 = (text: string | undefined): Buffer => Buffer.from(text ?? '', 'base64');
const returnValue = (body: string): number => Number(textOf(body, 'g:ReturnValue'));
const subcode = (body: string): string | undefined => /<a:Subcode><a:Value>([^<]*)</.exec(body)?.[1];
const selectorOf = (body: string): string | undefined => /<c:Selector Name="InstanceID">([^<]*)</.exec(body)?.[1];
const keyPairEpr = (id: string): string =>
  `<a:Address>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</a:Address><a:ReferenceParameters><w:ResourceURI>http://intel.com/wbem/wscim/1/amt-schema/1/AMT_PublicPrivateKeyPair</w:ResourceURI><w:SelectorSet><w:Selector Name="InstanceID">${id}</w:Selector></w:SelectorSet></a:ReferenceParameters>`;

/** Every reply body and every private key the stores held, to check afterwards that no private key ever left. */
const replies: string[] = [];
const privateKeys = new Map<string, Uint8Array>();
async function send(wsman: TestWsman, xml: string): Promise<{ status: number; body: string }> {
  const reply = await wsman.call(xml);
  replies.push(reply.body);
  for (const pair of wsman.state.get(CERTIFICATE_STORE).keyPairs) privateKeys.set(b64(pair.privateKey), pair.privateKey);
  return reply;
}

async function pull(wsman: TestWsman, service: string): Promise<string> {
  const context = textOf((await send(wsman, msg(service, 'Enumerate'))).body, 'g:EnumerationContext');
  const pulled = await send(wsman, msg(service, 'Pull', context));
  assert.equal(pulled.status, 200, pulled.body);
  return pulled.body;
}

const hashOf = (csr: x509.Pkcs10CertificateRequest): string => (csr.signatureAlgorithm as unknown as { hash: { name: string } }).hash.name;
const items = (body: string, cls: string): string[] => [...body.matchAll(new RegExp(`<h:${cls}>.*?</h:${cls}>`, 'g'))].map((m) => m[0]);

/** A PKCS#10 request for `publicKey` whose signature is not by its key (RPS/EA send such "null-signed" requests). */
async function nullSignedRequest(publicKeyPkcs1: Buffer, subject: string): Promise<x509.Pkcs10CertificateRequest> {
  const spki = createPublicKey({ key: publicKeyPkcs1, format: 'der', type: 'pkcs1' }).export({ type: 'spki', format: 'der' });
  const publicKey = await webcrypto.subtle.importKey('spki', spki, RSA, true, ['verify']);
  const other = await webcrypto.subtle.generateKey(RSA, true, ['sign', 'verify']);
  return x509.Pkcs10CertificateRequestGenerator.create({ name: subject, keys: { publicKey, privateKey: other.privateKey }, signingAlgorithm: RSA });
}

async function issueServerCertificate(ca: Awaited<ReturnType<typeof createTestCa>>, request: x509.Pkcs10CertificateRequest): Promise<x509.X509Certificate> {
  return x509.X509CertificateGenerator.create({
    serialNumber: '0a', subject: request.subject, issuer: ca.certificate.subject, notBefore: new Date(Date.now() - 86_400_000), notAfter: new Date(Date.now() + 86_400_000),
    signingAlgorithm: RSA, publicKey: request.publicKey, signingKey: ca.keys.privateKey,
    extensions: [new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]), new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: 'localhost' }, { type: 'ip', value: '127.0.0.1' }])],
  });
}

test('factory shapes: the management service, an empty store and the two TLS setting instances as recorded', async () => {
  const wsman = createTestWsman();
  const service = await send(wsman, msg('PublicKeyManagementService', 'Get'));
  assert.deepEqual(tagSequence(service.body), tagSequence(fixture('amt/publickey/management/get.xml')));
  assert.deepEqual(rootNamespaces(service.body), rootNamespaces(fixture('amt/publickey/management/get.xml')));
  const settings = await pull(wsman, 'TLSSettingData');
  assert.deepEqual(tagSequence(settings), tagSequence(fixture('amt/tls/settingdata/pull.xml')));
  assert.deepEqual(items(settings, 'AMT_TLSSettingData'), items(fixture('amt/tls/settingdata/pull.xml').replace(/>\s+</g, '><'), 'AMT_TLSSettingData'));
  for (const service of ['PublicKeyCertificate', 'PublicPrivateKeyPair', 'TLSCredentialContext']) {
    assert.match(await pull(wsman, service), /<g:Items><\/g:Items><g:EndOfSequence>/, service);
  }
  const collection = await send(wsman, envelope({ action: ACTION.get, resourceUri: 'http://intel.com/wbem/wscim/1/amt-schema/1/AMT_TLSProtocolEndpointCollection' }));
  assert.deepEqual(tagSequence(collection.body), tagSequence(fixture('amt/tls/protocolendpointcollection/get.xml')));
  assert.equal(textOf(collection.body, 'g:ElementName'), 'TLSProtocolEndpoint Instances Collection');
  assert.equal(acceptsNonSecure(wsman.state), true);
  assert.equal(tlsEnabled(wsman.state), false);
});

test('Issuer and Subject are written as AMT writes them (the recorded MPS root certificate)', async () => {
  const wsman = createTestWsman();
  const recorded = fixture('amt/publickey/certificate/get.xml');
  const added = await send(wsman, msg('PublicKeyManagementService', 'AddTrustedRootCertificate', { CertificateBlob: textOf(recorded, 'g:X509Certificate') }));
  assert.equal(returnValue(added.body), 0);
  assert.deepEqual(tagSequence(added.body), tagSequence(fixture('amt/publickey/management/addtrustedrootcertificate.xml')));
  const got = await send(wsman, msg('PublicKeyCertificate', 'Get', { name: 'InstanceID', value: selectorOf(added.body) }));
  assert.deepEqual(tagSequence(got.body), tagSequence(recorded));
  assert.deepEqual(rootNamespaces(got.body), rootNamespaces(recorded));
  for (const name of ['ElementName', 'InstanceID', 'Issuer', 'Subject', 'TrustedRootCertficate', 'X509Certificate']) {
    assert.equal(textOf(got.body, `g:${name}`), textOf(recorded, `g:${name}`), name);
  }
});

test('RPS/MeshCentral TLS sequence with wsman-messages: root, key pair, CSR, certificate, credential context, settings staged until commit, then mutual TLS', async () => {
  const wsman = createTestWsman();
  const ca = await createTestCa('vme test TLS CA');
  const root = await send(wsman, msg('PublicKeyManagementService', 'AddTrustedRootCertificate', { CertificateBlob: b64(ca.certificate.rawData) }));
  assert.equal(returnValue(root.body), 0);
  assert.equal(selectorOf(root.body), 'Intel(r) AMT Certificate: Handle: 0');

  const generated = await send(wsman, msg('PublicKeyManagementService', 'GenerateKeyPair', { KeyAlgorithm: 0, KeyLength: 2048 }));
  assert.equal(returnValue(generated.body), 0);
  assert.deepEqual(tagSequence(generated.body), tagSequence(fixture('amt/publickey/management/generatekeypair.xml')));
  const keyId = selectorOf(generated.body) ?? '';
  assert.equal(keyId, 'Intel(r) AMT Key: Handle: 0');
  const keys = await pull(wsman, 'PublicPrivateKeyPair');
  const recordedKeys = tagSequence(fixture('amt/publicprivate/pull.xml'));
  const second = recordedKeys.lastIndexOf('h:AMT_PublicPrivateKeyPair');
  assert.deepEqual(tagSequence(keys), [...recordedKeys.slice(0, second), ...recordedKeys.slice(second + 4)], 'the recorded pull with one item');
  assert.deepEqual(rootNamespaces(keys), rootNamespaces(fixture('amt/publicprivate/pull.xml')));
  const derKey = textOf(keys, 'h:DERKey') ?? '';
  assert.match(derKey, /^MIIBCgKCAQEA/, 'PKCS#1 RSAPublicKey of a 2048-bit key, as AMT reports it');
  assert.equal(createPublicKey({ key: unb64(derKey), format: 'der', type: 'pkcs1' }).asymmetricKeyDetails?.modulusLength, 2048);

  const unsigned = await nullSignedRequest(unb64(derKey), 'CN=vme-amt.example, O=vme');
  assert.equal(await unsigned.verify(), false, 'the request as sent is not signed by its key');
  const signed = await send(wsman, msg('PublicKeyManagementService', 'GeneratePKCS10RequestEx', { KeyPair: keyPairEpr(keyId), SigningAlgorithm: 1, NullSignedCertificateRequest: b64(unsigned.rawData) }));
  assert.equal(returnValue(signed.body), 0, signed.body);
  assert.deepEqual(tagSequence(signed.body), tagSequence(fixture('amt/publickey/management/generatepkcs10requestex.xml')));
  const csrDer = unb64(textOf(signed.body, 'g:SignedCertificateRequest'));
  const request = new x509.Pkcs10CertificateRequest(csrDer);
  assert.equal(await request.verify(), true, 'signed by the key pair AMT holds');
  assert.equal(request.subject, 'CN=vme-amt.example, O=vme');
  assert.equal(hashOf(request), 'SHA-256');
  writeFileSync(join(dir, 'request.der'), csrDer);
  const opensslVerify = await runPeer('openssl', ['req', '-inform', 'DER', '-in', join(dir, 'request.der'), '-verify', '-noout']);
  assert.equal(opensslVerify.code, 0, opensslVerify.stderr);
  assert.match(opensslVerify.stdout + opensslVerify.stderr, /verify OK/i);

  const serverCertificate = await issueServerCertificate(ca, request);
  const added = await send(wsman, msg('PublicKeyManagementService', 'AddCertificate', { CertificateBlob: b64(serverCertificate.rawData) }));
  assert.equal(returnValue(added.body), 0, added.body);
  assert.deepEqual(tagSequence(added.body), tagSequence(fixture('amt/publickey/management/addcertificate.xml')));
  const certificateId = selectorOf(added.body) ?? '';
  assert.equal(certificateId, 'Intel(r) AMT Certificate: Handle: 1');
  const duplicate = await send(wsman, msg('PublicKeyManagementService', 'AddCertificate', { CertificateBlob: b64(serverCertificate.rawData) }));
  assert.equal(returnValue(duplicate.body), 2058, 'PT_STATUS_DUPLICATE');
  const certificates = items(await pull(wsman, 'PublicKeyCertificate'), 'AMT_PublicKeyCertificate');
  assert.equal(certificates.length, 2);
  assert.match(certificates[0] ?? '', /<h:Issuer>CN=vme test TLS CA<\/h:Issuer>.*<h:TrustedRootCertficate>true</);
  assert.match(certificates[1] ?? '', /<h:Issuer>CN=vme test TLS CA<\/h:Issuer><h:Subject>O=vme,CN=vme-amt.example<\/h:Subject><h:TrustedRootCertficate>false</);

  const context = await send(wsman, msg('TLSCredentialContext', 'Create', certificateId));
  assert.equal(context.status, 200, context.body);
  assert.deepEqual(tagSequence(context.body), tagSequence(fixture('amt/tls/credentialcontext/create.xml')));
  assert.ok(context.body.includes(`<c:Selector Name="InstanceID">${certificateId}</c:Selector>`));
  assert.ok(context.body.includes('<c:Selector Name="ElementName">TLSProtocolEndpoint Instances Collection</c:Selector>'));
  const again = await send(wsman, msg('TLSCredentialContext', 'Create', certificateId));
  assert.equal(again.status, 400);
  assert.equal(subcode(again.body), 'e:AlreadyExists', 'the fault RPS tolerates');
  const contexts = await pull(wsman, 'TLSCredentialContext');
  assert.deepEqual(tagSequence(contexts), tagSequence(fixture('amt/tls/credentialcontext/pull.xml')));

  const remote = { ElementName: 'Intel(r) AMT 802.3 TLS Settings', InstanceID: 'Intel(r) AMT 802.3 TLS Settings', Enabled: true, MutualAuthentication: true, AcceptNonSecureConnections: false, TrustedCN: ['console.example'] };
  const put = await send(wsman, msg('TLSSettingData', 'Put', remote));
  assert.equal(put.status, 200, put.body);
  assert.deepEqual(tagSequence(put.body), [...tagSequence(fixture('amt/tls/settingdata/put.xml')), 'g:TrustedCN']);
  const local = await send(wsman, msg('TLSSettingData', 'Put', { ElementName: 'Intel(r) AMT LMS TLS Settings', InstanceID: 'Intel(r) AMT LMS TLS Settings', Enabled: true, MutualAuthentication: false, AcceptNonSecureConnections: true }));
  assert.equal(local.status, 200, local.body);
  assert.match(await pull(wsman, 'TLSSettingData'), /<h:Enabled>true<\/h:Enabled><h:InstanceID>Intel\(r\) AMT 802\.3 TLS Settings<\/h:InstanceID><h:MutualAuthentication>true<\/h:MutualAuthentication><h:TrustedCN>console\.example</);

  const device = await generateDeviceCertificate({ commonName: 'vme-amt-device' });
  assert.equal(acceptsNonSecure(wsman.state), true, 'staged only: port 16992 still answers');
  assert.equal(activeTlsConfig(wsman.state, device).credential, device, 'staged only: the device certificate is still served');
  assert.equal(checkStagedTls(wsman.state), 0);
  assert.equal(commitStagedTls(wsman.state), true);
  assert.equal(commitStagedTls(wsman.state), false, 'nothing new to commit');
  assert.equal(acceptsNonSecure(wsman.state), false, 'TLS enforced on the network side');
  assert.equal(acceptsNonSecure(wsman.state, 'local'), true);
  assert.equal(tlsEnabled(wsman.state), true);

  const config = activeTlsConfig(wsman.state, device);
  assert.equal(config.mutualAuthentication, true);
  assert.deepEqual(config.trustedCommonNames, ['console.example']);
  assert.equal(new X509Certificate(config.credential.certificatePem).fingerprint256, new X509Certificate(Buffer.from(serverCertificate.rawData)).fingerprint256);
  await mutualTlsHandshake(new TlsSettings(config), ca, serverCertificate);

  const inUse = await send(wsman, msg('PublicKeyCertificate', 'Delete', { name: 'InstanceID', value: certificateId }));
  assert.equal(inUse.status, 400, 'the TLS certificate cannot be removed while the credential context names it');
  const keyInUse = await send(wsman, msg('PublicPrivateKeyPair', 'Delete', { name: 'InstanceID', value: keyId }));
  assert.equal(keyInUse.status, 400);
  const contextItem = /<h:AMT_TLSCredentialContext>(.*)<\/h:AMT_TLSCredentialContext>/.exec(contexts)?.[1] ?? '';
  assert.ok(contextItem.length > 0);
  const deleted = await send(wsman, msg('TLSCredentialContext', 'Delete', {
    ElementInContext: { Address: 'x', ReferenceParameters: { ResourceURI: 'http://intel.com/wbem/wscim/1/amt-schema/1/AMT_PublicKeyCertificate', SelectorSet: { Selector: { _: certificateId, $: { Name: 'InstanceID' } } } } },
    ElementProvidingContext: { Address: 'x', ReferenceParameters: { ResourceURI: 'http://intel.com/wbem/wscim/1/amt-schema/1/AMT_TLSProtocolEndpointCollection', SelectorSet: { Selector: { _: 'TLSProtocolEndpoint Instances Collection', $: { Name: 'ElementName' } } } } },
  }));
  assert.equal(deleted.status, 200, deleted.body);
  for (const [service, id] of [['PublicPrivateKeyPair', keyId], ['PublicKeyCertificate', certificateId], ['PublicKeyCertificate', 'Intel(r) AMT Certificate: Handle: 0']] as const) {
    const removed = await send(wsman, msg(service, 'Delete', { name: 'InstanceID', value: id }));
    assert.equal(removed.status, 200, removed.body);
  }
  assert.deepEqual(wsman.state.get(CERTIFICATE_STORE), { certificates: [], keyPairs: [] });
  assert.equal(tlsEnabled(wsman.state), true, 'the committed TLS keeps its own copy of the credential');
  assert.equal(activeTlsConfig(wsman.state, device).credential.certificatePem, config.credential.certificatePem);
});

/** openssl s_client against a listener using `settings`: the added certificate is served; only a CA-issued client with a TrustedCN name gets in. */
async function mutualTlsHandshake(settings: TlsSettings, ca: Awaited<ReturnType<typeof createTestCa>>, served: x509.X509Certificate): Promise<void> {
  const listener = await listenAmtHttp({ host: '127.0.0.1', httpPort: 0, tlsPort: 0, tls: settings, auth: createTestAuth().auth, handler: () => ({ kind: 'wsman', status: 200, body: '<ok/>' }) });
  try {
    const port = String(listener.tls?.port ?? 0);
    const write = (name: string, pem: { certificatePem: string; privateKeyPem: string }): string[] => {
      writeFileSync(join(dir, `${name}.pem`), pem.certificatePem);
      writeFileSync(join(dir, `${name}.key`), pem.privateKeyPem);
      return ['-cert', join(dir, `${name}.pem`), '-key', join(dir, `${name}.key`)];
    };
    writeFileSync(join(dir, 'ca.pem'), ca.certificatePem);
    const sClient = (args: readonly string[]): ReturnType<typeof runPeer> =>
      runPeer('openssl', ['s_client', '-connect', `127.0.0.1:${port}`, '-tls1_2', '-CAfile', join(dir, 'ca.pem'), '-verify_return_error', '-showcerts', '-ign_eof', ...args], { input: 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', timeoutMs: 20_000 });
    const trusted = await sClient(write('console', await issueClientCertificate(ca, 'console.example')));
    assert.equal(trusted.code, 0, trusted.stderr);
    assert.match(trusted.stdout, /Verify return code: 0 \(ok\)/, 'the served chain verifies against the CA');
    const presented = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(trusted.stdout)?.[0] ?? '';
    assert.equal(new X509Certificate(presented).fingerprint256, new X509Certificate(Buffer.from(served.rawData)).fingerprint256);
    assert.match(trusted.stdout, /HTTP\/1\.1 303 See Other/);
    const none = await sClient([]);
    assert.doesNotMatch(none.stdout, /HTTP\/1\.1/, 'no client certificate: no HTTP');
    const wrongName = await sClient(write('other', await issueClientCertificate(ca, 'someone.else')));
    assert.doesNotMatch(wrongName.stdout, /HTTP\/1\.1/, 'CN not in TrustedCN: closed before any reply');
  } finally {
    await listener.close();
  }
}

test('refusals, each with its PT_STATUS code or fault', async () => {
  const wsman = createTestWsman();
  const call = async (name: string, input: unknown): Promise<number> => returnValue((await send(wsman, msg('PublicKeyManagementService', name, input))).body);
  assert.equal(await call('AddTrustedRootCertificate', { CertificateBlob: b64(Buffer.from('not a certificate')) }), 2063, 'PT_STATUS_INVALID_CERT');
  const ca = await createTestCa();
  const stranger = await issueClientCertificate(ca, 'no-key.example');
  const strangerDer = new X509Certificate(stranger.certificatePem).raw;
  assert.equal(await call('AddCertificate', { CertificateBlob: b64(strangerDer) }), 2064, 'PT_STATUS_CERT_KEY_NOT_MATCH: the store has no key for it');
  assert.equal(await call('AddKey', b64(Buffer.from('junk'))), 2062, 'PT_STATUS_INVALID_KEY');
  const pkcs1 = createPrivateKey(stranger.privateKeyPem).export({ type: 'pkcs1', format: 'der' });
  const addedKey = await send(wsman, msg('PublicKeyManagementService', 'AddKey', b64(pkcs1)));
  assert.equal(returnValue(addedKey.body), 0);
  assert.match(addedKey.body, /<g:CreatedKey>.*AMT_PublicPrivateKeyPair<\/c:ResourceURI>.*Intel\(r\) AMT Key: Handle: 0/);
  assert.equal(await call('AddKey', b64(pkcs1)), 2058, 'PT_STATUS_DUPLICATE');
  assert.equal(await call('AddCertificate', { CertificateBlob: b64(strangerDer) }), 0, 'now its key is in the store');
  assert.equal(await call('GenerateKeyPair', { KeyAlgorithm: 0, KeyLength: 1024 }), 36, 'PT_STATUS_INVALID_PARAMETER: 2048 only');
  assert.equal(await call('GenerateKeyPair', { KeyAlgorithm: 1, KeyLength: 2048 }), 36);

  const derKey = createPublicKey(stranger.privateKeyPem).export({ type: 'pkcs1', format: 'der' });
  const request = await nullSignedRequest(derKey, 'CN=x');
  const csr = (keyPair: string, algorithm: number, blob: string): Promise<number> => call('GeneratePKCS10RequestEx', { KeyPair: keyPairEpr(keyPair), SigningAlgorithm: algorithm, NullSignedCertificateRequest: blob });
  assert.equal(await csr('Intel(r) AMT Key: Handle: 7', 1, b64(request.rawData)), 2068, 'PT_STATUS_NOT_FOUND');
  assert.equal(await csr('Intel(r) AMT Key: Handle: 0', 2, b64(request.rawData)), 36, 'unknown signing algorithm');
  assert.equal(await csr('Intel(r) AMT Key: Handle: 0', 1, b64(Buffer.from('junk'))), 36, 'not a PKCS#10 request');
  assert.equal(await csr('Intel(r) AMT Key: Handle: 0', 1, b64(Buffer.from(request.rawData).subarray(0, 100))), 36, 'truncated');
  const foreign = await nullSignedRequest(createPublicKey(ca.privateKeyPem).export({ type: 'pkcs1', format: 'der' }), 'CN=x');
  assert.equal(await csr('Intel(r) AMT Key: Handle: 0', 1, b64(foreign.rawData)), 2064, 'the request is for another key');
  const sha1 = await send(wsman, msg('PublicKeyManagementService', 'GeneratePKCS10RequestEx', { KeyPair: keyPairEpr('Intel(r) AMT Key: Handle: 0'), SigningAlgorithm: 0, NullSignedCertificateRequest: b64(request.rawData) }));
  const sha1Request = new x509.Pkcs10CertificateRequest(unb64(textOf(sha1.body, 'g:SignedCertificateRequest')));
  assert.equal(hashOf(sha1Request), 'SHA-1');
  assert.equal(await sha1Request.verify(), true);

  const missing = await send(wsman, msg('PublicKeyManagementService', 'AddCertificate', {}));
  assert.equal(subcode(missing.body), 'e:InvalidParameter', 'a required input missing is a fault');
  const root = await send(wsman, msg('PublicKeyManagementService', 'AddTrustedRootCertificate', { CertificateBlob: b64(ca.certificate.rawData) }));
  const rootContext = await send(wsman, msg('TLSCredentialContext', 'Create', selectorOf(root.body)));
  assert.equal(subcode(rootContext.body), 'd:InvalidRepresentation', 'no key pair for a root certificate');
  const nowhere = await send(wsman, msg('TLSCredentialContext', 'Create', 'Intel(r) AMT Certificate: Handle: 9'));
  assert.equal(subcode(nowhere.body), 'd:InvalidRepresentation');
  const lmsMutual = await send(wsman, msg('TLSSettingData', 'Put', { InstanceID: 'Intel(r) AMT LMS TLS Settings', MutualAuthentication: true }));
  assert.equal(subcode(lmsMutual.body), 'd:InvalidRepresentation');
  const manyNames = await send(wsman, msg('TLSSettingData', 'Put', { InstanceID: 'Intel(r) AMT 802.3 TLS Settings', TrustedCN: Array.from({ length: 17 }, (_, i) => `n${i}`) }));
  assert.equal(subcode(manyNames.body), 'd:InvalidRepresentation');
});

test('mutual authentication without a trusted root is refused at commit; Unprovision resets the store and TLS', async () => {
  const wsman = createTestWsman();
  await send(wsman, msg('TLSSettingData', 'Put', { InstanceID: 'Intel(r) AMT 802.3 TLS Settings', Enabled: true, MutualAuthentication: true, AcceptNonSecureConnections: false }));
  assert.equal(checkStagedTls(wsman.state), 2057, 'PT_STATUS_DATA_MISSING');
  assert.throws(() => commitStagedTls(wsman.state), { code: 'VME_ERR_AMT_TLS_CONFIG' });
  assert.equal(acceptsNonSecure(wsman.state), true, 'the refused commit changed nothing');
  await send(wsman, msg('TLSSettingData', 'Put', { InstanceID: 'Intel(r) AMT 802.3 TLS Settings', MutualAuthentication: false }));
  assert.equal(commitStagedTls(wsman.state), true);
  assert.equal(acceptsNonSecure(wsman.state), false);
  await send(wsman, msg('PublicKeyManagementService', 'GenerateKeyPair', { KeyAlgorithm: 0, KeyLength: 2048 }));
  resetCertificates(wsman.state);
  assert.deepEqual(wsman.state.get(CERTIFICATE_STORE), { certificates: [], keyPairs: [] });
  assert.equal(acceptsNonSecure(wsman.state), true);
  assert.deepEqual(items(await pull(wsman, 'TLSSettingData'), 'AMT_TLSSettingData'), items(fixture('amt/tls/settingdata/pull.xml').replace(/>\s+</g, '><'), 'AMT_TLSSettingData'));
});

test('no private key ever leaves through WS-Man: no reply carries a private exponent or a PKCS#8 key of any store', () => {
  assert.ok(replies.length > 40 && privateKeys.size >= 3, `${replies.length} replies, ${privateKeys.size} keys`);
  const exponents = [...privateKeys.values()].map((der) => Buffer.from(createPrivateKey({ key: Buffer.from(der), format: 'der', type: 'pkcs8' }).export({ format: 'jwk' }).d ?? '', 'base64url'));
  for (const body of replies) {
    assert.doesNotMatch(body, /PRIVATE KEY/);
    for (const match of body.matchAll(/>([A-Za-z0-9+/]{40,}={0,2})</g)) {
      const bytes = unb64(match[1]);
      for (const d of exponents) assert.equal(bytes.indexOf(d.subarray(0, 32)), -1, 'a private exponent in a reply');
      assert.throws(() => createPrivateKey({ key: bytes, format: 'der', type: 'pkcs8' }), Error, 'a PKCS#8 key in a reply');
    }
  }
});
