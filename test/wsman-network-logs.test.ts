// Network, time, event log, alarm clock, redirection and consent classes (brief §3.5, §3.6, §3.10):
// reply shapes against the recorded AMT replies (read from ../shared), Put validation, the consent
// state machine from the console's side (and an attacker's), and the calls RPS/rpc-go and
// MeshCentral make, built by @open-amt-cloud-toolkit/wsman-messages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { PROVISIONING, SCHEMA_BASE } from '../src/amt/wsman/index.js';
import { resetOnUnprovision, resetSlots } from '../src/amt/wsman/state.js';
import {
  appendEventLogRecord, dueAlarms, EventLogRecordLayout, KVM_SETTINGS, MESSAGE_LOG, MESSAGE_LOG_CAPACITY, optInCodeToDisplay, redirectionFeatures,
  setOptInSession, type EventLogRecord,
} from '../src/amt/wsman/classes/group-network-logs.js';
import { UNSUPPORTED_CLASSES } from '../src/amt/wsman/classes/unsupported.js';
import { ACTION, createTestWsman, envelope, ENUMERATE_BODY, pullBody, rootNamespaces, tagSequence, TEST_FACTS, textOf, type TestWsman } from '../src/amt/wsman/testing.js';

interface MessageSet { [service: string]: { [call: string]: ((...args: unknown[]) => string) | undefined } | undefined }
const wsmanMessages = createRequire(import.meta.url)('@open-amt-cloud-toolkit/wsman-messages') as Record<'AMT' | 'CIM' | 'IPS', { Messages: new () => MessageSet }>;
const built = (schema: 'AMT' | 'CIM' | 'IPS', service: string, name: string, ...args: unknown[]): string => {
  const fn = new wsmanMessages[schema].Messages()[service]?.[name];
  if (fn === undefined) throw new Error(`wsman-messages has no ${schema}.${service}.${name}`);
  return fn(...args);
};

const fixture = (path: string): string => readFileSync(new URL(`../../../shared/fixtures/amt-responses/${path}`, import.meta.url), 'utf8');
const subcode = (body: string): string | undefined => /<a:Subcode><a:Value>([^<]*)</.exec(body)?.[1];
const uriOf = (name: string): string => SCHEMA_BASE[name.slice(0, 3) as 'AMT' | 'CIM' | 'IPS'] + name;
const T0 = Date.UTC(2026, 10, 21, 12, 0, 0);

function setup(): TestWsman & { now: { ms: number } } {
  const wsman = createTestWsman();
  const now = { ms: T0 };
  wsman.device.clock = () => now.ms;
  return Object.assign(wsman, { now });
}

async function invoke(wsman: TestWsman, cls: string, method: string, inner = '', realms?: readonly string[]): Promise<{ status: number; body: string }> {
  const uri = uriOf(cls);
  return wsman.call(envelope({ action: `${uri}/${method}`, resourceUri: uri, body: `<h:${method}_INPUT xmlns:h="${uri}">${inner}</h:${method}_INPUT>` }), realms);
}

const returnValue = (body: string): number => Number(textOf(body, 'g:ReturnValue'));
const get = async (wsman: TestWsman, cls: string): Promise<string> => (await wsman.call(envelope({ action: ACTION.get, resourceUri: uriOf(cls) }))).body;
const put = (wsman: TestWsman, cls: string, inner: string, selectors?: Record<string, string>): Promise<{ status: number; body: string }> =>
  wsman.call(envelope({ action: ACTION.put, resourceUri: uriOf(cls), body: `<h:${cls} xmlns:h="${uriOf(cls)}">${inner}</h:${cls}>`, ...(selectors ? { selectors } : {}) }));

async function enumeratePull(wsman: TestWsman, cls: string): Promise<string> {
  const uri = uriOf(cls);
  const opened = await wsman.call(envelope({ action: ACTION.enumerate, resourceUri: uri, body: ENUMERATE_BODY }));
  assert.equal(opened.status, 200, opened.body);
  return (await wsman.call(envelope({ action: ACTION.pull, resourceUri: uri, body: pullBody(textOf(opened.body, 'g:EnumerationContext') ?? '', 999) }))).body;
}

const SHAPES = [
  { cls: 'AMT_TimeSynchronizationService', dir: 'amt/timesynchronization' },
  { cls: 'AMT_MessageLog', dir: 'amt/messagelog' },
  { cls: 'AMT_AlarmClockService', dir: 'amt/alarmclock' },
  { cls: 'AMT_RedirectionService', dir: 'amt/redirectionservice' },
  { cls: 'CIM_KVMRedirectionSAP', dir: 'cim/kvm' },
  { cls: 'IPS_OptInService', dir: 'ips/optin' },
  { cls: 'IPS_KVMRedirectionSettingData', dir: 'ips/kvmredirection/settings' },
];

for (const { cls, dir } of SHAPES) {
  test(`${cls}: Get and Enumerate/Pull have the recorded shapes (${dir}/get.xml, pull.xml)`, async () => {
    const wsman = setup();
    const got = await get(wsman, cls);
    assert.deepEqual(rootNamespaces(got), rootNamespaces(fixture(`${dir}/get.xml`)));
    assert.deepEqual(tagSequence(got), tagSequence(fixture(`${dir}/get.xml`)));
    const pulled = await enumeratePull(wsman, cls);
    assert.deepEqual(rootNamespaces(pulled), rootNamespaces(fixture(`${dir}/pull.xml`)));
    assert.deepEqual(tagSequence(pulled), tagSequence(fixture(`${dir}/pull.xml`)));
  });
}

