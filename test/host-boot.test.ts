// The whole simulated host on a manual clock, with a recording fake engine port (the real engine is
// wired in the platform integration): POST order, MEBX, boot order, faults, every AMT power request.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HostError } from '../src/host/errors.js';
import { serveHostControl } from '../src/host/host-control.js';
import { testHost } from '../src/host/testing.js';
import type { HostEvent } from '../src/host/trace.js';

const kinds = (events: readonly HostEvent[]): string[] => events.map((event) => (event.kind === 'bios-step' ? `bios:${event.step}` : event.kind === 'os-state' ? `os:${event.state}` : event.kind));
const isPowerStateError = (state: string) => (error: unknown): boolean => error instanceof HostError && error.code === 'VME_ERR_HOST_POWER_STATE' && error.message.includes(state);

async function bootedHost(options: Parameters<typeof testHost>[0] = {}): Promise<ReturnType<typeof testHost>> {
  const booted = testHost(options);
  booted.host.powerOn();
  await booted.clock.runUntilIdle();
  return booted;
}

test('fake engine: POST sends DRAM-init-done, then MEBX, then End-of-POST, then boots the OS', async () => {
  const order: string[] = [];
  const { host, engine } = await bootedHost({ mebx: true, onMebx: () => Promise.resolve(void order.push('mebx')) });
  host.on(() => undefined);
  const sequence = kinds(host.events());
  assert.deepEqual(sequence.slice(0, 11), ['power', 'bios:power-on', 'bios:memory-init', 'bios:dram-init-done', 'dram-init-done', 'bios:mebx-prompt', 'bios:mebx', 'bios:end-of-post', 'end-of-post', 'bios:boot-select', 'boot-select']);
  assert.ok(sequence.indexOf('os:booting') > sequence.indexOf('end-of-post'));
  assert.deepEqual(order, ['mebx']);
  assert.deepEqual(engine.kinds(), ['power', 'dram-init-done', 'end-of-post']);
  const uma = engine.calls[1];
  assert.ok(uma?.kind === 'dram-init-done');
  assert.deepEqual(uma.uma, { base: host.dram.size - 4 * 1024 * 1024, size: 4 * 1024 * 1024 });
  assert.deepEqual({ ...host.state() }, { powerState: 'S0', cimPowerState: 2, phase: 'os', biosStep: 'boot-select', os: 'running', bootDevice: 'disk', dramInitDoneSent: true, endOfPostSent: true });
});

test('fake engine: Ctrl-P on the serial port or the keyboard within the window enters MEBX; otherwise POST goes on', async () => {
  for (const press of ['serial', 'keyboard', 'none'] as const) {
    let entered = 0;
    const { host, clock } = testHost({ onMebx: () => Promise.resolve(void entered++) });
    host.powerOn();
    await clock.advance(350);
    assert.equal(host.state().biosStep, 'mebx-prompt');
    assert.match(host.screen.render(), /Press <CTRL-P> to enter MEBx setup menu/);
    if (press === 'serial') host.serial.inject('\x10');
    if (press === 'keyboard') host.keyboard.press('\x10');
    await clock.runUntilIdle();
    assert.equal(entered, press === 'none' ? 0 : 1, press);
    assert.equal(host.state().os, 'running');
  }
});

test('fake engine: without an MEBX module the BIOS says so and continues', async () => {
  const { host, clock } = testHost({ mebx: true });
  host.powerOn();
  await clock.advance(600);
  assert.match(host.screen.render(), /MEBx is not available in this build; continuing\./);
});

test('the framebuffer shows the BIOS during POST and the OS console with the boot device afterwards', async () => {
  const { host, clock } = testHost();
  host.powerOn();
  await clock.advance(250);
  const bios = host.screen.render();
  assert.match(bios, /^vme BIOS 1\.0/);
  assert.match(bios, /Memory test: 4096 MB OK/);
  await clock.runUntilIdle();
  const os = host.screen.render();
  assert.match(os, /vme: booted from Hard disk: vme virtual disk \(sda\)/);
  assert.match(os, /^vme-host login:$/m);
  assert.match(host.serial.outputText(), /Booting from Hard disk/);
});

