// Issue 6 §3 end to end: AMT redirection against a real QEMU VM. A whole machine whose host is a
// QemuHost booting a hand-assembled boot sector (banner on COM1 and the screen's bottom row, then
// it echoes what COM1 receives), activated in client control mode, redirection enabled and user
// consent given from the console's side (the code read from the VM's screen copy). Debian's real
// amtterm on 16994 shows the guest's COM1 and a typed string comes back echoed by the guest; a
// WS-Man reset (RequestPowerStateChange 10) restarts the VM and its banner appears in the same
// SOL session; then vncsnapshot through 5900 shows the VM's text screen; then IDE-R: the console
// client serves an El Torito CD whose boot image prints on COM1, QEMU reads it over NBD, and with
// UseIDER + IDERBootDevice 1 and a reset the VM boots from it. Bounded (< 60 s);
// skipped with the reason when QEMU is missing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MemoryBacking } from '../src/flash/index.js';
import { testPlatform } from '../src/image/testing.js';
import { AppHostPool } from '../src/kernel/index.js';
import { MemoryCounter } from '../src/kernel/nvram/index.js';
import { Machine } from '../src/machine/index.js';
import { AMT_INTERFACE } from '../src/apps/amt/interface.js';
import { checkQemu, QemuHost } from '../src/host/qemu/index.js';
import { SCHEMA_BASE } from '../src/amt/wsman/index.js';
import { ACTION, envelope, textOf } from '../src/amt/wsman/testing.js';
import { openIderSession, type IderSession } from '../src/client/ider.js';
import { AmtConsole, instanceOf, returnValue } from './support/amt-console.js';
import { bootSector } from './support/boot-sector.js';
import { tempDir } from './support/cli.js';
import { TmuxSession } from './support/tmux.js';
import { waitUntil } from './support/wait.js';
import { decodeJpeg, inkedCells, runTool, vncPasswordFile } from './support/vnc-peer.js';

const qemuMissing = ((): string | undefined => {
  try {
    checkQemu();
    return undefined;
  } catch (error) {
    return `QEMU is not installed (${(error as Error).message}); run scripts/install-test-deps.sh`;
  }
})();
if (qemuMissing) process.stdout.write(`# qemu-redirection tests skipped: ${qemuMissing}\n`);

const address = `127.${randomInt(1, 255)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;
const PASSWORD = 'Qemu-P@ssw0rd1';
const RFB_PASSWORD = 'Qemu-P@1';
const BANNER = 'vme-qemu-sol';
const { dir, cleanup } = tempDir('vme-qr-');
const tmux = new TmuxSession(join(dir, 'tmux.sock'));
const clock = { now: (): number => performance.now(), schedule: (ms: number, callback: () => void) => { const t = setTimeout(callback, ms); t.unref(); return () => clearTimeout(t); } };
const pool = new AppHostPool({ pingTimeoutMs: 2000 });
let machine: Machine;
let host: QemuHost;
let admin: AmtConsole;
let ider: IderSession | undefined;
const started = Date.now();
const banners = (text: string): number => text.split(BANNER).length - 1;
const consentCode = (): string | undefined => /AMT user consent code: (\d{6})/.exec(machine.host.screen.render())?.[1];

before(async () => {
  if (qemuMissing) return;
  const disk = join(dir, 'disk.img');
  writeFileSync(disk, bootSector(`${BANNER}\r\n`, { echo: true }));
  const platform = testPlatform();
  machine = await Machine.create({
    flash: new MemoryBacking(platform.image), fuses: platform.fuses, clock,
    engine: { pool, counter: new MemoryCounter() }, network: { address },
    createHost: (wiring) => (host = new QemuHost({
      runDir: join(dir, 'q'), disk, memoryMiB: 32, engine: wiring.engine, ...(wiring.dram ? { dram: wiring.dram } : {}),
      screenPollMs: 250, startTimeoutMs: 30_000, commandTimeoutMs: 10_000,
    })),
  });
  machine.host.powerOn();
  await waitUntil(() => banners(host.serial.outputText()) === 1, 'the boot sector on COM1', 30_000, 50);
  await host.settle();
  assert.deepEqual(await machine.engine.client(AMT_INTERFACE).activate({ password: PASSWORD }), { returnValue: 0 });
  admin = new AmtConsole({ host: address, port: 16992, user: 'admin', password: PASSWORD });
  const redirection = instanceOf(await admin.call('AMT', 'RedirectionService', 'Get'), 'AMT_RedirectionService');
  assert.equal(returnValue(await admin.call('AMT', 'RedirectionService', 'RequestStateChange', 32771)), 0);
  await admin.call('AMT', 'RedirectionService', 'Put', { ...redirection, EnabledState: 32771, ListenerEnabled: true });
});

after(async () => {
  tmux.kill();
  ider?.socket.destroy();
  (admin as AmtConsole | undefined)?.close();
  await (machine as Machine | undefined)?.shutdown();
  await pool.close();
  cleanup();
  process.stdout.write(`# qemu-redirection: ${Date.now() - started} ms in all\n`);
});