/** Property names of the first instance in a reply, each once, in order. */
const names = (xml: string, cls: string): string[] => {
  const body = xml.slice(xml.indexOf(`:${cls}>`), xml.indexOf(`</`, xml.lastIndexOf(`:${cls}>`)));
  return [...new Set([...body.matchAll(/<\w+:(\w+)>/g)].map((m) => m[1] ?? '').filter((n) => n !== cls))];
};

test('AMT_EthernetPortSettings: the recorded property order, the platform MAC, DHCP reports the platform address', async () => {
  const wsman = setup();
  const got = await get(wsman, 'AMT_EthernetPortSettings');
  assert.deepEqual(rootNamespaces(got), rootNamespaces(fixture('amt/ethernetport/get.xml')));
  assert.equal(textOf(got, 'g:MACAddress'), textOf(fixture('amt/ethernetport/get.xml'), 'g:MACAddress'));
  assert.equal(textOf(got, 'g:InstanceID'), 'Intel(r) AMT Ethernet Port Settings 0');
  assert.equal(textOf(got, 'g:IPAddress'), TEST_FACTS.networkAddress);
  assert.equal(textOf(got, 'g:DHCPEnabled'), 'true');
  const recorded = names(fixture('amt/ethernetport/put.xml'), 'AMT_EthernetPortSettings');
  assert.deepEqual(names(got, 'AMT_EthernetPortSettings'), recorded.filter((n) => n !== 'SecondaryDNS'));
  const pulled = await enumeratePull(wsman, 'AMT_EthernetPortSettings');
  assert.deepEqual(rootNamespaces(pulled), rootNamespaces(fixture('amt/ethernetport/pull.xml')));
  assert.equal([...pulled.matchAll(/<h:AMT_EthernetPortSettings>/g)].length, 1, 'the wired port only');
});

test('AMT_EthernetPortSettings Put: RPS DHCP and static profiles (wsman-messages), MeshCommander manual static, refused combinations', async () => {
  const wsman = setup();
  const id = 'Intel(r) AMT Ethernet Port Settings 0';
  const staticSync = await wsman.call(built('AMT', 'EthernetPortSettings', 'Put', { InstanceID: id, ElementName: 'x', DHCPEnabled: false, IpSyncEnabled: true, SharedStaticIp: true, LinkPolicy: [1, 14] }));
  assert.equal(staticSync.status, 200, staticSync.body);
  assert.equal(textOf(staticSync.body, 'g:SharedStaticIp'), 'true');
  assert.equal(textOf(staticSync.body, 'g:IPAddress'), TEST_FACTS.networkAddress, 'synced from the host');

  const manual = '<h:DHCPEnabled>false</h:DHCPEnabled><h:IpSyncEnabled>false</h:IpSyncEnabled><h:SharedStaticIp>false</h:SharedStaticIp>'
    + '<h:IPAddress>192.168.0.24</h:IPAddress><h:SubnetMask>255.255.255.0</h:SubnetMask><h:DefaultGateway>192.168.0.1</h:DefaultGateway>'
    + '<h:PrimaryDNS>68.105.28.11</h:PrimaryDNS><h:SecondaryDNS>68.105.29.11</h:SecondaryDNS><h:LinkPolicy>1</h:LinkPolicy><h:LinkPolicy>14</h:LinkPolicy><h:LinkPolicy>16</h:LinkPolicy>';
  const set = await put(wsman, 'AMT_EthernetPortSettings', manual, { InstanceID: id });
  assert.equal(set.status, 200, set.body);
  assert.deepEqual(names(set.body, 'AMT_EthernetPortSettings'), names(fixture('amt/ethernetport/put.xml'), 'AMT_EthernetPortSettings'));
  assert.deepEqual(tagSequence(set.body).filter((t) => t.startsWith('g:')), tagSequence(fixture('amt/ethernetport/put.xml')).filter((t) => t.startsWith('g:')));
  assert.equal(textOf(await get(wsman, 'AMT_EthernetPortSettings'), 'g:IPAddress'), '192.168.0.24');

  const refused = [
    ['DHCP with an address', '<h:DHCPEnabled>true</h:DHCPEnabled><h:IPAddress>10.0.0.5</h:IPAddress>'],
    ['DHCP with SharedStaticIp', '<h:DHCPEnabled>true</h:DHCPEnabled><h:SharedStaticIp>true</h:SharedStaticIp>'],
    ['IP sync with a mask', '<h:IpSyncEnabled>true</h:IpSyncEnabled><h:SubnetMask>255.0.0.0</h:SubnetMask>'],
    ['holes in the mask', '<h:SubnetMask>255.0.255.0</h:SubnetMask>'],
    ['not an address', '<h:IPAddress>192.168.0.300</h:IPAddress>'],
    ['broadcast address', '<h:IPAddress>192.168.0.255</h:IPAddress>'],
    ['multicast address', '<h:IPAddress>224.0.0.1</h:IPAddress>'],
    ['bad gateway', '<h:DefaultGateway>gateway</h:DefaultGateway>'],
    ['unknown link policy', '<h:LinkPolicy>2</h:LinkPolicy>'],
  ] as const;
  for (const [why, inner] of refused) {
    const reply = await put(wsman, 'AMT_EthernetPortSettings', inner);
    assert.equal(subcode(reply.body), 'd:InvalidRepresentation', why);
  }
  assert.equal(textOf(await get(wsman, 'AMT_EthernetPortSettings'), 'g:IPAddress'), '192.168.0.24', 'refused Puts change nothing');
  const noAddress = createTestWsman();
  assert.equal(subcode((await put(noAddress, 'AMT_EthernetPortSettings', '<h:DHCPEnabled>false</h:DHCPEnabled><h:IpSyncEnabled>false</h:IpSyncEnabled>')).body), 'd:InvalidRepresentation');

  const dhcp = await wsman.call(built('AMT', 'EthernetPortSettings', 'Put', { InstanceID: id, DHCPEnabled: true, IpSyncEnabled: true, SharedStaticIp: false }));
  assert.equal(dhcp.status, 200, dhcp.body);
  assert.equal(textOf(dhcp.body, 'g:IPAddress'), TEST_FACTS.networkAddress);
  assert.equal(textOf(dhcp.body, 'g:SecondaryDNS'), undefined);
  const operator = await put(wsman, 'AMT_EthernetPortSettings', '<h:DHCPEnabled>true</h:DHCPEnabled>');
  assert.equal(operator.status, 200);
  assert.equal(subcode((await wsman.call(envelope({ action: ACTION.put, resourceUri: uriOf('AMT_EthernetPortSettings'), body: '<x/>' }), ['General Info'])).body), 'e:AccessDenied');
});

