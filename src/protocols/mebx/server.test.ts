// The MEBX server over a real in-memory NVRAM (NVRAM file system on a memory partition), called
// in-process through MebxClient and with raw bytes: login, lockout, forced password change, rules,
// settings, hash table, unprovision, End-of-POST, sessions and malformed input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AmtStateStore } from '../../amt-state/index.js';
import { MebxClient, passwordField } from './client.js';
import { MEBX_COMMAND, MEBX_STATUS } from './constants.js';
import { isMebxRefused } from './errors.js';
import { MebxHeader } from './messages.js';
import { MEBX_PASSWORD_KEY } from './password-store.js';
import { createMebxServer } from './server.js';
import { TEST_SCRYPT_COST, directTransport, mebxRig } from './testing.js';

const GOOD = 'Vme-2024!ok';

function raw(command: number, body: Uint8Array = new Uint8Array(), session = 0, version = 1): Uint8Array {
  const out = new Uint8Array(MebxHeader.size + body.length);
  MebxHeader.serialize({ version, command, status: 0, reserved: 0, session }, out);
  out.set(body, MebxHeader.size);
  return out;
}
const header = (bytes: Uint8Array) => MebxHeader.parse(bytes);

async function configured(): Promise<{ rig: Awaited<ReturnType<typeof mebxRig>>; client: MebxClient }> {
  const rig = await mebxRig();
  const client = new MebxClient(directTransport(rig.server));
  assert.equal((await client.login('admin')).status, 'success');
  assert.equal(await client.changePassword(GOOD), 'ok');
  return { rig, client };
}

test('in-process server: a wrong password is refused and counted; admin is accepted and must be changed first', async () => {
  const rig = await mebxRig();
  const client = new MebxClient(directTransport(rig.server));
  assert.deepEqual(await client.login('wrong'), { status: 'authenticationFailed', changeRequired: false, attemptsLeft: 2 });
  assert.equal(client.loggedIn, false);
  assert.deepEqual(await client.login('admin'), { status: 'success', changeRequired: true, attemptsLeft: 3 });
  await assert.rejects(client.getSettings(), (e) => isMebxRefused(e, 'passwordChangeRequired'));
  await assert.rejects(client.unprovision(), (e) => isMebxRefused(e, 'passwordChangeRequired'));
  assert.equal(await client.changePassword(GOOD), 'ok');
  assert.equal((await client.getSettings()).settings.amtEnabled, true);
});

test('in-process server: the engine enforces every password rule, naming the first one broken', async () => {
  const rig = await mebxRig();
  const client = new MebxClient(directTransport(rig.server));
  await client.login('admin');
  const cases: [string | Uint8Array, string][] = [
    ['Ab1!', 'tooShort'], ['Ab1!'.repeat(9), 'tooLong'], ['Ab1! defg', 'notAscii'], [Uint8Array.from([...Buffer.from('Ab1!defg'), 0xe9]), 'notAscii'],
    ['Ab1:defgh', 'forbiddenCharacter'], ['Ab1,defgh', 'forbiddenCharacter'], ['Ab1"defgh', 'forbiddenCharacter'],
    ['Abc!defgh', 'noDigit'], ['Abc1defgh', 'noSymbol'], ['abc1!defg', 'noUppercase'], ['ABC1!DEFG', 'noLowercase'],
  ];
  for (const [password, rule] of cases) assert.equal(await client.changePassword(password), rule, String(password));
  await assert.rejects(client.getSettings(), (e) => isMebxRefused(e, 'passwordChangeRequired'));
  assert.equal(await client.changePassword('Ab1!defg'), 'ok');
});

test('in-process server: the password is stored as a salted scrypt hash and survives a remount; admin no longer works', async () => {
  const { rig } = await configured();
  const record = new TextDecoder().decode(rig.nvram.get(MEBX_PASSWORD_KEY));
  assert.match(record, /"kdf":"scrypt"/);
  assert.ok(!record.includes(GOOD));
  const nvram = rig.rig.mount().namespace('amt');
  const state = await AmtStateStore.open(nvram);
  const again = new MebxClient(directTransport(createMebxServer({ state, nvram, isEndOfPost: () => false, scryptCost: TEST_SCRYPT_COST })));
  assert.equal((await again.login('admin')).status, 'authenticationFailed');
  assert.deepEqual(await again.login(GOOD), { status: 'success', changeRequired: false, attemptsLeft: 3 });
});

