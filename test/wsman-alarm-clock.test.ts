// AMT_AlarmClockService.AddAlarm and recurring IPS_AlarmClockOccurrence alarms: requests as
// wsman-messages (MPS) and go-wsman/MeshCommander build them, the reply against the recorded
// amt/alarmclock/addalarm.xml, Interval in Get/Pull/Put, dueAlarms on a test clock, the faults AMT
// answers (duplicate, five alarms, bad template), and the declaration layer's `interval` and
// `instance` types (strict xs:duration, embedded instances as method inputs only).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createClassRegistry, createAmtClassRegistry, renderWsmanReference, SCHEMA_BASE, type ClassDeclaration, type PropertyDecl } from '../src/amt/wsman/index.js';
import { ALARM_CLOCK, dueAlarms, intervalSeconds, intervalText } from '../src/amt/wsman/classes/alarm-clock.js';
import { isXsDuration } from '../src/amt/wsman/values.js';
import { VmeError } from '../src/common/errors.js';
import { ACTION, createTestWsman, envelope, ENUMERATE_BODY, pullBody, rootNamespaces, tagSequence, textOf, type TestWsman } from '../src/amt/wsman/testing.js';

interface AlarmMessages { AlarmClockService: { AddAlarm: (occurrence: Record<string, unknown>) => string } }
const wsmanMessages = createRequire(import.meta.url)('@open-amt-cloud-toolkit/wsman-messages') as { AMT: { Messages: new () => AlarmMessages } };
/** AddAlarm as MPS builds it with wsman-messages (Interval in minutes; omitted when null). */
const mpsAddAlarm = (occurrence: Record<string, unknown>): string => new wsmanMessages.AMT.Messages().AlarmClockService.AddAlarm(occurrence);

const fixture = (path: string): string => readFileSync(new URL(`../../../shared/fixtures/amt-responses/${path}`, import.meta.url), 'utf8');
const subcode = (body: string): string | undefined => /<a:Subcode><a:Value>([^<]*)</.exec(body)?.[1];
const SERVICE = `${SCHEMA_BASE.AMT}AMT_AlarmClockService`;
const OCCURRENCE = `${SCHEMA_BASE.IPS}IPS_AlarmClockOccurrence`;
const COMMON = 'http://schemas.dmtf.org/wbem/wscim/1/common';
const T0 = Date.UTC(2026, 10, 21, 12, 0, 0);
const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const MINUTE = 60_000;

function setup(): TestWsman & { now: { ms: number } } {
  const wsman = createTestWsman();
  const now = { ms: T0 };
  wsman.device.clock = () => now.ms;
  return Object.assign(wsman, { now });
}

/** AddAlarm in go-wsman / MeshCommander style: `d:AlarmTemplate` declaring the occurrence namespace as s. */
function templateAddAlarm(id: string, startMs: number, interval?: string, deleteOnCompletion = false): string {
  const tpl = `<d:AlarmTemplate xmlns:d="${SERVICE}" xmlns:s="${OCCURRENCE}"><s:InstanceID>${id}</s:InstanceID><s:ElementName>${id}</s:ElementName>`
    + `<s:StartTime><p:Datetime xmlns:p="${COMMON}">${iso(startMs)}</p:Datetime></s:StartTime>`
    + (interval === undefined ? '' : `<s:Interval><p:Interval xmlns:p="${COMMON}">${interval}</p:Interval></s:Interval>`)
    + `<s:DeleteOnCompletion>${deleteOnCompletion}</s:DeleteOnCompletion></d:AlarmTemplate>`;
  return envelope({ action: `${SERVICE}/AddAlarm`, resourceUri: SERVICE, body: `<r:AddAlarm_INPUT xmlns:r="${SERVICE}">${tpl}</r:AddAlarm_INPUT>` });
}

async function pullOccurrences(wsman: TestWsman): Promise<string> {
  const opened = await wsman.call(envelope({ action: ACTION.enumerate, resourceUri: OCCURRENCE, body: ENUMERATE_BODY }));
  return (await wsman.call(envelope({ action: ACTION.pull, resourceUri: OCCURRENCE, body: pullBody(textOf(opened.body, 'g:EnumerationContext') ?? '', 99) }))).body;
}

