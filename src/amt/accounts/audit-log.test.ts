// The audit log ring: bounded (oldest dropped), security events become "ACL Access with Invalid
// Credentials" only on a lock-out, ClearLog leaves its own record, and event codes match AMT's table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InMemoryWsmanState } from '../wsman/state.js';
import { AUDIT_LOG, AUDIT_LOG_CAPACITY, clearAuditLog, parseAuditRecord, recordAudit, recordSecurityEvent } from './index.js';

const AT = Date.UTC(2024, 0, 3, 0, 44, 35);
const records = (state: InMemoryWsmanState): ReturnType<typeof parseAuditRecord>[] =>
  state.get(AUDIT_LOG).records.map((r) => parseAuditRecord(Uint8Array.from(Buffer.from(r, 'base64'))));

test('records carry AMT\'s codes, the initiator, the time in seconds and the address type', () => {
  const state = new InMemoryWsmanState();
  recordAudit(state, { kind: 'provisioning-started', by: { kind: 'local' }, at: AT });
  recordAudit(state, { kind: 'provisioning-completed', by: { kind: 'local' }, at: AT });
  recordAudit(state, { kind: 'unprovisioning-started', via: 'remote-wsman', by: { kind: 'digest', user: 'admin' }, at: AT, address: '192.168.1.9' });
  recordAudit(state, { kind: 'power', action: 'power-cycle', by: { kind: 'digest', user: 'admin' }, at: AT, address: 'fe80::1' });
  const got = records(state);
  assert.deepEqual(got.map((r) => r.auditAppId * 100 + r.eventId), [1600, 1601, 1619, 1702]);
  assert.deepEqual(got[2]?.extendedData, Uint8Array.of(4), 'Remote WSMAN');
  assert.deepEqual(got.map((r) => r.mcLocationType), [2, 2, 0, 1]);
  assert.equal(got[3]?.netAddress, 'fe80::1');
  assert.equal(got[0]?.timestamp, AT / 1000);
  assert.equal(state.get(AUDIT_LOG).lastTimestamp, AT / 1000);
});

test('the ring keeps the newest AUDIT_LOG_CAPACITY records', () => {
  const state = new InMemoryWsmanState();
  for (let i = 0; i < AUDIT_LOG_CAPACITY + 5; i++) recordAudit(state, { kind: 'power', action: 'reset', by: { kind: 'local' }, at: AT + i * 1000 });
  const got = records(state);
  assert.equal(got.length, AUDIT_LOG_CAPACITY);
  assert.equal(got[0]?.timestamp, AT / 1000 + 5, 'the five oldest were dropped');
});

test('security events: only a lock-out is logged, as 1605 with "Invalid ME access" and the account name', () => {
  const state = new InMemoryWsmanState();
  recordSecurityEvent(state, { kind: 'login-failed', at: AT, user: 'admin', reason: 'bad-response', consecutiveFailures: 3 });
  recordSecurityEvent(state, { kind: 'lock-released', at: AT, user: 'admin' });
  assert.equal(records(state).length, 0);
  recordSecurityEvent(state, { kind: 'locked-out', at: AT, user: 'admin', lockMs: 5000, until: AT + 5000, consecutiveFailures: 10 });
  const [record] = records(state);
  assert.equal((record?.auditAppId ?? 0) * 100 + (record?.eventId ?? 0), 1605);
  assert.deepEqual(record?.initiator, { kind: 'digest', user: 'admin' });
  assert.deepEqual(record?.extendedData, Uint8Array.of(0));
});

test('ClearLog empties the log and records the clearing', () => {
  const state = new InMemoryWsmanState();
  recordAudit(state, { kind: 'provisioning-started', by: { kind: 'local' }, at: AT });
  clearAuditLog(state, { kind: 'digest', user: 'auditor' }, AT + 1000);
  const got = records(state);
  assert.deepEqual(got.map((r) => r.auditAppId * 100 + r.eventId), [2000]);
});