test('in-process server: three wrong passwords lock MEBX, even for the right one, until the engine resets', async () => {
  const rig = await mebxRig();
  const client = new MebxClient(directTransport(rig.server));
  assert.equal((await client.login('a')).attemptsLeft, 2);
  assert.equal((await client.login('b')).attemptsLeft, 1);
  assert.deepEqual(await client.login('c'), { status: 'lockedOut', changeRequired: false, attemptsLeft: 0 });
  assert.equal((await client.login('admin')).status, 'lockedOut');
  const reset = createMebxServer({ state: rig.state, nvram: rig.nvram, isEndOfPost: () => false, scryptCost: TEST_SCRYPT_COST });
  assert.equal((await new MebxClient(directTransport(reset)).login('admin')).status, 'success');
});

test('in-process server: a correct login resets the failure count', async () => {
  const rig = await mebxRig({ maxLoginAttempts: 2 });
  const client = new MebxClient(directTransport(rig.server));
  await client.login('x');
  await client.login('admin');
  assert.equal((await client.login('y')).status, 'authenticationFailed');
});

test('in-process server: commands need the current session, and a reply never names another session', async () => {
  const { rig, client } = await configured();
  assert.equal(header(await rig.server.handle(raw(MEBX_COMMAND.getSettings))).status, MEBX_STATUS.notAuthenticated);
  const foreign = header(await rig.server.handle(raw(MEBX_COMMAND.getSettings, new Uint8Array(), 0x1234)));
  assert.deepEqual([foreign.status, foreign.session], [MEBX_STATUS.notAuthenticated, 0]);
  await client.getSettings();
  await client.logout();
  await assert.rejects(client.getSettings(), (e) => isMebxRefused(e, 'notAuthenticated'));
});

test('in-process server: after End-of-POST every command is refused with endOfPost and the session ends', async () => {
  const { rig, client } = await configured();
  rig.endOfPost = true;
  for (const [name, code] of Object.entries(MEBX_COMMAND)) {
    const body = name === 'login' || name === 'changePassword' ? passwordField(GOOD) : new Uint8Array(0);
    if (body.length === 0 && !['logout', 'getSettings', 'enumerateHashes', 'unprovision'].includes(name)) continue;
    const reply = header(await rig.server.handle(raw(code, body)));
    assert.deepEqual([reply.status, reply.session], [MEBX_STATUS.endOfPost, 0], name);
  }
  await assert.rejects(client.getSettings(), (e) => isMebxRefused(e, 'endOfPost'));
  await assert.rejects(client.login(GOOD), (e) => isMebxRefused(e, 'endOfPost'));
});

test('in-process server: settings round trip into the NVRAM AMT state; bad values are refused', async () => {
  const { rig, client } = await configured();
  const network = { mode: 'static', address: '10.0.0.5', subnetMask: '255.255.255.0', gateway: '10.0.0.1', dns: ['10.0.0.2'] } as const;
  await client.setSettings({ amtEnabled: false, features: { sol: false, ider: true, kvm: false }, network, userConsent: 'all' });
  assert.deepEqual(await rig.state.mebx(), { amtEnabled: false, features: { sol: false, ider: true, kvm: false }, network, userConsent: 'all' });
  const view = await client.getSettings();
  assert.deepEqual([view.settings.network, view.provisioningState, view.controlMode], [network, 'pre', 'none']);
  const bad = [
    { ...network, subnetMask: '255.0.255.0' }, { ...network, address: '10.0.0.0' }, { ...network, address: '10.0.0.255' },
    { ...network, gateway: '10.0.1.1' }, { ...network, address: '0.0.0.0' },
  ];
  for (const each of bad) await assert.rejects(client.setSettings({ ...view.settings, network: each }), (e) => isMebxRefused(e, 'invalidParameter'), JSON.stringify(each));
  await client.setSettings({ ...view.settings, network: { mode: 'dhcp' } });
  assert.deepEqual((await rig.state.mebx()).network, { mode: 'dhcp' });
});

test('in-process server: raw setSettings with an unknown enum or boolean is refused', async () => {
  const { rig, client } = await configured();
  await client.getSettings();
  const login = header(await rig.server.handle(raw(MEBX_COMMAND.login, passwordField(GOOD))));
  const record = Uint8Array.from(Buffer.from('0101010103000000' + '00'.repeat(20), 'hex'));
  assert.equal(header(await rig.server.handle(raw(MEBX_COMMAND.setSettings, record, login.session))).status, MEBX_STATUS.invalidParameter);
  record[4] = 0;
  record[0] = 2;
  assert.equal(header(await rig.server.handle(raw(MEBX_COMMAND.setSettings, record, login.session))).status, MEBX_STATUS.invalidParameter);
});

