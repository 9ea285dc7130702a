// Reply shapes against recorded AMT replies (read from ../shared, never copied): prefixes in
// order, element order, one line, RelatesTo/MessageID/Action rules, and the captured fault shape.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ANONYMOUS, SCHEMA_BASE } from '../src/amt/wsman/index.js';
import { ACTION, createTestWsman, envelope, ENUMERATE_BODY, pullBody, rootNamespaces, tagSequence, textOf } from '../src/amt/wsman/testing.js';

const shared = (path: string): string => readFileSync(new URL(`../../../shared/${path}`, import.meta.url), 'utf8');
const fixture = (path: string): string => shared(`fixtures/amt-responses/${path}`);

const GET_CASES = [
  { uri: `${SCHEMA_BASE.AMT}AMT_GeneralSettings`, file: 'amt/general/get.xml' },
  { uri: `${SCHEMA_BASE.AMT}AMT_SetupAndConfigurationService`, file: 'amt/setupandconfiguration/get.xml', skip: ['g:ProvisioningServerOTP'] },
  { uri: `${SCHEMA_BASE.IPS}IPS_HostBasedSetupService`, file: 'ips/hostbasedsetup/get.xml' },
  { uri: `${SCHEMA_BASE.AMT}AMT_AuthorizationService`, file: 'amt/authorization/get.xml' },
  { uri: `${SCHEMA_BASE.CIM}CIM_Chassis`, file: 'cim/chassis/get.xml' },
  { uri: `${SCHEMA_BASE.CIM}CIM_ComputerSystemPackage`, file: 'cim/computer/systempackage/get.xml' },
];

for (const { uri, file, skip = [] } of GET_CASES) {
  test(`Get ${uri.split('/').at(-1)}: same prefixes and element order as ${file}`, async () => {
    const wsman = createTestWsman();
    const reply = await wsman.call(envelope({ action: ACTION.get, resourceUri: uri, messageId: '7' }));
    assert.equal(reply.status, 200);
    const recorded = fixture(file);
    assert.deepEqual(rootNamespaces(reply.body), rootNamespaces(recorded));
    assert.deepEqual(tagSequence(reply.body), tagSequence(recorded).filter((t) => !skip.includes(t)));
    assert.ok(!/>\s+</.test(reply.body) && !reply.body.includes('\n'), 'one line, no whitespace between elements');
    assert.equal(textOf(reply.body, 'b:RelatesTo'), '7');
    assert.match(textOf(reply.body, 'b:MessageID') ?? '', /^uuid:00000000-8086-8086-8086-[0-9A-F]{12}$/);
    assert.equal(textOf(reply.body, 'b:Action'), textOf(recorded, 'b:Action'));
    assert.equal(textOf(reply.body, 'c:ResourceURI'), uri);
  });
}

test('CIM_ComputerSystemPackage PlatformGUID and the GetUuid base64 are the same 16 bytes as the recording', async () => {
  const wsman = createTestWsman();
  const uri = `${SCHEMA_BASE.CIM}CIM_ComputerSystemPackage`;
  const reply = await wsman.call(envelope({ action: ACTION.get, resourceUri: uri }));
  assert.equal(textOf(reply.body, 'g:PlatformGUID'), textOf(fixture('cim/computer/systempackage/get.xml'), 'g:PlatformGUID'));
  const sc = `${SCHEMA_BASE.AMT}AMT_SetupAndConfigurationService`;
  const uuid = await wsman.call(envelope({ action: `${sc}/GetUuid`, resourceUri: sc, body: `<h:GetUuid_INPUT xmlns:h="${sc}"></h:GetUuid_INPUT>` }));
  assert.equal(textOf(uuid.body, 'g:UUID'), textOf(fixture('amt/setupandconfiguration/getuuid.xml'), 'UUID'));
  assert.deepEqual(tagSequence(uuid.body).slice(-4), ['a:Body', 'g:GetUuid_OUTPUT', 'g:UUID', 'g:ReturnValue']);
});

