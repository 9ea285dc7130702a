// Golden bytes and round trips for every MEBX message layout, and the pinned protocol numbers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FieldCodec, Struct } from '../../codec/index.js';
import { MEBX_CLIENT_UUID, MEBX_COMMAND, MEBX_STATUS, PASSWORD_RULE } from './constants.js';
import * as m from './messages.js';
import { MEBX_MESSAGES } from './table.js';
import { passwordField } from './client.js';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const zeros = (n: number): string => '00'.repeat(n);
const ascii = (text: string, width: number): string => Buffer.from(text, 'latin1').toString('hex') + zeros(width - text.length);

function roundTrip<F extends Record<string, FieldCodec<unknown>>>(layout: Struct<F>, value: Parameters<Struct<F>['serialize']>[0], golden: string): void {
  const bytes = layout.serialize(value);
  assert.equal(hex(bytes), golden, layout.name);
  assert.equal(bytes.length, layout.size, layout.name);
  assert.deepEqual(layout.parse(bytes), value, layout.name);
}

test('pinned numbers: client UUID, commands, statuses, password rules', () => {
  assert.equal(MEBX_CLIENT_UUID, '9a4c1e57-3b2d-4f80-b6e1-6d6562782d31');
  assert.deepEqual(Object.values(MEBX_COMMAND), [0x01, 0x02, 0x03, 0x10, 0x11, 0x20, 0x21, 0x22, 0x23, 0x24, 0x30]);
  assert.deepEqual(Object.values(MEBX_STATUS), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  assert.deepEqual(Object.values(PASSWORD_RULE), [0, 1, 2, 3, 4, 5, 6, 7, 8]);
});

test('MEBX header: version, command, status, reserved, session (u32 LE)', () => {
  roundTrip(m.MebxHeader, { version: 1, command: 0x81, status: 4, reserved: 0, session: 0x11223344 }, '01' + '81' + '04' + '00' + '44332211');
});

test('password field: length byte, then 63 bytes', () => {
  roundTrip(m.PasswordRequest, { length: 5, password: Uint8Array.from([...Buffer.from('admin'), ...new Uint8Array(58)]) }, '05' + ascii('admin', 63));
  assert.equal(hex(passwordField('admin')), '05' + ascii('admin', 63));
  assert.equal(passwordField('x'.repeat(80))[0], 63);
});

test('login, change-password and add-hash replies', () => {
  roundTrip(m.LoginResponse, { changeRequired: 1, attemptsLeft: 3, reserved: new Uint8Array(2) }, '01' + '03' + '0000');
  roundTrip(m.ChangePasswordResponse, { rule: 5, reserved: new Uint8Array(3) }, '05' + '000000');
  roundTrip(m.AddHashResponse, { handle: 9 }, '09000000');
});

const settings = {
  amtEnabled: 1, sol: 1, ider: 0, kvm: 1, userConsent: 2, networkMode: 1, reserved: new Uint8Array(2),
  address: 0x0a000005, subnetMask: 0xffffff00, gateway: 0x0a000001, preferredDns: 0x08080808, alternateDns: 0,
};
const settingsHex = '01' + '01' + '00' + '01' + '02' + '01' + '0000' + '0a000005' + 'ffffff00' + '0a000001' + '08080808' + '00000000';

test('settings record: one byte per flag and enum, addresses in network byte order', () => {
  roundTrip(m.SettingsRecord, settings, settingsHex);
  roundTrip(m.GetSettingsResponse, { ...settings, provisioningState: 2, controlMode: 1, reserved2: new Uint8Array(2) }, settingsHex + '02' + '01' + '0000');
});

test('hash table messages', () => {
  const handles = [0, 1, 2, ...new Array<number>(30).fill(0)];
  roundTrip(m.EnumerateHashesResponse, { count: 3, handles }, '03000000' + '00000000' + '01000000' + '02000000' + zeros(30 * 4));
  roundTrip(m.HashHandleRequest, { handle: 0x0102 }, '02010000');
  const digest = Uint8Array.from({ length: 64 }, (_, i) => (i < 32 ? i + 1 : 0));
  const digestHex = hex(digest);
  roundTrip(m.HashEntryResponse, { handle: 4, algorithm: 2, isDefault: 1, isActive: 0, reserved: 0, hash: digest, name: 'Root' }, '04000000' + '02' + '01' + '00' + '00' + digestHex + ascii('Root', 64));
  roundTrip(m.AddHashRequest, { algorithm: 2, isActive: 1, reserved: new Uint8Array(2), hash: digest, name: 'Lab CA' }, '02' + '01' + '0000' + digestHex + ascii('Lab CA', 64));
  roundTrip(m.SetHashActiveRequest, { handle: 3, isActive: 0, reserved: new Uint8Array(3) }, '03000000' + '00' + '000000');
});

test('every message fits the client maximum and the table declares each command', () => {
  for (const [name, spec] of Object.entries(MEBX_MESSAGES)) {
    assert.ok(name in MEBX_COMMAND, name);
    for (const layout of [spec.request, spec.response]) if (layout) assert.ok(m.MebxHeader.size + layout.size <= 512, `${name} ${layout.name}`);
  }
});
