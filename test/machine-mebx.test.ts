// MEBX on the whole machine: the BIOS extension reaches the real engine over HECI (its MEBX client,
// served by amt from the AMT state in NVRAM), is driven from the host's serial console, persists a
// new password and settings, and is refused after End-of-POST.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryBacking } from '../src/flash/index.js';
import { testPlatform } from '../src/image/testing.js';
import { MemoryCounter } from '../src/kernel/nvram/index.js';
import { RealTimeClock } from '../src/host/index.js';
import { Machine, heciMebxTransport } from '../src/machine/index.js';
import { MebxClient } from '../src/protocols/mebx/index.js';
import { KEY } from '../src/host/mebx/testing.js';
import { PthiHeader, PthiResponseHeader, PTHI_COMMAND, LanInterfaceSettingsResponse } from '../src/protocols/pthi/index.js';
import { AMTHI_UUID } from '../src/status/index.js';
import { waitUntil } from './support/wait.js';

const GOOD = 'Vme-2024!ok';
const machines: Machine[] = [];
after(async () => {
  await Promise.all(machines.map((m) => m.shutdown()));
});


test('MEBX over HECI: factory password changed, session persists in NVRAM, refused after End-of-POST', async () => {
  const platform = testPlatform();
  const flash = new MemoryBacking(platform.image);
  const counter = new MemoryCounter();
  const machine = await Machine.create({
    flash, fuses: platform.fuses, clock: new RealTimeClock(), engine: { counter },
    host: { mebx: true, bios: { stepMilliseconds: 2, mebxWindowMilliseconds: 5 } },
  });
  machines.push(machine);
  const screen = (): string => machine.host.screen.render();
  machine.host.powerOn();
  await waitUntil(() => /\[ MEBx LOGIN \]/.test(screen()), 'the MEBX login screen');
  machine.host.serial.inject(`nope${KEY.enter}`);
  await waitUntil(() => /attempt\(s\) left/.test(screen()), 'a refused password');
  machine.host.serial.inject(`admin${KEY.enter}`);
  await waitUntil(() => /DEFAULT PASSWORD/.test(screen()), 'the forced password change');
  machine.host.serial.inject(`${GOOD}${KEY.enter}${GOOD}${KEY.enter}`);
  await waitUntil(() => /\[ MAIN MENU \]/.test(screen()), 'the main menu');
  assert.equal(machine.engine.endOfPost, false, 'MEBX runs before End-of-POST');
  machine.host.serial.inject(KEY.escape);
  await waitUntil(() => /exit MEBx\?/.test(screen()), 'the exit prompt');
  machine.host.serial.inject('y');
  await waitUntil(() => machine.host.state().os === 'running', 'the OS');
  assert.equal(machine.engine.endOfPost, true);

  // After End-of-POST the engine refuses MEBX over HECI, whatever the password.
  const client = new MebxClient(heciMebxTransport(machine.heci?.driver ?? assert.fail('no HECI')));
  const late = await client.login(GOOD).then((outcome) => JSON.stringify(outcome), (error: unknown) => String(error));
  assert.match(late, /end ?of ?post|endOfPost/i);

  // A fresh engine on the same flash (a reboot): the new password is in NVRAM, `admin` is not.
  await machine.shutdown();
  machines.pop();
  const rebooted = await Machine.create({ flash, fuses: platform.fuses, clock: new RealTimeClock(), engine: { counter } });
  machines.push(rebooted);
  const again = new MebxClient(heciMebxTransport(rebooted.heci?.driver ?? assert.fail('no HECI')));
  assert.equal((await again.login('admin')).status, 'authenticationFailed', 'the factory password no longer works');
  const accepted = await again.login(GOOD);
  assert.deepEqual([accepted.status, accepted.changeRequired], ['success', false], 'the new password persisted, no forced change');

  // MEBX settings are readable through PTHI: a static address set in MEBX is what GetLANInterfaceSettings reports.
  const { settings } = await again.getSettings();
  await again.setSettings({ ...settings, network: { mode: 'static', address: '192.0.2.17', subnetMask: '255.255.255.0', gateway: '192.0.2.1', dns: ['192.0.2.53'] } });
  const file = (rebooted.heci ?? assert.fail('no HECI')).driver.open();
  await file.connect(AMTHI_UUID);
  const request = new Uint8Array(PthiHeader.size + 4);
  PthiHeader.serialize({ majorVersion: 1, minorVersion: 1, reserved: 0, command: PTHI_COMMAND.getLanInterfaceSettings, length: 4 }, request, 0);
  file.write(request);
  const lan = LanInterfaceSettingsResponse.parse(await file.read(5000), PthiResponseHeader.size);
  file.close();
  assert.deepEqual([lan.dhcpEnabled, lan.ipv4Address >>> 24, lan.ipv4Address & 0xff], [0, 192, 17]);
});
