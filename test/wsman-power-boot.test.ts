// Power, boot control and hardware inventory over WS-Man (brief §3.2–3.4): reply shapes against the
// recorded AMT replies (read from ../shared), RequestPowerStateChange against the host's power
// tables, the one power association MPS reads, the RPS/MPS boot-to-PXE and IDE-R sequences built by
// @open-amt-cloud-toolkit/wsman-messages, the queued device actions performed on a SimulatedHost
// (which boots from the override once), and the engine's hostPower fact following the host.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Engine } from '../src/engine/index.js';
import { HOST_CONTROL_POWER, POWER_REQUESTS, serveHostControl, type Host, type SimulatedHost } from '../src/host/index.js';
import { testHost } from '../src/host/testing.js';
import { PlatformFacts, Trace } from '../src/kernel/index.js';
import { biosEnginePort } from '../src/machine/bios-engine-port.js';
import { ANONYMOUS, DEFAULT_WSMAN_LIMITS, NS, parseXml, SCHEMA_BASE, type ClassDeclaration, type DeviceAction, type DevicePort, type XmlElement } from '../src/amt/wsman/index.js';
import { CIM_COMPUTER_SYSTEM_PACKAGE } from '../src/amt/wsman/classes/hardware.js';
import { CIM_BIOS_ELEMENT } from '../src/amt/wsman/classes/inventory.js';
import { asInstanceOf } from '../src/amt/wsman/values.js';
import { ACTION, createTestWsman, envelope, ENUMERATE_BODY, pullBody, rootNamespaces, tagSequence, TEST_FACTS, textOf, type TestWsman } from '../src/amt/wsman/testing.js';

interface MessageSet { [service: string]: { [call: string]: ((...args: unknown[]) => string) | undefined } | undefined }
const wsmanMessages = createRequire(import.meta.url)('@open-amt-cloud-toolkit/wsman-messages') as Record<'AMT' | 'CIM' | 'IPS', { Messages: new () => MessageSet }>;
const msg = (set: MessageSet, service: string, name: string, ...args: unknown[]): string => {
  const fn = set[service]?.[name];
  if (fn === undefined) throw new Error(`wsman-messages has no ${service}.${name}`);
  return fn(...args);
};

const fixture = (path: string): string => readFileSync(new URL(`../../../shared/fixtures/amt-responses/${path}`, import.meta.url), 'utf8');
const uri = (name: string): string => `${SCHEMA_BASE[name.slice(0, 3) as 'AMT' | 'CIM' | 'IPS']}${name}`;
const values = (xml: string, qname: string): string[] => [...xml.matchAll(new RegExp(`<${qname}>([^<]*)</${qname}>`, 'g'))].map((m) => m[1] ?? '');
const returnValue = (xml: string): number => Number(textOf(xml, 'g:ReturnValue'));

/** Start tags with repeated array elements collapsed, up to the first item's end; context/end markers dropped (recordings vary). */
function shape(xml: string): string[] {
  const tags = tagSequence(xml).filter((tag, i, all) => tag !== all[i - 1] && tag !== 'g:EnumerationContext' && tag !== 'g:EndOfSequence');
  const items = tags.indexOf('g:Items');
  if (items < 0) return tags;
  const second = tags.indexOf(tags[items + 1] ?? '', items + 2);
  return second < 0 ? tags : tags.slice(0, second);
}

async function pull(wsman: TestWsman, name: string): Promise<string> {
  const enumerated = await wsman.call(envelope({ action: ACTION.enumerate, resourceUri: uri(name), body: ENUMERATE_BODY }));
  assert.equal(enumerated.status, 200, enumerated.body);
  const pulled = await wsman.call(envelope({ action: ACTION.pull, resourceUri: uri(name), body: pullBody(textOf(enumerated.body, 'g:EnumerationContext') ?? '', 999) }));
  assert.equal(pulled.status, 200, pulled.body);
  assert.match(pulled.body, /<g:EndOfSequence><\/g:EndOfSequence><\/g:PullResponse>/, 'everything in one Pull');
  return pulled.body;
}

