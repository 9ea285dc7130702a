// QemuHost against a real qemu-system-x86_64 (TCG): a hand-assembled boot sector built here prints on COM1, and the test drives power and boot order through the Host interface.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkQemu, QemuHost, type QemuHostOptions } from '../src/host/qemu/index.js';
import { RecordingEnginePort } from '../src/host/testing.js';
import { hostContract } from '../src/host/host-contract.js';
import { bootSector, realModeProgram } from './support/boot-sector.js';
import { waitUntil } from './support/wait.js';

const qemuMissing = ((): string | undefined => {
  try {
    checkQemu();
    return undefined;
  } catch (error) {
    return `QEMU is not installed (${(error as Error).message}); run scripts/install-test-deps.sh`;
  }
})();
if (qemuMissing) process.stdout.write(`# qemu-host tests skipped: ${qemuMissing}\n`);

const work = mkdtempSync(join(tmpdir(), 'vme-qh-'));
const clock = { now: (): number => performance.now() };

const hosts: QemuHost[] = [];
let runs = 0;
/** A fresh QEMU host with its own run folder and disk (QEMU locks an image it has open); closed (every VM killed) after the file. */
function qemuHost(options: Partial<QemuHostOptions> = {}): QemuHost {
  const runDir = join(work, `run${runs++}`);
  mkdirSync(runDir);
  const disk = join(runDir, 'disk.img');
  writeFileSync(disk, bootSector('vme-qemu-ok\r\n'));
  const host = new QemuHost({ runDir, disk, memoryMiB: 32, startTimeoutMs: 30_000, commandTimeoutMs: 10_000, ...options });
  hosts.push(host);
  return host;
}

after(async () => {
  await Promise.all(hosts.map((host) => host.close()));
  rmSync(work, { recursive: true, force: true });
});

const count = (text: string, what: string): number => text.split(what).length - 1;
const BOOT_MS = 30_000;

void test('boots the boot sector from disk: COM1 shows its message, the VGA text screen its copy, the engine got DRAM-init-done and End-of-POST', { skip: qemuMissing, timeout: 90_000 }, async () => {
  const engine = new RecordingEnginePort(clock);
  const host = qemuHost({ engine, screenPollMs: 0 });
  assert.deepEqual([host.state().powerState, host.state().cimPowerState, host.availableRequestedPowerStates()], ['S5', 8, [2]]);
  const started = Date.now();
  host.powerOn();
  assert.equal(host.state().powerState, 'S0');
  await waitUntil(() => host.serial.outputText().includes('vme-qemu-ok\r\n'), 'the boot sector on COM1', BOOT_MS, 50);
  process.stdout.write(`# booted to the boot sector in ${Date.now() - started} ms\n`);
  await host.settle();
  assert.deepEqual([host.state().phase, host.state().os, host.state().bootDevice, host.state().endOfPostSent], ['os', 'running', 'disk', true]);
  assert.deepEqual(engine.calls.map((call) => call.kind).filter((kind) => kind !== 'power'), ['dram-init-done', 'end-of-post']);
  assert.ok(await host.refreshScreen());
  assert.match(host.screen.render().split('\n')[24] ?? '', /^vme-qemu-ok$/);
  assert.match(host.screen.render(), /SeaBIOS/);
  const frame = await host.screendump();
  assert.deepEqual([frame.width, frame.height, frame.rgb.length], [720, 400, 720 * 400 * 3]);
  assert.deepEqual(host.availableRequestedPowerStates(), [10, 8, 5, 11, 14, 12]);
  assert.throws(() => host.requestPowerState(4), /no OS agent/);
});

