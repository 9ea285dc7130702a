/**
 * AMT_AuditLog (brief §3.6): the audit log kept by src/amt/accounts. Get reports its state in the
 * order of `amt/auditlog/get.xml` (StoragePolicy 1 RollOver and OverwritePolicy 2 WrapsWhenFull:
 * the oldest record goes when the ring is full); ReadRecords(StartIndex, from 1) returns at most
 * ten base64 records, oldest first, as `amt/auditlog/readrecords.xml`; ClearLog empties it.
 */
import { AUDIT_LOG, AUDIT_LOG_CAPACITY, clearAuditLog, PT_STATUS, PT_STATUS_NAME } from '../../accounts/index.js';
import type { ClassDeclaration, MethodDecl, PropertyDecl } from '../declaration.js';
import { REALMS } from './common.js';

const NAME = 'Intel(r) AMT:Audit Log';
/** Records per ReadRecords reply (GWM auditlog/types.go: "content of 10 records from the start index"). */
export const AUDIT_RECORDS_PER_READ = 10;

const p = (name: string, type: PropertyDecl['type'], extra: Partial<PropertyDecl> = {}): PropertyDecl => ({ name, type, ...extra });
const codes = (...values: number[]): Record<number, string> => Object.fromEntries(values.map((v) => [v, PT_STATUS_NAME.get(v) ?? String(v)]));

/** `2024-01-03T00:44:35Z` for seconds since the epoch. */
const datetime = (seconds: number): string => new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

const readRecords: MethodDecl = {
  name: 'ReadRecords', realms: REALMS.auditLog,
  inputs: [p('StartIndex', 'uint32')],
  outputs: [p('TotalRecordCount', 'uint32'), p('RecordsReturned', 'uint32'), p('EventRecords', 'base64', { array: true })],
  /** ValueMap {0, 1, 2, 35} (GWM auditlog/types.go ReadRecords_OUTPUT). */
  returnValues: { ...codes(PT_STATUS.SUCCESS, PT_STATUS.INTERNAL_ERROR, PT_STATUS.INVALID_INDEX), 2: 'PT_STATUS_NOT_READY' },
  invoke: (context, input) => {
    const records = context.state.get(AUDIT_LOG).records;
    const start = typeof input['StartIndex'] === 'number' ? input['StartIndex'] : 1;
    if (start < 1 || start > Math.max(records.length, 1)) return { returnValue: PT_STATUS.INVALID_INDEX };
    const page = records.slice(start - 1, start - 1 + AUDIT_RECORDS_PER_READ).map((r) => Uint8Array.from(Buffer.from(r, 'base64')));
    return { returnValue: PT_STATUS.SUCCESS, output: { TotalRecordCount: records.length, RecordsReturned: page.length, EventRecords: page } };
  },
};

const clearLog: MethodDecl = {
  name: 'ClearLog', realms: REALMS.auditLog,
  inputs: [], outputs: [],
  returnValues: codes(PT_STATUS.SUCCESS, PT_STATUS.INTERNAL_ERROR),
  invoke: (context) => {
    clearAuditLog(context.state, { kind: 'digest', user: context.principal.user }, context.device.now());
    return { returnValue: PT_STATUS.SUCCESS };
  },
};

export const AMT_AUDIT_LOG: ClassDeclaration = {
  name: 'AMT_AuditLog',
  schema: 'AMT',
  summary: 'The security audit log: state, ReadRecords (base64 records, ten per call) and ClearLog.',
  commonNamespace: true,
  properties: [
    p('AuditState', 'uint16'), p('CurrentNumberOfRecords', 'uint32'), p('ElementName', 'string'), p('EnabledState', 'uint16'),
    p('MaxAllowedAuditors', 'uint16'), p('MaxNumberOfRecords', 'uint64'), p('Name', 'string', { key: true }), p('OverwritePolicy', 'uint16'),
    p('PercentageFree', 'uint8'), p('RequestedState', 'uint16'), p('StoragePolicy', 'uint8'), p('TimeOfLastRecord', 'datetime'),
  ],
  instances: (context) => {
    const log = context.state.get(AUDIT_LOG);
    const free = Math.floor((100 * (AUDIT_LOG_CAPACITY - log.records.length)) / AUDIT_LOG_CAPACITY);
    return [{
      AuditState: 16, CurrentNumberOfRecords: log.records.length, ElementName: 'Intel(r) AMT Audit Log', EnabledState: 2, MaxAllowedAuditors: 1,
      MaxNumberOfRecords: 0, Name: NAME, OverwritePolicy: 2, PercentageFree: free, RequestedState: 2, StoragePolicy: 1,
      ...(log.lastTimestamp === undefined ? {} : { TimeOfLastRecord: datetime(log.lastTimestamp) }),
    }];
  },
  operations: { get: { realms: REALMS.auditLog }, enumerate: { realms: REALMS.auditLog } },
  methods: [clearLog, readRecords],
};
