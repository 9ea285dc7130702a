// IDE redirection end to end (issue 6 §1): a whole machine on a random loopback address, activated
// in client control mode; IDER refused while AMT_RedirectionService is off and without consent;
// then the console client (src/client/ider.ts) serves a small ISO 9660 image as the IDE-R CD, WS-Man
// sets AMT_BootSettingData UseIDER + IDERBootDevice 1 and resets the host, and the simulated BIOS
// boots from the IDE-R CD: the blocks it read through the session match the image, the OS runs
// with the command line from the image; closing the session detaches the media, releases the
// consent (the next session needs a new code) and the audit log has IDER Session Opened/Closed
// (1800/1801) with the user and address; a malformed IDER message closes the connection and
// detaches it too.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomInt } from 'node:crypto';
import { MemoryBacking } from '../src/flash/index.js';
import { testPlatform } from '../src/image/testing.js';
import { AppHostPool } from '../src/kernel/index.js';
import { MemoryCounter } from '../src/kernel/nvram/index.js';
import type { BootMediaReport } from '../src/host/index.js';
import { Machine } from '../src/machine/index.js';
import { AMT_INTERFACE } from '../src/apps/amt/interface.js';
import { openIderSession, type IderSession } from '../src/client/ider.js';
import { parseAuditRecord } from '../src/amt/accounts/index.js';
import { textOf } from '../src/amt/wsman/testing.js';
import { AmtConsole, instanceOf, returnValue } from './support/amt-console.js';
import { waitUntil } from './support/wait.js';
import { FastClock } from './support/fast-clock.js';

