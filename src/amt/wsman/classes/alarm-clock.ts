/**
 * The alarm clock (brief §3.6): AMT_AlarmClockService (`amt/alarmclock/get.xml`, SystemName
 * ManagedSystem) and its IPS_AlarmClockOccurrence wake alarms, kept in state. Consoles list them
 * with Enumerate/Pull (MeshCommander `PullAlarms`, MPS), change StartTime/DeleteOnCompletion with
 * Put and remove them with Delete (a missing one is DestinationUnreachable, brief §2.5). A new alarm
 * is created with Create here; AMT's AddAlarm(AlarmTemplate) needs an embedded-instance input the
 * declaration layer cannot read yet, and the recurring `Interval` (a wscim `Interval` element) a
 * property type it lacks: until then alarms are one-shot and AddAlarm is not declared. A duplicate
 * InstanceID is InvalidRepresentation, as AMT answers a duplicate AddAlarm (brief §2.5).
 * `dueAlarms` hands the AMT app the alarms whose time has come, to power the host on.
 */
import type { ClassDeclaration, Instance, WsmanContext } from '../declaration.js';
import { WsmanFault } from '../faults.js';
import { defineSlot, type WsmanState } from '../state.js';
import { hostServiceKeys, REALMS, SERVICE_KEYS } from './common.js';
import { amtClockSeconds } from './time-sync.js';

export interface AlarmRecord {
  readonly instanceId: string;
  readonly elementName: string;
  /** Seconds since the epoch on the AMT clock. */
  readonly startTime: number;
  readonly deleteOnCompletion: boolean;
  /** Went off already (kept because DeleteOnCompletion was false). */
  readonly fired: boolean;
}

export interface AlarmClockState {
  readonly alarms: readonly AlarmRecord[];
}

export const ALARM_CLOCK = defineSlot<AlarmClockState>('wsman/alarm-clock', () => ({ alarms: [] }));
/** vme's bounds: alarms kept, and the length of an InstanceID or ElementName. */
export const MAX_ALARMS = 5;
const MAX_NAME = 256;

const SERVICE_NAME = 'Intel(r) AMT Alarm Clock Service';
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

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

function createAlarm(context: WsmanContext, instance: Instance): Instance {
  const { alarms } = context.state.get(ALARM_CLOCK);
  const id = instance['InstanceID'];
  if (typeof id !== 'string' || id.trim() === '' || id.length > MAX_NAME) return refuse('InstanceID is required (at most 256 characters)');
  if (alarms.some((a) => a.instanceId === id)) refuse(`an alarm ${JSON.stringify(id)} exists already`);
  if (alarms.length >= MAX_ALARMS) refuse(`at most ${MAX_ALARMS} alarms`);
  const name = typeof instance['ElementName'] === 'string' && instance['ElementName'] !== '' ? instance['ElementName'] : id;
  if (name.length > MAX_NAME) refuse('ElementName is longer than 256 characters');
  const alarm: AlarmRecord = {
    instanceId: id, elementName: name, startTime: futureStart(context, instance['StartTime']),
    deleteOnCompletion: instance['DeleteOnCompletion'] !== false, fired: false,
  };
  context.state.set(ALARM_CLOCK, { alarms: [...alarms, alarm] });
  return occurrenceInstance(alarm);
}

function changeAlarm(context: WsmanContext, current: Instance, changes: Instance): Instance {
  const { alarms } = context.state.get(ALARM_CLOCK);
  const next = alarms.map((a) => (a.instanceId !== current['InstanceID'] ? a : {
    ...a, fired: false,
    ...(changes['StartTime'] === undefined ? {} : { startTime: futureStart(context, changes['StartTime']) }),
    ...(typeof changes['DeleteOnCompletion'] === 'boolean' ? { deleteOnCompletion: changes['DeleteOnCompletion'] } : {}),
  }));
  context.state.set(ALARM_CLOCK, { alarms: next });
  const changed = next.find((a) => a.instanceId === current['InstanceID']);
  return changed === undefined ? current : occurrenceInstance(changed);
}

const isoSeconds = (seconds: number): string => new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

function occurrenceInstance(alarm: AlarmRecord): Instance {
  return { DeleteOnCompletion: alarm.deleteOnCompletion, ElementName: alarm.elementName, InstanceID: alarm.instanceId, StartTime: isoSeconds(alarm.startTime) };
}

/**
 * The alarms due at `nowMs` (engine clock; compared on the AMT clock), each handed out once: a
 * due alarm is removed when DeleteOnCompletion, otherwise kept and marked as gone off. The AMT
 * app calls this periodically and powers the host on when the list is not empty.
 */
export function dueAlarms(state: WsmanState, nowMs: number): AlarmRecord[] {
  const now = amtClockSeconds(state, nowMs);
  const { alarms } = state.get(ALARM_CLOCK);
  const due = alarms.filter((a) => !a.fired && a.startTime <= now);
  if (due.length === 0) return [];
  const rest = alarms.filter((a) => !(due.includes(a) && a.deleteOnCompletion)).map((a) => (due.includes(a) ? { ...a, fired: true } : a));
  state.set(ALARM_CLOCK, { alarms: rest });
  return due;
}

export const AMT_ALARM_CLOCK_SERVICE: ClassDeclaration = {
  name: 'AMT_AlarmClockService',
  schema: 'AMT',
  summary: 'The wake alarm service; its alarms are IPS_AlarmClockOccurrence instances (AddAlarm pending, see the class notes).',
  commonNamespace: true,
  properties: [SERVICE_KEYS.CreationClassName, { name: 'ElementName', type: 'string' }, SERVICE_KEYS.Name, SERVICE_KEYS.SystemCreationClassName, SERVICE_KEYS.SystemName],
  instances: () => [{ ...hostServiceKeys('AMT_AlarmClockService', SERVICE_NAME), ElementName: SERVICE_NAME }],
  operations: {
    get: { realms: REALMS.remoteControlOrGeneralInfo },
    enumerate: { realms: REALMS.remoteControlOrGeneralInfo },
  },
  methods: [],
};

export const IPS_ALARM_CLOCK_OCCURRENCE: ClassDeclaration = {
  name: 'IPS_AlarmClockOccurrence',
  schema: 'IPS',
  summary: 'A one-shot wake alarm (StartTime on the AMT clock); Create adds one, Put moves it, Delete removes it.',
  commonNamespace: true,
  properties: [
    { name: 'DeleteOnCompletion', type: 'boolean', writable: true }, { name: 'ElementName', type: 'string' },
    { name: 'InstanceID', type: 'string', key: true }, { name: 'StartTime', type: 'datetime', writable: true },
  ],
  instances: (context) => context.state.get(ALARM_CLOCK).alarms.map(occurrenceInstance),
  operations: {
    get: { realms: REALMS.remoteControlOrGeneralInfo },
    enumerate: { realms: REALMS.remoteControlOrGeneralInfo },
    create: { realms: REALMS.remoteControl, apply: createAlarm },
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
