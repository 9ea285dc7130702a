// KVM through the AMT app end to end (issue 6 §1, §2): a whole machine on a random loopback
// address, activated in client control mode. Port 5900 closes connections while Is5900PortEnabled
// is off, while KVM is off and without user consent; with an RFBPassword Put through WS-Man and
// consent given from the console's side (StartOptIn, the code read from the host's screen,
// SendOptInCode), Debian's real vncsnapshot reads the host's text (a wrong VNC password is
// refused); one KVM session at a time; KVM inside a redirection session on 16994 (KVMR start,
// Digest login, 0x40/0x41, then RFB without a VNC password up to ServerInit 640x400 and a full
// framebuffer update); sessions audited (1808/1809) and the consent used up.
// Needs the Debian packages vncsnapshot and libjpeg-turbo-progs (scripts/install-test-deps.sh).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { existsSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { MemoryBacking } from '../src/flash/index.js';
import { testPlatform } from '../src/image/testing.js';
import { AppHostPool } from '../src/kernel/index.js';
import { MemoryCounter } from '../src/kernel/nvram/index.js';
import { Machine } from '../src/machine/index.js';
import { AMT_INTERFACE } from '../src/apps/amt/interface.js';
import { parseAuditRecord } from '../src/amt/accounts/index.js';
import { SCHEMA_BASE } from '../src/amt/wsman/index.js';
import { ACTION, envelope, textOf } from '../src/amt/wsman/testing.js';
import { decodeElements } from '../src/protocols/redirection/index.js';
import { consoleMessages as c } from '../src/protocols/redirection/testing.js';
import { decodeUpdate, setEncodings, updateRequest } from '../src/protocols/rfb/testing.js';
import { AmtConsole, instanceOf, returnValue } from './support/amt-console.js';
import { tempDir } from './support/cli.js';
import { waitUntil } from './support/wait.js';
import { FastClock } from './support/fast-clock.js';
import { decodeJpeg, inkedCells as inkedCellsOf, runTool, vncPasswordFile } from './support/vnc-peer.js';

const address = `127.${randomInt(1, 255)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;
const PASSWORD = 'Kvm-P@ssw0rd1';
const RFB_PASSWORD = 'Kvm-P@s1';
const TEXT = 'Hello from the vme host';
const { dir, cleanup } = tempDir('vme-kvm-amt-');


/** A TCP client that reads exact byte counts, and notices when the device closes. */
class ByteClient {
  #buffer = Buffer.alloc(0);
  #wake: (() => void) | undefined;
  closed = false;
  received = 0;
  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.received += chunk.length;
      this.#buffer = Buffer.concat([this.#buffer, chunk]);
      this.#wake?.();
    });
    socket.on('close', () => {
      this.closed = true;
      this.#wake?.();
    });
    socket.on('error', () => undefined);
  }

  static async open(port: number): Promise<ByteClient> {
    const socket = connect({ host: address, port });
    await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    return new ByteClient(socket);
  }

  async read(n: number): Promise<Buffer> {
    const deadline = Date.now() + 15_000;
    while (this.#buffer.length < n) {
      if (this.closed) throw new Error(`closed with ${this.#buffer.length} of ${n} bytes`);
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${n} bytes (have ${this.#buffer.length})`);
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
        setTimeout(resolve, 200);
      });
    }
    const out = this.#buffer.subarray(0, n);
    this.#buffer = this.#buffer.subarray(n);
    return out;
  }

  /** An AuthenticateSessionReply: status and payload. */
  async authReply(): Promise<{ status: number; payload: Buffer }> {
    const head = await this.read(9);
    assert.equal(head[0], 0x14);
    return { status: head[1] as number, payload: await this.read(head.readUInt32LE(5)) };
  }

  write(bytes: Uint8Array): void {
    this.socket.write(bytes);
  }

  close(): void {
    this.socket.destroy();
  }
}

const pool = new AppHostPool({ pingTimeoutMs: 2000 });
let machine: Machine;
let admin: AmtConsole;
const consentCode = (): string | undefined => /AMT user consent code: (\d{6})/.exec(machine.host.screen.render())?.[1];
const uri = (name: 'IPS_KVMRedirectionSettingData'): string => `${SCHEMA_BASE.IPS}${name}`;

const passwordFile = (name: string, password: string): string => vncPasswordFile(join(dir, name), password);

async function snapshot(name: string, password: string): Promise<{ code: number; output: string; path: string }> {
  const path = join(dir, name);
  const result = await runTool('vncsnapshot', ['-passwd', passwordFile(`${name}.pw`, password), `${address}:0`, path], 'vncsnapshot');
  return { ...result, path };
}

/** Which 8x16 cells have bright ink (rows of columns), from vncsnapshot's JPEG decoded by djpeg. */
async function inkedCells(path: string): Promise<{ size: number[]; inked: boolean[][] }> {
  const image = await decodeJpeg(path);
  return { size: [image.width, image.height], inked: Array.from({ length: 25 }, (_, row) => inkedCellsOf(image, row, 80)) };
}