const GETS: readonly (readonly [string, string, Record<string, string>?])[] = [
  ['CIM_PowerManagementService', 'cim/power/managementservice/get.xml'],
  ['CIM_AssociatedPowerManagementService', 'cim/associatedpower/managementservice/get.xml'],
  ['CIM_PowerManagementCapabilities', 'cim/power/capabilities/get.xml'],
  ['IPS_PowerManagementService', 'ips/power/managementservice/get.xml'],
  ['AMT_BootSettingData', 'amt/boot/settingdata/get.xml'],
  ['AMT_BootCapabilities', 'amt/boot/capabilities/get.xml'],
  ['CIM_BootConfigSetting', 'cim/boot/configsetting/get.xml'],
  ['CIM_BootService', 'cim/boot/service/get.xml'],
  ['CIM_BootSourceSetting', 'cim/boot/sourcesetting/get.xml', { InstanceID: 'Intel(r) AMT: Force Hard-drive Boot' }],
  ['CIM_BIOSElement', 'cim/bios/element/get.xml'],
  ['CIM_Card', 'cim/card/get.xml'],
  ['CIM_Chip', 'cim/chip/get.xml'],
  ['CIM_Processor', 'cim/physical/processor/get.xml'],
];

test('Get of every power, boot and inventory class: the recorded prefixes, element order and Action', async () => {
  const wsman = createTestWsman();
  for (const [name, file, selectors] of GETS) {
    const reply = await wsman.call(envelope({ action: ACTION.get, resourceUri: uri(name), ...(selectors ? { selectors } : {}) }));
    assert.equal(reply.status, 200, `${name}: ${reply.body}`);
    const recorded = fixture(file);
    assert.deepEqual(rootNamespaces(reply.body), rootNamespaces(recorded), name);
    assert.deepEqual(shape(reply.body), shape(recorded), name);
    assert.equal(textOf(reply.body, 'b:Action'), textOf(recorded, 'b:Action'), name);
  }
});

const PULLS: readonly (readonly [string, string])[] = [
  ['CIM_PowerManagementService', 'cim/power/managementservice/pull.xml'],
  ['CIM_AssociatedPowerManagementService', 'cim/associatedpower/managementservice/pull.xml'],
  ['CIM_ServiceAvailableToElement', 'cim/service/availabletoelement/pull.xml'],
  ['CIM_PowerManagementCapabilities', 'cim/power/capabilities/pull.xml'],
  ['IPS_PowerManagementService', 'ips/power/managementservice/pull.xml'],
  ['AMT_BootSettingData', 'amt/boot/settingdata/pull.xml'],
  ['AMT_BootCapabilities', 'amt/boot/capabilities/pull.xml'],
  ['CIM_BootConfigSetting', 'cim/boot/configsetting/pull.xml'],
  ['CIM_BootService', 'cim/boot/service/pull.xml'],
  ['CIM_BootSourceSetting', 'cim/boot/sourcesetting/pull.xml'],
  ['CIM_BIOSElement', 'cim/bios/element/pull.xml'],
  ['CIM_Card', 'cim/card/pull.xml'],
  ['CIM_Chip', 'cim/chip/pull.xml'],
  ['CIM_Processor', 'cim/physical/processor/pull.xml'],
  ['CIM_PhysicalMemory', 'cim/physical/memory/pull.xml'],
  ['CIM_MediaAccessDevice', 'cim/mediaaccess/pull.xml'],
  ['CIM_PhysicalPackage', 'cim/physical/package/pull.xml'],
  ['CIM_SystemPackaging', 'cim/system/packaging/pull.xml'],
];

test('Enumerate + Pull of every class: the recorded prefixes (h = the items\' actual class) and item shape', async () => {
  const wsman = createTestWsman();
  for (const [name, file] of PULLS) {
    const body = await pull(wsman, name);
    const recorded = fixture(file);
    assert.deepEqual(rootNamespaces(body), rootNamespaces(recorded), name);
    assert.deepEqual(shape(body), shape(recorded), name);
    assert.equal(textOf(body, 'c:ResourceURI'), uri(name), name);
  }
});

test('the boot sources are the recorded three, in order, from the host\'s boot device table', async () => {
  const body = await pull(createTestWsman(), 'CIM_BootSourceSetting');
  const recorded = fixture('cim/boot/sourcesetting/pull.xml');
  for (const qname of ['h:InstanceID', 'h:StructuredBootString']) assert.deepEqual(values(body, qname), values(recorded, qname));
});

