// The user ACL from the attacker's and the administrator's side: AMT's name, password, realm,
// access and size rules with their PT_STATUS codes; nothing changes on a refusal; every change is
// in the audit log; handles are never reused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { InMemoryWsmanState } from '../wsman/state.js';
import {
  ACCOUNTS, aclEntry, aclHandles, addAclEntry, AUDIT_LOG, accountDirectory, MAX_ACL_ENTRIES, parseAuditRecord, PT_STATUS, removeAclEntry,
  setAclEntryEnabled, setAdminPassword, updateAclEntry, type AclEntryInput,
} from './index.js';

const REALM = 'Digest:727734D63A1FC0423736E48DA554E462';
const SOURCE = { by: { kind: 'digest' as const, user: 'admin' }, at: 1_700_000_000_000 };
const rawHA1 = (user: string, password: string): Uint8Array => Uint8Array.from(createHash('md5').update(`${user}:${REALM}:${password}`).digest());
const input = (user: string, extra: Partial<AclEntryInput> = {}): AclEntryInput => ({ user, ha1: rawHA1(user, 'Us3r-P@ss'), access: 1, realms: [4], ...extra });
const auditEvents = (state: InMemoryWsmanState): string[] => state.get(AUDIT_LOG).records.map((r) => {
  const record = parseAuditRecord(Uint8Array.from(Buffer.from(r, 'base64')));
  return `${record.auditAppId * 100 + record.eventId}`;
});

test('an added entry gets handle 1, 2, ... and is stored as hex HA1 with sorted unique realms', () => {
  const state = new InMemoryWsmanState();
  assert.deepEqual(addAclEntry(state, input('alice', { realms: [13, 4, 4] }), SOURCE), { status: PT_STATUS.SUCCESS, handle: 1 });
  assert.deepEqual(addAclEntry(state, input('bob'), SOURCE), { status: PT_STATUS.SUCCESS, handle: 2 });
  const alice = aclEntry(state, 1);
  assert.equal(alice?.ha1, Buffer.from(rawHA1('alice', 'Us3r-P@ss')).toString('hex'));
  assert.deepEqual(alice?.realms, [4, 13]);
  assert.equal(alice?.enabled, true);
  assert.deepEqual(aclHandles(state), [1, 2]);
  assert.deepEqual(auditEvents(state), ['1602', '1602']);
});

test('refusals: bad or reserved names, duplicates, short HA1s, bad access, bad realms, a full table; the table is unchanged', () => {
  const state = new InMemoryWsmanState();
  setAdminPassword(state, REALM, { password: 'Adm1n-P@ss' });
  addAclEntry(state, input('alice'), SOURCE);
  const cases: [AclEntryInput, number][] = [
    [input(''), PT_STATUS.INVALID_NAME], [input('x'.repeat(17)), PT_STATUS.INVALID_NAME], [input('a<b'), PT_STATUS.INVALID_NAME],
    [input('$$OsAdmin'), PT_STATUS.INVALID_NAME], [input('Administrator'), PT_STATUS.INVALID_NAME], [input('tab\tname'), PT_STATUS.INVALID_NAME],
    [input('alice'), PT_STATUS.DUPLICATE],
    [input('carol', { ha1: new Uint8Array() }), PT_STATUS.INVALID_PASSWORD], [input('carol', { ha1: new Uint8Array(15) }), PT_STATUS.INVALID_PASSWORD],
    [input('carol', { ha1: new Uint8Array(32) }), PT_STATUS.INVALID_PASSWORD],
    [input('carol', { access: 3 }), PT_STATUS.INVALID_PARAMETER],
    [input('carol', { realms: [] }), PT_STATUS.INVALID_REALM], [input('carol', { realms: [0] }), PT_STATUS.INVALID_REALM],
    [input('carol', { realms: [22] }), PT_STATUS.INVALID_REALM], [input('carol', { realms: [24] }), PT_STATUS.INVALID_REALM],
    [input('carol', { realms: [4, 99] }), PT_STATUS.INVALID_REALM],
  ];
  const before = JSON.stringify(state.get(ACCOUNTS));
  for (const [entry, status] of cases) assert.equal(addAclEntry(state, entry, SOURCE).status, status, JSON.stringify(entry.user));
  assert.equal(JSON.stringify(state.get(ACCOUNTS)), before);
  for (let i = 1; i < MAX_ACL_ENTRIES; i++) assert.equal(addAclEntry(state, input(`user${i}`), SOURCE).status, PT_STATUS.SUCCESS);
  assert.equal(addAclEntry(state, input('onetoomany'), SOURCE).status, PT_STATUS.MAX_LIMIT_REACHED);
  assert.equal(setAdminPassword(state, REALM, { user: 'alice', password: 'Adm1n-P@ss' }), PT_STATUS.DUPLICATE, 'the admin cannot take an entry\'s name');
});

