// Accounts, ACL and the audit log through the whole AMT web server: AMT_AuthorizationService calls
// built by wsman-messages go through AmtHttpCore.inject with real Digest against the account
// directory. A user added with AddUserAclEntryEx logs in holding exactly its realms, is refused
// (wsman AccessDenied) outside them, cannot log in once removed; wrong or empty HA1s never log in;
// lock-outs survive ACL changes; every change is in AMT_AuditLog. Reply shapes match the recordings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { accountDirectory, parseAuditRecord, recordSecurityEvent, setAdminPassword } from '../src/amt/accounts/index.js';
import { DigestAuthenticator, parseAuthorization } from '../src/amt/auth/index.js';
import { renderAuthorization } from '../src/amt/auth/digest-client.js';
import { AmtHttpCore } from '../src/amt/http/index.js';
import { parseReply, postWsman } from '../src/amt/http/testing.js';
import { createTestWsman, tagSequence, textOf, TEST_WSMAN_REALM, type TestWsman } from '../src/amt/wsman/testing.js';

interface MessageSet { [service: string]: { [call: string]: ((...args: unknown[]) => string) | undefined } | undefined }
const wsmanMessages = createRequire(import.meta.url)('@open-amt-cloud-toolkit/wsman-messages') as Record<'AMT' | 'CIM', { Messages: new () => MessageSet }>;
const amt = (name: string, ...args: unknown[]): string => {
  const fn = new wsmanMessages.AMT.Messages().AuthorizationService?.[name];
  if (fn === undefined) throw new Error(`wsman-messages has no AuthorizationService.${name}`);
  return fn(...args);
};
const message = (kind: 'AMT' | 'CIM', service: string, name: string, ...args: unknown[]): string => {
  const fn = new wsmanMessages[kind].Messages()[service]?.[name];
  if (fn === undefined) throw new Error(`wsman-messages has no ${service}.${name}`);
  return fn(...args);
};

const ADMIN_PASSWORD = 'Adm1n-P@ss';
const USER_PASSWORD = 'Op3rator-P@ss';
const fixture = (path: string): string => readFileSync(new URL(`../../../shared/fixtures/amt-responses/${path}`, import.meta.url), 'utf8');
/** DigestPassword as consoles send it: base64 of the 16 raw bytes of MD5(user:realm:password) (brief §6.2). */
const digestPassword = (user: string, password: string): string => createHash('md5').update(`${user}:${TEST_WSMAN_REALM}:${password}`).digest('base64');

interface Device {
  readonly wsman: TestWsman;
  readonly auth: DigestAuthenticator;
  readonly network: AmtHttpCore;
  readonly local: AmtHttpCore;
  readonly clock: { now: number };
}

function device(): Device {
  const wsman = createTestWsman();
  const clock = { now: 1_700_000_000_000 };
  wsman.device.clock = () => clock.now;
  setAdminPassword(wsman.state, TEST_WSMAN_REALM, { password: ADMIN_PASSWORD });
  const onSecurityEvent = (event: Parameters<typeof recordSecurityEvent>[1]): void => recordSecurityEvent(wsman.state, event);
  const auth = new DigestAuthenticator({ realm: TEST_WSMAN_REALM, users: accountDirectory(wsman.state, { local: false }), clock: () => clock.now, onSecurityEvent });
  const localAuth = new DigestAuthenticator({
    realm: TEST_WSMAN_REALM, clock: () => clock.now, onSecurityEvent,
    users: accountDirectory(wsman.state, { local: true, localSystemAccount: { username: '$$OsAdmin', password: 'lsa-0123456789abcdef' } }),
  });
  return { wsman, auth, clock, network: new AmtHttpCore({ auth, handler: wsman.handler }), local: new AmtHttpCore({ auth: localAuth, handler: wsman.handler }) };
}

interface Reply { readonly status: number; readonly body: string }