test('CIM_ServiceAvailableToElement yields exactly one CIM_AssociatedPowerManagementService; PowerState and the valid requests follow the host', async () => {
  const wsman = createTestWsman();
  const on = await pull(wsman, 'CIM_ServiceAvailableToElement');
  assert.equal([...on.matchAll(/<h:CIM_AssociatedPowerManagementService>/g)].length, 1);
  assert.equal(values(on, 'h:PowerState')[0], '2');
  const recorded = fixture('cim/service/availabletoelement/pull.xml');
  assert.deepEqual(values(on, 'h:AvailableRequestedPowerStates'), values(recorded, 'h:AvailableRequestedPowerStates'), 'on: 10,8,5,11,4,7,14,12 as AMT reports');
  for (const [state, available] of [[8, ['2']], [4, ['2', '8', '5', '12']], [7, ['2']]] as const) {
    wsman.device.powerState = state;
    const body = await pull(wsman, 'CIM_ServiceAvailableToElement');
    assert.deepEqual([values(body, 'h:PowerState'), values(body, 'h:AvailableRequestedPowerStates')], [[String(state)], available], `state ${state}`);
  }
  const get = await wsman.call(envelope({ action: ACTION.get, resourceUri: uri('CIM_AssociatedPowerManagementService') }));
  assert.equal(textOf(get.body, 'g:PowerState'), '7', 'a selector-less Get (Ironic) reads the same');
  const ips = await wsman.call(envelope({ action: ACTION.get, resourceUri: uri('IPS_PowerManagementService') }));
  assert.equal(textOf(ips.body, 'g:OSPowerSavingState'), undefined, 'AMT omits OSPowerSavingState while the host is not on');
});

test('Pull items of different actual classes: each element in its own class namespace (h, and i for Datetime, redeclared where needed)', async () => {
  const mixed: ClassDeclaration = {
    name: 'CIM_TestMixed', schema: 'CIM', summary: 'test only', commonNamespace: false, properties: [], methods: [],
    instances: (context) => [
      ...CIM_COMPUTER_SYSTEM_PACKAGE.instances(context).map((item) => asInstanceOf(CIM_COMPUTER_SYSTEM_PACKAGE, item)),
      ...CIM_BIOS_ELEMENT.instances(context).map((item) => asInstanceOf(CIM_BIOS_ELEMENT, item)),
    ],
    operations: { enumerate: { realms: ['Hardware Asset'] } },
  };
  const body = await pull(createTestWsman({ extra: [mixed] }), 'CIM_TestMixed');
  const find = (node: XmlElement, name: string): XmlElement | undefined => node.name === name ? node : node.children.map((c) => find(c, name)).find(Boolean);
  const tree = parseXml(Buffer.from(body), DEFAULT_WSMAN_LIMITS);
  const items = find(tree, 'Items')?.children ?? [];
  assert.deepEqual(items.map((item) => [item.ns, item.name]), [[uri('CIM_ComputerSystemPackage'), 'CIM_ComputerSystemPackage'], [uri('CIM_BIOSElement'), 'CIM_BIOSElement']]);
  assert.equal(find(items[1] as XmlElement, 'Datetime')?.ns, NS.common);
  assert.equal(find(items[1] as XmlElement, 'Version')?.ns, uri('CIM_BIOSElement'));
});

const cim = (): MessageSet => new wsmanMessages.CIM.Messages();
const powerRequest = (value: number): string => msg(cim(), 'PowerManagementService', 'RequestPowerStateChange', value);

test('RequestPowerStateChange (wsman-messages): every value the host serves maps to its host:power word; the reply has the recorded shape', async () => {
  for (const spec of POWER_REQUESTS) {
    const wsman = createTestWsman();
    wsman.device.powerState = spec.value === 2 ? 8 : 2; // every other value is valid while the host runs
    const reply = await wsman.call(powerRequest(spec.value));
    assert.equal(reply.status, 200, reply.body);
    assert.equal(returnValue(reply.body), 0, `${spec.value} from ${wsman.device.powerState}`);
    const [action] = wsman.device.actions;
    assert.ok(action?.kind === 'power');
    assert.equal(HOST_CONTROL_POWER[action.request], spec.value, `${spec.value} → ${action.request}`);
    const recorded = fixture('cim/power/managementservice/requestpowerstatechange.xml');
    assert.deepEqual([rootNamespaces(reply.body), tagSequence(reply.body), textOf(reply.body, 'b:Action')], [rootNamespaces(recorded), tagSequence(recorded), textOf(recorded, 'b:Action')]);
  }
});