/** Waits until the host's screen has not changed for half a second (the OS done booting). */
async function settled(): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (let last = ''; Date.now() < deadline; ) {
    const now = machine.host.screen.render();
    if (now === last) return;
    last = now;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  assert.fail('the host screen kept changing');
}

/** User consent as a console gets it: StartOptIn, the code from the host's screen, SendOptInCode. */
async function consent(): Promise<void> {
  assert.equal(returnValue(await admin.call('IPS', 'OptInService', 'StartOptIn')), 0);
  await waitUntil(() => consentCode() !== undefined, 'the consent code on the host screen');
  assert.equal(returnValue(await admin.call('IPS', 'OptInService', 'SendOptInCode', Number(consentCode()))), 0);
  await waitUntil(() => consentCode() === undefined, 'the code gone once accepted');
}

const optInState = async (): Promise<string | undefined> => textOf(await admin.call('IPS', 'OptInService', 'Get'), 'g:OptInState');

/** Port 5900 closes the connection without a byte of RFB. */
async function refusedOn5900(why: string): Promise<void> {
  const client = await ByteClient.open(5900);
  await waitUntil(() => client.closed, `5900 closed: ${why}`);
  assert.equal(client.received, 0, why);
}

/** A KVMR redirection session on 16994 logged in with Digest: the start status (the socket is left open when 0). */
async function kvmRedirection(): Promise<{ client: ByteClient; status: number }> {
  const client = await ByteClient.open(16994);
  client.write(c.start('kvm'));
  const reply = await client.read(13);
  assert.equal(reply[0], 0x11);
  if (reply[1] !== 0) return { client, status: reply[1] as number };
  client.write(c.digestRequest('admin'));
  const [realm = '', nonce = ''] = decodeElements((await client.authReply()).payload);
  client.write(c.digestResponse('admin', PASSWORD, realm, nonce));
  assert.equal((await client.authReply()).status, 0, 'logged in');
  return { client, status: 0 };
}

before(async () => {
  const platform = testPlatform();
  machine = await Machine.create({
    flash: new MemoryBacking(platform.image), fuses: platform.fuses, clock: new FastClock(10),
    engine: { pool, counter: new MemoryCounter() }, network: { address },
    host: { bios: { stepMilliseconds: 2, mebxWindowMilliseconds: 5 } },
  });
  machine.host.powerOn();
  await waitUntil(() => machine.host.state().phase === 'os', 'the OS to boot');
  assert.deepEqual(await machine.engine.client(AMT_INTERFACE).activate({ password: PASSWORD }), { returnValue: 0 });
  admin = new AmtConsole({ host: address, port: 16992, user: 'admin', password: PASSWORD });
});

after(async () => {
  (admin as AmtConsole | undefined)?.close();
  await (machine as Machine | undefined)?.shutdown();
  await pool.close();
  cleanup();
});

test('5900 is granted; closed while Is5900PortEnabled and KVM are off; KVMR refused (3) while KVM is off', async () => {
  const ports = machine.engine.networkListeners().filter((l) => l.app === 'amt').map((l) => `${l.port}/${String(l.tls)}/${String(l.listening)}`);
  assert.ok(ports.includes('5900/false/true'), ports.join(' '));
  await refusedOn5900('port 5900 not enabled');
  const { client, status } = await kvmRedirection();
  assert.equal(status, 3);
  client.close();
});

test('KVM enabled and 5900 on with an RFBPassword through WS-Man: still closed without consent', async () => {
  const redirection = instanceOf(await admin.call('AMT', 'RedirectionService', 'Get'), 'AMT_RedirectionService');
  assert.equal(returnValue(await admin.call('AMT', 'RedirectionService', 'RequestStateChange', 32771)), 0);
  await admin.call('AMT', 'RedirectionService', 'Put', { ...redirection, EnabledState: 32771, ListenerEnabled: true });
  assert.equal(returnValue(await admin.call('CIM', 'KVMRedirectionSAP', 'RequestStateChange', 2)), 0);
  const cls = 'IPS_KVMRedirectionSettingData';
  const put = await admin.post(envelope({
    action: ACTION.put, resourceUri: uri(cls),
    body: `<h:${cls} xmlns:h="${uri(cls)}"><h:Is5900PortEnabled>true</h:Is5900PortEnabled><h:RFBPassword>${RFB_PASSWORD}</h:RFBPassword></h:${cls}>`,
  }));
  assert.equal(put.status, 200, put.body);
  assert.equal(textOf(put.body, 'g:Is5900PortEnabled'), 'true');
  await refusedOn5900('no user consent (client control mode)');
});