/** One request as `user`: a 401 for a fresh nonce, then the Digest answer (or `response` instead of the right one). */
async function send(core: AmtHttpCore, user: string, password: string, body: string, response?: string): Promise<Reply> {
  const first = parseReply(Buffer.from((await core.inject(postWsman(body))).bytes).toString('latin1'));
  const challenge = first.headers.find(([n]) => n === 'WWW-Authenticate')?.[1] ?? '';
  const parsed = parseAuthorization(challenge);
  assert.equal(parsed.kind, 'digest');
  const nonce = parsed.kind === 'digest' ? parsed.params.get('nonce') ?? '' : '';
  const authorization = renderAuthorization({
    user, password, realm: TEST_WSMAN_REALM, nonce, method: 'POST', uri: '/wsman', nonceCount: 1, ...(response === undefined ? {} : { responseOverride: response }),
  });
  const reply = parseReply(Buffer.from((await core.inject(postWsman(body, authorization))).bytes).toString('latin1'));
  return { status: reply.status, body: reply.body };
}
const asAdmin = (d: Device, body: string): Promise<Reply> => send(d.network, 'admin', ADMIN_PASSWORD, body);
const returnValue = (reply: Reply): number => Number(textOf(reply.body, 'g:ReturnValue'));
const subcode = (reply: Reply): string | undefined => /<a:Subcode><a:Value>([^<]*)</.exec(reply.body)?.[1];

async function auditCodes(d: Device): Promise<number[]> {
  const codes: number[] = [];
  for (let start = 1; ; start += 10) {
    const reply = await asAdmin(d, message('AMT', 'AuditLog', 'ReadRecords', start));
    assert.equal(returnValue(reply), 0, reply.body);
    const records = [...reply.body.matchAll(/<g:EventRecords>([^<]*)</g)].map((m) => parseAuditRecord(Uint8Array.from(Buffer.from(m[1] ?? '', 'base64'))));
    codes.push(...records.map((r) => r.auditAppId * 100 + r.eventId));
    if (codes.length >= Number(textOf(reply.body, 'g:TotalRecordCount'))) return codes;
  }
}

test('a user added with AddUserAclEntryEx logs in with exactly its realms; outside them AccessDenied; removed, it cannot log in', async () => {
  const d = device();
  const added = await asAdmin(d, amt('AddUserAclEntryEx', 1, [4], 'operator', digestPassword('operator', USER_PASSWORD)));
  assert.equal(returnValue(added), 0, added.body);
  const handle = Number(textOf(added.body, 'g:Handle'));
  assert.equal(handle, 1);

  const chassis = await send(d.network, 'operator', USER_PASSWORD, message('CIM', 'Chassis', 'Get'));
  assert.equal(chassis.status, 200, 'Hardware Asset: CIM_Chassis');
  for (const body of [message('AMT', 'GeneralSettings', 'Get'), amt('EnumerateUserAclEntries', 1), message('AMT', 'AuditLog', 'ReadRecords', 1)]) {
    const refused = await send(d.network, 'operator', USER_PASSWORD, body);
    assert.equal(refused.status, 400);
    assert.equal(subcode(refused), 'e:AccessDenied');
  }
  const removed = await asAdmin(d, amt('RemoveUserAclEntry', handle));
  assert.equal(returnValue(removed), 0);
  assert.equal((await send(d.network, 'operator', USER_PASSWORD, message('CIM', 'Chassis', 'Get'))).status, 401);
  assert.deepEqual(await auditCodes(d), [1602, 1604]);
});