const getOccurrence = async (wsman: TestWsman, id: string): Promise<string> =>
  (await wsman.call(envelope({ action: ACTION.get, resourceUri: OCCURRENCE, selectors: { InstanceID: id } }))).body;
const startOf = async (wsman: TestWsman, id: string): Promise<string | undefined> => textOf(await getOccurrence(wsman, id), 'h:Datetime');
const ids = (xml: string): string[] => [...xml.matchAll(/<h:InstanceID>([^<]*)</g)].map((m) => m[1] ?? '');

test('AddAlarm from wsman-messages (one-shot, and MPS\'s Interval 0): the recorded reply shape, ReturnValue 0, no Interval listed', async () => {
  const wsman = setup();
  const oneShot = await wsman.call(mpsAddAlarm({ InstanceID: 'once', ElementName: 'Once', StartTime: new Date(T0 + 60 * MINUTE), DeleteOnCompletion: true }));
  assert.equal(oneShot.status, 200, oneShot.body);
  const recorded = fixture('amt/alarmclock/addalarm.xml');
  assert.deepEqual(rootNamespaces(oneShot.body), rootNamespaces(recorded), 'g only: the EPR output needs no common namespace');
  assert.deepEqual(tagSequence(oneShot.body), tagSequence(recorded));
  assert.equal(textOf(oneShot.body, 'b:Address'), textOf(recorded, 'b:Address'), 'AMT\'s EPR: Address "default"');
  assert.match(oneShot.body, /<g:AlarmClock><b:Address>default<\/b:Address><b:ReferenceParameters><c:ResourceURI><\/c:ResourceURI><c:SelectorSet><\/c:SelectorSet><\/b:ReferenceParameters><\/g:AlarmClock><g:ReturnValue>0<\/g:ReturnValue>/);
  // MPS sends Interval 0 for one-shot alarms, which wsman-messages writes as P0DT0H0M.
  const zero = await wsman.call(mpsAddAlarm({ InstanceID: 'zero', ElementName: 'zero', StartTime: new Date(T0 + 90 * MINUTE), Interval: 0, DeleteOnCompletion: false }));
  assert.equal(textOf(zero.body, 'g:ReturnValue'), '0', zero.body);
  const pulled = await pullOccurrences(wsman);
  assert.deepEqual(ids(pulled), ['once', 'zero']);
  assert.doesNotMatch(pulled, /Interval/, 'a one-shot alarm has no Interval');
  assert.match(pulled, /<h:IPS_AlarmClockOccurrence><h:DeleteOnCompletion>true<\/h:DeleteOnCompletion><h:ElementName>Once<\/h:ElementName><h:InstanceID>once<\/h:InstanceID><h:StartTime><i:Datetime>2026-11-21T13:00:00Z<\/i:Datetime><\/h:StartTime><\/h:IPS_AlarmClockOccurrence>/);
});

test('AddAlarm with an Interval (wsman-messages minutes, go-wsman/MeshCommander template): Get, Pull and Put show and change it', async () => {
  const wsman = setup();
  const added = await wsman.call(mpsAddAlarm({ InstanceID: 'daily', ElementName: 'Daily', StartTime: new Date(T0 + 30 * MINUTE), Interval: 1590, DeleteOnCompletion: false }));
  assert.equal(textOf(added.body, 'g:ReturnValue'), '0', added.body);
  const meshCommander = await wsman.call(templateAddAlarm('twelve', T0 + 45 * MINUTE, 'PT12M'));
  assert.equal(textOf(meshCommander.body, 'g:ReturnValue'), '0', meshCommander.body);
  const pulled = await pullOccurrences(wsman);
  assert.deepEqual(rootNamespaces(pulled).map(([p]) => p), ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'xsi'], 'i = common for the Interval');
  assert.match(pulled, /<h:InstanceID>daily<\/h:InstanceID><h:Interval><i:Interval>P1DT2H30M<\/i:Interval><\/h:Interval><h:StartTime><i:Datetime>2026-11-21T12:30:00Z<\/i:Datetime><\/h:StartTime>/,
    'ASCII order, as AMT writes properties: InstanceID, Interval, StartTime');
  assert.match(pulled, /<h:Interval><i:Interval>PT12M<\/i:Interval><\/h:Interval>/);
  const got = await getOccurrence(wsman, 'daily');
  assert.match(got, /<g:Interval><h:Interval>P1DT2H30M<\/h:Interval><\/g:Interval>/);
  assert.ok(rootNamespaces(got).some(([p, uri]) => p === 'h' && uri === COMMON));
  const put = (interval: string): Promise<{ status: number; body: string }> => wsman.call(envelope({
    action: ACTION.put, resourceUri: OCCURRENCE, selectors: { InstanceID: 'daily' },
    body: `<s:IPS_AlarmClockOccurrence xmlns:s="${OCCURRENCE}"><s:InstanceID>daily</s:InstanceID><s:Interval><p:Interval xmlns:p="${COMMON}">${interval}</p:Interval></s:Interval></s:IPS_AlarmClockOccurrence>`,
  }));
  assert.match((await put('P1D')).body, /<g:Interval><h:Interval>P1D<\/h:Interval><\/g:Interval>/);
  assert.equal(subcode((await put('PT90M')).body), 'd:InvalidRepresentation', 'minutes 0-59');
  const oneShot = await put('P0DT0H0M');
  assert.equal(oneShot.status, 200, oneShot.body);
  assert.doesNotMatch(oneShot.body, /Interval/, 'zero makes it one-shot');
});