/** User consent as a console gets it: StartOptIn, the code from the VM's screen copy, SendOptInCode. */
async function consent(): Promise<void> {
  assert.equal(returnValue(await admin.call('IPS', 'OptInService', 'StartOptIn')), 0);
  await waitUntil(() => consentCode() !== undefined, 'the consent code on the host screen', 15_000);
  assert.equal(returnValue(await admin.call('IPS', 'OptInService', 'SendOptInCode', Number(consentCode()))), 0);
  await waitUntil(() => consentCode() === undefined, 'the code gone once accepted', 15_000);
}

test('amtterm over SOL: the guest\'s COM1 both ways (typed text echoed by the guest); a WS-Man reset reboots the VM and its banner appears in the same session', { skip: qemuMissing, timeout: 60_000 }, async () => {
  await consent();
  tmux.start(['sh', '-c', `amtterm -u admin -p '${PASSWORD}' ${address} 16994; echo "[amtterm exited $?]"; sleep 60`], dir);
  await tmux.waitFor(/connected now/, 15_000);
  const sent = host.serial.counters.receivedBytes;
  tmux.type('echo-42');
  await tmux.waitFor(/echo-42/, 15_000);
  assert.equal(host.serial.counters.receivedBytes - sent, 7, 'the keystrokes reached the VM\'s COM1');
  await waitUntil(() => host.serial.outputText().endsWith('echo-42'), 'the guest to send them back', 10_000);

  const pid = host.pid;
  assert.equal(returnValue(await admin.call('CIM', 'PowerManagementService', 'RequestPowerStateChange', 10)), 0);
  await waitUntil(() => banners(host.serial.outputText()) === 2, 'the VM to boot again', 30_000, 50);
  assert.notEqual(host.pid, pid, 'a new QEMU process');
  const screen = await tmux.waitFor(new RegExp(`echo-42${BANNER}`), 15_000);
  assert.ok(tmux.alive() && !/amtterm exited/.test(screen), 'the SOL session survived the reset');
  tmux.type('again');
  await tmux.waitFor(/again/, 15_000);
  tmux.keys('C-]');
  await tmux.waitFor(/\[amtterm exited 0\]/, 15_000);
  tmux.kill();
});

test('vncsnapshot through 5900 shows the VM\'s text screen (the boot sector\'s bottom row)', { skip: qemuMissing, timeout: 60_000 }, async () => {
  assert.equal(returnValue(await admin.call('CIM', 'KVMRedirectionSAP', 'RequestStateChange', 2)), 0);
  const cls = 'IPS_KVMRedirectionSettingData';
  const uri = `${SCHEMA_BASE.IPS}${cls}`;
  const put = await admin.post(envelope({
    action: ACTION.put, resourceUri: uri,
    body: `<h:${cls} xmlns:h="${uri}"><h:Is5900PortEnabled>true</h:Is5900PortEnabled><h:RFBPassword>${RFB_PASSWORD}</h:RFBPassword></h:${cls}>`,
  }));
  assert.equal(put.status, 200, put.body);
  await waitUntil(() => textOf(put.body, 'g:Is5900PortEnabled') === 'true', 'the port enabled');
  await consent();
  const row = (): string => machine.host.screen.render().split('\n')[24] ?? '';
  await waitUntil(() => row().startsWith(BANNER), 'the banner on the screen copy', 10_000);
  const shot = join(dir, 'screen.jpg');
  const vnc = await runTool('vncsnapshot', ['-passwd', passwordFile(RFB_PASSWORD), `${address}:0`, shot], 'vncsnapshot');
  assert.equal(vnc.code, 0, vnc.output);
  const inked = await inkedRow(shot, 24);
  const expected = row().padEnd(80).split('').map((ch) => /[A-Za-z0-9]/.test(ch));
  for (const [column, want] of expected.entries()) {
    if (/[^A-Za-z0-9 ]/.test(row()[column] ?? ' ')) continue; // punctuation may be too thin to count
    assert.equal(inked[column], want, `column ${column} of "${row()}"`);
  }
  assert.match(machine.host.screen.render(), /SeaBIOS/, 'the rest of the screen is the VM\'s');
});

