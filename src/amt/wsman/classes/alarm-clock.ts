/**
 * The alarm clock (brief §3.6): AMT_AlarmClockService (`amt/alarmclock/get.xml`, SystemName
 * ManagedSystem) and its IPS_AlarmClockOccurrence wake alarms, kept in state. Consoles add an alarm
 * with AddAlarm(AlarmTemplate), an embedded IPS_AlarmClockOccurrence, as wsman-messages, go-wsman
 * and MeshCommander send it (Create adds one the same way), list them with Enumerate/Pull (MeshCommander
 * `PullAlarms`, MPS), change StartTime/Interval/DeleteOnCompletion with Put and remove them with
 * Delete (a missing one is DestinationUnreachable, brief §2.5).
 *
 * Rules (AMT SDK, Implementation and Reference Guide, "Multiple Alarms Feature"): at most five alarms;
 * InstanceID unique, 1..32 characters; StartTime in the future (UTC); Interval in AMT's PnDTnHnM form
 * (hours 0-23, minutes 0-59, no years, months or seconds: the shortest period is one minute), zero =
 * one-shot (go-wsman and MPS send `P0DT0H0M` for one-shot alarms); a one-shot alarm has no Interval.
 * Refusals are faults, as AMT answers AddAlarm: InvalidRepresentation for a duplicate InstanceID
 * (brief §2.5, MPS capture) and for an invalid template, QuotaLimit when five exist (MPS
 * `setAlarmOccurrence` tells these apart by the subcode). The AddAlarm reply's AlarmClock EPR is the
 * recorded one, Address `default` with an empty ResourceURI and SelectorSet (`amt/alarmclock/addalarm.xml`
 * and MPS `addAlarmClockOccurrenceResponse`, two recordings that agree), not an EPR to the new alarm.
 * Properties are in ASCII order as in every recorded AMT reply (the ips/alarmclock fixtures are
 * synthetic: go-wsman's struct order, `testdatetime`).
 *
 * `dueAlarms` hands the AMT app the alarms whose time has come, to power the host on.
 */
import type { ClassDeclaration, EmbeddedInstance, Instance, MethodResult, PropertyDecl, PropertyValue, WsmanContext } from '../declaration.js';
import { WsmanFault } from '../faults.js';
import { SCHEMA_BASE } from '../namespaces.js';
import type { EndpointReference } from '../request.js';
import { defineSlot, type WsmanState } from '../state.js';
import { hostServiceKeys, REALMS, SERVICE_KEYS } from './common.js';
import { amtClockSeconds } from './time-sync.js';

export interface AlarmRecord {
  readonly instanceId: string;
  readonly elementName: string;
  /** Seconds since the epoch on the AMT clock: the next time the alarm goes off. */
  readonly startTime: number;
  /** Recurring alarms only: the period in seconds (at least 60). */
  readonly intervalSeconds?: number;
  readonly deleteOnCompletion: boolean;
  /** A one-shot alarm that went off already (kept because DeleteOnCompletion was false). */
  readonly fired: boolean;
}

export interface AlarmClockState {
  readonly alarms: readonly AlarmRecord[];
}

export const ALARM_CLOCK = defineSlot<AlarmClockState>('wsman/alarm-clock', () => ({ alarms: [] }));
/** AMT's bounds (SDK): alarms kept, and the length of an InstanceID or ElementName. */
export const MAX_ALARMS = 5;
const MAX_NAME = 32;
/** The shortest period (AMT's Interval counts minutes) and the longest (32-bit seconds, as AMT's clock). */
export const MIN_INTERVAL_SECONDS = 60;
const MAX_INTERVAL_SECONDS = 0xffff_ffff;

const SERVICE_NAME = 'Intel(r) AMT Alarm Clock Service';
const OCCURRENCE_URI = `${SCHEMA_BASE.IPS}IPS_AlarmClockOccurrence`;
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
const AMT_INTERVAL = /^P(?=\d|T\d)(?:(\d{1,10})D)?(?:T(?=\d)(?:(\d{1,2})H)?(?:(\d{1,2})M)?)?$/;
/** AddAlarm's AlarmClock output as AMT writes it (see the top comment). */
const RECORDED_ALARM_CLOCK: EndpointReference = { address: 'default', resourceUri: '', selectors: new Map() };

const refuse = (why: string): never => {
  throw new WsmanFault('invalidRepresentation', `IPS_AlarmClockOccurrence: ${why}`);
};

/** A StartTime (xs:dateTime) as AMT-clock seconds; it must lie in the future. */
function futureStart(context: WsmanContext, value: unknown): number {
  const text = typeof value === 'string' ? value.trim() : '';
  const ms = ISO_UTC.test(text) ? Date.parse(text) : Number.NaN;
  if (!Number.isFinite(ms)) return refuse('StartTime is not a UTC date and time');
  const seconds = Math.floor(ms / 1000);
  if (seconds <= amtClockSeconds(context.state, context.device.now())) refuse('StartTime is not in the future');
  return seconds;
}

