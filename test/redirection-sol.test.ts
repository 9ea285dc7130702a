// Serial-over-LAN end to end (issue 6 §1, §2, §4): a whole machine on a random loopback address,
// activated in client control mode; redirection refused while AMT_RedirectionService is off; user
// consent driven from the console's side (StartOptIn, the code read from the host's screen,
// wrong code, cancel, display timeout, SendOptInCode); then Debian's real amtterm on 16994 in a
// terminal: the host's shell answers `echo hello-sol`, a second session is refused busy, Ctrl-]
// ends it and the audit log has the session; TLS 16995; wrong passwords refused and counted into
// the lock-out WS-Man shares.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { connect as tcpConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { randomInt } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { MemoryBacking } from '../src/flash/index.js';
import { testPlatform } from '../src/image/testing.js';
import { AppHostPool } from '../src/kernel/index.js';
import { MemoryCounter } from '../src/kernel/nvram/index.js';
import { Machine } from '../src/machine/index.js';
import { AMT_INTERFACE } from '../src/apps/amt/interface.js';
import { parseAuditRecord } from '../src/amt/accounts/index.js';
import { textOf } from '../src/amt/wsman/testing.js';
import { decodeElements, readFrame, type RedirectionFrame } from '../src/protocols/redirection/index.js';
import { consoleMessages as c } from '../src/protocols/redirection/testing.js';
import { AmtConsole, instanceOf, message, returnValue } from './support/amt-console.js';
import { tempDir } from './support/cli.js';
import { TmuxSession } from './support/tmux.js';
import { waitUntil } from './support/wait.js';
import { FastClock } from './support/fast-clock.js';

