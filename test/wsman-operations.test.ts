// Operations against the declared classes: Put persists through state, Create/Delete on a test
// class, enumeration paging/expiry/release, the dispatch faults, and registry validation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createClassRegistry, GENERAL_SETTINGS, SCHEMA_BASE, type ClassDeclaration, type Instance, type StateSlot } from '../src/amt/wsman/index.js';
import { versionEntries } from '../src/protocols/pthi/handlers-platform.js';
import { ACTION, createTestWsman, envelope, ENUMERATE_BODY, pullBody, TEST_FACTS, textOf } from '../src/amt/wsman/testing.js';

const GS = `${SCHEMA_BASE.AMT}AMT_GeneralSettings`;
const SI = `${SCHEMA_BASE.CIM}CIM_SoftwareIdentity`;
const subcode = (body: string): string | undefined => /<a:Subcode><a:Value>([^<]*)</.exec(body)?.[1];

const ITEMS: StateSlot<readonly Instance[]> = { name: 'test/items', initial: () => [] };
const TEST_ITEM: ClassDeclaration = {
  name: 'AMT_TestItem', schema: 'AMT', summary: 'test only', commonNamespace: false,
  properties: [{ name: 'InstanceID', type: 'string', key: true }, { name: 'Size', type: 'uint16', writable: true }],
  instances: (c) => c.state.get(ITEMS),
  operations: {
    get: { realms: ['General Info'] },
    create: { realms: ['PT Administration'], apply: (c, item) => { c.state.set(ITEMS, [...c.state.get(ITEMS), item]); return item; } },
    delete: { realms: ['PT Administration'], apply: (c, item) => c.state.set(ITEMS, c.state.get(ITEMS).filter((i) => i !== item)) },
    enumerate: { realms: ['General Info'] },
  },
  methods: [],
};

test('Put AMT_GeneralSettings changes writable settings in state and answers the resulting instance; read-only ones stay', async () => {
  const wsman = createTestWsman();
  const body = `<r:AMT_GeneralSettings xmlns:r="${GS}"><r:HostName>vme-host</r:HostName><r:DomainName>example.test</r:DomainName><r:DigestRealm>Digest:00</r:DigestRealm><r:PingResponseEnabled>false</r:PingResponseEnabled></r:AMT_GeneralSettings>`;
  const put = await wsman.call(envelope({ action: ACTION.put, resourceUri: GS, body }));
  assert.equal(put.status, 200, put.body);
  assert.equal(textOf(put.body, 'b:Action'), `${ACTION.put}Response`);
  assert.equal(textOf(put.body, 'g:HostName'), 'vme-host');
  assert.equal(textOf(put.body, 'g:DigestRealm'), 'Digest:727734D63A1FC0423736E48DA554E462');
  assert.equal(wsman.state.get(GENERAL_SETTINGS).DomainName, 'example.test');
  const get = await wsman.call(envelope({ action: ACTION.get, resourceUri: GS }));
  assert.equal(textOf(get.body, 'g:PingResponseEnabled'), 'false');
  const bad = await wsman.call(envelope({ action: ACTION.put, resourceUri: GS, body: `<r:AMT_GeneralSettings xmlns:r="${GS}"><r:DDNSTTL>-1</r:DDNSTTL></r:AMT_GeneralSettings>` }));
  assert.equal(subcode(bad.body), 'd:InvalidRepresentation');
  const badName = await wsman.call(envelope({ action: ACTION.put, resourceUri: GS, body: `<r:AMT_GeneralSettings xmlns:r="${GS}"><r:HostName>a b</r:HostName></r:AMT_GeneralSettings>` }));
  assert.equal(subcode(badName.body), 'd:InvalidRepresentation');
  const wrongBody = await wsman.call(envelope({ action: ACTION.put, resourceUri: GS, body: '<x/>' }));
  assert.equal(subcode(wrongBody.body), 'd:InvalidRepresentation');
  const operator = await wsman.call(envelope({ action: ACTION.put, resourceUri: GS, body }), ['General Info']);
  assert.equal(subcode(operator.body), 'e:AccessDenied');
});

test('Create answers ResourceCreated with the key EPR; Get/Delete by selector; missing → DestinationUnreachable', async () => {
  const wsman = createTestWsman({ extra: [TEST_ITEM] });
  const uri = `${SCHEMA_BASE.AMT}AMT_TestItem`;
  const created = await wsman.call(envelope({ action: ACTION.create, resourceUri: uri, body: `<h:AMT_TestItem xmlns:h="${uri}"><h:InstanceID>one</h:InstanceID><h:Size>7</h:Size></h:AMT_TestItem>` }));
  assert.equal(created.status, 200, created.body);
  assert.match(created.body, /xmlns:g="http:\/\/schemas\.xmlsoap\.org\/ws\/2004\/09\/transfer"/);
  assert.match(created.body, /<g:ResourceCreated><b:Address>[^<]+<\/b:Address><b:ReferenceParameters><c:ResourceURI>[^<]+AMT_TestItem<\/c:ResourceURI><c:SelectorSet><c:Selector Name="InstanceID">one<\/c:Selector><\/c:SelectorSet><\/b:ReferenceParameters><\/g:ResourceCreated>/);
  const got = await wsman.call(envelope({ action: ACTION.get, resourceUri: uri, selectors: { InstanceID: 'one' } }));
  assert.equal(textOf(got.body, 'g:Size'), '7');
  const wrongKey = await wsman.call(envelope({ action: ACTION.get, resourceUri: uri, selectors: { Size: '7' } }));
  assert.equal(subcode(wrongKey.body), 'e:InvalidSelectors');
  const deleted = await wsman.call(envelope({ action: ACTION.delete, resourceUri: uri, selectors: { InstanceID: 'one' } }));
  assert.equal(deleted.status, 200);
  assert.match(deleted.body, /<a:Body><\/a:Body>/);
  const again = await wsman.call(envelope({ action: ACTION.delete, resourceUri: uri, selectors: { InstanceID: 'one' } }));
  assert.equal(subcode(again.body), 'b:DestinationUnreachable');
});