test('serial round trip: a command typed on ttyS0 is echoed and answered', async () => {
  const { host, clock } = await bootedHost({ hostname: 'lab-pc-7' });
  const received: string[] = [];
  host.serial.onOutput((bytes) => received.push(Buffer.from(bytes).toString()));
  host.serial.inject('hostname\r');
  host.serial.inject('uname -a\r');
  await clock.runUntilIdle();
  assert.equal(received.join(''), 'hostname\r\nlab-pc-7\r\nroot@lab-pc-7:~# uname -a\r\nLinux lab-pc-7 6.1.0-vme #1 SMP PREEMPT_DYNAMIC vme x86_64 GNU/Linux\r\nroot@lab-pc-7:~# ');
  await clock.advance(60_000);
  host.serial.inject('uptime\r');
  assert.match(host.serial.outputText(), /up 1 min, {2}1 user/);
});

test('the one-time boot device is used once, then the boot order again', async () => {
  const { host, clock } = testHost();
  host.setOneTimeBoot('pxe');
  host.powerOn();
  await clock.runUntilIdle();
  assert.equal(host.state().bootDevice, 'pxe');
  host.serial.inject('cat /proc/cmdline\r');
  assert.match(host.serial.outputText(), /root=\/dev\/nfs/);
  host.requestPowerState(10);
  await clock.runUntilIdle();
  assert.equal(host.state().bootDevice, 'disk');
  const selections = host.events().filter((event) => event.kind === 'boot-select').map((event) => event.kind === 'boot-select' && event.selection);
  assert.deepEqual(selections, [{ device: 'pxe', oneTime: true }, { device: 'disk', oneTime: false }]);
});

test('no bootable device halts POST; IDE-R media with a one-time boot then boots from it', async () => {
  const { host, clock } = testHost({ media: {} });
  host.powerOn();
  await clock.runUntilIdle();
  assert.equal(host.state().phase, 'no-boot-device');
  assert.match(host.screen.render(), /No bootable device/);
  host.setMedia('ider-cd', { description: 'IDE-R image rescue.iso', commandLine: 'boot=live' });
  host.setOneTimeBoot('ider-cd');
  host.requestPowerState(10);
  await clock.runUntilIdle();
  assert.equal(host.state().bootDevice, 'ider-cd');
  assert.match(host.screen.render(), /booted from IDE-R CD: IDE-R image rescue\.iso/);
});

test('fault: a BIOS that never sends DRAM-init-done still boots; the engine never hears of UMA', async () => {
  const { host, clock, engine } = await bootedHost({ faults: { noDramInitDone: true } });
  assert.deepEqual(engine.kinds(), ['power', 'end-of-post']);
  assert.equal(host.state().dramInitDoneSent, false);
  assert.ok(host.events().some((event) => event.kind === 'fault' && event.fault === 'no-dram-init-done'));
  host.requestPowerState(8);
  await clock.runUntilIdle();
  assert.equal(host.state().cimPowerState, 8);
});

test('fault: a BIOS that never sends End-of-POST still boots the OS; the host still answers', async () => {
  const { host, clock, engine } = await bootedHost({ faults: { noEndOfPost: true } });
  assert.deepEqual(engine.kinds(), ['power', 'dram-init-done']);
  assert.deepEqual([host.state().os, host.state().endOfPostSent], ['running', false]);
  host.requestPowerState(10);
  await clock.runUntilIdle();
  assert.deepEqual(engine.kinds(), ['power', 'dram-init-done', 'power', 'dram-init-done']);
});

test('fault: POST hangs; power requests still work, and a reset after the fix boots', async () => {
  const { host, clock, engine } = await bootedHost({ faults: { hangAt: 'memory-init' } });
  assert.deepEqual([host.state().phase, host.state().biosStep], ['post', 'power-on']);
  assert.deepEqual(engine.kinds(), ['power']);
  assert.deepEqual(host.availableRequestedPowerStates(), [10, 8, 5, 11]);
  assert.throws(() => host.requestPowerState(12), isPowerStateError('not started'));
  host.requestPowerState(8);
  assert.equal(host.state().powerState, 'S5');
  host.requestPowerState(2);
  await clock.runUntilIdle();
  assert.equal(host.state().phase, 'post');
  host.setFaults({});
  host.requestPowerState(10);
  await clock.runUntilIdle();
  assert.equal(host.state().os, 'running');
});

