// The MEBX screens on a framebuffer, wired straight to an in-process MEBX server over a real
// in-memory NVRAM (no HECI): login, forced change, menus, settings, hashes, unprovision, exit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KEY, screenRig } from './testing.js';

const GOOD = 'Vme-2024!ok';

test('in-process engine: the login screen looks like MEBx and masks the password', async () => {
  const rig = await screenRig();
  await rig.type('adm');
  const text = rig.text();
  assert.match(text, /Intel\(R\) Management Engine BIOS Extension/);
  assert.match(text, /\[ MEBx LOGIN \]/);
  assert.match(text, /Intel\(R\) ME Password/);
  assert.match(text, /\[\*\*\* +\]/);
  assert.ok(!text.includes('adm'));
});

test('in-process engine: wrong password counted, admin forces a change, rules explained, then the main menu', async () => {
  const rig = await screenRig();
  await rig.type('nope', KEY.enter);
  assert.match(rig.text(), /Error - Invalid password \(2 attempt\(s\) left\)/);
  await rig.type('admin', KEY.enter);
  assert.match(rig.text(), /CHANGE THE DEFAULT PASSWORD/);
  await rig.type('short', KEY.enter);
  assert.match(rig.text(), /Password must be at least 8 characters/);
  await rig.type(GOOD, KEY.enter, 'Vme-2024!ko', KEY.enter);
  assert.match(rig.text(), /Passwords do not match/);
  await rig.type(GOOD, KEY.enter, GOOD, KEY.enter);
  assert.match(rig.text(), /\[ MAIN MENU \]/);
  assert.match(rig.text(), /> Intel\(R\) ME General Settings/);
});

async function loggedIn() {
  const rig = await screenRig();
  await rig.type('admin', KEY.enter, GOOD, KEY.enter, GOOD, KEY.enter);
  assert.match(rig.text(), /\[ MAIN MENU \]/);
  return rig;
}

test('in-process engine: AMT disabled hides the other items, enabled brings them back; the NVRAM state follows', async () => {
  const rig = await loggedIn();
  await rig.choose('Intel(R) AMT Configuration');
  assert.match(rig.text(), /Manageability Feature Selection +\[Enabled\]/);
  await rig.choose('Manageability Feature Selection');
  await rig.choose('Disabled');
  assert.match(rig.text(), /Manageability Feature Selection +\[Disabled\]/);
  assert.doesNotMatch(rig.text(), /User Consent/);
  assert.equal((await rig.engine.state.mebx()).amtEnabled, false);
  await rig.choose('Manageability Feature Selection');
  await rig.choose('Enabled');
  assert.match(rig.text(), /User Consent/);
  assert.equal((await rig.engine.state.mebx()).amtEnabled, true);
  await rig.choose('SOL/Storage Redirection/KVM');
  await rig.choose('KVM Feature Selection');
  await rig.choose('Disabled');
  assert.match(rig.text(), /KVM Feature Selection +\[Disabled\]/);
  assert.deepEqual((await rig.engine.state.mebx()).features, { sol: true, ider: true, kvm: false });
});

test('in-process engine: static network, user consent, hash deactivate/add/delete, unprovision, exit', async () => {
  const rig = await loggedIn();
  await rig.choose('Intel(R) AMT Configuration');
  await rig.choose('Network Setup');
  await rig.choose('DHCP Mode');
  await rig.choose('Disabled');
  assert.match(rig.text(), /IPV4 Address/);
  await rig.type('10.0.0.300', KEY.enter);
  assert.match(rig.text(), /is not an IPv4 address/);
  for (let i = 0; i < 10; i++) await rig.type(KEY.backspace);
  await rig.type('10.0.0.5', KEY.enter, '255.255.255.0', KEY.enter, '10.0.0.1', KEY.enter, '10.0.0.2', KEY.enter, KEY.enter);
  assert.match(rig.text(), /IPV4 Address +\[10\.0\.0\.5\]/);
  assert.deepEqual((await rig.engine.state.mebx()).network, { mode: 'static', address: '10.0.0.5', subnetMask: '255.255.255.0', gateway: '10.0.0.1', dns: ['10.0.0.2'] });
  await rig.choose('Default Gateway Address');
  for (let i = 0; i < 10; i++) await rig.type(KEY.backspace);
  await rig.type('10.9.9.9', KEY.enter);
  assert.match(rig.text(), /Intel\(R\) ME refused the value/);
  await rig.type(KEY.escape);
  await rig.choose('User Consent');
  await rig.choose('User Opt-in');
  await rig.choose('NONE');
  assert.equal((await rig.engine.state.mebx()).userConsent, 'none');
  await rig.type(KEY.escape);
  await rig.choose('Remote Setup And Configuration');
  assert.match(rig.text(), /Provisioning State +\[Pre-provisioning\]/);
  await rig.choose('Manage Hashes');
  await rig.choose('DigiCert Global Root CA');
  await rig.choose('Deactivate Hash');
  assert.match(rig.text(), /State: Inactive/);
  assert.equal((await rig.engine.state.certificateHash(0))?.isActive, false);
  await rig.type(KEY.escape);
  assert.match(rig.text(), /DigiCert Global Root CA +\[Inactive\]/);
  await rig.choose('Add New Hash');
  await rig.type('Lab Root', KEY.enter, 'ab'.repeat(32), KEY.enter);
  assert.match(rig.text(), /Lab Root +\[Active\]/);
  await rig.choose('Lab Root');
  await rig.choose('Delete Hash');
  await rig.type('y');
  assert.match(rig.text(), /Hash "Lab Root" deleted/);
  assert.doesNotMatch(rig.text(), /> Lab Root/);
  await rig.type(KEY.escape, KEY.escape);
  await rig.choose('Unconfigure Network Access');
  await rig.choose('Full Unprovision');
  await rig.type('y');
  assert.match(rig.text(), /Full unprovision complete/);
  assert.equal((await rig.engine.state.certificateHash(0))?.isActive, true);
  await rig.type(KEY.escape, KEY.escape, KEY.escape);
  assert.match(rig.text(), /Are you sure you want to exit MEBx\?/);
  await rig.type('y');
  assert.equal(rig.app.finished, true);
});

test('in-process engine: three wrong passwords lock MEBX and any key leaves it', async () => {
  const rig = await screenRig();
  await rig.type('a', KEY.enter, 'b', KEY.enter, 'c', KEY.enter);
  assert.match(rig.text(), /Too many failed attempts/);
  await rig.type('x');
  assert.equal(rig.app.finished, true);
});

test('in-process engine: after End-of-POST the screen says the engine refused', async () => {
  const rig = await loggedIn();
  rig.engine.endOfPost = true;
  await rig.choose('Intel(R) AMT Configuration');
  assert.match(rig.text(), /End-of-POST was already sent/);
});