test('time sync: GetLowAccuracyTimeSynch is the engine clock; SetHighAccuracyTimeSynch (wsman-messages, MeshCentral style) moves the AMT clock for later reads', async () => {
  const wsman = setup();
  const low = await wsman.call(built('AMT', 'TimeSynchronizationService', 'GetLowAccuracyTimeSynch'));
  assert.deepEqual(tagSequence(low.body), tagSequence(fixture('amt/timesynchronization/getlowaccuracytimesynch.xml')));
  assert.deepEqual(rootNamespaces(low.body), rootNamespaces(fixture('amt/timesynchronization/getlowaccuracytimesynch.xml')));
  const ta0 = Number(textOf(low.body, 'g:Ta0'));
  assert.equal(ta0, T0 / 1000);
  const consoleNow = ta0 + 3600; // the console's clock is an hour ahead
  wsman.now.ms += 2000;
  const set = await wsman.call(built('AMT', 'TimeSynchronizationService', 'SetHighAccuracyTimeSynch', ta0, consoleNow, consoleNow));
  assert.equal(set.status, 200, set.body);
  assert.deepEqual(tagSequence(set.body), tagSequence(fixture('amt/timesynchronization/sethighaccuracytimesynch.xml')));
  assert.equal(returnValue(set.body), 0);
  wsman.now.ms += 10_000;
  const later = Number(textOf((await invoke(wsman, 'AMT_TimeSynchronizationService', 'GetLowAccuracyTimeSynch')).body, 'g:Ta0'));
  assert.ok(Math.abs(later - (consoleNow + 10 + 1)) <= 1, `AMT clock follows the console: ${later - consoleNow}`);

  const future = await invoke(wsman, 'AMT_TimeSynchronizationService', 'SetHighAccuracyTimeSynch', `<h:Ta0>${later + 100}</h:Ta0><h:Tm1>1</h:Tm1><h:Tm2>2</h:Tm2>`);
  assert.equal(returnValue(future.body), 36, 'Ta0 AMT has not reached yet');
  const backwards = await invoke(wsman, 'AMT_TimeSynchronizationService', 'SetHighAccuracyTimeSynch', `<h:Ta0>${later}</h:Ta0><h:Tm1>9</h:Tm1><h:Tm2>2</h:Tm2>`);
  assert.equal(returnValue(backwards.body), 36, 'Tm1 after Tm2');
  const missing = await invoke(wsman, 'AMT_TimeSynchronizationService', 'SetHighAccuracyTimeSynch', `<h:Ta0>${later}</h:Ta0>`);
  assert.equal(subcode(missing.body), 'e:InvalidParameter');
  const reader = await invoke(wsman, 'AMT_TimeSynchronizationService', 'SetHighAccuracyTimeSynch', `<h:Ta0>${later}</h:Ta0><h:Tm1>1</h:Tm1><h:Tm2>2</h:Tm2>`, ['General Info']);
  assert.equal(subcode(reader.body), 'e:AccessDenied', 'setting the clock needs the Network Time realm');
});

const record = (n: number): EventLogRecord => ({
  timestamp: 1_700_000_000 + n, deviceAddress: 0xff, eventSensorType: 0x0f, eventType: 0x6f, eventOffset: 2, eventSourceType: 0x68,
  eventSeverity: n % 2 === 0 ? 1 : 16, sensorNumber: 0xff, entity: 0x22, entityInstance: 0, eventData: [0x40, n & 0xff, 0, 0, 0, 0, 0, 0],
});

