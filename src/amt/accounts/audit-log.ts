/**
 * The audit log: a bounded ring of serialized records (base64, exactly what ReadRecords returns)
 * in a WsmanState slot; when full the oldest record is dropped (StoragePolicy RollOver). Security
 * events of the Digest layer arrive through `recordSecurityEvent`: a lock-out becomes "ACL Access
 * with Invalid Credentials"; single failures are counted, not logged.
 */
import type { SecurityEvent } from '../auth/index.js';
import type { StateSlot, WsmanState } from '../wsman/state.js';
import { auditCodes, type AuditEvent } from './audit-events.js';
import { MC_LOCATION_TYPE, serializeAuditRecord } from './audit-record.js';

export const AUDIT_LOG_CAPACITY = 256;
/** Longest initiator name written (the record's u8 length; a Digest name is at most 64 in security events). */
const MAX_INITIATOR_NAME = 64;

export interface AuditLogState {
  /** Oldest first, each a base64 record. */
  readonly records: readonly string[];
  /** Seconds since the epoch of the newest record (TimeOfLastRecord). */
  readonly lastTimestamp?: number;
}

/**
 * Kept through Unprovision: an audit trail that the unprovisioning administrator could erase would
 * not be one (vme's choice; no public source says AMT clears it). Only ClearLog empties it.
 */
export const AUDIT_LOG: StateSlot<AuditLogState> = { name: 'amt/audit-log', initial: () => ({ records: [] }), unprovision: 'keep' };

function locationType(address: string | undefined): number {
  if (address === undefined || address.length === 0) return MC_LOCATION_TYPE.none;
  return address.includes(':') ? MC_LOCATION_TYPE.ipv6 : MC_LOCATION_TYPE.ipv4;
}

export function recordAudit(state: WsmanState, event: AuditEvent): void {
  const { appId, eventId, extendedData } = auditCodes(event);
  const initiator = event.by.kind === 'digest' ? { kind: 'digest' as const, user: event.by.user.slice(0, MAX_INITIATOR_NAME) } : event.by;
  const timestamp = Math.max(0, Math.min(0xffff_ffff, Math.floor(event.at / 1000)));
  const address = (event.address ?? '').slice(0, 64);
  const bytes = serializeAuditRecord({ auditAppId: appId, eventId, initiator, timestamp, mcLocationType: locationType(address), netAddress: address, extendedData });
  const log = state.get(AUDIT_LOG);
  const records = [...log.records, Buffer.from(bytes).toString('base64')].slice(-AUDIT_LOG_CAPACITY);
  state.set(AUDIT_LOG, { records, lastTimestamp: timestamp });
}

/** Turns a Digest security event into its audit record (only lock-outs are logged). */
export function recordSecurityEvent(state: WsmanState, event: SecurityEvent): void {
  if (event.kind !== 'locked-out') return;
  recordAudit(state, { kind: 'invalid-credentials', by: { kind: 'digest', user: event.user }, at: event.at });
}

/** Empties the log (ClearLog); the clearing itself is the first new record. */
export function clearAuditLog(state: WsmanState, by: AuditEvent['by'], at: number): void {
  state.set(AUDIT_LOG, AUDIT_LOG.initial());
  recordAudit(state, { kind: 'audit-log-cleared', by, at });
}
