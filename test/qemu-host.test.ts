// QemuHost against a real qemu-system-x86_64 (TCG): a hand-assembled boot sector built here prints on COM1; the tests drive power, boot order (PXE once), media and keys through the Host interface, run the host contract, and drive `vme up --host qemu` through AMT power control over WS-Man.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkQemu, QemuHost, type QemuHostOptions } from '../src/host/qemu/index.js';
import { RecordingEnginePort } from '../src/host/testing.js';
import { hostContract } from '../src/host/host-contract.js';
import { bootSector, realModeProgram } from './support/boot-sector.js';
import { waitUntil } from './support/wait.js';
import { vme, VME_BIN } from './support/cli.js';

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

void test('vme up --host qemu: AMT power control over WS-Man (vme wsman power) drives the QEMU VM; Ctrl-C leaves no QEMU behind', { skip: qemuMissing, timeout: 180_000 }, async () => {
  const dir = mkdtempSync(join(work, 'up-'));
  const disk = join(dir, 'disk.img');
  writeFileSync(disk, bootSector('vme-qemu-ok\r\n'));
  const loopback = (): string => `127.${randomInt(1, 255)}.${randomInt(0, 256)}.${randomInt(2, 255)}`;
  const child = spawn(process.execPath, [VME_BIN, 'up', '--state', 'st', '--host', 'qemu', '--disk', disk, '--memory', '32', '--address', loopback(), '--lms-address', loopback()], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<string>((resolve) => child.on('exit', (code, signal) => resolve(`code ${code} signal ${signal}`)));
  let stderr = '';
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  /** The QEMU processes of this platform (their command lines name its run folder). */
  const vms = (): string[] => spawnSync('pgrep', ['-f', join(dir, 'st', 'qemu', 'qmp.sock')], { encoding: 'utf8', timeout: 5000 }).stdout.trim().split('\n').filter(Boolean);
  const wsman = (...args: string[]) => vme(['wsman', ...args, '--state', 'st'], dir);
  const powerState = (): string => /^PowerState: (\d+)$/m.exec(wsman('enumerate', 'CIM_AssociatedPowerManagementService').stdout)?.[1] ?? '';
  try {
    await waitUntil(() => stderr.includes('press Ctrl-C') || child.exitCode !== null, 'vme up to run', 90_000, 100);
    assert.match(stderr, /AMT activated in client control mode through LMS/, stderr);
    assert.match(stdout, /host: {3}S0, os \(OS running from disk\); End-of-POST sent/);
    assert.match(stdout, /\| vme-qemu-ok/, 'the VM printed on COM1 before the report');
    const [first] = vms();
    assert.ok(first, 'a QEMU process runs');
    assert.match(wsman('power', 'reset').stdout, /^ReturnValue: 0$/m);
    await waitUntil(() => { const now = vms(); return now.length === 1 && now[0] !== first; }, 'a new QEMU process after the reset', 30_000, 200);
    assert.match(wsman('power', 'off').stdout, /^ReturnValue: 0$/m);
    await waitUntil(() => vms().length === 0, 'no QEMU process after power off', 30_000, 200);
    assert.equal(powerState(), '8');
    assert.match(wsman('power', 'on').stdout, /^ReturnValue: 0$/m);
    await waitUntil(() => vms().length === 1, 'QEMU again after power on', 30_000, 200);
    assert.equal(powerState(), '2');
  } finally {
    child.kill('SIGINT');
    let timer: NodeJS.Timeout | undefined;
    const how = await Promise.race([exited, new Promise<string>((resolve) => { timer = setTimeout(() => resolve('still running'), 30_000); })]);
    clearTimeout(timer);
    if (how === 'still running') child.kill('SIGKILL');
    assert.equal(how, 'code 0 signal null', stderr);
    assert.deepEqual(vms(), [], 'no QEMU left behind');
  }
});