test('event log: the recorded 21-byte layout, GetRecords newest first in pages, the ring keeps the newest 390', async () => {
  const recorded = [...fixture('amt/messagelog/getrecords.xml').matchAll(/<g:RecordArray>([^<]*)</g)].map((m) => Buffer.from(m[1] ?? '', 'base64'));
  for (const bytes of recorded) {
    assert.equal(bytes.length, EventLogRecordLayout.size);
    assert.deepEqual(Buffer.from(EventLogRecordLayout.serialize(EventLogRecordLayout.parse(bytes))), bytes);
  }
  const wsman = setup();
  const empty = await wsman.call(built('AMT', 'MessageLog', 'PositionToFirstRecord'));
  assert.equal(returnValue(empty.body), 2, 'no record exists');
  for (let n = 0; n < MESSAGE_LOG_CAPACITY + 10; n++) assert.ok(appendEventLogRecord(wsman.state, record(n)));
  assert.equal(wsman.state.get(MESSAGE_LOG).records.length, MESSAGE_LOG_CAPACITY);
  assert.equal(textOf(await get(wsman, 'AMT_MessageLog'), 'g:CurrentNumberOfRecords'), '390');

  const first = await wsman.call(built('AMT', 'MessageLog', 'PositionToFirstRecord'));
  assert.deepEqual(tagSequence(first.body), tagSequence(fixture('amt/messagelog/positiontofirstrecord.xml')));
  assert.equal(textOf(first.body, 'g:IterationIdentifier'), '1');
  const page = await invoke(wsman, 'AMT_MessageLog', 'GetRecords', '<h:IterationIdentifier>1</h:IterationIdentifier><h:MaxReadRecords>3</h:MaxReadRecords>');
  assert.deepEqual(tagSequence(page.body), tagSequence(fixture('amt/messagelog/getrecords.xml')));
  assert.equal(textOf(page.body, 'g:NoMoreRecords'), 'false');
  const stamps = (xml: string): number[] => [...xml.matchAll(/<g:RecordArray>([^<]*)</g)].map((m) => EventLogRecordLayout.parse(Buffer.from(m[1] ?? '', 'base64')).timestamp);
  assert.deepEqual(stamps(page.body), [1_700_000_399, 1_700_000_398, 1_700_000_397]);
  let identifier = textOf(page.body, 'g:IterationIdentifier') ?? '';
  assert.equal(identifier, '4');
  const all = stamps(page.body);
  for (let guard = 0; guard < 10; guard++) {
    const next = await wsman.call(built('AMT', 'MessageLog', 'GetRecords', Number(identifier)));
    all.push(...stamps(next.body));
    identifier = textOf(next.body, 'g:IterationIdentifier') ?? '';
    if (textOf(next.body, 'g:NoMoreRecords') === 'true') break;
  }
  assert.equal(all.length, MESSAGE_LOG_CAPACITY);
  assert.equal(all.at(-1), 1_700_000_010, 'the ten oldest were overwritten');
  for (const bad of ['0', '391', 'x', '']) {
    const reply = await invoke(wsman, 'AMT_MessageLog', 'GetRecords', `<h:IterationIdentifier>${bad}</h:IterationIdentifier><h:MaxReadRecords>5</h:MaxReadRecords>`);
    assert.equal(returnValue(reply.body), 2, `identifier ${JSON.stringify(bad)}`);
  }
});

test('event log: FreezeLog drops new records, ClearLog empties; both need the Event Manager realm, reading Event Log Reader', async () => {
  const wsman = setup();
  appendEventLogRecord(wsman.state, record(1));
  assert.equal(subcode((await invoke(wsman, 'AMT_MessageLog', 'FreezeLog', '<h:Freeze>true</h:Freeze>', ['Event Log Reader'])).body), 'e:AccessDenied');
  assert.equal(returnValue((await invoke(wsman, 'AMT_MessageLog', 'FreezeLog', '<h:Freeze>1</h:Freeze>')).body), 0);
  assert.equal(textOf(await get(wsman, 'AMT_MessageLog'), 'g:IsFrozen'), 'true');
  assert.equal(appendEventLogRecord(wsman.state, record(2)), false);
  assert.equal(returnValue((await invoke(wsman, 'AMT_MessageLog', 'FreezeLog', '<h:Freeze>false</h:Freeze>')).body), 0);
  assert.equal(appendEventLogRecord(wsman.state, record(3)), true);
  const read = await invoke(wsman, 'AMT_MessageLog', 'GetRecords', '<h:IterationIdentifier>1</h:IterationIdentifier><h:MaxReadRecords>390</h:MaxReadRecords>', ['Event Log Reader']);
  assert.equal([...read.body.matchAll(/<g:RecordArray>/g)].length, 2);
  assert.equal(textOf(read.body, 'g:NoMoreRecords'), 'true');
  assert.equal(returnValue((await invoke(wsman, 'AMT_MessageLog', 'ClearLog')).body), 0);
  assert.equal(textOf(await get(wsman, 'AMT_MessageLog'), 'g:CurrentNumberOfRecords'), '0');
});

const OCCURRENCE = uriOf('IPS_AlarmClockOccurrence');
const alarmBody = (id: string, start: string, extra = ''): string =>
  `<s:IPS_AlarmClockOccurrence xmlns:s="${OCCURRENCE}"><s:InstanceID>${id}</s:InstanceID><s:StartTime><p:Datetime xmlns:p="http://schemas.dmtf.org/wbem/wscim/1/common">${start}</p:Datetime></s:StartTime>${extra}</s:IPS_AlarmClockOccurrence>`;
const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