/** An Interval (xs:duration in AMT's PnDTnHnM form) in seconds; undefined for zero (one-shot). */
export function intervalSeconds(value: unknown): number | undefined {
  const match = typeof value === 'string' ? AMT_INTERVAL.exec(value) : null;
  if (match === null) return refuse('Interval is not of the form PnDTnHnM');
  const [days, hours, minutes] = [match[1], match[2], match[3]].map((part) => Number(part ?? 0)) as [number, number, number];
  if (hours > 23 || minutes > 59) refuse('Interval hours must be 0-23 and minutes 0-59');
  const seconds = days * 86_400 + hours * 3600 + minutes * 60;
  if (seconds === 0) return undefined;
  if (seconds < MIN_INTERVAL_SECONDS || seconds > MAX_INTERVAL_SECONDS) refuse('Interval is out of range');
  return seconds;
}

/** Seconds as AMT's shortest PnDTnHnM text: `P1D`, `PT3H`, `P1DT2H30M`. */
export function intervalText(seconds: number): string {
  const days = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const time = `${hours > 0 ? `${hours}H` : ''}${minutes > 0 ? `${minutes}M` : ''}`;
  return `P${days > 0 ? `${days}D` : ''}${time === '' ? '' : `T${time}`}`;
}

/**
 * Adds the alarm `template` describes (Create's payload or AddAlarm's AlarmTemplate), after every check.
 * @throws WsmanFault invalidRepresentation (bad or duplicate), quotaLimit (five alarms exist)
 */
function addAlarmRecord(context: WsmanContext, template: Instance): AlarmRecord {
  const { alarms } = context.state.get(ALARM_CLOCK);
  const id = template['InstanceID'];
  if (typeof id !== 'string' || id.trim() === '' || id.length > MAX_NAME) return refuse(`InstanceID is required (at most ${MAX_NAME} characters)`);
  if (alarms.some((a) => a.instanceId === id)) refuse(`an alarm ${JSON.stringify(id)} exists already`);
  if (alarms.length >= MAX_ALARMS) throw new WsmanFault('quotaLimit', `IPS_AlarmClockOccurrence: at most ${MAX_ALARMS} alarms`);
  const name = typeof template['ElementName'] === 'string' && template['ElementName'] !== '' ? template['ElementName'] : id;
  if (name.length > MAX_NAME) refuse(`ElementName is longer than ${MAX_NAME} characters`);
  const interval = template['Interval'] === undefined ? undefined : intervalSeconds(template['Interval']);
  const alarm: AlarmRecord = {
    instanceId: id, elementName: name, startTime: futureStart(context, template['StartTime']),
    ...(interval === undefined ? {} : { intervalSeconds: interval }),
    deleteOnCompletion: template['DeleteOnCompletion'] !== false, fired: false,
  };
  context.state.set(ALARM_CLOCK, { alarms: [...alarms, alarm] });
  return alarm;
}

function changeAlarm(context: WsmanContext, current: Instance, changes: Instance): Instance {
  const { alarms } = context.state.get(ALARM_CLOCK);
  const next = alarms.map((a) => (a.instanceId !== current['InstanceID'] ? a : changed(context, a, changes)));
  context.state.set(ALARM_CLOCK, { alarms: next });
  const alarm = next.find((a) => a.instanceId === current['InstanceID']);
  return alarm === undefined ? current : occurrenceInstance(alarm);
}

function changed(context: WsmanContext, alarm: AlarmRecord, changes: Instance): AlarmRecord {
  const { intervalSeconds: period, ...rest } = alarm;
  const interval = changes['Interval'] === undefined ? period : intervalSeconds(changes['Interval']);
  return {
    ...rest, fired: false,
    ...(interval === undefined ? {} : { intervalSeconds: interval }),
    ...(changes['StartTime'] === undefined ? {} : { startTime: futureStart(context, changes['StartTime']) }),
    ...(typeof changes['DeleteOnCompletion'] === 'boolean' ? { deleteOnCompletion: changes['DeleteOnCompletion'] } : {}),
  };
}

const isoSeconds = (seconds: number): string => new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

function occurrenceInstance(alarm: AlarmRecord): Instance {
  return {
    DeleteOnCompletion: alarm.deleteOnCompletion, ElementName: alarm.elementName, InstanceID: alarm.instanceId,
    Interval: alarm.intervalSeconds === undefined ? undefined : intervalText(alarm.intervalSeconds), StartTime: isoSeconds(alarm.startTime),
  };
}

/**
 * What is left of `alarm` once it went off at AMT time `now`: with DeleteOnCompletion nothing (even
 * a recurring one: the SDK advises false for repeated alarms); a recurring alarm moves on to its
 * first StartTime after `now` (missed periods are skipped, so it never goes off twice for one due
 * time); a one-shot alarm is kept, marked as gone off.
 */
