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
  console.log(text);
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
  console.log(rig.text());
  assert.match(rig.text(), /\[ MAIN MENU \]/);
  assert.match(rig.text(), /> Intel\(R\) ME General Settings/);
});