test('enumeration: MaxElements pages with the context until EndOfSequence; Release; expiry; other users cannot pull', async () => {
  let now = 1_000;
  const wsman = createTestWsman({ enumerations: { clock: () => now, lifetimeMs: 5_000 } });
  const open = async (user = 'admin'): Promise<string> =>
    textOf((await wsman.call(envelope({ action: ACTION.enumerate, resourceUri: SI, body: ENUMERATE_BODY }), undefined, user)).body, 'g:EnumerationContext') ?? '';
  const context = await open();
  const items: string[] = [];
  for (;;) {
    const page = await wsman.call(envelope({ action: ACTION.pull, resourceUri: SI, body: pullBody(context, 4) }));
    items.push(...[...page.body.matchAll(/<h:InstanceID>([^<]*)</g)].map((m) => m[1] ?? ''));
    if (page.body.includes('<g:EndOfSequence></g:EndOfSequence>')) break;
    assert.equal(textOf(page.body, 'g:EnumerationContext'), context);
  }
  assert.deepEqual(items, versionEntries(TEST_FACTS.firmware).map(([id]) => id), 'same list as PTHI GetCodeVersions');
  const released = await open();
  assert.equal((await wsman.call(envelope({ action: ACTION.release, resourceUri: SI, body: pullBody(released) }))).status, 200);
  assert.equal(subcode((await wsman.call(envelope({ action: ACTION.pull, resourceUri: SI, body: pullBody(released) }))).body), 'c:InvalidEnumerationContext');
  const stolen = await open('someone');
  assert.equal(subcode((await wsman.call(envelope({ action: ACTION.pull, resourceUri: SI, body: pullBody(stolen) }))).body), 'c:InvalidEnumerationContext');
  const expiring = await open();
  now += 5_001;
  assert.equal(subcode((await wsman.call(envelope({ action: ACTION.pull, resourceUri: SI, body: pullBody(expiring) }))).body), 'c:InvalidEnumerationContext');
  assert.equal(wsman.handler.enumerations.size, 0);
});

test('dispatch faults: unknown class, unknown action, unsupported operation, EnumerationMode, no ResourceURI, other paths', async () => {
  const wsman = createTestWsman();
  const cases: [string, string][] = [
    [envelope({ action: ACTION.get, resourceUri: `${SCHEMA_BASE.AMT}AMT_Nothing` }), 'b:DestinationUnreachable'],
    [envelope({ action: ACTION.get }), 'b:DestinationUnreachable'],
    [envelope({ action: `${GS}/NoSuchMethod`, resourceUri: GS }), 'b:ActionNotSupported'],
    [envelope({ action: 'urn:nothing', resourceUri: GS }), 'b:ActionNotSupported'],
    [envelope({ action: ACTION.delete, resourceUri: GS }), 'b:ActionNotSupported'],
    [envelope({ action: ACTION.enumerate, resourceUri: SI, body: `<Enumerate xmlns="http://schemas.xmlsoap.org/ws/2004/09/enumeration"><w:EnumerationMode xmlns:w="http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd">EnumerateObjectAndEPR</w:EnumerationMode></Enumerate>` }), 'e:UnsupportedFeature'],
    [envelope({ action: ACTION.get, resourceUri: SI }), 'e:InvalidSelectors'],
    [envelope({ action: ACTION.get, resourceUri: SI, selectors: { InstanceID: 'Nope' } }), 'b:DestinationUnreachable'],
  ];
  for (const [xml, expected] of cases) {
    const reply = await wsman.call(xml);
    assert.equal(reply.status, 400);
    assert.equal(subcode(reply.body), expected, xml.slice(0, 200));
  }
  const page = await wsman.handler({ method: 'POST', path: '/other', headers: new Map(), body: new Uint8Array(), principal: { user: 'a', realms: [] }, transport: 'http', origin: 'network', remote: { address: '127.0.0.1', port: 1 } });
  assert.deepEqual(page, { kind: 'page', status: 404, message: 'Not Found.' });
});

test('the registry refuses bad declarations up front (VME_ERR_WSMAN_DECLARATION)', () => {
  const bad = (patch: Partial<ClassDeclaration>): void => {
    assert.throws(() => createClassRegistry([{ ...TEST_ITEM, ...patch }]), { code: 'VME_ERR_WSMAN_DECLARATION' });
  };
  assert.throws(() => createClassRegistry([TEST_ITEM, TEST_ITEM]), { code: 'VME_ERR_WSMAN_DECLARATION' });
  bad({ name: 'CIM_TestItem' });
  bad({ properties: [{ name: 'A', type: 'string' }, { name: 'A', type: 'string' }] });
  bad({ operations: { get: { realms: [] } } });
  bad({ operations: { get: { realms: ['Root' as 'ACL'] } } });
  bad({ methods: [{ name: 'M', realms: ['ACL'], inputs: [], outputs: [], returnValues: { 1: 'x' }, invoke: () => ({ returnValue: 1 }) }] });
});