void test('power: reset and cycle boot again (new message on COM1), off-soft kills the VM (S5, PowerState 8), on boots again', { skip: qemuMissing, timeout: 120_000 }, async () => {
  const engine = new RecordingEnginePort(clock);
  const host = qemuHost({ engine, screenPollMs: 0 });
  const booted = (times: number) => waitUntil(() => count(host.serial.outputText(), 'vme-qemu-ok') >= times, `boot ${times}`, BOOT_MS, 50);
  host.requestPowerState(2);
  await booted(1);
  const firstPid = host.pid;
  host.requestPowerState(10); // master bus reset
  await booted(2);
  await host.settle();
  assert.notEqual(host.pid, firstPid);
  host.requestPowerState(5); // power cycle
  await booted(3);
  await host.settle();
  const pid = host.pid;
  host.requestPowerState(8); // off - soft: hard off at once
  assert.deepEqual([host.state().powerState, host.state().cimPowerState, host.state().phase], ['S5', 8, 'off']);
  await host.settle();
  assert.equal(host.pid, undefined);
  assert.throws(() => process.kill(pid ?? 0, 0), /ESRCH/, 'the QEMU process is gone');
  host.powerOn();
  await booted(4);
  await host.settle();
  const changes = host.events().flatMap((event) => (event.kind === 'power' ? [`${event.change.from}>${event.change.to}`] : []));
  assert.deepEqual(changes, ['S5>S0', 'S0>S0', 'S0>S5', 'S5>S0', 'S0>S5', 'S5>S0']);
  assert.equal(engine.calls.filter((call) => call.kind === 'end-of-post').length, 4, 'End-of-POST once per boot');
});

void test('one-time boot to PXE: the NIC boots the program from QEMU\'s TFTP server once, the next boot is from disk again', { skip: qemuMissing, timeout: 120_000 }, async () => {
  const tftp = mkdtempSync(join(work, 'tftp-'));
  const program = join(tftp, 'vme.pxe');
  writeFileSync(program, realModeProgram('vme-qemu-pxe\r\n'));
  const host = qemuHost({ pxeBootFile: program, screenPollMs: 0 });
  host.setOneTimeBoot('pxe');
  host.powerOn();
  await waitUntil(() => host.serial.outputText().includes('vme-qemu-pxe'), 'the PXE program on COM1', 60_000, 50);
  assert.equal(host.state().bootDevice, 'pxe');
  assert.equal(host.snapshot().oneTimeBoot, undefined);
  host.requestPowerState(10);
  await waitUntil(() => host.serial.outputText().includes('vme-qemu-ok'), 'the disk boot sector after the reset', BOOT_MS, 50);
  assert.equal(host.state().bootDevice, 'disk');
});

void test('IDE-R seam: setMedia puts an image in the running VM\'s IDE-R CD drive and empties it (QMP)', { skip: qemuMissing, timeout: 60_000 }, async () => {
  const host = qemuHost({ screenPollMs: 0 });
  host.powerOn();
  await waitUntil(() => host.serial.outputText().includes('vme-qemu-ok'), 'boot', BOOT_MS, 50);
  const iso = join(work, 'ider.iso');
  writeFileSync(iso, new Uint8Array(2048 * 16));
  host.setMedia('ider-cd', { description: 'IDE-R image', commandLine: '', path: iso } as never);
  await host.settle();
  assert.equal(host.lastError, undefined);
  host.setMedia('ider-cd', undefined);
  await host.settle();
  assert.equal(host.lastError, undefined);
});

void test('keyboard.press sends keys while running and nothing while off; the serial line refuses input while off', { skip: qemuMissing, timeout: 60_000 }, async () => {
  const host = qemuHost({ screenPollMs: 0 });
  assert.equal(host.keyboard.press('a'), 0);
  assert.equal(host.serial.inject('x'), 0);
  host.powerOn();
  await waitUntil(() => host.serial.outputText().includes('vme-qemu-ok'), 'boot', BOOT_MS, 50);
  assert.equal(host.keyboard.press('Ab\r\x10'), 4);
  assert.equal(host.serial.inject('typed'), 5);
  await host.settle();
});

if (!qemuMissing) {
  hostContract('qemu host', () => {
    const host = qemuHost({ screenPollMs: 0 });
    return { host, settle: () => host.settle(), close: () => host.close() };
  }, { skip: { 'serial-shell': 'the QEMU guest here is a boot sector with no shell; the simulated OS answers hostname' } });
}