test('CVE-style: an empty or short DigestPassword adds nobody; a wrong HA1, the HA1 itself as password, or an empty response never log in', async () => {
  const d = device();
  // wsman-messages refuses an empty string, so the empty HA1 goes as a blank (decodes to no bytes).
  for (const password of [' ', 'AAAA', Buffer.alloc(15).toString('base64')]) {
    const reply = await asAdmin(d, amt('AddUserAclEntryEx', 2, [4], 'mallory', password));
    assert.equal(returnValue(reply), 2054, `DigestPassword ${JSON.stringify(password)}: PT_STATUS_INVALID_PASSWORD`);
  }
  assert.equal(Number(textOf((await asAdmin(d, amt('EnumerateUserAclEntries', 1))).body, 'g:TotalCount')), 0);

  // The HA1 of another password: only that other password works.
  const added = await asAdmin(d, amt('AddUserAclEntryEx', 1, [4], 'operator', digestPassword('operator', 'Other-P@ss1')));
  assert.equal(returnValue(added), 0);
  const chassis = message('CIM', 'Chassis', 'Get');
  assert.equal((await send(d.network, 'operator', USER_PASSWORD, chassis)).status, 401);
  const ha1Hex = Buffer.from(digestPassword('operator', 'Other-P@ss1'), 'base64').toString('hex');
  assert.equal((await send(d.network, 'operator', ha1Hex, chassis)).status, 401, 'the HA1 is not a password');
  for (const response of ['', '0', 'e'.repeat(31)]) assert.equal((await send(d.network, 'operator', 'Other-P@ss1', chassis, response)).status, 401, `response ${JSON.stringify(response)}`);
  assert.equal((await send(d.network, 'operator', 'Other-P@ss1', chassis)).status, 200);
});

test('wsman-messages ACL calls: enumerate, get, enable state, update, admin entry; replies have the recorded shapes', async () => {
  const d = device();
  for (const [user, access, realms] of [['alice', 2, [4, 13]], ['$$uns', 0, [16]], ['bob', 0, [16]]] as const) {
    const reply = await asAdmin(d, amt('AddUserAclEntryEx', access, realms, user, digestPassword(user, USER_PASSWORD)));
    assert.equal(returnValue(reply), user === '$$uns' ? 12 : 0, `${user}: ${reply.body}`);
  }
  const enumerated = await asAdmin(d, amt('EnumerateUserAclEntries', 1));
  assert.deepEqual(tagSequence(enumerated.body), tagSequence(fixture('amt/authorization/enumerateuseraclentries.xml')));
  assert.deepEqual([...enumerated.body.matchAll(/<g:Handles>(\d+)</g)].map((m) => Number(m[1])), [1, 2]);
  assert.equal(returnValue(await asAdmin(d, amt('EnumerateUserAclEntries', 3))), 35, 'StartIndex past the end: PT_STATUS_INVALID_INDEX');

  const bob = await asAdmin(d, amt('GetUserAclEntryEx', 2));
  assert.deepEqual(tagSequence(bob.body), tagSequence(fixture('amt/authorization/getuseraclentryex.xml')));
  assert.equal(textOf(bob.body, 'g:DigestUsername'), 'bob');
  assert.equal(textOf(bob.body, 'g:Realms'), '16');
  assert.ok(!bob.body.includes('DigestPassword'), 'the HA1 is never read back');
  assert.equal(returnValue(await asAdmin(d, amt('GetUserAclEntryEx', 9))), 2053, 'PT_STATUS_INVALID_HANDLE');

  const state = await asAdmin(d, amt('GetAclEnabledState', 1));
  assert.deepEqual(tagSequence(state.body), tagSequence(fixture('amt/authorization/getaclenabledstate.xml')));
  assert.equal(textOf(state.body, 'g:Enabled'), 'true');
  const disabled = await asAdmin(d, amt('SetAclEnabledState', 1, false));
  assert.deepEqual(tagSequence(disabled.body), tagSequence(fixture('amt/authorization/setaclenabledstate.xml')));
  assert.equal((await send(d.network, 'alice', USER_PASSWORD, message('CIM', 'Chassis', 'Get'))).status, 401, 'a disabled entry cannot log in');
  await asAdmin(d, amt('SetAclEnabledState', 1, true));
  assert.equal((await send(d.network, 'alice', USER_PASSWORD, message('CIM', 'Chassis', 'Get'))).status, 200);

  const updated = await asAdmin(d, amt('UpdateUserAclEntryEx', 1, 1, [4], 'alice', digestPassword('alice', 'N3w-P@ssword')));
  assert.equal(returnValue(updated), 0, updated.body);
  assert.equal((await send(d.network, 'alice', USER_PASSWORD, message('CIM', 'Chassis', 'Get'))).status, 401);
  assert.equal((await send(d.network, 'alice', 'N3w-P@ssword', message('CIM', 'Chassis', 'Get'))).status, 200);
  assert.equal(returnValue(await asAdmin(d, amt('AddUserAclEntryEx', 1, [4], undefined, undefined, 'AQIDBA=='))), 16, 'Kerberos entries: PT_STATUS_NOT_PERMITTED');
  assert.equal(returnValue(await asAdmin(d, amt('AddUserAclEntryEx', 1, [4], 'alice', digestPassword('alice', 'x')))), 2058, 'AMT_STATUS_DUPLICATE');
  assert.equal(returnValue(await asAdmin(d, amt('AddUserAclEntryEx', 1, [24], 'carol', digestPassword('carol', 'x')))), 2055, 'PT_STATUS_INVALID_REALM');

  for (const [call, path] of [['GetAdminAclEntry', 'getadminaclentry'], ['GetAdminAclEntryStatus', 'getadminaclentrystatus'], ['GetAdminNetAclEntryStatus', 'getadminnetaclentrystatus']] as const) {
    const reply = await asAdmin(d, amt(call));
    assert.deepEqual(tagSequence(reply.body), tagSequence(fixture(`amt/authorization/${path}.xml`)), call);
  }
  assert.equal(textOf(await asAdmin(d, amt('GetAdminAclEntry')).then((r) => r.body), 'g:Username'), 'admin');
  const removed = await asAdmin(d, amt('RemoveUserAclEntry', 2));
  assert.deepEqual(tagSequence(removed.body), tagSequence(fixture('amt/authorization/removeuseraclentry.xml')));
  assert.deepEqual(await auditCodes(d), [1602, 1602, 1606, 1606, 1603, 1604]);
});

