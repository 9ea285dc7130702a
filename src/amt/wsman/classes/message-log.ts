/**
 * AMT_MessageLog, the event log (brief §3.6): a bounded ring of 21-byte records in state (390, as
 * the recorded `amt/messagelog/get.xml` says; the oldest is overwritten, OverwritePolicy 2). Other
 * parts of vme log events with `appendEventLogRecord` (e.g. power actions). Consoles read it the
 * MeshCommander way: PositionToFirstRecord → IterationIdentifier 1, then GetRecords(identifier,
 * MaxReadRecords) until NoMoreRecords; the identifier is the 1-based position of the next record
 * (GWM `amt/messagelog/log.go`). Records go newest first [AMT's order unverified]. ClearLog and
 * FreezeLog as MeshCommander uses them; a frozen log drops new records.
 */
import { bytes, struct, u8, u32 } from '../../../codec/index.js';
import type { ClassDeclaration, MethodResult } from '../declaration.js';
import { defineSlot, type WsmanState } from '../state.js';
import { amtServiceKeys, REALMS, SERVICE_KEYS } from './common.js';

/** One event record on the wire (GWM `amt/messagelog/decoder.go` parseEventLogResult; MeshCommander `_GetMessageLog1`). */
export const EventLogRecordLayout = struct('AMT event log record', {
  timestamp: u32(), // 0x00 seconds since the epoch, AMT clock
  deviceAddress: u8(), // 0x04
  eventSensorType: u8(), // 0x05
  eventType: u8(), // 0x06
  eventOffset: u8(), // 0x07
  eventSourceType: u8(), // 0x08
  eventSeverity: u8(), // 0x09
  sensorNumber: u8(), // 0x0A
  entity: u8(), // 0x0B
  entityInstance: u8(), // 0x0C
  eventData: bytes(8), // 0x0D
});

/** A record as kept in state (plain data): the layout's fields, eventData as up to 8 byte values. */
export interface EventLogRecord {
  readonly timestamp: number;
  readonly deviceAddress: number;
  readonly eventSensorType: number;
  readonly eventType: number;
  readonly eventOffset: number;
  readonly eventSourceType: number;
  readonly eventSeverity: number;
  readonly sensorNumber: number;
  readonly entity: number;
  readonly entityInstance: number;
  readonly eventData: readonly number[];
}

export interface MessageLogState {
  /** Oldest first. */
  readonly records: readonly EventLogRecord[];
  readonly frozen: boolean;
}

export const MESSAGE_LOG_CAPACITY = 390;
export const MESSAGE_LOG = defineSlot<MessageLogState>('wsman/message-log', () => ({ records: [], frozen: false }));

const byte = (value: number): number => value & 0xff;

/**
 * Appends `record` to the event log (the oldest record goes when the log is full). Returns false,
 * and logs nothing, while the log is frozen. Byte fields are taken modulo 256, eventData is cut or
 * zero-padded to 8 bytes, the timestamp to 32 bits.
 */
export function appendEventLogRecord(state: WsmanState, record: EventLogRecord): boolean {
  const log = state.get(MESSAGE_LOG);
  if (log.frozen) return false;
  const clean: EventLogRecord = {
    timestamp: record.timestamp >>> 0, deviceAddress: byte(record.deviceAddress), eventSensorType: byte(record.eventSensorType),
    eventType: byte(record.eventType), eventOffset: byte(record.eventOffset), eventSourceType: byte(record.eventSourceType),
    eventSeverity: byte(record.eventSeverity), sensorNumber: byte(record.sensorNumber), entity: byte(record.entity),
    entityInstance: byte(record.entityInstance), eventData: Array.from({ length: 8 }, (_, i) => byte(record.eventData[i] ?? 0)),
  };
  state.set(MESSAGE_LOG, { ...log, records: [...log.records, clean].slice(-MESSAGE_LOG_CAPACITY) });
  return true;
}

/** The 21 wire bytes of a record. */
export function encodeEventLogRecord(record: EventLogRecord): Uint8Array {
  return EventLogRecordLayout.serialize({ ...record, eventData: Uint8Array.from(record.eventData) });
}

/** GetRecords: from the 1-based `identifier` (newest first), at most `max` records. */
function getRecords(state: WsmanState, identifierText: string, max: number): MethodResult {
  const newestFirst = [...state.get(MESSAGE_LOG).records].reverse();
  if (newestFirst.length === 0) return { returnValue: 3 };
  const identifier = /^\d{1,10}$/.test(identifierText.trim()) ? Number(identifierText) : 0;
  if (identifier < 1 || identifier > newestFirst.length) return { returnValue: 2 };
  const start = identifier - 1;
  const batch = newestFirst.slice(start, start + Math.min(Math.max(max, 1), MESSAGE_LOG_CAPACITY));
  const next = start + batch.length;
  return {
    returnValue: 0,
    output: { IterationIdentifier: String(next + 1), NoMoreRecords: next >= newestFirst.length, RecordArray: batch.map(encodeEventLogRecord) },
  };
}