const address = `127.${randomInt(1, 255)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;
const PASSWORD = 'Ider-P@ssw0rd1';
const COMMAND_LINE = 'BOOT_IMAGE=/live/vmlinuz boot=live vme.ider=1 console=ttyS0,115200n8';


/** A minimal ISO 9660 image: a boot line and the 55AA signature in the system area, the primary volume descriptor at 16, the terminator at 17. */
function buildIso(): Uint8Array {
  const iso = new Uint8Array(24 * 2048);
  iso.set(Buffer.from(`${COMMAND_LINE}\n`, 'latin1'), 0);
  iso.set([0x55, 0xaa], 510);
  const pvd = 16 * 2048;
  iso.set([1, ...Buffer.from('CD001', 'latin1'), 1], pvd);
  iso.set(Buffer.from('VME_IDER_TEST'.padEnd(32, ' '), 'latin1'), pvd + 40);
  new DataView(iso.buffer).setUint32(pvd + 80, 24, true); // volume space size, both-endian
  new DataView(iso.buffer).setUint32(pvd + 84, 24, false);
  iso.set([255, ...Buffer.from('CD001', 'latin1'), 1], 17 * 2048);
  for (let i = 18 * 2048; i < iso.length; i++) iso[i] = (i * 31) & 0xff;
  return iso;
}

const iso = buildIso();
const pool = new AppHostPool({ pingTimeoutMs: 2000 });
const machineEvents: string[] = [];
let machine: Machine;
let admin: AmtConsole;
const sessions: IderSession[] = [];
const open = async (): Promise<IderSession> => {
  const session = await openIderSession({ host: address, user: 'admin', password: PASSWORD, images: { cd: iso } });
  sessions.push(session);
  return session;
};
const consentCode = (): string | undefined => /AMT user consent code: (\d{6})/.exec(machine.host.screen.render())?.[1];
const mediaEvents = (): string[] => machineEvents.filter((e) => e.startsWith('host-media ')).map((e) => e.replace(/^host-media amt: /, ''));

before(async () => {
  const platform = testPlatform();
  machine = await Machine.create({
    flash: new MemoryBacking(platform.image), fuses: platform.fuses, clock: new FastClock(10),
    engine: { pool, counter: new MemoryCounter() }, network: { address },
    host: { bios: { stepMilliseconds: 2, mebxWindowMilliseconds: 5 } },
    onEvent: (kind, detail) => machineEvents.push(`${kind} ${detail}`),
  });
  machine.host.powerOn();
  await waitUntil(() => machine.host.state().phase === 'os', 'the OS to boot');
  assert.deepEqual(await machine.engine.client(AMT_INTERFACE).activate({ password: PASSWORD }), { returnValue: 0 });
  admin = new AmtConsole({ host: address, port: 16992, user: 'admin', password: PASSWORD });
});

after(async () => {
  for (const session of sessions) session.socket.destroy();
  (admin as AmtConsole | undefined)?.close();
  await (machine as Machine | undefined)?.shutdown();
  await pool.close();
});

test('IDER is refused (3) while AMT_RedirectionService is off, and without user consent', async () => {
  await assert.rejects(open(), /StartRedirectionSession refused: status 3/);
  const redirection = instanceOf(await admin.call('AMT', 'RedirectionService', 'Get'), 'AMT_RedirectionService');
  assert.equal(returnValue(await admin.call('AMT', 'RedirectionService', 'RequestStateChange', 32771)), 0);
  await admin.call('AMT', 'RedirectionService', 'Put', { ...redirection, EnabledState: 32771, ListenerEnabled: true });
  await assert.rejects(open(), /StartRedirectionSession refused: status 3/, 'client control mode needs consent');
  await grantConsent();
});

async function grantConsent(): Promise<void> {
  assert.equal(returnValue(await admin.call('IPS', 'OptInService', 'StartOptIn')), 0);
  await waitUntil(() => consentCode() !== undefined, 'the code on the host screen');
  assert.equal(returnValue(await admin.call('IPS', 'OptInService', 'SendOptInCode', Number(consentCode()))), 0);
  assert.equal(textOf(await admin.call('IPS', 'OptInService', 'Get'), 'g:OptInState'), '3', 'consent received');
}

/** Waits until IPS_OptInService's OptInState is `state`. */
async function optInState(state: string, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const now = textOf(await admin.call('IPS', 'OptInService', 'Get'), 'g:OptInState');
    if (now === state) return;
    if (Date.now() > deadline) assert.fail(`${what}: OptInState ${String(now)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The audit log's records as `code user address`. */
async function auditRecords(): Promise<string[]> {
  const out: string[] = [];
  for (let start = 1; ; start += 10) {
    const body = await admin.call('AMT', 'AuditLog', 'ReadRecords', start);
    const records = [...body.matchAll(/<g:EventRecords>([^<]*)</g)].map((m) => parseAuditRecord(Uint8Array.from(Buffer.from(m[1] ?? '', 'base64'))));
    out.push(...records.map((r) => `${r.auditAppId * 100 + r.eventId} ${r.initiator.kind === 'digest' ? r.initiator.user : r.initiator.kind} ${r.netAddress}`));
    if (records.length === 0 || out.length >= Number(textOf(body, 'g:TotalRecordCount'))) return out;
  }
}

test('the host boots from the IDE-R CD the console serves; closing the session detaches it', async () => {
  const session = await open();
  await waitUntil(() => mediaEvents().includes('attach ider-cd'), 'the IDE-R CD attached to the host');
  await optInState('4', 'the consent in session');
  assert.ok(!mediaEvents().includes('attach ider-floppy'), 'no floppy image, no floppy');
  const busy = openIderSession({ host: address, user: 'admin', password: PASSWORD, images: {} });
  await assert.rejects(busy, /status 2/, 'one IDER session at a time');

  const current = instanceOf(await admin.call('AMT', 'BootSettingData', 'Get'), 'AMT_BootSettingData');
  await admin.call('AMT', 'BootSettingData', 'Put', { ...current, BIOSSetup: false, UseIDER: true, IDERBootDevice: 1, UseSOL: false });
  assert.equal(returnValue(await admin.call('CIM', 'BootService', 'SetBootConfigRole', 'Intel(r) AMT: Boot Configuration 0', 1)), 0);
  const before = machine.host.events().filter((e) => e.kind === 'boot-media').length;
  assert.equal(returnValue(await admin.call('CIM', 'PowerManagementService', 'RequestPowerStateChange', 10)), 0);
  await waitUntil(() => machine.host.events().filter((e) => e.kind === 'boot-media').length > before, 'the BIOS to read the IDE-R CD', 20_000);
  await waitUntil(() => machine.host.state().phase === 'os', 'the OS to boot from the IDE-R CD', 20_000);

  assert.equal(machine.host.state().bootDevice, 'ider-cd');
  const event = machine.host.events().filter((e) => e.kind === 'boot-media').at(-1);
  const report = (event as { report: BootMediaReport } | undefined)?.report;
  assert.ok(report, 'a boot-media report');
  assert.equal(report.error, undefined);
  assert.deepEqual(report.reads, [{ lba: 0, count: 1 }, { lba: 16, count: 1 }]);
  const expected = createHash('sha256').update(iso.subarray(0, 2048)).update(iso.subarray(16 * 2048, 17 * 2048)).digest('hex');
  assert.equal(report.sha256, expected, 'the bytes the host read are the image\'s');
  assert.equal(report.volumeId, 'VME_IDER_TEST');
  assert.equal(report.commandLine, COMMAND_LINE);
  await waitUntil(() => machine.host.serial.outputText().includes(`Command line: ${COMMAND_LINE}`), 'the OS booted with the image\'s command line');
  const reads = session.console.events.filter((e) => e.kind === 'read').map((e) => (e.kind === 'read' ? `${e.drive}:${e.lba}+${e.count}` : ''));
  assert.deepEqual(reads, ['cd:0+1', 'cd:16+1'], 'served by the console');

  await session.close();
  await waitUntil(() => mediaEvents().includes('detach ider-cd'), 'the IDE-R CD detached');
  await optInState('0', 'the consent ended with the session');
  const records = await auditRecords();
  const opened = records.filter((r) => r.startsWith('1800 '));
  const closed = records.filter((r) => r.startsWith('1801 '));
  assert.equal(opened.length, 1, records.join('\n'));
  assert.equal(closed.length, 1, records.join('\n'));
  for (const record of [...opened, ...closed]) assert.match(record, /^180[01] admin 127\.\d+\.\d+\.\d+$/, 'the user and the console\'s address');
  await assert.rejects(open(), /StartRedirectionSession refused: status 3/, 'the consent was used by that session');
});

test('a malformed IDER message closes the connection and detaches the media', async () => {
  await grantConsent();
  const session = await open();
  await waitUntil(() => mediaEvents().filter((e) => e === 'attach ider-cd').length === 2, 'the IDE-R CD attached again');
  session.socket.write(Uint8Array.of(0x54, 0, 0, 2, 0, 0, 0, 0, 0, 0xff, 0xff, ...new Uint8Array(23))); // DataToHost announcing 65535 bytes
  await session.ended;
  await waitUntil(() => mediaEvents().filter((e) => e === 'detach ider-cd').length === 2, 'the IDE-R CD detached');
});