test('RequestPowerStateChange refusals: ReturnValue 2 when invalid in the host\'s state or unsupported, 5 for another ManagedElement; nothing is queued', async () => {
  const wsman = createTestWsman();
  wsman.device.powerState = 8;
  assert.equal(returnValue((await wsman.call(powerRequest(10))).body), 2, 'reset while off');
  assert.equal(returnValue((await wsman.call(powerRequest(8))).body), 2, 'off while off');
  wsman.device.powerState = 2;
  assert.equal(returnValue((await wsman.call(powerRequest(2))).body), 2, 'on while on');
  for (const value of [3, 6, 9, 13, 16, 99]) assert.equal(returnValue((await wsman.call(powerRequest(value))).body), 2, `unsupported ${value}`);
  const pms = uri('CIM_PowerManagementService');
  const chassis = `<h:ManagedElement><a:Address>${ANONYMOUS}</a:Address><a:ReferenceParameters><w:ResourceURI>${uri('CIM_Chassis')}</w:ResourceURI></a:ReferenceParameters></h:ManagedElement>`;
  const other = await wsman.call(envelope({ action: `${pms}/RequestPowerStateChange`, resourceUri: pms, body: `<h:RequestPowerStateChange_INPUT xmlns:h="${pms}"><h:PowerState>8</h:PowerState>${chassis}</h:RequestPowerStateChange_INPUT>` }));
  assert.equal(returnValue(other.body), 5);
  const missing = await wsman.call(envelope({ action: `${pms}/RequestPowerStateChange`, resourceUri: pms, body: `<h:RequestPowerStateChange_INPUT xmlns:h="${pms}"></h:RequestPowerStateChange_INPUT>` }));
  assert.equal(missing.status, 400, 'PowerState is required');
  assert.deepEqual(wsman.device.actions, []);
  const operator = await wsman.call(powerRequest(8), ['General Info', 'Hardware Asset']);
  assert.match(operator.body, /e:AccessDenied/, 'power needs the Remote Control realm');
});

test('Ironic\'s form (header selector Name, EPR with only Name, anonymous Address) is accepted', async () => {
  const wsman = createTestWsman();
  const pms = uri('CIM_PowerManagementService');
  const element = `<h:ManagedElement><a:Address>${ANONYMOUS}</a:Address><a:ReferenceParameters><w:ResourceURI>${uri('CIM_ComputerSystem')}</w:ResourceURI><w:SelectorSet><w:Selector Name="Name">ManagedSystem</w:Selector></w:SelectorSet></a:ReferenceParameters></h:ManagedElement>`;
  const reply = await wsman.call(envelope({
    action: `${pms}/RequestPowerStateChange`, resourceUri: pms, selectors: { Name: 'Intel(r) AMT Power Management Service' },
    body: `<h:RequestPowerStateChange_INPUT xmlns:h="${pms}"><h:PowerState>10</h:PowerState>${element}</h:RequestPowerStateChange_INPUT>`,
  }));
  assert.equal(returnValue(reply.body), 0);
  assert.deepEqual(wsman.device.actions, [{ kind: 'power', request: 'reset' }]);
});

/** The g: properties of a Get reply as wsman-messages' Put wants them (repeated elements → arrays). */
function instanceOf(xml: string, className: string): Record<string, unknown> {
  const inner = new RegExp(`<g:${className}>(.*)</g:${className}>`).exec(xml)?.[1] ?? '';
  const out: Record<string, unknown> = {};
  for (const [, name = '', text = ''] of inner.matchAll(/<g:(\w+)>([^<]*)<\/g:\w+>/g)) {
    const value = text === 'true' ? true : text === 'false' ? false : /^\d+$/.test(text) ? Number(text) : text;
    const held = out[name];
    out[name] = held === undefined ? value : Array.isArray(held) ? [...(held as unknown[]), value] : [held, value];
  }
  return out;
}