test('dueAlarms on the device clock: one-shot removed or marked once; a recurring alarm goes off once per due time and moves to its next StartTime', async () => {
  const wsman = setup();
  for (const [id, start, interval, remove] of [['gone', 5, undefined, true], ['kept', 5, undefined, false], ['every10', 10, 'PT10M', false], ['first-only', 10, 'PT10M', true]] as const) {
    const reply = await wsman.call(templateAddAlarm(id, T0 + start * MINUTE, interval, remove));
    assert.equal(textOf(reply.body, 'g:ReturnValue'), '0', reply.body);
  }
  const due = (minutes: number): string[] => { wsman.now.ms = T0 + minutes * MINUTE; return dueAlarms(wsman.state, wsman.device.now()).map((a) => a.instanceId); };
  assert.deepEqual(due(4), []);
  assert.deepEqual(due(5), ['gone', 'kept']);
  assert.deepEqual(due(6), [], 'each one-shot alarm once');
  assert.deepEqual(ids(await pullOccurrences(wsman)), ['kept', 'every10', 'first-only'], 'DeleteOnCompletion removed "gone"');
  const handed = dueAlarms(wsman.state, T0 + 10 * MINUTE);
  assert.deepEqual(handed.map((a) => [a.instanceId, a.startTime, a.intervalSeconds]), [['every10', (T0 + 10 * MINUTE) / 1000, 600], ['first-only', (T0 + 10 * MINUTE) / 1000, 600]], 'as they were when due');
  assert.equal(await startOf(wsman, 'every10'), iso(T0 + 20 * MINUTE));
  assert.equal(subcode(await getOccurrence(wsman, 'first-only')), 'b:DestinationUnreachable', 'DeleteOnCompletion ends even a recurring alarm (SDK)');
  assert.deepEqual(due(10), [], 'never twice for one due time');
  assert.deepEqual(due(19), []);
  assert.deepEqual(due(20), ['every10']);
  assert.equal(await startOf(wsman, 'every10'), iso(T0 + 30 * MINUTE));
  assert.deepEqual(due(65), ['every10'], 'missed periods go off once');
  assert.equal(await startOf(wsman, 'every10'), iso(T0 + 70 * MINUTE), 'the first StartTime after now');
  assert.deepEqual(due(69), []);
  assert.deepEqual(due(70), ['every10']);
  assert.deepEqual(due(70 + 10 * 60 * 24 * 365), ['every10'], 'a year later: one step, no loop');
  assert.equal(await startOf(wsman, 'every10'), iso(T0 + (80 + 10 * 60 * 24 * 365) * MINUTE));
  assert.equal(wsman.state.get(ALARM_CLOCK).alarms.find((a) => a.instanceId === 'kept')?.fired, true);
});