test('alarm clock: Create, Enumerate (wsman-messages), Put, Delete; duplicates, past times and missing alarms refused', async () => {
  const wsman = setup();
  const create = (body: string): Promise<{ status: number; body: string }> => wsman.call(envelope({ action: ACTION.create, resourceUri: OCCURRENCE, body }));
  const created = await create(alarmBody('wake', iso(T0 + 3_600_000), '<s:DeleteOnCompletion>false</s:DeleteOnCompletion>'));
  assert.equal(created.status, 200, created.body);
  assert.match(created.body, /<c:Selector Name="InstanceID">wake<\/c:Selector>/);
  assert.equal(subcode((await create(alarmBody('wake', iso(T0 + 7_200_000)))).body), 'd:InvalidRepresentation', 'duplicate InstanceID');
  assert.equal(subcode((await create(alarmBody('past', iso(T0 - 1000)))).body), 'd:InvalidRepresentation', 'not in the future');
  assert.equal(subcode((await create(alarmBody('junk', 'tomorrow'))).body), 'd:InvalidRepresentation');
  const opened = await wsman.call(built('IPS', 'AlarmClockOccurrence', 'Enumerate'));
  const pulled = await wsman.call(built('IPS', 'AlarmClockOccurrence', 'Pull', textOf(opened.body, 'g:EnumerationContext')));
  assert.match(pulled.body, /<h:IPS_AlarmClockOccurrence><h:DeleteOnCompletion>false<\/h:DeleteOnCompletion><h:ElementName>wake<\/h:ElementName><h:InstanceID>wake<\/h:InstanceID><h:StartTime><i:Datetime>2026-11-21T13:00:00Z<\/i:Datetime><\/h:StartTime><\/h:IPS_AlarmClockOccurrence>/);
  const got = await wsman.call(envelope({ action: ACTION.get, resourceUri: OCCURRENCE, selectors: { InstanceID: 'wake' } }));
  assert.equal(textOf(got.body, 'g:ElementName'), 'wake');
  assert.match(got.body, /<g:StartTime><h:Datetime>2026-11-21T13:00:00Z<\/h:Datetime><\/g:StartTime>/);
  assert.equal(subcode((await wsman.call(envelope({ action: ACTION.get, resourceUri: OCCURRENCE, selectors: { InstanceID: 'nope' } }))).body), 'b:DestinationUnreachable');
  const moved = await wsman.call(envelope({ action: ACTION.put, resourceUri: OCCURRENCE, selectors: { InstanceID: 'wake' }, body: alarmBody('wake', iso(T0 + 60_000)) }));
  assert.equal(moved.status, 200, moved.body);
  assert.match(moved.body, /2026-11-21T12:01:00Z/);
  const deleted = await wsman.call(built('IPS', 'AlarmClockOccurrence', 'Delete', { name: 'InstanceID', value: 'wake' }));
  assert.equal(deleted.status, 200, deleted.body);
  assert.deepEqual(tagSequence(deleted.body), tagSequence(fixture('ips/alarmclock/delete.xml')));
  const again = await wsman.call(built('IPS', 'AlarmClockOccurrence', 'Delete', { name: 'InstanceID', value: 'wake' }));
  assert.equal(subcode(again.body), 'b:DestinationUnreachable', 'as MPS deleteAlarmClockOccurrenceNotFound');
  const reader = await wsman.call(envelope({ action: ACTION.create, resourceUri: OCCURRENCE, body: alarmBody('r', iso(T0 + 60_000)) }), ['General Info']);
  assert.equal(subcode(reader.body), 'e:AccessDenied');
});

test('alarm clock: dueAlarms hands each alarm out once, on the AMT clock; DeleteOnCompletion removes it', async () => {
  const wsman = setup();
  for (const [id, offset, keep] of [['early', 60_000, false], ['late', 600_000, true]] as const) {
    const body = alarmBody(id, iso(T0 + offset), `<s:DeleteOnCompletion>${!keep}</s:DeleteOnCompletion>`);
    assert.equal((await wsman.call(envelope({ action: ACTION.create, resourceUri: OCCURRENCE, body }))).status, 200);
  }
  assert.deepEqual(dueAlarms(wsman.state, T0 + 59_000), []);
  assert.deepEqual(dueAlarms(wsman.state, T0 + 60_000).map((a) => a.instanceId), ['early']);
  assert.deepEqual(dueAlarms(wsman.state, T0 + 61_000), [], 'handed out once');
  assert.deepEqual(dueAlarms(wsman.state, T0 + 700_000).map((a) => a.instanceId), ['late']);
  assert.deepEqual(dueAlarms(wsman.state, T0 + 800_000), []);
  const listed = await enumeratePull(wsman, 'IPS_AlarmClockOccurrence');
  assert.deepEqual([...listed.matchAll(/<h:InstanceID>([^<]*)</g)].map((m) => m[1]), ['late'], 'early deleted on completion, late kept');
  const clock = await invoke(wsman, 'AMT_TimeSynchronizationService', 'SetHighAccuracyTimeSynch', `<h:Ta0>${T0 / 1000}</h:Ta0><h:Tm1>${T0 / 1000 + 900}</h:Tm1><h:Tm2>${T0 / 1000 + 900}</h:Tm2>`);
  assert.equal(returnValue(clock.body), 0);
  const body = alarmBody('shifted', iso(T0 + 1_000_000));
  assert.equal((await wsman.call(envelope({ action: ACTION.create, resourceUri: OCCURRENCE, body }))).status, 200);
  assert.deepEqual(dueAlarms(wsman.state, T0 + 100_000).map((a) => a.instanceId), ['shifted'], 'the AMT clock runs 900 s ahead');
});