/** MPS's boot action (bootOptions.ts): Get + Put AMT_BootSettingData, SetBootConfigRole(1), ChangeBootOrder(source?), RequestPowerStateChange. */
async function mpsBootAction(wsman: TestWsman, options: { useIder?: 0 | 1; source?: string; power: number }): Promise<number> {
  const amt = new wsmanMessages.AMT.Messages();
  const current = instanceOf((await wsman.call(msg(amt, 'BootSettingData', 'Get'))).body, 'AMT_BootSettingData');
  const settings = { ...current, BIOSSetup: false, UseIDER: options.useIder !== undefined, IDERBootDevice: options.useIder ?? 0, UseSOL: false };
  const put = await wsman.call(msg(amt, 'BootSettingData', 'Put', settings));
  assert.equal(put.status, 200, put.body);
  assert.equal(returnValue((await wsman.call(msg(cim(), 'BootService', 'SetBootConfigRole', 'Intel(r) AMT: Boot Configuration 0', 1))).body), 0);
  assert.equal(returnValue((await wsman.call(msg(cim(), 'BootConfigSetting', 'ChangeBootOrder', options.source))).body), 0);
  return returnValue((await wsman.call(powerRequest(options.power))).body);
}

/** MPS's plain power action (powerAction.ts): the boot options cleared by a Put, then RequestPowerStateChange. */
async function mpsPowerAction(wsman: TestWsman, power: number): Promise<number> {
  const amt = new wsmanMessages.AMT.Messages();
  const current = instanceOf((await wsman.call(msg(amt, 'BootSettingData', 'Get'))).body, 'AMT_BootSettingData');
  await wsman.call(msg(amt, 'BootSettingData', 'Put', { ...current, BIOSSetup: false, UseIDER: false, IDERBootDevice: 0, UseSOL: false }));
  return returnValue((await wsman.call(powerRequest(power))).body);
}

/** What the AMT app does: host power from the platform fact; queued actions performed (on the host's control lines) after the reply. */
class HostDevice implements DevicePort {
  readonly queued: DeviceAction[] = [];
  readonly performed: DeviceAction[] = [];
  constructor(readonly host: Host, readonly facts: PlatformFacts) {}
  hostPowerState(): number {
    return this.facts.hostPower;
  }
  act(action: DeviceAction): void {
    this.queued.push(action);
  }
  now(): number {
    return 0;
  }
  flush(): void {
    for (const action of this.queued.splice(0)) {
      if (action.kind === 'power') assert.ok(serveHostControl(this.host, 'power', action.request), action.request);
      if (action.kind === 'boot-override') assert.ok(serveHostControl(this.host, 'boot', action.target), action.target);
      this.performed.push(action);
    }
  }
}

function platform(): { host: SimulatedHost; clock: ReturnType<typeof testHost>['clock']; facts: PlatformFacts; device: HostDevice; wsman: TestWsman } {
  const facts = new PlatformFacts(new Trace());
  const engine = { parts: { facts }, hostReset: () => facts.hostReset() } as unknown as Engine;
  const { host, clock } = testHost({ engine: biosEnginePort(engine, undefined, () => undefined) });
  const device = new HostDevice(host, facts);
  return { host, clock, facts, device, wsman: createTestWsman({ device, afterDispatch: () => Promise.resolve(device.flush()) }) };
}

test('boot to PXE, the RPS/MPS sequence: the reset boots the host from PXE once; the next plain reset boots the disk', async () => {
  const { host, clock, device, wsman } = platform();
  host.powerOn();
  await clock.runUntilIdle();
  assert.equal(await mpsBootAction(wsman, { source: 'Intel(r) AMT: Force PXE Boot', power: 10 }), 0);
  assert.deepEqual(device.performed, [{ kind: 'boot-override', target: 'pxe' }, { kind: 'power', request: 'reset' }]);
  await clock.runUntilIdle();
  assert.deepEqual([host.state().phase, host.state().bootDevice], ['os', 'pxe']);
  const settings = await wsman.call(envelope({ action: ACTION.get, resourceUri: uri('AMT_BootSettingData') }));
  assert.equal(textOf(settings.body, 'g:OptionsCleared'), 'true', 'the boot consumed the options');
  assert.equal(await mpsPowerAction(wsman, 10), 0);
  await clock.runUntilIdle();
  assert.equal(host.state().bootDevice, 'disk');
  assert.deepEqual(device.performed.slice(2), [{ kind: 'power', request: 'reset' }], 'no override the second time');
});