test('AddAlarm refusals are the faults AMT answers: duplicate InstanceID, a sixth alarm (QuotaLimit), a bad template; nothing is stored', async () => {
  const wsman = setup();
  for (let i = 0; i < 5; i++) assert.equal(textOf((await wsman.call(templateAddAlarm(`a${i}`, T0 + (i + 1) * MINUTE))).body, 'g:ReturnValue'), '0');
  const duplicate = await wsman.call(templateAddAlarm('a0', T0 + 9 * MINUTE));
  assert.equal(duplicate.status, 400);
  assert.equal(subcode(duplicate.body), 'd:InvalidRepresentation', 'brief §2.5 capture (MPS)');
  const sixth = await wsman.call(templateAddAlarm('a5', T0 + 9 * MINUTE));
  assert.equal(subcode(sixth.body), 'e:QuotaLimit', 'MPS branches on this subcode');
  const created = await wsman.call(envelope({ action: ACTION.create, resourceUri: OCCURRENCE,
    body: `<s:IPS_AlarmClockOccurrence xmlns:s="${OCCURRENCE}"><s:InstanceID>c</s:InstanceID><s:StartTime><p:Datetime xmlns:p="${COMMON}">${iso(T0 + 9 * MINUTE)}</p:Datetime></s:StartTime></s:IPS_AlarmClockOccurrence>` }));
  assert.equal(subcode(created.body), 'e:QuotaLimit', 'Create shares the checks');
  assert.equal(wsman.state.get(ALARM_CLOCK).alarms.length, 5);

  const fresh = setup();
  const cases: [string, string, string | undefined][] = [
    ['not an xs:duration (type layer)', templateAddAlarm('x', T0 + MINUTE, 'P1DT'), 'd:InvalidRepresentation'],
    ['garbage', templateAddAlarm('x', T0 + MINUTE, 'every day'), 'd:InvalidRepresentation'],
    ['under a minute', templateAddAlarm('x', T0 + MINUTE, 'PT30S'), 'd:InvalidRepresentation'],
    ['hours over 23', templateAddAlarm('x', T0 + MINUTE, 'PT24H'), 'd:InvalidRepresentation'],
    ['years', templateAddAlarm('x', T0 + MINUTE, 'P1Y'), 'd:InvalidRepresentation'],
    ['negative', templateAddAlarm('x', T0 + MINUTE, '-PT5M'), 'd:InvalidRepresentation'],
    ['StartTime in the past', templateAddAlarm('x', T0 - MINUTE), 'd:InvalidRepresentation'],
    ['InstanceID over 32 characters', templateAddAlarm('x'.repeat(33), T0 + MINUTE), 'd:InvalidRepresentation'],
    ['no AlarmTemplate', envelope({ action: `${SERVICE}/AddAlarm`, resourceUri: SERVICE, body: `<r:AddAlarm_INPUT xmlns:r="${SERVICE}"></r:AddAlarm_INPUT>` }), 'e:InvalidParameter'],
    ['an empty AlarmTemplate', envelope({ action: `${SERVICE}/AddAlarm`, resourceUri: SERVICE, body: `<r:AddAlarm_INPUT xmlns:r="${SERVICE}"><r:AlarmTemplate/></r:AddAlarm_INPUT>` }), 'd:InvalidRepresentation'],
  ];
  for (const [what, request, expected] of cases) {
    const reply = await fresh.call(request);
    assert.equal(reply.status, 400, what);
    assert.equal(subcode(reply.body), expected, what);
  }
  assert.equal(fresh.state.get(ALARM_CLOCK).alarms.length, 0);
  const reader = await fresh.call(templateAddAlarm('r', T0 + MINUTE), ['General Info']);
  assert.equal(subcode(reader.body), 'e:AccessDenied', 'AddAlarm needs Remote Control');
});

test('interval values: xs:duration syntax, AMT\'s PnDTnHnM form, the shortest text back', () => {
  for (const ok of ['P1D', 'PT3H', 'P395DT3H', 'P0DT0H0M', 'P1Y2M3DT4H5M6.5S', '-PT5M', 'PT0S']) assert.ok(isXsDuration(ok), ok);
  for (const bad of ['', 'P', 'PT', 'P1DT', 'P1H', '1D', 'P-1D', 'PT1.S', 'P1D ', 'p1d']) assert.ok(!isXsDuration(bad), JSON.stringify(bad));
  assert.equal(intervalSeconds('P0DT0H0M'), undefined);
  assert.equal(intervalSeconds('PT1M'), 60);
  assert.equal(intervalSeconds('P1DT23H59M'), 86_400 + 23 * 3600 + 59 * 60);
  for (const bad of ['PT30S', 'PT60M', 'P1M', 'P99999999999D']) assert.throws(() => intervalSeconds(bad), VmeError, bad);
  for (const seconds of [60, 3 * 3600, 86_400, 395 * 86_400 + 3 * 3600, 86_400 + 2 * 3600 + 30 * 60]) assert.equal(intervalSeconds(intervalText(seconds)), seconds);
  assert.equal(intervalText(395 * 86_400 + 3 * 3600), 'P395DT3H');
});