test('Enumerate + Pull CIM_SoftwareIdentity: shapes of enumerate.xml and pull.xml (g enumeration, h class, i common), all items then EndOfSequence', async () => {
  const wsman = createTestWsman();
  const uri = `${SCHEMA_BASE.CIM}CIM_SoftwareIdentity`;
  const enumerated = await wsman.call(envelope({ action: ACTION.enumerate, resourceUri: uri, messageId: '0', body: ENUMERATE_BODY }));
  assert.deepEqual(rootNamespaces(enumerated.body), rootNamespaces(fixture('cim/software/identity/enumerate.xml')));
  assert.deepEqual(tagSequence(enumerated.body), tagSequence(fixture('cim/software/identity/enumerate.xml')));
  const context = textOf(enumerated.body, 'g:EnumerationContext') ?? '';
  assert.match(context, /^[0-9A-F]{8}-0000-0000-0000-000000000000$/);
  const pulled = await wsman.call(envelope({ action: ACTION.pull, resourceUri: uri, messageId: '1', body: pullBody(context, 999) }));
  const recorded = fixture('cim/software/identity/pull.xml');
  assert.deepEqual(rootNamespaces(pulled.body), rootNamespaces(recorded));
  assert.deepEqual(tagSequence(pulled.body), tagSequence(recorded));
  const ids = (xml: string): string[] => [...xml.matchAll(/<h:InstanceID>([^<]*)</g)].map((m) => m[1] ?? '');
  assert.deepEqual(ids(pulled.body), ids(recorded));
});

test('Get CIM_SoftwareIdentity by InstanceID: the Get shape with h = common (get.xml)', async () => {
  const wsman = createTestWsman();
  const uri = `${SCHEMA_BASE.CIM}CIM_SoftwareIdentity`;
  const reply = await wsman.call(envelope({ action: ACTION.get, resourceUri: uri, selectors: { InstanceID: 'AMTApps' } }));
  const recorded = fixture('cim/software/identity/get.xml');
  assert.deepEqual(rootNamespaces(reply.body), rootNamespaces(recorded));
  assert.deepEqual(tagSequence(reply.body), tagSequence(recorded));
  assert.equal(textOf(reply.body, 'g:VersionString'), '16.1.27');
});

test('a fault has the captured shape (brief §2.5): fault prefix set in order, no ResourceURI, Code/Subcode/Reason/Detail', async () => {
  const wsman = createTestWsman();
  const reply = await wsman.call(envelope({ action: ACTION.get, resourceUri: `${SCHEMA_BASE.AMT}AMT_NoSuchClass`, messageId: '0' }));
  assert.equal(reply.status, 400);
  const brief = shared('research/amt-protocol.md');
  const captured = /```\n(<a:Header>[\s\S]*?<\/a:Body>)\n```/.exec(brief.slice(brief.indexOf('### 2.5 Faults')))?.[1] ?? '';
  assert.ok(captured.length > 0, 'captured fault found in the brief');
  const body = reply.body.slice(reply.body.indexOf('<a:Header>'), reply.body.indexOf('</a:Envelope>'));
  assert.equal(body.replace(/uuid:[0-9A-F-]+/, 'ID'), captured.replace(/\n/g, '').replace('...anonymous', ANONYMOUS).replace(/uuid:[0-9A-F-]+/, 'ID'));
  assert.deepEqual(rootNamespaces(reply.body).map(([p]) => p), ['g', 'f', 'e', 'd', 'c', 'b', 'a', 'h', 'i', 'xsi']);
});

test('MessageIDs count up per device; RelatesTo echoes integer and uuid MessageIDs verbatim', async () => {
  const wsman = createTestWsman();
  const uri = `${SCHEMA_BASE.AMT}AMT_GeneralSettings`;
  const first = await wsman.call(envelope({ action: ACTION.get, resourceUri: uri, messageId: 'uuid:4D1E5B0C-0000-4000-8000-0000000000AB' }));
  const second = await wsman.call(envelope({ action: ACTION.get, resourceUri: uri, messageId: '42' }));
  assert.equal(textOf(first.body, 'b:RelatesTo'), 'uuid:4D1E5B0C-0000-4000-8000-0000000000AB');
  assert.equal(textOf(second.body, 'b:RelatesTo'), '42');
  const n = (xml: string): number => Number.parseInt((textOf(xml, 'b:MessageID') ?? '').slice(-12), 16);
  assert.equal(n(second.body), n(first.body) + 1);
});