test('SetAdminAclEntryEx changes the admin password: the old one fails, the new one works, the change is audited', async () => {
  const d = device();
  const reply = await asAdmin(d, amt('SetAdminACLEntryEx', 'admin', digestPassword('admin', 'N3w-Adm1n!')));
  assert.equal(returnValue(reply), 0, reply.body);
  assert.deepEqual(tagSequence(reply.body), tagSequence(fixture('amt/authorization/setadminaclentryex.xml')));
  assert.equal((await asAdmin(d, message('AMT', 'GeneralSettings', 'Get'))).status, 401);
  const status = await send(d.network, 'admin', 'N3w-Adm1n!', amt('GetAdminAclEntryStatus'));
  assert.equal(textOf(status.body, 'g:IsDefault'), 'false');
  assert.equal(returnValue(await send(d.network, 'admin', 'N3w-Adm1n!', amt('SetAdminACLEntryEx', 'admin', 'AAAA'))), 2054, 'a 3-byte HA1');
  const read = await send(d.network, 'admin', 'N3w-Adm1n!', message('AMT', 'AuditLog', 'ReadRecords', 1));
  const records = [...read.body.matchAll(/<g:EventRecords>([^<]*)</g)].map((m) => parseAuditRecord(Uint8Array.from(Buffer.from(m[1] ?? '', 'base64'))));
  assert.deepEqual(records.map((r) => [r.auditAppId * 100 + r.eventId, r.extendedData[0]]), [[1603, 0x02]], 'ACL Entry Modified: Password');
  assert.deepEqual(records[0]?.initiator, { kind: 'digest', user: 'admin' });
});

