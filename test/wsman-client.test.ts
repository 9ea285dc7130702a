// Real clients: requests built by @open-amt-cloud-toolkit/wsman-messages go through the whole
// AMT web server (AmtHttpCore.inject) with a Digest Authorization computed here, and curl --digest
// POSTs a fixture-style Get to listenAmtHttp on 127.0.0.1. Replies must parse and match the
// recorded shapes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { AmtHttpCore, listenAmtHttp, type AmtHttpListener } from '../src/amt/http/index.js';
import { parseReply, postWsman } from '../src/amt/http/testing.js';
import { DigestAuthenticator, createUserTable, parseAuthorization } from '../src/amt/auth/index.js';
import { runPeer } from '../src/amt/peer-process.js';
import { ALL_REALM_NAMES, parseXml, DEFAULT_WSMAN_LIMITS } from '../src/amt/wsman/index.js';
import { createTestWsman, rootNamespaces, tagSequence, textOf, TEST_WSMAN_REALM } from '../src/amt/wsman/testing.js';

interface MessageSet { [service: string]: { [call: string]: ((...args: unknown[]) => string) | undefined } | undefined }
const wsmanMessages = createRequire(import.meta.url)('@open-amt-cloud-toolkit/wsman-messages') as Record<'AMT' | 'CIM' | 'IPS', { Messages: new () => MessageSet }>;
const call = (set: MessageSet, service: string, name: string, ...args: unknown[]): string => {
  const fn = set[service]?.[name];
  if (fn === undefined) throw new Error(`wsman-messages has no ${service}.${name}`);
  return fn(...args);
};

const PASSWORD = 'Adm1n-P@ss';
const fixture = (path: string): string => readFileSync(new URL(`../../../shared/fixtures/amt-responses/${path}`, import.meta.url), 'utf8');
const md5 = (text: string): string => createHash('md5').update(text).digest('hex');

function makeAuth(): DigestAuthenticator {
  return new DigestAuthenticator({ realm: TEST_WSMAN_REALM, users: createUserTable([{ user: 'admin', passwordOrHA1: { password: PASSWORD }, realms: ALL_REALM_NAMES }]) });
}

/** RFC 2617 qop=auth answer to `challenge`, computed from scratch. */
function digestHeader(challenge: string, count: number): string {
  const parsed = parseAuthorization(challenge);
  if (parsed.kind !== 'digest') throw new Error('not a digest challenge');
  const realm = parsed.params.get('realm') ?? '';
  const nonce = parsed.params.get('nonce') ?? '';
  const nc = count.toString(16).padStart(8, '0');
  const cnonce = 'c0ffee';
  const response = md5(`${md5(`admin:${realm}:${PASSWORD}`)}:${nonce}:${nc}:${cnonce}:auth:${md5('POST:/wsman')}`);
  return `Digest username="admin",realm="${realm}",nonce="${nonce}",uri="/wsman",response="${response}",qop="auth",nc="${nc}",cnonce="${cnonce}"`;
}

async function exchange(core: AmtHttpCore, body: string, count: number, challenge: string): Promise<ReturnType<typeof parseReply>> {
  const { bytes } = await core.inject(postWsman(body, digestHeader(challenge, count)));
  return parseReply(Buffer.from(bytes).toString('latin1'));
}

test('wsman-messages requests through AmtHttpCore.inject with real Digest: GeneralSettings, SoftwareIdentity Enumerate/Pull, SetupAndConfigurationService, HostBasedSetupService', async () => {
  const wsman = createTestWsman();
  const core = new AmtHttpCore({ auth: makeAuth(), handler: wsman.handler });
  const first = parseReply(Buffer.from((await core.inject(postWsman('<x/>'))).bytes).toString('latin1'));
  assert.equal(first.status, 401);
  const challenge = first.headers.find(([n]) => n === 'WWW-Authenticate')?.[1] ?? '';
  const amt = new wsmanMessages.AMT.Messages();
  const cim = new wsmanMessages.CIM.Messages();
  const ips = new wsmanMessages.IPS.Messages();

  const general = await exchange(core, call(amt, 'GeneralSettings', 'Get'), 1, challenge);
  assert.equal(general.status, 200);
  assert.deepEqual(tagSequence(general.body), tagSequence(fixture('amt/general/get.xml')));
  assert.equal(textOf(general.body, 'g:DigestRealm'), TEST_WSMAN_REALM, 'DigestRealm is the HTTP realm');
  parseXml(Buffer.from(general.body), DEFAULT_WSMAN_LIMITS);

  const enumerated = await exchange(core, call(cim, 'SoftwareIdentity', 'Enumerate'), 2, challenge);
  const context = textOf(enumerated.body, 'g:EnumerationContext') ?? '';
  const pulled = await exchange(core, call(cim, 'SoftwareIdentity', 'Pull', context), 3, challenge);
  assert.equal(pulled.status, 200);
  assert.deepEqual(tagSequence(pulled.body), tagSequence(fixture('cim/software/identity/pull.xml')));
  assert.ok(pulled.body.includes('<h:InstanceID>AMT</h:InstanceID><h:IsEntity>true</h:IsEntity><h:VersionString>16.1.27</h:VersionString>'));

  const setup = await exchange(core, call(amt, 'SetupAndConfigurationService', 'Get'), 4, challenge);
  assert.equal(setup.status, 200);
  assert.equal(textOf(setup.body, 'g:ProvisioningState'), '0');
  assert.deepEqual(rootNamespaces(setup.body), rootNamespaces(fixture('amt/setupandconfiguration/get.xml')));

  const hbs = await exchange(core, call(ips, 'HostBasedSetupService', 'Get'), 5, challenge);
  assert.deepEqual(tagSequence(hbs.body), tagSequence(fixture('ips/hostbasedsetup/get.xml')));
  assert.equal(Buffer.from(textOf(hbs.body, 'g:ConfigurationNonce') ?? '', 'base64').length, 20);

  const missing = await exchange(core, call(cim, 'SoftwareIdentity', 'Pull', context), 6, challenge);
  assert.equal(missing.status, 400, 'the context ended with EndOfSequence');
  assert.match(missing.body, /c:InvalidEnumerationContext/);
});

let listener: AmtHttpListener;
before(async () => {
  listener = await listenAmtHttp({ host: '127.0.0.1', httpPort: 0, auth: makeAuth(), handler: createTestWsman().handler });
});
after(() => listener.close());

test('curl --digest POSTs a fixture-style Get AMT_GeneralSettings to listenAmtHttp and gets the recorded shape', async () => {
  const body = new wsmanMessages.AMT.Messages();
  const result = await runPeer('curl', ['-sS', '-i', '--digest', '-u', `admin:${PASSWORD}`, '-H', 'Content-Type: application/soap+xml; charset=utf-8',
    '--data-binary', call(body, 'GeneralSettings', 'Get'), `http://127.0.0.1:${listener.http.port}/wsman`]);
  assert.equal(result.code, 0, result.stderr);
  const text = result.stdout.slice(result.stdout.lastIndexOf('HTTP/1.1 200'));
  assert.match(text, /^HTTP\/1\.1 200 OK\r\n/);
  const xml = text.slice(text.indexOf('<?xml'));
  assert.deepEqual(tagSequence(xml), tagSequence(fixture('amt/general/get.xml')));
  assert.equal(textOf(xml, 'b:RelatesTo'), '0');
});