const probe = (properties: readonly PropertyDecl[], method?: { inputs?: readonly PropertyDecl[]; outputs?: readonly PropertyDecl[] }, commonNamespace = true): ClassDeclaration => ({
  name: 'AMT_VmeProbe', schema: 'AMT', summary: 'test', commonNamespace, properties, instances: () => [{}],
  operations: { get: { realms: ['General Info'] } },
  methods: method === undefined ? [] : [{
    name: 'Probe', realms: ['General Info'], inputs: method.inputs ?? [], outputs: method.outputs ?? [], returnValues: { 0: 'ok' },
    invoke: () => ({ returnValue: 0, output: { Period: 'PT5M' } }),
  }],
});
const embedded = { resourceUri: OCCURRENCE, properties: [{ name: 'InstanceID', type: 'string' }] } as const;

test('the registry admits an embedded instance only as a method input with its class; datetime/interval need the common namespace', () => {
  const refused = (declaration: ClassDeclaration, what: string): void => {
    assert.throws(() => createClassRegistry([declaration]), (e: unknown) => e instanceof VmeError && e.code === 'VME_ERR_WSMAN_DECLARATION', what);
  };
  refused(probe([{ name: 'Template', type: 'instance', embedded }]), 'an instance class property');
  refused(probe([], { outputs: [{ name: 'Template', type: 'instance', embedded }] }), 'an instance output');
  refused(probe([], { inputs: [{ name: 'Template', type: 'instance' }] }), 'an instance without its embedded class');
  refused(probe([], { inputs: [{ name: 'Template', type: 'instance', array: true, embedded }] }), 'an array of instances');
  refused(probe([], { inputs: [{ name: 'Name', type: 'string', embedded }] }), 'embedded on a string');
  refused(probe([], { inputs: [{ name: 'Template', type: 'instance', embedded: { resourceUri: OCCURRENCE, properties: [{ name: 'Inner', type: 'instance', embedded }] } }] }), 'nested instances');
  refused(probe([{ name: 'Every', type: 'interval' }], undefined, false), 'interval without the common namespace');
  assert.doesNotThrow(() => createClassRegistry([probe([{ name: 'Every', type: 'interval' }], { inputs: [{ name: 'Template', type: 'instance', required: true, embedded }] })]));
});

test('an interval method output declares h = common and is written as h:Interval; the reference shows the new types', async () => {
  const wsman = createTestWsman({ extra: [probe([], { outputs: [{ name: 'Period', type: 'interval' }] })] });
  const uri = `${SCHEMA_BASE.AMT}AMT_VmeProbe`;
  const reply = await wsman.call(envelope({ action: `${uri}/Probe`, resourceUri: uri, body: `<h:Probe_INPUT xmlns:h="${uri}"></h:Probe_INPUT>` }));
  assert.deepEqual(rootNamespaces(reply.body).slice(6, 8), [['g', uri], ['h', COMMON]]);
  assert.match(reply.body, /<g:Probe_OUTPUT><g:Period><h:Interval>PT5M<\/h:Interval><\/g:Period><g:ReturnValue>0<\/g:ReturnValue><\/g:Probe_OUTPUT>/);
  const reference = renderWsmanReference(createAmtClassRegistry());
  assert.match(reference, /\*\*AddAlarm\*\* — inputs: AlarmTemplate: instance of IPS_AlarmClockOccurrence \{ DeleteOnCompletion: boolean, ElementName: string, InstanceID: string, Interval: interval, StartTime: datetime \} \(required\); outputs: AlarmClock: epr/);
  assert.match(reference, /\| Interval \| interval \| writable \|/);
});