const NAME = 'Intel(r) AMT:MessageLog 1';
const CIM_LOG_RETURNS = { 0: 'Completed with No Error', 1: 'Not Supported', 2: 'Unknown/Unspecified Error' };

export const AMT_MESSAGE_LOG: ClassDeclaration = {
  name: 'AMT_MessageLog',
  schema: 'AMT',
  summary: 'The event log: a ring of 390 records, read with PositionToFirstRecord/GetRecords (newest first); ClearLog, FreezeLog.',
  commonNamespace: true,
  properties: [
    { name: 'Capabilities', type: 'uint16', array: true }, { name: 'CharacterSet', type: 'uint16' }, SERVICE_KEYS.CreationClassName,
    { name: 'CurrentNumberOfRecords', type: 'uint64' }, { name: 'ElementName', type: 'string' }, { name: 'EnabledDefault', type: 'uint16' },
    { name: 'EnabledState', type: 'uint16' }, { name: 'HealthState', type: 'uint16' }, { name: 'IsFrozen', type: 'boolean' },
    { name: 'LastChange', type: 'uint16' }, { name: 'LogState', type: 'uint16' }, { name: 'MaxLogSize', type: 'uint64' },
    { name: 'MaxNumberOfRecords', type: 'uint64' }, { name: 'MaxRecordSize', type: 'uint64' }, SERVICE_KEYS.Name,
    { name: 'OperationalStatus', type: 'uint16', array: true }, { name: 'OverwritePolicy', type: 'uint16' },
    { name: 'PercentageNearFull', type: 'uint8' }, { name: 'RequestedState', type: 'uint16' }, { name: 'SizeOfHeader', type: 'uint64' },
    { name: 'SizeOfRecordHeader', type: 'uint64' }, { name: 'Status', type: 'string' },
  ],
  instances: (context) => {
    const log = context.state.get(MESSAGE_LOG);
    const { CreationClassName, Name } = amtServiceKeys('AMT_MessageLog', NAME);
    return [{
      Capabilities: [5, 6, 8, 7], CharacterSet: 10, CreationClassName, CurrentNumberOfRecords: log.records.length, ElementName: NAME,
      EnabledDefault: 2, EnabledState: 2, HealthState: 5, IsFrozen: log.frozen, LastChange: 0, LogState: 4, MaxLogSize: 0,
      MaxNumberOfRecords: MESSAGE_LOG_CAPACITY, MaxRecordSize: EventLogRecordLayout.size, Name, OperationalStatus: [2], OverwritePolicy: 2,
      PercentageNearFull: Math.round((100 * log.records.length) / MESSAGE_LOG_CAPACITY), RequestedState: 12, SizeOfHeader: 0,
      SizeOfRecordHeader: 0, Status: 'OK',
    }];
  },
  operations: {
    get: { realms: REALMS.eventLogReader },
    enumerate: { realms: REALMS.eventLogReader },
  },
  methods: [{
    name: 'PositionToFirstRecord',
    realms: REALMS.eventLogReader,
    inputs: [],
    outputs: [{ name: 'IterationIdentifier', type: 'string' }],
    returnValues: { 0: 'Completed with No Error', 1: 'Not Supported', 2: 'No record exists' },
    invoke: (context) => (context.state.get(MESSAGE_LOG).records.length === 0 ? { returnValue: 2 } : { returnValue: 0, output: { IterationIdentifier: '1' } }),
  }, {
    name: 'GetRecords',
    realms: REALMS.eventLogReader,
    inputs: [{ name: 'IterationIdentifier', type: 'string', required: true }, { name: 'MaxReadRecords', type: 'uint32', required: true }],
    outputs: [{ name: 'IterationIdentifier', type: 'string' }, { name: 'NoMoreRecords', type: 'boolean' }, { name: 'RecordArray', type: 'base64', array: true }],
    returnValues: { 0: 'Completed with No Error', 1: 'Not Supported', 2: 'Invalid record pointed', 3: 'No record exists in log' },
    invoke: (context, input) => {
      const identifier = input['IterationIdentifier'];
      return getRecords(context.state, typeof identifier === 'string' ? identifier : '', Number(input['MaxReadRecords']));
    },
  }, {
    name: 'ClearLog',
    realms: REALMS.eventManager,
    inputs: [],
    outputs: [],
    returnValues: CIM_LOG_RETURNS,
    invoke: (context) => {
      context.state.set(MESSAGE_LOG, { ...context.state.get(MESSAGE_LOG), records: [] });
      return { returnValue: 0 };
    },
  }, {
    name: 'FreezeLog',
    realms: REALMS.eventManager,
    inputs: [{ name: 'Freeze', type: 'boolean', required: true }],
    outputs: [],
    returnValues: CIM_LOG_RETURNS,
    invoke: (context, input) => {
      context.state.set(MESSAGE_LOG, { ...context.state.get(MESSAGE_LOG), frozen: input['Freeze'] === true });
      return { returnValue: 0 };
    },
  }],
};