test('redirection: RPS/MeshCentral feature switching through wsman-messages; KVM EnabledState 2/6/3; MEBx-disabled KVM refused', async () => {
  const wsman = setup();
  const change = await wsman.call(built('AMT', 'RedirectionService', 'RequestStateChange', 32771));
  assert.deepEqual(tagSequence(change.body), tagSequence(fixture('amt/redirectionservice/requeststatechange.xml')));
  assert.equal(returnValue(change.body), 0);
  assert.equal(returnValue((await wsman.call(built('AMT', 'RedirectionService', 'RequestStateChange', 40000))).body), 5);
  assert.equal(returnValue((await wsman.call(built('CIM', 'KVMRedirectionSAP', 'RequestStateChange', 2))).body), 0);
  assert.equal(textOf(await get(wsman, 'CIM_KVMRedirectionSAP'), 'g:EnabledState'), '6', 'enabled but the listener is off');
  const service = textOf(await wsman.call(built('AMT', 'RedirectionService', 'Get')).then((r) => r.body), 'g:EnabledState');
  assert.equal(service, '32771');
  const listener = await wsman.call(built('AMT', 'RedirectionService', 'Put', {
    CreationClassName: 'AMT_RedirectionService', ElementName: 'Intel(r) AMT Redirection Service', EnabledState: 32771, ListenerEnabled: true,
    Name: 'Intel(r) AMT Redirection Service', SystemCreationClassName: 'CIM_ComputerSystem', SystemName: 'Intel(r) AMT',
  }));
  assert.equal(listener.status, 200, listener.body);
  assert.deepEqual(tagSequence(listener.body), tagSequence(fixture('amt/redirectionservice/put.xml')));
  assert.equal(textOf(await get(wsman, 'CIM_KVMRedirectionSAP'), 'g:EnabledState'), '2');
  assert.deepEqual(redirectionFeatures(wsman.state), { listener: true, ider: true, sol: true, kvm: true });
  assert.equal(returnValue((await wsman.call(built('AMT', 'RedirectionService', 'RequestStateChange', 32770))).body), 0);
  assert.deepEqual(redirectionFeatures(wsman.state), { listener: true, ider: false, sol: true, kvm: true });
  assert.equal(returnValue((await wsman.call(built('CIM', 'KVMRedirectionSAP', 'RequestStateChange', 3))).body), 0);
  assert.equal(textOf(await get(wsman, 'CIM_KVMRedirectionSAP'), 'g:EnabledState'), '3');
  wsman.state.set(KVM_SETTINGS, { ...wsman.state.get(KVM_SETTINGS), enabledByMebx: false });
  assert.equal(returnValue((await wsman.call(built('CIM', 'KVMRedirectionSAP', 'RequestStateChange', 2))).body), 4, 'KVM is off in MEBx');
  assert.equal(returnValue((await wsman.call(built('CIM', 'KVMRedirectionSAP', 'RequestStateChange', 7))).body), 5);
  const reader = await invoke(wsman, 'AMT_RedirectionService', 'RequestStateChange', '<h:RequestedState>32768</h:RequestedState>', ['Redirection', 'General Info']);
  assert.equal(subcode(reader.body), 'e:AccessDenied');
});

test('IPS_KVMRedirectionSettingData Put: RFBPassword write-only with the strength rule; port 5900 needs one; OptInPolicy follows the consent policy', async () => {
  const wsman = setup();
  const kvm = 'IPS_KVMRedirectionSettingData';
  for (const weak of ['Short1!', 'alllower1!', 'NoDigits!', 'NoSymbol1', 'lower1!x', 'UPPER1!X', 'Ünïcode1!']) {
    assert.equal(subcode((await put(wsman, kvm, `<h:RFBPassword>${weak}</h:RFBPassword>`)).body), 'd:InvalidRepresentation', weak);
  }
  assert.equal(subcode((await put(wsman, kvm, '<h:Is5900PortEnabled>true</h:Is5900PortEnabled>')).body), 'd:InvalidRepresentation', 'no password yet');
  const set = await put(wsman, kvm, '<h:Is5900PortEnabled>true</h:Is5900PortEnabled><h:RFBPassword>Pa$$w0rd</h:RFBPassword><h:SessionTimeout>10</h:SessionTimeout>');
  assert.equal(set.status, 200, set.body);
  assert.equal(textOf(set.body, 'g:RFBPassword'), '', 'write-only');
  assert.ok(!set.body.includes('Pa$$w0rd'));
  assert.equal(wsman.state.get(KVM_SETTINGS).rfbPassword, 'Pa$$w0rd');
  const keep = await put(wsman, kvm, '<h:RFBPassword></h:RFBPassword><h:DefaultScreen>1</h:DefaultScreen>');
  assert.equal(keep.status, 200);
  assert.equal(wsman.state.get(KVM_SETTINGS).rfbPassword, 'Pa$$w0rd', 'an empty RFBPassword keeps the current one');
  assert.equal(subcode((await put(wsman, kvm, '<h:DefaultScreen>3</h:DefaultScreen>')).body), 'd:InvalidRepresentation');
  assert.equal(subcode((await put(wsman, kvm, '<h:SessionTimeout>0</h:SessionTimeout>')).body), 'd:InvalidRepresentation');
  const off = await put(wsman, kvm, '<h:OptInPolicy>false</h:OptInPolicy>');
  assert.equal(textOf(off.body, 'g:OptInPolicy'), 'false');
  assert.equal(textOf(await get(wsman, 'IPS_OptInService'), 'g:OptInRequired'), '0');
  wsman.state.set(PROVISIONING, { ...wsman.state.get(PROVISIONING), state: 2, controlMode: 1 });
  assert.equal(textOf(await get(wsman, kvm), 'g:OptInPolicy'), 'true', 'client control mode always asks for consent');
  assert.equal(subcode((await put(wsman, kvm, '<h:OptInPolicy>false</h:OptInPolicy>')).body), 'd:InvalidRepresentation');
});