test('in-process server: hash table list, deactivate, add, delete, and their refusals', async () => {
  const { rig, client } = await configured();
  const handles = await client.enumerateHashes();
  assert.equal(handles.length, (await rig.state.certificateHashes()).length);
  const first = await client.getHash(0);
  assert.deepEqual(first, await rig.state.certificateHash(0));
  await client.setHashActive(0, false);
  assert.equal((await rig.state.certificateHash(0))?.isActive, false);
  const hash = Uint8Array.from({ length: 48 }, (_, i) => i);
  const handle = await client.addHash({ name: 'Lab Root', algorithm: 'sha384', hash, isActive: true });
  assert.deepEqual(await client.getHash(handle), { handle, name: 'Lab Root', algorithm: 'sha384', hash, isDefault: false, isActive: true });
  await client.deleteHash(handle);
  await assert.rejects(client.getHash(handle), (e) => isMebxRefused(e, 'notFound'));
  await assert.rejects(client.setHashActive(999, true), (e) => isMebxRefused(e, 'notFound'));
  await assert.rejects(client.deleteHash(999), (e) => isMebxRefused(e, 'notFound'));
  await assert.rejects(client.addHash({ name: '', algorithm: 'sha256', hash: new Uint8Array(32), isActive: true }), (e) => isMebxRefused(e, 'invalidParameter'));
  await assert.rejects(client.addHash({ name: 'Long', algorithm: 'sha1', hash: new Uint8Array(32).fill(1), isActive: true }), (e) => isMebxRefused(e, 'invalidParameter'));
});

test('in-process server: the hash table is full at 33 entries', async () => {
  const { client } = await configured();
  const count = (await client.enumerateHashes()).length;
  for (let i = count; i < 33; i++) await client.addHash({ name: `CA ${i}`, algorithm: 'sha256', hash: new Uint8Array(32).fill(i), isActive: true });
  assert.equal((await client.enumerateHashes()).length, 33);
  await assert.rejects(client.addHash({ name: 'one more', algorithm: 'sha256', hash: new Uint8Array(32), isActive: true }), (e) => isMebxRefused(e, 'tableFull'));
});

test('in-process server: unprovision returns to pre-provisioning and keeps the MEBX password', async () => {
  const { rig, client } = await configured();
  await rig.state.update({ provisioning: { state: 'post', mode: 'client' } });
  await client.addHash({ name: 'Lab Root', algorithm: 'sha256', hash: new Uint8Array(32).fill(7), isActive: true });
  await client.unprovision();
  assert.deepEqual(await rig.state.provisioning(), { state: 'pre', mode: 'none' });
  assert.ok((await rig.state.certificateHashes()).every((entry) => entry.isDefault && entry.isActive));
  assert.equal((await client.login(GOOD)).changeRequired, false);
});

test('in-process server: malformed requests get a status, never a rejection', async () => {
  const rig = await mebxRig();
  const status = async (bytes: Uint8Array) => (await rig.server.handle(bytes))[2];
  assert.equal(await status(new Uint8Array(3)), MEBX_STATUS.invalidLength);
  assert.equal(await status(raw(0x7f)), MEBX_STATUS.invalidCommand);
  assert.equal(await status(raw(MEBX_COMMAND.getSettings | 0x80)), MEBX_STATUS.invalidCommand);
  assert.equal(await status(raw(MEBX_COMMAND.login, passwordField('admin'), 0, 2)), MEBX_STATUS.invalidCommand);
  assert.equal(await status(raw(MEBX_COMMAND.login, new Uint8Array(10))), MEBX_STATUS.invalidLength);
  const overlong = passwordField('admin');
  overlong[0] = 64;
  assert.equal(await status(raw(MEBX_COMMAND.login, overlong)), MEBX_STATUS.invalidParameter);
  let seed = 1;
  const next = () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
  for (let i = 0; i < 300; i++) {
    const bytes = Uint8Array.from({ length: next() % 90 }, next);
    if (bytes.length > 1) bytes[1] = [1, 2, 3, 0x10, 0x11, 0x20, 0x21, 0x22, 0x23, 0x24, 0x30][next() % 11] ?? 1;
    const reply = await rig.server.handle(bytes);
    assert.ok(reply.length >= MebxHeader.size);
  }
});

test('in-process server: a corrupt password record is an internal error, not a login', async () => {
  const rig = await mebxRig();
  rig.nvram.put(MEBX_PASSWORD_KEY, new TextEncoder().encode('{"format":"other"}'));
  const reply = header(await rig.server.handle(raw(MEBX_COMMAND.login, passwordField('admin'))));
  assert.deepEqual([reply.status, reply.session], [MEBX_STATUS.internalError, 0]);
});