test('boot from the IDE-R CD (UseIDER, IDERBootDevice 1) when powering on from off; power off keeps the options pending', async () => {
  const { host, clock, device, wsman } = platform();
  host.setMedia('ider-cd', { description: 'IDE-R image rescue.iso', commandLine: 'boot=live' });
  host.powerOn();
  await clock.runUntilIdle();
  assert.equal(await mpsBootAction(wsman, { useIder: 1, power: 8 }), 0, 'power off first');
  await clock.runUntilIdle();
  assert.equal(host.state().powerState, 'S5');
  const pending = await wsman.call(envelope({ action: ACTION.get, resourceUri: uri('AMT_BootSettingData') }));
  assert.deepEqual([textOf(pending.body, 'g:UseIDER'), textOf(pending.body, 'g:OptionsCleared')], ['true', 'false']);
  assert.equal(returnValue((await wsman.call(powerRequest(2))).body), 0);
  await clock.runUntilIdle();
  assert.deepEqual(device.performed, [{ kind: 'power', request: 'off' }, { kind: 'boot-override', target: 'ider-cd' }, { kind: 'power', request: 'on' }]);
  assert.deepEqual([host.state().phase, host.state().bootDevice], ['os', 'ider-cd']);
});

test('boot configuration methods: no source clears, an unknown source is Invalid Reference, IsDefault is not supported, IsNotNext disarms', async () => {
  const wsman = createTestWsman();
  const bcs = uri('CIM_BootConfigSetting');
  const source = (id: string): string => `<h:Source><a:Address>${ANONYMOUS}</a:Address><a:ReferenceParameters><w:ResourceURI>${uri('CIM_BootSourceSetting')}</w:ResourceURI><w:SelectorSet><w:Selector Name="InstanceID">${id}</w:Selector></w:SelectorSet></a:ReferenceParameters></h:Source>`;
  const change = async (sources: string): Promise<number> => returnValue((await wsman.call(envelope({ action: `${bcs}/ChangeBootOrder`, resourceUri: bcs, body: `<h:ChangeBootOrder_INPUT xmlns:h="${bcs}">${sources}</h:ChangeBootOrder_INPUT>` }))).body);
  const role = async (value: number): Promise<number> => returnValue((await wsman.call(msg(cim(), 'BootService', 'SetBootConfigRole', 'Intel(r) AMT: Boot Configuration 0', value))).body);
  assert.equal(await change(source('Intel(r) AMT: Force OCR UEFI HTTPS Boot')), 4);
  assert.equal(await change(source('Intel(r) AMT: Force PXE Boot') + source('Intel(r) AMT: Force CD/DVD Boot')), 5);
  assert.equal(await role(0), 1);
  assert.equal(await role(7), 5);
  assert.equal(await change(source('Intel(r) AMT: Force CD/DVD Boot')), 0);
  assert.equal(await role(1), 0);
  assert.equal(await role(32768), 0, 'disarmed');
  assert.equal(returnValue((await wsman.call(powerRequest(10))).body), 0);
  assert.deepEqual(wsman.device.actions, [{ kind: 'power', request: 'reset' }], 'a disarmed configuration forces nothing');
  assert.equal(await change(source('Intel(r) AMT: Force CD/DVD Boot')), 0);
  assert.equal(await role(1), 0);
  assert.equal(await change(''), 0, 'no source clears');
  wsman.device.actions.length = 0;
  assert.equal(returnValue((await wsman.call(powerRequest(10))).body), 0);
  assert.deepEqual(wsman.device.actions, [{ kind: 'power', request: 'reset' }]);
  const wrong = await wsman.call(msg(cim(), 'BootService', 'SetBootConfigRole', 'Intel(r) AMT: Boot Configuration 9', 1));
  assert.equal(returnValue(wrong.body), 5);
  const recorded = fixture('cim/boot/service/setbootconfigrole.xml');
  const ok = await wsman.call(msg(cim(), 'BootService', 'SetBootConfigRole', 'Intel(r) AMT: Boot Configuration 0', 1));
  assert.deepEqual([rootNamespaces(ok.body), tagSequence(ok.body)], [rootNamespaces(recorded), tagSequence(recorded)]);
  const ocr = await wsman.call(msg(cim(), 'BootService', 'RequestStateChange', 32769));
  assert.equal(returnValue(ocr.body), 0);
  assert.equal(textOf((await wsman.call(envelope({ action: ACTION.get, resourceUri: uri('CIM_BootService') }))).body, 'g:EnabledState'), '32769');
  const bad = await wsman.call(envelope({ action: ACTION.put, resourceUri: uri('AMT_BootSettingData'), body: `<h:AMT_BootSettingData xmlns:h="${uri('AMT_BootSettingData')}"><h:IDERBootDevice>2</h:IDERBootDevice></h:AMT_BootSettingData>` }));
  assert.match(bad.body, /d:InvalidRepresentation/);
});