function afterFiring(alarm: AlarmRecord, now: number): AlarmRecord[] {
  if (alarm.deleteOnCompletion) return [];
  const period = alarm.intervalSeconds;
  if (period === undefined) return [{ ...alarm, fired: true }];
  return [{ ...alarm, startTime: alarm.startTime + (Math.floor((now - alarm.startTime) / period) + 1) * period }];
}

/**
 * The alarms due at `nowMs` (engine clock; compared on the AMT clock), each due time handed out
 * once, as it was when due. The AMT app calls this periodically and powers the host on when the
 * list is not empty.
 */
export function dueAlarms(state: WsmanState, nowMs: number): AlarmRecord[] {
  const now = amtClockSeconds(state, nowMs);
  const { alarms } = state.get(ALARM_CLOCK);
  const due = alarms.filter((a) => !a.fired && a.startTime <= now);
  if (due.length === 0) return [];
  state.set(ALARM_CLOCK, { alarms: alarms.flatMap((a) => (due.includes(a) ? afterFiring(a, now) : [a])) });
  return due;
}

/** `value` as an embedded instance (the value of an `instance` input), if it is one. */
function embeddedInstance(value: PropertyValue | undefined): EmbeddedInstance | undefined {
  if (value === undefined || typeof value !== 'object' || value instanceof Uint8Array || Array.isArray(value)) return undefined;
  return 'selectors' in value && value.selectors instanceof Map ? undefined : (value as EmbeddedInstance);
}

function addAlarm(context: WsmanContext, input: Instance): MethodResult {
  const template = embeddedInstance(input['AlarmTemplate']);
  if (template === undefined) return refuse('AlarmTemplate is not an embedded instance');
  addAlarmRecord(context, template);
  return { returnValue: 0, output: { AlarmClock: RECORDED_ALARM_CLOCK } };
}

const OCCURRENCE_PROPERTIES: readonly PropertyDecl[] = [
  { name: 'DeleteOnCompletion', type: 'boolean', writable: true }, { name: 'ElementName', type: 'string' },
  { name: 'InstanceID', type: 'string', key: true }, { name: 'Interval', type: 'interval', writable: true },
  { name: 'StartTime', type: 'datetime', writable: true },
];

export const AMT_ALARM_CLOCK_SERVICE: ClassDeclaration = {
  name: 'AMT_AlarmClockService',
  schema: 'AMT',
  summary: 'The wake alarm service: AddAlarm creates an IPS_AlarmClockOccurrence (refusals are faults, as on AMT).',
  commonNamespace: true,
  properties: [SERVICE_KEYS.CreationClassName, { name: 'ElementName', type: 'string' }, SERVICE_KEYS.Name, SERVICE_KEYS.SystemCreationClassName, SERVICE_KEYS.SystemName],
  instances: () => [{ ...hostServiceKeys('AMT_AlarmClockService', SERVICE_NAME), ElementName: SERVICE_NAME }],
  operations: {
    get: { realms: REALMS.remoteControlOrGeneralInfo },
    enumerate: { realms: REALMS.remoteControlOrGeneralInfo },
  },
  methods: [{
    name: 'AddAlarm',
    realms: REALMS.remoteControl,
    inputs: [{ name: 'AlarmTemplate', type: 'instance', required: true, embedded: { resourceUri: OCCURRENCE_URI, properties: OCCURRENCE_PROPERTIES } }],
    outputs: [{ name: 'AlarmClock', type: 'epr' }],
    // AMT refuses with faults (InvalidRepresentation, QuotaLimit), not ReturnValues; see the top comment.
    returnValues: { 0: 'PT_STATUS_SUCCESS' },
    invoke: addAlarm,
  }],
};

export const IPS_ALARM_CLOCK_OCCURRENCE: ClassDeclaration = {
  name: 'IPS_AlarmClockOccurrence',
  schema: 'IPS',
  summary: 'A wake alarm (StartTime on the AMT clock, recurring with an Interval); AddAlarm or Create adds one, Put changes it, Delete removes it.',
  commonNamespace: true,
  properties: OCCURRENCE_PROPERTIES,
  instances: (context) => context.state.get(ALARM_CLOCK).alarms.map(occurrenceInstance),
  operations: {
    get: { realms: REALMS.remoteControlOrGeneralInfo },
    enumerate: { realms: REALMS.remoteControlOrGeneralInfo },
    create: { realms: REALMS.remoteControl, apply: (context, instance) => occurrenceInstance(addAlarmRecord(context, instance)) },
    put: { realms: REALMS.remoteControl, apply: changeAlarm },
    delete: {
      realms: REALMS.remoteControl,
      apply: (context, instance) => {
        const { alarms } = context.state.get(ALARM_CLOCK);
        context.state.set(ALARM_CLOCK, { alarms: alarms.filter((a) => a.instanceId !== instance['InstanceID']) });
      },
    },
  },
  methods: [],
};