test('IPS_OptInService policy: wsman-messages Put as RPS sends it; forced to all and not modifiable in client control mode; bad values refused', async () => {
  const wsman = setup();
  const rpsPut = (required: number): string => built('IPS', 'OptInService', 'Put', { IPS_OptInService: {
    CanModifyOptInPolicy: 1, CreationClassName: 'IPS_OptInService', ElementName: 'Intel(r) AMT OptIn Service', Name: 'Intel(r) AMT OptIn Service',
    OptInCodeTimeout: 120, OptInDisplayTimeout: 300, OptInRequired: required, OptInState: 0, SystemCreationClassName: 'CIM_ComputerSystem', SystemName: 'Intel(r) AMT',
  } });
  const none = await wsman.call(rpsPut(0));
  assert.equal(none.status, 200, none.body);
  assert.deepEqual(tagSequence(none.body), tagSequence(fixture('ips/optin/get.xml')));
  assert.equal(textOf(none.body, 'g:OptInRequired'), '0');
  assert.equal(subcode((await wsman.call(rpsPut(2))).body), 'd:InvalidRepresentation');
  assert.equal(subcode((await put(wsman, 'IPS_OptInService', '<h:OptInDisplayTimeout>0</h:OptInDisplayTimeout>')).body), 'd:InvalidRepresentation');
  wsman.state.set(PROVISIONING, { ...wsman.state.get(PROVISIONING), state: 2, controlMode: 1 });
  const ccm = await get(wsman, 'IPS_OptInService');
  assert.equal(textOf(ccm, 'g:OptInRequired'), '4294967295');
  assert.equal(textOf(ccm, 'g:CanModifyOptInPolicy'), '0');
  assert.equal(subcode((await wsman.call(rpsPut(0))).body), 'd:InvalidRepresentation', 'CCM cannot drop consent');
  assert.equal((await wsman.call(rpsPut(0xffff_ffff))).status, 200, 'putting back what is in force is fine');
  wsman.state.set(PROVISIONING, { ...wsman.state.get(PROVISIONING), controlMode: 2 });
  assert.equal(textOf(await get(wsman, 'IPS_OptInService'), 'g:OptInRequired'), '0', 'ACM: the policy set before');
});

const optInState = async (wsman: TestWsman): Promise<string | undefined> => textOf(await get(wsman, 'IPS_OptInService'), 'g:OptInState');
const sendCode = async (wsman: TestWsman, code: string | number): Promise<number> => returnValue((await wsman.call(built('IPS', 'OptInService', 'SendOptInCode', code))).body);

test('consent from the console side: start, the code on the host screen, a wrong code counted, the right one, single use, session, cancel', async () => {
  const wsman = setup();
  assert.equal(returnValue((await wsman.call(built('IPS', 'OptInService', 'CancelOptIn'))).body), 2, 'nothing to cancel (as ips/optin/canceloptin.xml)');
  assert.equal(await sendCode(wsman, 123456), 2, 'no code displayed (as ips/optin/sendoptincode.xml)');
  assert.equal(optInCodeToDisplay(wsman.state, wsman.now.ms), undefined);
  const started = await wsman.call(built('IPS', 'OptInService', 'StartOptIn'));
  assert.deepEqual(tagSequence(started.body), tagSequence(fixture('ips/optin/startoptin.xml')));
  assert.equal(returnValue(started.body), 0);
  assert.equal(await optInState(wsman), '2', 'displayed (the host is on)');
  assert.equal(returnValue((await wsman.call(built('IPS', 'OptInService', 'StartOptIn'))).body), 2, 'already started (as ips/optin/startoptin.xml)');
  const code = optInCodeToDisplay(wsman.state, wsman.now.ms) ?? '';
  assert.match(code, /^\d{6}$/);
  const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
  assert.equal(await sendCode(wsman, Number(wrong)), 2066, 'wrong code');
  assert.equal(await optInState(wsman), '2', 'one wrong code does not end the attempt');
  assert.equal(await sendCode(wsman, Number(code)), 0, 'the right code (sent as a number, leading zeros dropped)');
  assert.equal(await optInState(wsman), '3', 'received');
  assert.equal(optInCodeToDisplay(wsman.state, wsman.now.ms), undefined, 'the screen no longer shows it');
  assert.equal(await sendCode(wsman, Number(code)), 2, 'single use');
  assert.ok(setOptInSession(wsman.state, wsman.now.ms, true));
  assert.equal(await optInState(wsman), '4', 'in session');
  wsman.now.ms += 3_600_000;
  assert.equal(await optInState(wsman), '4', 'a session does not lapse');
  assert.ok(setOptInSession(wsman.state, wsman.now.ms, false));
  assert.equal(await optInState(wsman), '0');
  assert.equal(returnValue((await wsman.call(built('IPS', 'OptInService', 'StartOptIn'))).body), 0);
  const canceled = await wsman.call(built('IPS', 'OptInService', 'CancelOptIn'));
  assert.deepEqual(tagSequence(canceled.body), tagSequence(fixture('ips/optin/canceloptin.xml')));
  assert.equal(returnValue(canceled.body), 0);
  assert.equal(await optInState(wsman), '0');
  assert.equal(optInCodeToDisplay(wsman.state, wsman.now.ms), undefined);
});