test('hardware inventory through wsman-messages: BIOS version as PTHI reports it, the board, the CPU chip, 4 GiB of memory, the 64 GiB disk', async () => {
  const wsman = createTestWsman();
  const set = cim();
  const bios = await wsman.call(msg(set, 'BIOSElement', 'Get'));
  assert.equal(textOf(bios.body, 'g:Version'), TEST_FACTS.firmware.biosVersion);
  assert.match(bios.body, /<g:ReleaseDate><h:Datetime>\d{4}-\d\d-\d\dT00:00:00Z<\/h:Datetime><\/g:ReleaseDate>/);
  assert.equal(textOf((await wsman.call(msg(set, 'Card', 'Get'))).body, 'g:Model'), 'vme Board');
  const enumeratePull = async (service: string): Promise<string> => {
    const context = textOf((await wsman.call(msg(set, service, 'Enumerate'))).body, 'g:EnumerationContext');
    return (await wsman.call(msg(set, service, 'Pull', context))).body;
  };
  const chips = await enumeratePull('Chip');
  assert.ok(chips.includes('<h:ElementName>Managed System Processor Chip</h:ElementName>'));
  assert.equal(values(await enumeratePull('PhysicalMemory'), 'h:Capacity').map(Number).reduce((a, b) => a + b, 0), 4 * 1024 ** 3);
  assert.deepEqual(values(await enumeratePull('MediaAccessDevice'), 'h:MaxMediaSize'), [String(Math.floor(134_217_728 * 512 / 1000))]);
  const packages = await enumeratePull('PhysicalPackage');
  assert.deepEqual(rootNamespaces(packages).find(([p]) => p === 'h'), ['h', uri('CIM_Card')]);
  assert.ok(packages.includes('<h:CIM_Card>'));
  const packaging = await enumeratePull('SystemPackaging');
  assert.equal(values(packaging, 'h:PlatformGUID')[0], Buffer.from(TEST_FACTS.uuid).toString('hex').toUpperCase());
  assert.equal(values(await enumeratePull('Processor'), 'h:DeviceID')[0], 'CPU 0');
  const battery = await wsman.call(envelope({ action: ACTION.enumerate, resourceUri: uri('CIM_Battery'), body: ENUMERATE_BODY }));
  const none = await wsman.call(envelope({ action: ACTION.pull, resourceUri: uri('CIM_Battery'), body: pullBody(textOf(battery.body, 'g:EnumerationContext') ?? '') }));
  assert.match(none.body, /<g:Items><\/g:Items><g:EndOfSequence>/, 'no battery');
});

test('the engine\'s hostPower platform fact follows every host power change, and WS-Man reports it', async () => {
  const { host, clock, facts, wsman } = platform();
  const reported = async (): Promise<string | undefined> => textOf((await wsman.call(envelope({ action: ACTION.get, resourceUri: uri('CIM_AssociatedPowerManagementService') }))).body, 'g:PowerState');
  assert.deepEqual([facts.hostPower, await reported()], [8, '8']);
  const steps: readonly (readonly [() => void, number])[] = [
    [() => host.powerOn(), 2], [() => host.requestPowerState(4), 4], [() => host.requestPowerState(2), 2], [() => host.requestPowerState(7), 7],
    [() => host.powerOn(), 2], [() => host.requestPowerState(5), 2], [() => host.requestPowerState(8), 8], [() => host.removeAc(), 6],
  ];
  for (const [step, expected] of steps) {
    step();
    await clock.runUntilIdle();
    assert.equal(host.state().cimPowerState, expected);
    assert.deepEqual([facts.hostPower, facts.view().hostPower, await reported()], [expected, expected, String(expected)]);
  }
});