test('IDE-R: the console\'s CD reaches the VM over NBD and, with UseIDER + IDERBootDevice 1 and a reset, the VM boots from it', { skip: qemuMissing, timeout: 60_000 }, async () => {
  await consent();
  const iso = elToritoIso(bootSector('vme-ider-ok\r\n'));
  ider = await openIderSession({ host: address, user: 'admin', password: PASSWORD, images: { cd: iso } });
  await waitUntil(() => host.nbdServer('ider-cd') !== undefined, 'the IDE-R CD exported to QEMU', 15_000);
  await host.settle();
  assert.equal(host.lastError, undefined);
  const current = instanceOf(await admin.call('AMT', 'BootSettingData', 'Get'), 'AMT_BootSettingData');
  await admin.call('AMT', 'BootSettingData', 'Put', { ...current, BIOSSetup: false, UseIDER: true, IDERBootDevice: 1, UseSOL: false });
  assert.equal(returnValue(await admin.call('CIM', 'BootService', 'SetBootConfigRole', 'Intel(r) AMT: Boot Configuration 0', 1)), 0);
  assert.equal(returnValue(await admin.call('CIM', 'PowerManagementService', 'RequestPowerStateChange', 10)), 0);
  await waitUntil(() => host.serial.outputText().includes('vme-ider-ok'), 'the VM to boot the IDE-R CD', 30_000, 50);
  assert.equal(host.state().bootDevice, 'ider-cd');
  const reads = ider.console.events.flatMap((e) => (e.kind === 'read' ? [e.lba] : []));
  assert.ok([17, 19, 20].every((lba) => reads.includes(lba)), `SeaBIOS read the boot record, catalog and image through the session: ${reads.join(' ')}`);
  await ider.close();
  await waitUntil(() => host.nbdServer('ider-cd') === undefined, 'the NBD export closed with the session', 15_000);
});

/** A minimal El Torito CD: boot record volume descriptor at 17, terminator at 18, catalog at 19, a no-emulation boot image (one 2 KiB block) at 20. */
function elToritoIso(image: Uint8Array): Uint8Array {
  const iso = new Uint8Array(24 * 2048);
  const block = (n: number): number => n * 2048;
  iso.set([1, ...Buffer.from('CD001'), 1], block(16)); // a primary volume descriptor (SeaBIOS does not read it)
  iso.set([0, ...Buffer.from('CD001'), 1, ...Buffer.from('EL TORITO SPECIFICATION')], block(17));
  new DataView(iso.buffer).setUint32(block(17) + 0x47, 19, true);
  iso.set([255, ...Buffer.from('CD001'), 1], block(18));
  const catalog = new DataView(iso.buffer, block(19), 64);
  catalog.setUint8(0, 1); // validation entry: header, platform 0 (x86)
  catalog.setUint16(0x1e, 0xaa55, true);
  let sum = 0;
  for (let i = 0; i < 32; i += 2) sum += catalog.getUint16(i, true);
  catalog.setUint16(0x1c, (0x10000 - (sum & 0xffff)) & 0xffff, true); // the words sum to 0
  catalog.setUint8(0x20, 0x88); // default entry: bootable, no emulation, segment 0 (0x7C0)
  catalog.setUint16(0x26, 4, true); // 4 virtual sectors = 2 KiB
  catalog.setUint32(0x28, 20, true);
  iso.set(image, block(20));
  return iso;
}

const passwordFile = (password: string): string => vncPasswordFile(join(dir, 'vnc.pw'), password);

/** Which 8x16 cells of text row `row` have bright ink, from vncsnapshot's JPEG decoded by djpeg. */
async function inkedRow(path: string, row: number): Promise<boolean[]> {
  return inkedCells(await decodeJpeg(path), row, 80);
}