test('update keeps the HA1 only when the name is kept, audits what changed, and refuses stale handles', () => {
  const state = new InMemoryWsmanState();
  addAclEntry(state, input('alice'), SOURCE);
  const ha1Before = aclEntry(state, 1)?.ha1;
  assert.equal(updateAclEntry(state, 1, { user: 'alice', access: 2, realms: [4, 5] }, SOURCE), PT_STATUS.SUCCESS);
  assert.equal(aclEntry(state, 1)?.ha1, ha1Before);
  assert.equal(aclEntry(state, 1)?.access, 'any');
  assert.equal(updateAclEntry(state, 1, { user: 'alicia', access: 2, realms: [4] }, SOURCE), PT_STATUS.INVALID_PASSWORD, 'a rename needs the new HA1');
  assert.equal(updateAclEntry(state, 1, { user: 'alicia', ha1: rawHA1('alicia', 'N3w-P@ssword'), access: 1, realms: [4] }, SOURCE), PT_STATUS.SUCCESS);
  assert.equal(updateAclEntry(state, 9, { user: 'x', access: 1, realms: [4] }, SOURCE), PT_STATUS.INVALID_HANDLE);
  const modified = state.get(AUDIT_LOG).records.slice(1).map((r) => parseAuditRecord(Uint8Array.from(Buffer.from(r, 'base64'))));
  assert.deepEqual(modified.map((r) => r.extendedData[0]), [0x04 | 0x08, 0x01 | 0x02 | 0x08], 'ParameterModified bits: realms; then name, password, remote realms');
  assert.equal(Buffer.from(modified[1]?.extendedData.subarray(3) ?? []).toString(), 'alicia');
});

test('remove and disable: the user can no longer log in, handles are not reused, both audited', () => {
  const state = new InMemoryWsmanState();
  const directory = accountDirectory(state, { local: false });
  addAclEntry(state, input('alice'), SOURCE);
  addAclEntry(state, input('bob'), SOURCE);
  assert.equal(setAclEntryEnabled(state, 2, false, SOURCE), PT_STATUS.SUCCESS);
  assert.equal(directory.find('bob'), undefined);
  assert.equal(setAclEntryEnabled(state, 2, true, SOURCE), PT_STATUS.SUCCESS);
  assert.ok(directory.find('bob'));
  assert.equal(removeAclEntry(state, 1, SOURCE), PT_STATUS.SUCCESS);
  assert.equal(removeAclEntry(state, 1, SOURCE), PT_STATUS.INVALID_HANDLE);
  assert.equal(setAclEntryEnabled(state, 1, true, SOURCE), PT_STATUS.INVALID_HANDLE);
  assert.equal(directory.find('alice'), undefined);
  assert.equal(addAclEntry(state, input('alice'), SOURCE).handle, 3, 'a removed handle is not reused');
  assert.deepEqual(auditEvents(state), ['1602', '1602', '1606', '1606', '1604', '1602']);
});

test('PT Administration grants every realm except Local System, and Audit Log only while no auditor exists', () => {
  const state = new InMemoryWsmanState();
  setAdminPassword(state, REALM, { password: 'Adm1n-P@ss' });
  addAclEntry(state, input('boss', { realms: [3] }), SOURCE);
  const directory = accountDirectory(state, { local: false });
  assert.ok(directory.find('boss')?.realms.includes('Hardware Asset'));
  assert.ok(directory.find('boss')?.realms.includes('Audit Log'));
  assert.ok(!directory.find('boss')?.realms.includes('Local System'));
  addAclEntry(state, input('auditor', { realms: [20] }), SOURCE);
  assert.ok(!directory.find('boss')?.realms.includes('Audit Log'));
  assert.ok(!directory.find('admin')?.realms.includes('Audit Log'));
  assert.deepEqual(directory.find('auditor')?.realms, ['Audit Log']);
  setAclEntryEnabled(state, 2, false, SOURCE);
  assert.ok(directory.find('admin')?.realms.includes('Audit Log'), 'a disabled auditor does not count');
});