test('fault: the OS crashes during boot; the console stops answering but the host answers power requests', async () => {
  const { host, clock } = await bootedHost({ faults: { crashDuringBoot: true } });
  assert.equal(host.state().os, 'crashed');
  assert.match(host.screen.render(), /Kernel panic - not syncing: Attempted to kill init!/);
  const before = host.serial.outputText();
  host.serial.inject('hostname\r');
  await clock.runUntilIdle();
  assert.equal(host.serial.outputText(), before);
  assert.throws(() => host.requestPowerState(4), isPowerStateError('crashed'));
  host.setFaults({});
  host.requestPowerState(5);
  await clock.runUntilIdle();
  assert.equal(host.state().os, 'running');
  assert.equal(host.crashOs(), true);
  assert.equal(host.state().os, 'crashed');
});

test('AMT 4 sleeps (S3) and 2 wakes without a POST; the shell answers again', async () => {
  const { host, clock, engine } = await bootedHost();
  host.requestPowerState(4);
  assert.deepEqual([host.state().powerState, host.state().cimPowerState, host.state().phase, host.state().os], ['S3', 4, 'sleeping', 'suspended']);
  const calls = engine.calls.length;
  host.requestPowerState(2);
  await clock.runUntilIdle();
  assert.deepEqual(engine.kinds().slice(calls), ['power'], 'no DRAM-init-done on resume');
  host.serial.inject('hostname\r');
  assert.match(host.serial.outputText(), /PM: suspend exit\r\nroot@vme-host:~# hostname\r\nvme-host\r\n/);
});

test('AMT 7 hibernates (S4); power on POSTs and the OS resumes its image', async () => {
  const { host, clock } = await bootedHost();
  host.requestPowerState(7);
  assert.deepEqual([host.state().powerState, host.state().cimPowerState], ['S4', 7]);
  assert.deepEqual(host.availableRequestedPowerStates(), [2]);
  host.requestPowerState(2);
  await clock.runUntilIdle();
  assert.match(host.screen.render(), /PM: Image restored successfully\./);
  assert.equal(host.state().os, 'running');
});

test('AMT 8 turns off at once, 5 cycles through S5, 10 resets: the engine hears each step', async () => {
  const { host, clock, engine } = await bootedHost();
  const powerSteps = (): string[] => engine.calls.flatMap((call) => (call.kind === 'power' ? [`${call.change.from}>${call.change.to}:${call.change.action}`] : []));
  host.requestPowerState(5);
  await clock.runUntilIdle();
  host.requestPowerState(10);
  await clock.runUntilIdle();
  host.requestPowerState(8);
  assert.deepEqual(powerSteps(), ['S5>S0:powerOn', 'S0>S5:powerCycle', 'S5>S0:powerCycle', 'S0>S0:reset', 'S0>S5:softOff']);
  assert.equal(engine.kinds().filter((kind) => kind === 'dram-init-done').length, 3);
  assert.deepEqual([host.state().cimPowerState, host.state().phase], [8, 'off']);
});

test('AMT 11 (NMI) panics the running OS; the host stays in S0', async () => {
  const { host } = await bootedHost();
  host.requestPowerState(11);
  assert.deepEqual([host.state().powerState, host.state().os], ['S0', 'crashed']);
  assert.match(host.screen.render(), /Kernel panic - not syncing: NMI: Not continuing/);
});

test('AMT 12 and 14 are graceful: the OS shuts down, then the host goes off or resets', async () => {
  const { host, clock } = await bootedHost();
  host.requestPowerState(14);
  assert.equal(host.state().os, 'shutting-down');
  await clock.advance(1000);
  assert.match(host.serial.outputText(), /reboot: Restarting system/);
  await clock.runUntilIdle();
  assert.equal(host.state().os, 'running');
  host.requestPowerState(12);
  await clock.runUntilIdle();
  assert.match(host.serial.outputText(), /reboot: Power down/);
  const last = host.events().filter((event) => event.kind === 'power').at(-1);
  assert.ok(last?.kind === 'power');
  assert.deepEqual(last.change, { from: 'S0', to: 'S5', action: 'softOff', reason: 'management' });
});

test('invalid requests are typed errors naming the state; unsupported numbers name the number', () => {
  const { host } = testHost();
  assert.throws(() => host.requestPowerState(4), isPowerStateError('S5'));
  assert.throws(() => host.requestPowerState(10), isPowerStateError('S5'));
  assert.throws(() => host.requestPowerState(3), (error: unknown) => error instanceof HostError && error.code === 'VME_ERR_HOST_POWER_REQUEST');
  host.powerOn();
  assert.throws(() => host.powerOn(), isPowerStateError('S0'));
  assert.throws(() => host.requestPowerState(4), isPowerStateError('not started'));
});

test('OS commands drive power: suspend → S3, reboot → POST again, shutdown -h now → S5', async () => {
  const { host, clock } = await bootedHost();
  host.serial.inject('systemctl suspend\r');
  assert.equal(host.state().powerState, 'S3');
  host.powerOn();
  host.serial.inject('reboot\r');
  await clock.advance(700);
  assert.equal(host.state().phase, 'post');
  await clock.runUntilIdle();
  host.serial.inject('shutdown -h now\r');
  await clock.runUntilIdle();
  const reasons = host.events().flatMap((event) => (event.kind === 'power' ? [`${event.change.action}:${event.change.reason}`] : []));
  assert.deepEqual(reasons, ['powerOn:power-button', 'sleep:os-request', 'powerOn:power-button', 'reset:os-request', 'softOff:os-request']);
});

test('fake engine: End-of-POST failures are shown and POST goes on; a global-reset reply resets the host', async () => {
  const failing = await bootedHost({ engineOptions: { endOfPostError: 'HECI timeout' } });
  assert.match(failing.host.serial.outputText(), /ME: end-of-post failed: HECI timeout/);
  assert.equal(failing.host.state().os, 'running');
  const resetting = testHost({ engineOptions: { endOfPostReply: { requestedAction: 'global-reset' } } });
  resetting.host.powerOn();
  await resetting.clock.advance(3000);
  assert.ok(resetting.host.events().some((event) => event.kind === 'power' && event.change.reason === 'bios-global-reset'));
});

test('host DRAM (and UMA in it) is lost in S5 but kept in S3', async () => {
  const { host, clock } = await bootedHost();
  host.dram.write(0x1000, Uint8Array.of(0xaa));
  host.requestPowerState(4);
  assert.equal(host.dram.read(0x1000, 1)[0], 0xaa);
  host.requestPowerState(2);
  await clock.runUntilIdle();
  host.requestPowerState(8);
  assert.equal(host.dram.read(0x1000, 1)[0], 0);
});

test('mechanical off (G3) reports 6 and refuses power on until AC returns', () => {
  const { host } = testHost();
  host.removeAc();
  assert.equal(host.state().cimPowerState, 6);
  assert.throws(() => host.powerOn(), isPowerStateError('G3'));
  host.restoreAc();
  assert.equal(host.state().powerState, 'S5');
});

test('the host-control capability words map to requests and report refusals as false', async () => {
  const { host, clock } = testHost();
  assert.equal(serveHostControl(host, 'power', 'sleep'), false);
  assert.equal(serveHostControl(host, 'power', 'on'), true);
  await clock.runUntilIdle();
  assert.equal(serveHostControl(host, 'power', 'sleep'), true);
  assert.equal(host.state().cimPowerState, 4);
  assert.equal(serveHostControl(host, 'power', 'explode'), false);
  assert.equal(serveHostControl(host, 'serial', 'open'), true);
});

test('events are a bounded ring with counts; the snapshot reports state, screen and serial', async () => {
  const { host } = await bootedHost({ eventCapacity: 5 });
  assert.equal(host.events().length, 5);
  const snapshot = host.snapshot();
  assert.equal(snapshot.eventCounts.power, 1);
  assert.equal(snapshot.state.phase, 'os');
  assert.deepEqual(snapshot.bootOrder, ['disk', 'pxe', 'cd']);
  assert.match(snapshot.screen, /login:/);
  assert.match(snapshot.serialTail, /root@vme-host:~# $/);
  assert.equal(snapshot.dramSize, 4 * 1024 ** 3);
});