test('lock-out survives ACL changes: a locked user stays locked after its password is updated; the admin is not affected', async () => {
  const d = device();
  await asAdmin(d, amt('AddUserAclEntryEx', 1, [4], 'operator', digestPassword('operator', USER_PASSWORD)));
  const chassis = message('CIM', 'Chassis', 'Get');
  for (let i = 0; i < 10; i++) assert.equal((await send(d.network, 'operator', 'wrong-password', chassis)).status, 401);
  assert.ok(d.auth.lockoutState('operator').lockedUntil > d.clock.now, 'locked after ten failures');
  assert.equal((await asAdmin(d, amt('UpdateUserAclEntryEx', 1, 1, [4], 'operator', digestPassword('operator', 'N3w-P@ssword')))).status, 200);
  assert.equal((await send(d.network, 'operator', 'N3w-P@ssword', chassis)).status, 401, 'still locked: the update resets no counter');
  assert.equal((await asAdmin(d, chassis)).status, 200, 'the admin is not locked by another account');
  d.clock.now += 6_000;
  assert.equal((await send(d.network, 'operator', 'N3w-P@ssword', chassis)).status, 200, 'after the lock ends the new password works');
  assert.deepEqual(await auditCodes(d), [1602, 1605, 1603], 'the lock-out is in the audit log');
});

test('interfaces: a local-only entry and the local system account work over LME only; AMT_AuditLog Get and ReadRecords have the recorded shapes', async () => {
  const d = device();
  await asAdmin(d, amt('AddUserAclEntryEx', 0, [4], 'hostuser', digestPassword('hostuser', USER_PASSWORD)));
  const chassis = message('CIM', 'Chassis', 'Get');
  assert.equal((await send(d.network, 'hostuser', USER_PASSWORD, chassis)).status, 401);
  assert.equal((await send(d.local, 'hostuser', USER_PASSWORD, chassis)).status, 200);
  assert.equal((await send(d.network, '$$OsAdmin', 'lsa-0123456789abcdef', chassis)).status, 401);
  const lsa = await send(d.local, '$$OsAdmin', 'lsa-0123456789abcdef', message('AMT', 'GeneralSettings', 'Get'));
  assert.equal(lsa.status, 200, 'Local System realm reads the general settings');
  assert.equal(subcode(await send(d.local, '$$OsAdmin', 'lsa-0123456789abcdef', chassis)), 'e:AccessDenied');

  await asAdmin(d, amt('AddUserAclEntryEx', 1, [4], 'second', digestPassword('second', USER_PASSWORD)));
  const got = await asAdmin(d, message('AMT', 'AuditLog', 'Get'));
  assert.deepEqual(tagSequence(got.body), tagSequence(fixture('amt/auditlog/get.xml')));
  assert.equal(textOf(got.body, 'g:CurrentNumberOfRecords'), '2');
  assert.equal(textOf(got.body, 'h:Datetime'), new Date(d.clock.now - (d.clock.now % 1000)).toISOString().replace('.000', ''));
  const read = await asAdmin(d, message('AMT', 'AuditLog', 'ReadRecords', 1));
  assert.deepEqual(tagSequence(read.body), tagSequence(fixture('amt/auditlog/readrecords.xml')));
  assert.equal(returnValue(await asAdmin(d, message('AMT', 'AuditLog', 'ReadRecords', 3))), 35);
});

test('go-wsman nested Realms (<Realms><RealmValue>n</RealmValue></Realms>) are read like the flat form', async () => {
  const d = device();
  const flat = amt('AddUserAclEntryEx', 1, [4, 7], 'nested', digestPassword('nested', USER_PASSWORD));
  const nested = flat.replace(/(<h:Realms>\d+<\/h:Realms>)+/, (all) => `<h:Realms>${[...all.matchAll(/<h:Realms>(\d+)<\/h:Realms>/g)].map((m) => `<h:RealmValue>${m[1] ?? ''}</h:RealmValue>`).join('')}</h:Realms>`);
  assert.notEqual(nested, flat, 'the request was rewritten to the nested form');
  const added = await asAdmin(d, nested);
  assert.equal(returnValue(added), 0, added.body);
  const handle = Number(textOf(added.body, 'g:Handle'));
  const entry = await asAdmin(d, amt('GetUserAclEntryEx', handle));
  assert.deepEqual([...entry.body.matchAll(/<g:Realms>(\d+)<\/g:Realms>/g)].map((m) => Number(m[1])), [4, 7]);
});