test('consent timeouts: an unused code and an unused consent lapse after OptInCodeTimeout; with the host off the state is requested', async () => {
  const wsman = setup();
  wsman.device.powerState = 8;
  assert.equal(returnValue((await wsman.call(built('IPS', 'OptInService', 'StartOptIn'))).body), 0);
  assert.equal(await optInState(wsman), '1', 'requested: nothing to show it on');
  wsman.device.powerState = 2;
  assert.equal(await optInState(wsman), '2');
  const code = optInCodeToDisplay(wsman.state, wsman.now.ms) ?? '';
  wsman.now.ms += 120_000;
  assert.equal(await optInState(wsman), '0', 'the code lapsed');
  assert.equal(optInCodeToDisplay(wsman.state, wsman.now.ms), undefined);
  assert.equal(await sendCode(wsman, Number(code)), 2, 'a lapsed code is refused');
  assert.equal(returnValue((await wsman.call(built('IPS', 'OptInService', 'StartOptIn'))).body), 0, 'a new attempt may start');
  assert.equal(await sendCode(wsman, Number(optInCodeToDisplay(wsman.state, wsman.now.ms))), 0);
  wsman.now.ms += 119_000;
  assert.equal(await optInState(wsman), '3');
  wsman.now.ms += 1_000;
  assert.equal(await optInState(wsman), '0', 'consent not used for a session lapses too');
  assert.equal(setOptInSession(wsman.state, wsman.now.ms, true), false);
});

test('consent from the attacker side: three wrong codes end the attempt, the code never appears in a reply, a new attempt draws a new code', async () => {
  const wsman = setup();
  const seen = new Set<string>();
  let blocked = 0;
  for (let attempt = 0; attempt < 20; attempt++) {
    const start = await wsman.call(built('IPS', 'OptInService', 'StartOptIn'));
    assert.equal(returnValue(start.body), 0);
    const code = optInCodeToDisplay(wsman.state, wsman.now.ms) ?? '';
    seen.add(code);
    const replies = [start.body, await get(wsman, 'IPS_OptInService'), await enumeratePull(wsman, 'IPS_OptInService')];
    assert.ok(replies.every((body) => !body.includes(`>${code}<`) && !body.includes(`>${Number(code)}<`)), 'the code only goes to the host screen');
    const guesses = [0, 1, 2].map((g) => (Number(code) + 1 + g) % 1_000_000);
    assert.deepEqual([await sendCode(wsman, guesses[0] ?? 0), await sendCode(wsman, guesses[1] ?? 0)], [2066, 2066]);
    assert.equal(await sendCode(wsman, guesses[2] ?? 0), 3, 'blocked');
    assert.equal(await sendCode(wsman, Number(code)), 2, 'the right code after the block is too late');
    assert.equal(await optInState(wsman), '0');
    blocked++;
  }
  assert.equal(blocked, 20);
  assert.ok(seen.size > 15, `codes are drawn afresh (${seen.size} distinct of 20)`);
  for (const junk of ['1234567', '-1', 'abc']) {
    assert.equal(returnValue((await wsman.call(built('IPS', 'OptInService', 'StartOptIn'))).body), 0);
    const reply = await wsman.call(built('IPS', 'OptInService', 'SendOptInCode', junk));
    assert.ok(reply.status === 400 || returnValue(reply.body) === 2066, `${junk}: ${reply.body.slice(-200)}`);
    assert.equal(returnValue((await wsman.call(built('IPS', 'OptInService', 'CancelOptIn'))).body), 0);
  }
  const noRealm = await invoke(wsman, 'IPS_OptInService', 'StartOptIn', '', ['General Info', 'Hardware Asset']);
  assert.equal(subcode(noRealm.body), 'e:AccessDenied');
});

test('§3.10 classes MeshCommander batches: Enumerate/Pull give an empty list with EndOfSequence; Get is not supported', async () => {
  const wsman = setup();
  assert.ok(UNSUPPORTED_CLASSES.length >= 16);
  for (const cls of UNSUPPORTED_CLASSES) {
    const pulled = await enumeratePull(wsman, cls.name);
    assert.match(pulled, /<g:PullResponse><g:Items><\/g:Items><g:EndOfSequence><\/g:EndOfSequence><\/g:PullResponse>/, cls.name);
    assert.equal(subcode(await get(wsman, cls.name)), 'b:ActionNotSupported', cls.name);
  }
});

test('Unprovision (resetOnUnprovision): the AMT clock is kept; network, consent, redirection, alarms and the event log go back to defaults', async () => {
  const wsman = setup();
  const ta0 = T0 / 1000;
  assert.equal(returnValue((await invoke(wsman, 'AMT_TimeSynchronizationService', 'SetHighAccuracyTimeSynch', `<h:Ta0>${ta0}</h:Ta0><h:Tm1>${ta0 + 500}</h:Tm1><h:Tm2>${ta0 + 500}</h:Tm2>`)).body), 0);
  assert.equal(returnValue((await wsman.call(built('AMT', 'RedirectionService', 'RequestStateChange', 32771))).body), 0);
  appendEventLogRecord(wsman.state, record(1));
  resetSlots(wsman.state, resetOnUnprovision);
  assert.equal(Number(textOf((await invoke(wsman, 'AMT_TimeSynchronizationService', 'GetLowAccuracyTimeSynch')).body, 'g:Ta0')), ta0 + 500);
  assert.equal(textOf(await get(wsman, 'AMT_RedirectionService'), 'g:EnabledState'), '32768');
  assert.equal(wsman.state.get(MESSAGE_LOG).records.length, 0);
});
