// The account directory: admin after activation, ACL entries by interface and state, the local
// system account on the local interface only, and changes visible at the next lookup.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { InMemoryWsmanState } from '../wsman/state.js';
import { ALL_REALM_NAMES } from '../wsman/realms.js';
import { accountDirectory, ACCOUNTS, adminAccount, resetAccounts, setAdminPassword, PT_STATUS, type AclEntry } from './index.js';

const REALM = 'Digest:727734D63A1FC0423736E48DA554E462';
const ha1 = (user: string, password: string): string => createHash('md5').update(`${user}:${REALM}:${password}`).digest('hex');
const LSA = { username: '$$OsAdmin', password: 'lsa-secret-0123456789abcdef' };

function withEntries(state: InMemoryWsmanState, entries: AclEntry[]): void {
  state.set(ACCOUNTS, { ...state.get(ACCOUNTS), entries, nextHandle: entries.length + 1 });
}

test('before activation nobody is admin; after setAdminPassword the admin holds every realm and only the HA1 is stored', () => {
  const state = new InMemoryWsmanState();
  const network = accountDirectory(state, { local: false });
  assert.equal(network.find('admin'), undefined);
  assert.equal(adminAccount(state).isDefault, true);
  assert.equal(setAdminPassword(state, REALM, { password: 'Adm1n-P@ss' }), PT_STATUS.SUCCESS);
  const admin = network.find('admin');
  assert.deepEqual(admin?.passwordOrHA1, { ha1: ha1('admin', 'Adm1n-P@ss') });
  assert.deepEqual(admin?.realms, ALL_REALM_NAMES);
  assert.ok(!JSON.stringify(state.get(ACCOUNTS)).includes('Adm1n-P@ss'), 'the password is never stored');
  assert.equal(adminAccount(state).isDefault, false);
});

test('setAdminPassword refuses weak passwords, malformed HA1s and bad names, and keeps the old secret', () => {
  const state = new InMemoryWsmanState();
  setAdminPassword(state, REALM, { ha1: ha1('admin', 'Adm1n-P@ss') });
  for (const secret of [{ password: 'short' }, { password: 'alllowercase1!' }, { ha1: 'ABCDEF'.padEnd(32, '0') }, { ha1: '' }, {}]) {
    assert.equal(setAdminPassword(state, REALM, secret), PT_STATUS.INVALID_PASSWORD, JSON.stringify(secret));
  }
  for (const user of ['', 'a'.repeat(17), 'bad"name', 'col:on', 'spa ce', '$$OsAdmin']) {
    assert.equal(setAdminPassword(state, REALM, { user, password: 'Adm1n-P@ss' }), PT_STATUS.INVALID_NAME, user);
  }
  assert.deepEqual(accountDirectory(state, { local: false }).find('admin')?.passwordOrHA1, { ha1: ha1('admin', 'Adm1n-P@ss') });
});

test('ACL entries are found by interface and enabled state, with their realm names; changes apply at once', () => {
  const state = new InMemoryWsmanState();
  const network = accountDirectory(state, { local: false });
  const local = accountDirectory(state, { local: true });
  const entry = (handle: number, user: string, access: AclEntry['access'], enabled = true): AclEntry =>
    ({ handle, user, ha1: ha1(user, 'x'), access, realms: [2, 4, 99], enabled });
  withEntries(state, [entry(1, 'net', 'network'), entry(2, 'loc', 'local'), entry(3, 'both', 'any'), entry(4, 'off', 'any', false)]);
  assert.deepEqual(network.find('net')?.realms, ['Redirection', 'Hardware Asset']);
  assert.equal(network.find('loc'), undefined);
  assert.equal(local.find('net'), undefined);
  assert.ok(local.find('loc'));
  assert.ok(network.find('both') && local.find('both'));
  assert.equal(network.find('off'), undefined);
  withEntries(state, []);
  assert.equal(network.find('both'), undefined, 'a removed entry is gone at the next lookup');
});

test('the local system account is found only on the local interface, with the Local System realm', () => {
  const state = new InMemoryWsmanState();
  assert.equal(accountDirectory(state, { local: false, localSystemAccount: LSA }).find(LSA.username), undefined);
  const found = accountDirectory(state, { local: true, localSystemAccount: LSA }).find(LSA.username);
  assert.deepEqual(found, { user: LSA.username, passwordOrHA1: { password: LSA.password }, realms: ['Local System'] });
  assert.equal(accountDirectory(state, { local: true }).find(LSA.username), undefined);
});

test('resetAccounts returns to the factory table', () => {
  const state = new InMemoryWsmanState();
  setAdminPassword(state, REALM, { password: 'Adm1n-P@ss' });
  resetAccounts(state);
  assert.equal(accountDirectory(state, { local: false }).find('admin'), undefined);
  assert.deepEqual(state.get(ACCOUNTS), ACCOUNTS.initial());
});
