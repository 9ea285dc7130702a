/** The console-side client against vme's own HTTP/TLS server and WS-Man layer: Digest, pinning, operations, faults. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { X509Certificate } from 'node:crypto';
import { createUserTable } from '../amt/auth/index.js';
import { createTestAuth, TEST_PASSWORD } from '../amt/auth/testing.js';
import { ALL_REALM_NAMES } from '../amt/wsman/realms.js';
import { listenAmtHttp, type AmtHttpListener } from '../amt/http/index.js';
import { TlsSettings, generateDeviceCertificate } from '../amt/tls/index.js';
import { createTestWsman, TEST_UUID } from '../amt/wsman/testing.js';
import { WsmanClient, WsmanError } from './index.js';

let listener: AmtHttpListener;
let fingerprint = '';

before(async () => {
  const credential = await generateDeviceCertificate();
  fingerprint = new X509Certificate(credential.certificatePem).fingerprint256;
  const users = createUserTable([{ user: 'admin', passwordOrHA1: { password: TEST_PASSWORD }, realms: ALL_REALM_NAMES }]);
  const harness = createTestAuth({ clock: Date.now, users });
  listener = await listenAmtHttp({ host: '127.0.0.1', httpPort: 0, tlsPort: 0, tls: new TlsSettings({ credential }), auth: harness.auth, handler: createTestWsman().handler });
});
after(() => listener.close());

const http = (password = TEST_PASSWORD): WsmanClient => new WsmanClient({ host: '127.0.0.1', port: listener.http.port, user: 'admin', password });

test('Get, Enumerate and Invoke over Digest, reusing one nonce with nc counting up', async () => {
  const client = http();
  try {
    const settings = await client.get('AMT_GeneralSettings');
    assert.match(String(settings.DigestRealm), /^Digest:[0-9A-F]{32}$/);
    assert.equal(client.session.realm, 'Digest:727734D63A1FC0423736E48DA554E462');
    const identities = await client.enumerate('CIM_SoftwareIdentity');
    assert.ok(identities.some((item) => item.InstanceID === 'Flash'));
    const uuid = await client.invoke('AMT_SetupAndConfigurationService', 'GetUuid');
    assert.equal(uuid.ReturnValue, '0');
    assert.equal(Buffer.from(String(uuid.UUID), 'base64').toString('hex'), Buffer.from(TEST_UUID).toString('hex'));
  } finally {
    client.close();
  }
});

test('a wrong password is a typed refusal, a SOAP fault a WsmanError with its subcode', async () => {
  const wrong = http('Wr0ng-pass!');
  await assert.rejects(wrong.get('AMT_GeneralSettings'), (error: Error & { code?: string }) => error.code === 'VME_ERR_AMT_CLIENT' && /refused the login/.test(error.message));
  wrong.close();
  const client = http();
  await assert.rejects(client.get('AMT_NoSuchClass'), (error) => error instanceof WsmanError && error.subcode.endsWith('DestinationUnreachable'));
  client.close();
});

test('TLS: the pinned device certificate is accepted, another pin never sees a request', async () => {
  const tls = listener.tls?.port ?? 0;
  const pinned = new WsmanClient({ host: '127.0.0.1', port: tls, tls: { fingerprint }, user: 'admin', password: TEST_PASSWORD });
  assert.match(String((await pinned.get('AMT_GeneralSettings')).DigestRealm), /^Digest:/);
  pinned.close();
  const other = new WsmanClient({ host: '127.0.0.1', port: tls, tls: { fingerprint: '00'.repeat(32) }, user: 'admin', password: TEST_PASSWORD });
  await assert.rejects(other.get('AMT_GeneralSettings'), /does not match the pinned/);
  other.close();
  const unpinned = new WsmanClient({ host: '127.0.0.1', port: tls, tls: {}, user: 'admin', password: TEST_PASSWORD });
  await assert.rejects(unpinned.get('AMT_GeneralSettings'), /none given/);
  unpinned.close();
});

test('a closed port is a typed transport error', async () => {
  const client = new WsmanClient({ host: '127.0.0.1', port: 1, user: 'admin', password: 'x', timeoutMs: 2000 });
  await assert.rejects(client.get('AMT_GeneralSettings'), (error: Error & { code?: string }) => error.code === 'VME_ERR_AMT_CLIENT');
  client.close();
});
