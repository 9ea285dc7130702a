// The AMT app on a whole engine with its network (random loopback address per file): real curl
// --digest gets AMT_GeneralSettings over 16992 (and over 16993 with TLS) after a client-control
// activation, openssl s_client completes a TLS 1.2 handshake on 16993 with the device certificate,
// which is the same after the engine reboots on the same flash (the admin still logs in), and a
// presence ping on UDP 623 gets its pong.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { randomInt, X509Certificate } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { MemoryBacking } from '../src/flash/index.js';
import { testPlatform } from '../src/image/testing.js';
import type { BuiltPlatform } from '../src/image/build.js';
import { bootEngine, type Engine } from '../src/engine/index.js';
import { MemoryCounter } from '../src/kernel/nvram/index.js';
import { AMT_INTERFACE } from '../src/apps/amt/interface.js';
import { runPeer } from '../src/amt/peer-process.js';
import { PresencePing, PresencePong } from '../src/amt/rmcp/index.js';
import { ACTION, envelope } from '../src/amt/wsman/testing.js';
import { engineFixture } from './support/engine.js';

const { pool, engines } = engineFixture({ pingTimeoutMs: 2000 });
const address = `127.${randomInt(1, 255)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;
const PASSWORD = 'P@ssw0rd1';
const GENERAL_SETTINGS = 'http://intel.com/wbem/wscim/1/amt-schema/1/AMT_GeneralSettings';
let platform: BuiltPlatform;

before(() => {
  platform = testPlatform();
});

async function boot(flash: MemoryBacking, counter: MemoryCounter): Promise<Engine> {
  const engine = await bootEngine({ flash, fuses: platform.fuses, options: { pool, counter, network: { address } } });
  engines.push(engine);
  return engine;
}

const getSettings = (url: string, user: string, extra: readonly string[] = []) => runPeer('curl', [
  '-sS', '-i', '--max-time', '20', '--digest', '-u', user, '-H', 'Content-Type: application/soap+xml; charset=utf-8',
  '--data-binary', envelope({ action: ACTION.get, resourceUri: GENERAL_SETTINGS }), ...extra, url,
], { timeoutMs: 30_000 });

/** The leaf certificate openssl s_client received in a TLS 1.2 handshake, and the negotiated protocol. */
async function handshake(): Promise<{ protocol: string | undefined; certificate: X509Certificate }> {
  const result = await runPeer('openssl', ['s_client', '-connect', `${address}:16993`, '-tls1_2', '-showcerts'], { timeoutMs: 30_000 });
  assert.equal(result.code, 0, result.stderr);
  const pem = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(result.stdout)?.[0];
  assert.ok(pem !== undefined, result.stdout);
  return { protocol: /Protocol\s*: (\S+)/.exec(result.stdout)?.[1], certificate: new X509Certificate(pem) };
}

function presencePing(): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error('no pong within 10 s'));
    }, 10_000);
    socket.on('message', (message) => {
      clearTimeout(timer);
      socket.close();
      resolve(Uint8Array.from(message));
    });
    socket.send(PresencePing.serialize(PresencePing.defaults({ sequence: 0xff, messageTag: 0x42 })), 623, address);
  });
}

test('curl --digest over 16992 and 16993, openssl TLS 1.2 with the device certificate that survives a reboot, the presence pong', async () => {
  const flash = new MemoryBacking(platform.image);
  const counter = new MemoryCounter();
  const first = await boot(flash, counter);
  assert.deepEqual(first.networkListeners().map((l) => [l.app, l.protocol, l.port, l.listening]), [['amt', 'tcp', 16992, true], ['amt', 'tcp', 16993, true], ['amt', 'tcp', 16994, true], ['amt', 'tcp', 16995, true], ['amt', 'tcp', 5900, true], ['amt', 'udp', 623, true]]);
  const identity = await first.client(AMT_INTERFACE).networkIdentity({});
  assert.equal(identity.address, address);

  const refused = await getSettings(`http://${address}:16992/wsman`, `admin:${PASSWORD}`);
  assert.match(refused.stdout, /^HTTP\/1\.1 401 Unauthorized\r\n/, 'no admin before activation');
  assert.deepEqual(await first.client(AMT_INTERFACE).activate({ password: PASSWORD }), { returnValue: 0 });
  const plain = await getSettings(`http://${address}:16992/wsman`, `admin:${PASSWORD}`);
  assert.equal(plain.code, 0, plain.stderr);
  assert.match(plain.stdout, /HTTP\/1\.1 200 OK\r\n/);
  assert.match(plain.stdout, new RegExp(`<g:DigestRealm>${identity.realm}</g:DigestRealm>`));
  const wrong = await getSettings(`http://${address}:16992/wsman`, 'admin:Wr0ng!pass');
  assert.doesNotMatch(wrong.stdout, /200 OK/);
  const overTls = await getSettings(`https://${address}:16993/wsman`, `admin:${PASSWORD}`, ['-k', '--tlsv1.2']);
  assert.equal(overTls.code, 0, overTls.stderr);
  assert.match(overTls.stdout, /<g:AMT_GeneralSettings/);

  const tls = await handshake();
  assert.equal(tls.protocol, 'TLSv1.2');
  assert.equal(tls.certificate.fingerprint256, new X509Certificate(identity.certificatePem).fingerprint256, 'the device certificate');
  const pong = PresencePong.parse(await presencePing());
  assert.deepEqual([pong.sequence, pong.messageTag, pong.oemIana], [0xff, 0x42, 343]);
  assert.equal(pong.provisioningFlags & 0x03, 2, 'post-provisioning');
  await first.shutdown();

  const second = await boot(flash, counter);
  const after = await handshake();
  assert.equal(after.certificate.fingerprint256, tls.certificate.fingerprint256, 'the same certificate after the reboot');
  assert.equal((await second.client(AMT_INTERFACE).networkIdentity({})).realm, identity.realm);
  assert.match((await getSettings(`http://${address}:16992/wsman`, `admin:${PASSWORD}`)).stdout, /HTTP\/1\.1 200 OK\r\n/, 'the admin is still the admin');
});