const address = `127.${randomInt(1, 255)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;
const PASSWORD = 'Sol-P@ssw0rd1';
const { dir, cleanup } = tempDir('vme-sol-');
const tmux = new TmuxSession(join(dir, 'tmux.sock'));
const second = new TmuxSession(join(dir, 'tmux2.sock'));
/** amtterm on a terminal; the pane stays (with a marker) after it exits, so its last words can be read. */
const amtterm = (session: TmuxSession, password: string): void =>
  session.start(['sh', '-c', `amtterm -u admin -p '${password}' ${address} 16994; echo "[amtterm exited $?]"; sleep 60`], dir);
const hasAmtterm = (): void => assert.equal(spawnSync('amtterm', ['-h'], { timeout: 5000 }).error, undefined, 'amtterm is not installed: install the Debian package amtterm (scripts/install-test-deps.sh)');


/** A redirection console over a raw socket: sends messages, waits for the device's frames. */
class RawConsole {
  #buffer = Buffer.alloc(0);
  readonly frames: RedirectionFrame[] = [];
  closed = false;
  private constructor(readonly socket: Socket) {
    socket.on('data', (bytes: Buffer) => {
      this.#buffer = Buffer.concat([this.#buffer, bytes]);
      for (let next = readFrame(this.#buffer, 'device'); next; next = readFrame(this.#buffer, 'device')) {
        this.frames.push(next.frame);
        this.#buffer = this.#buffer.subarray(next.size);
      }
    });
    socket.on('close', () => (this.closed = true));
    socket.on('error', () => undefined);
  }

  static async open(port: number): Promise<RawConsole> {
    const socket = port === 16995 ? tlsConnect({ host: address, port, rejectUnauthorized: false }) : tcpConnect({ host: address, port });
    await new Promise((resolve, reject) => socket.once(port === 16995 ? 'secureConnect' : 'connect', resolve).once('error', reject));
    return new RawConsole(socket);
  }

  async ask(bytes: Uint8Array, name: string): Promise<RedirectionFrame> {
    const seen = this.frames.length;
    this.socket.write(bytes);
    await waitUntil(() => this.frames.slice(seen).some((f) => f.name === name) || this.closed, `${name} from the device`);
    return this.frames.slice(seen).find((f) => f.name === name) ?? assert.fail(`closed before ${name}`);
  }

  close(): void {
    this.socket.destroy();
  }
}

const pool = new AppHostPool({ pingTimeoutMs: 2000 });
let machine: Machine;
let admin: AmtConsole;
const consentCode = (): string | undefined => /AMT user consent code: (\d{6})/.exec(machine.host.screen.render())?.[1];

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
  tmux.kill();
  second.kill();
  (admin as AmtConsole | undefined)?.close();
  await (machine as Machine | undefined)?.shutdown();
  await pool.close();
  cleanup();
});

test('the listeners are granted, and redirection is refused (3) while AMT_RedirectionService is off', async () => {
  const ports = machine.engine.networkListeners().filter((l) => l.app === 'amt').map((l) => `${l.port}/${String(l.tls)}/${String(l.listening)}`);
  assert.ok(ports.includes('16994/false/true') && ports.includes('16995/true/true'), ports.join(' '));
  const raw = await RawConsole.open(16994);
  const reply = await raw.ask(c.start(), 'startRedirectionSessionReply');
  assert.equal(reply.fields['status'], 3);
  await waitUntil(() => raw.closed, 'the device to close');
});

test('user consent from the console: the code on the host screen, wrong code, cancel, display timeout, then accepted', async () => {
  const redirection = instanceOf(await admin.call('AMT', 'RedirectionService', 'Get'), 'AMT_RedirectionService');
  assert.equal(returnValue(await admin.call('AMT', 'RedirectionService', 'RequestStateChange', 32771)), 0);
  await admin.call('AMT', 'RedirectionService', 'Put', { ...redirection, EnabledState: 32771, ListenerEnabled: true });

  // Consent is required in client control mode: StartSOL is refused without it.
  const raw = await RawConsole.open(16994);
  assert.equal((await raw.ask(c.start(), 'startRedirectionSessionReply')).fields['status'], 0);
  assert.equal((await raw.ask(c.plain('admin', PASSWORD), 'authenticateSessionReply')).fields['status'], 0);
  assert.equal((await raw.ask(c.startSol(), 'startSolReply')).fields['status'], 3, 'no consent yet');
  raw.close();

  assert.equal(consentCode(), undefined);
  assert.equal(returnValue(await admin.call('IPS', 'OptInService', 'StartOptIn')), 0);
  await waitUntil(() => consentCode() !== undefined, 'the code on the host screen');
  const first = consentCode() as string;
  assert.equal(returnValue(await admin.call('IPS', 'OptInService', 'SendOptInCode', (Number(first) + 1) % 1_000_000)), 2066, 'a wrong code');
  assert.equal(consentCode(), first, 'still shown after one wrong code');
  assert.equal(returnValue(await admin.call('IPS', 'OptInService', 'CancelOptIn')), 0);
  await waitUntil(() => consentCode() === undefined, 'the code gone after CancelOptIn');

  const service = instanceOf(await admin.call('IPS', 'OptInService', 'Get'), 'IPS_OptInService');
  await admin.call('IPS', 'OptInService', 'Put', { IPS_OptInService: { ...service, OptInDisplayTimeout: 1 } });
  assert.equal(returnValue(await admin.call('IPS', 'OptInService', 'StartOptIn')), 0);
  await waitUntil(() => consentCode() !== undefined, 'a new code on the host screen');
  await waitUntil(() => consentCode() === undefined, 'the code gone after the 1 s display timeout');
  assert.equal(returnValue(await admin.call('IPS', 'OptInService', 'CancelOptIn')), 0);
  await admin.call('IPS', 'OptInService', 'Put', { IPS_OptInService: { ...service, OptInDisplayTimeout: 300 } });

  assert.equal(returnValue(await admin.call('IPS', 'OptInService', 'StartOptIn')), 0);
  await waitUntil(() => consentCode() !== undefined, 'the code on the host screen');
  assert.equal(returnValue(await admin.call('IPS', 'OptInService', 'SendOptInCode', Number(consentCode()))), 0);
  await waitUntil(() => consentCode() === undefined, 'the code gone once accepted');
  assert.equal(textOf(await admin.call('IPS', 'OptInService', 'Get'), 'g:OptInState'), '3', 'consent received');
});

test('amtterm: the host shell over SOL, a second session refused busy, Ctrl-] ends it, audited', async () => {
  hasAmtterm();
  amtterm(tmux, PASSWORD);
  await tmux.waitFor(/connected now/, 15_000);
  tmux.keys('Enter');
  await tmux.waitFor(/root@vme-host:~#/, 15_000);
  tmux.type('echo hello-sol');
  tmux.keys('Enter');
  await tmux.waitFor(/^hello-sol\s*$/m, 15_000);
  assert.match(machine.host.serial.outputText(), /hello-sol/, 'the host UART ran the command');

  amtterm(second, PASSWORD);
  await second.waitFor(/session start failed/, 15_000);
  const raw = await RawConsole.open(16994);
  assert.equal((await raw.ask(c.start(), 'startRedirectionSessionReply')).fields['status'], 2, 'busy');
  raw.close();

  tmux.keys('C-]');
  await tmux.waitFor(/\[amtterm exited 0\]/, 15_000);
  tmux.kill();
  const records = await auditCodes();
  assert.ok(records.includes(1804) && records.includes(1805), `SOL opened and closed in the audit log: ${records.join(' ')}`);
  assert.equal(textOf(await admin.call('IPS', 'OptInService', 'Get'), 'g:OptInState'), '0', 'the consent ended with the session');
});

test('TLS 16995: the same session over TLS; consent is single use', async () => {
  const raw = await RawConsole.open(16995);
  assert.equal((await raw.ask(c.start(), 'startRedirectionSessionReply')).fields['status'], 0);
  assert.equal((await raw.ask(c.query(), 'authenticateSessionReply')).payload.join(','), '1,3,4');
  const challenge = await raw.ask(c.digestRequest('admin'), 'authenticateSessionReply');
  const [realm = '', nonce = ''] = decodeElements(challenge.payload);
  assert.equal((await raw.ask(c.digestResponse('admin', PASSWORD, realm, nonce), 'authenticateSessionReply')).fields['status'], 0);
  assert.equal((await raw.ask(c.startSol(), 'startSolReply')).fields['status'], 3, 'the consent was used by the amtterm session');
  raw.close();
});

test('wrong passwords: amtterm refused, and the failures count into the lock-out WS-Man shares', async () => {
  hasAmtterm();
  amtterm(tmux, 'Wrong-P@ss1');
  await tmux.waitFor(/authentication failed/, 15_000);
  for (let i = 0; i < 9; i++) {
    const raw = await RawConsole.open(16994);
    await raw.ask(c.start(), 'startRedirectionSessionReply');
    assert.equal((await raw.ask(c.plain('admin', 'Wrong-P@ss1'), 'authenticateSessionReply')).fields['status'], 1);
    raw.close();
  }
  const locked = new AmtConsole({ host: address, port: 16992, user: 'admin', password: PASSWORD });
  try {
    await assert.rejects(locked.post(message('AMT', 'GeneralSettings', 'Get')), { code: 'VME_ERR_AMT_CLIENT' }, 'the admin (right password) is locked out on WS-Man too');
  } finally {
    locked.close();
  }
});

async function auditCodes(): Promise<number[]> {
  const codes: number[] = [];
  for (let start = 1; ; start += 10) {
    const body = await admin.call('AMT', 'AuditLog', 'ReadRecords', start);
    const records = [...body.matchAll(/<g:EventRecords>([^<]*)</g)].map((m) => parseAuditRecord(Uint8Array.from(Buffer.from(m[1] ?? '', 'base64'))));
    codes.push(...records.map((r) => r.auditAppId * 100 + r.eventId));
    if (records.length === 0 || codes.length >= Number(textOf(body, 'g:TotalRecordCount'))) return codes;
  }
}