test('vncsnapshot on <address>:0 with consent: a wrong VNC password refused, the right one shows the host text; audited; consent used up', { timeout: 60_000 }, async () => {
  await consent();
  const bad = await snapshot('bad.jpg', 'Wrong-1x');
  assert.notEqual(bad.code, 0);
  assert.match(bad.output, /VNC authentication failed/);
  assert.equal(existsSync(bad.path), false);

  await settled();
  machine.host.screen.putText(24, 4, TEXT, 0x0f);
  const good = await snapshot('good.jpg', RFB_PASSWORD);
  assert.equal(good.code, 0, good.output);
  assert.match(good.output, /VNC authentication succeeded/);
  const image = await inkedCells(good.path);
  assert.deepEqual(image.size, [640, 400]);
  const lines = machine.host.screen.render().split('\n');
  assert.ok(lines.some((line) => line.includes(TEXT)) && lines.filter((line) => /[A-Za-z0-9]/.test(line)).length > 1, 'the host shows text');
  const { cursor } = machine.host.screen;
  for (const [row, cells] of image.inked.entries()) {
    const line = (lines[row] ?? '').padEnd(80);
    // Letters and digits have ink, blanks none (punctuation may be too thin to count; the cursor is drawn).
    const expected = cells.map((inked, column) => (row === cursor.row && column === cursor.column) || /[^A-Za-z0-9 ]/.test(line[column] ?? ' ') ? inked : /[A-Za-z0-9]/.test(line[column] ?? ' '));
    assert.deepEqual(cells, expected, `row ${row}: ${line.trimEnd()}\n${lines.join('\n')}`);
  }

  const codes = await eventually(auditCodes, (all) => all.includes(1809));
  assert.ok(codes.includes(1808) && codes.includes(1809), `KVM started and ended in the audit log: ${codes.join(' ')}`);
  assert.equal(await eventually(optInState, (state) => state === '0'), '0', 'the consent ended with the session');
  await refusedOn5900('the consent was used');
});

test('one KVM session at a time: a second 5900 viewer and a KVMR start are busy', async () => {
  await consent();
  const first = await ByteClient.open(5900);
  assert.equal((await first.read(12)).toString(), 'RFB 003.008\n');
  await refusedOn5900('busy');
  const { client, status } = await kvmRedirection();
  assert.equal(status, 2, 'busy');
  client.close();
  first.close();
  await waitUntil(() => first.closed, 'the first viewer gone');
});

test('KVM in a redirection session on 16994: KVMR, Digest, 0x40/0x41, then RFB without a VNC password: ServerInit 640x400 and a full update', { timeout: 30_000 }, async () => {
  assert.equal(await optInState(), '3', 'the consent was not used by the viewer that never authenticated');
  const { client, status } = await kvmRedirection();
  assert.equal(status, 0);
  try {
    client.write(Uint8Array.of(0x40, 0, 0, 0, 0, 0, 0, 0));
    assert.equal((await client.read(8))[0], 0x41);
    assert.equal((await client.read(12)).toString(), 'RFB 003.008\n');
    client.write(Buffer.from('RFB 003.008\n'));
    assert.deepEqual([...(await client.read(2))], [1, 1], 'security None only');
    client.write(Uint8Array.of(1));
    assert.deepEqual([...(await client.read(4))], [0, 0, 0, 0]);
    client.write(Uint8Array.of(1));
    const init = await client.read(24);
    assert.deepEqual([init.readUInt16BE(0), init.readUInt16BE(2)], [640, 400]);
    await client.read(init.readUInt32BE(20));
    client.write(setEncodings([0]));
    client.write(updateRequest(false, 0, 0, 640, 400));
    const bytesPerPixel = (init[4] as number) / 8;
    const picture = { width: 640, values: new Uint32Array(640 * 400) };
    const rects = decodeUpdate(await client.read(4 + 70 * 12 + 640 * 400 * bytesPerPixel), picture, bytesPerPixel);
    assert.equal(rects.reduce((area, r) => area + r.width * r.height, 0), 640 * 400, 'the whole screen');
    assert.equal(await optInState(), '4', 'consent in session');
  } finally {
    client.close();
  }
  await waitUntil(() => client.closed, 'closed');
  assert.equal(await eventually(optInState, (state) => state === '0'), '0', 'the consent ended with the session');
  const ended = (codes: number[]): number => codes.filter((code) => code === 1809).length;
  assert.equal(ended(await eventually(auditCodes, (codes) => ended(codes) === 2)), 2, 'both KVM sessions ended in the audit log');
});

/** `read()` until `done` holds (the session end is committed after the socket closes) or 10 s passed; the last value. */
async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function auditCodes(): Promise<number[]> {
  const codes: number[] = [];
  for (let start = 1; ; start += 10) {
    const body = await admin.call('AMT', 'AuditLog', 'ReadRecords', start);
    const records = [...body.matchAll(/<g:EventRecords>([^<]*)</g)].map((m) => parseAuditRecord(Uint8Array.from(Buffer.from(m[1] ?? '', 'base64'))));
    codes.push(...records.map((r) => r.auditAppId * 100 + r.eventId));
    if (records.length === 0 || codes.length >= Number(textOf(body, 'g:TotalRecordCount'))) return codes;
  }
}
