// MEBX on a real terminal: terminal-main runs the MEBX screens inside tmux (raw stdin, ANSI output)
// against an in-process MEBX server over an in-memory NVRAM; the test types with `tmux send-keys`,
// reads `tmux capture-pane -p`, and afterwards reopens the AMT state from the saved partition bytes.
// Needs the Debian package tmux (scripts/install-test-deps.sh); a missing tmux fails the test.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AmtStateStore } from '../src/amt-state/index.js';
import { MebxPasswordStore } from '../src/protocols/mebx/index.js';
import { mountTerminalNvram, readTerminalState, TERMINAL_STATE_FORMAT } from '../src/host/mebx/terminal-main.js';
import { towards } from '../src/host/mebx/testing.js';
import { TmuxSession } from './support/tmux.js';

const GOOD = 'Vme-2024!ok';
const SESSION = 'mebx';
const MAIN = fileURLToPath(new URL('../src/host/mebx/terminal-main.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'vme-mebx-'));
const statePath = join(dir, 'state.json');
/** tmux's own server on a socket in the test's directory, so nothing else is touched. */
const terminal = new TmuxSession(join(dir, 'tmux.sock'), SESSION);

after(() => {
  terminal.kill();
  rmSync(dir, { recursive: true, force: true });
});

const screen = (): string => terminal.screen();
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls the pane until `pattern` shows (or, with `absent`, until it is gone). */
async function waitFor(pattern: RegExp, absent = false, timeout = 5000): Promise<string> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const text = screen();
    if (pattern.test(text) !== absent) return text;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${absent ? 'no ' : ''}${pattern} on\n${text}`);
    await sleep(30);
  }
}

const TMUX_KEY = { enter: 'Enter', down: 'Down', up: 'Up' } as const;
const keys = (...names: string[]): void => terminal.keys(...names);
const type = (text: string): void => terminal.type(text);

/** The pane once it stops changing (two captures 30 ms apart agree), and different from `before` when given. */
async function settled(before?: string, timeout = 3000): Promise<string> {
  const deadline = Date.now() + timeout;
  let last = screen();
  for (;;) {
    await sleep(30);
    const now = screen();
    if (now === last && now !== before) return now;
    if (Date.now() > deadline) return now;
    last = now;
  }
}

/** Selects the menu or pop-up item `label` with Up/Down, presses Enter and waits for the screen to follow. */
async function choose(label: string): Promise<void> {
  for (let step = 0; step < 40; step++) {
    const before = await settled();
    const move = towards(before, label);
    if (move === undefined) throw new Error(`no item ${JSON.stringify(label)} on\n${before}`);
    keys(TMUX_KEY[move]);
    await settled(before);
    if (move === 'enter') return;
  }
  throw new Error(`could not reach ${JSON.stringify(label)}`);
}

async function escape(heading: RegExp): Promise<void> {
  keys('Escape');
  await waitFor(heading);
}

const COMMAND = `${process.execPath} ${MAIN} --state ${statePath}`;

function start(): void {
  terminal.run('new-session', '-d', '-s', SESSION, '-x', '80', '-y', '25', COMMAND);
  terminal.run('set-option', '-t', SESSION, 'status', 'off');
  terminal.run('set-option', '-t', SESSION, 'remain-on-exit', 'on');
}

/** Runs terminal-main again in the same (dead) pane: the next boot. */
function restart(): void {
  terminal.run('respawn-pane', '-t', SESSION, COMMAND);
}

/** A platform that is provisioned (client control) and has an administrator hash, so unprovision shows. */
async function seedState(): Promise<void> {
  const nvram = mountTerminalNvram();
  const state = await AmtStateStore.open(nvram.fs.namespace('amt'));
  await state.update({ provisioning: { state: 'post', mode: 'client' } });
  await state.addCertificateHash({ name: 'Lab Root', algorithm: 'sha256', hash: new Uint8Array(32).fill(0x5a) });
  const partition = Buffer.from(nvram.store.read(0, nvram.store.size)).toString('base64');
  writeFileSync(statePath, JSON.stringify({ format: TERMINAL_STATE_FORMAT, counter: nvram.counter.read(), partition }));
}

test('MEBX in tmux against an in-process engine (no HECI): login, forced change, rules, AMT, network, consent, unprovision, hashes, exit; NVRAM holds it all', { timeout: 60_000 }, async (t) => {
  execFileSync('tmux', ['-V']);
  await seedState();
  start();
  await waitFor(/\[ MEBx LOGIN \]/);

  await t.test('a wrong password is refused and counted', async () => {
    type('wrong-one');
    keys('Enter');
    await waitFor(/Error - Invalid password \(2 attempt\(s\) left\)/);
    assert.doesNotMatch(screen(), /wrong-one/);
  });

  await t.test('admin is accepted and the password change is forced', async () => {
    type('admin');
    await waitFor(/\[\*{5} +\]/);
    keys('Enter');
    await waitFor(/The default password must be changed/);
    assert.match(screen(), /\[ CHANGE THE DEFAULT PASSWORD \]/);
    keys('Escape');
    await waitFor(/This entry is required/);
  });

  await t.test('weak passwords are refused with the rule they break', async () => {
    const weak: [string, RegExp][] = [
      ['Ab1!', /at least 8 characters/], ['Ab1!'.repeat(9), /at most 32 characters/], ['Ab1! defg', /7-bit printable ASCII/],
      ['Ab1:defgh', /must not contain : , or "/], ['Abc!defgh', /must contain a digit/], ['Abc1defgh', /must contain a symbol/],
      ['abc1!defg', /upper-case letter/], ['ABC1!DEFG', /lower-case letter/],
    ];
    for (const [password, reason] of weak) {
      type(password);
      keys('Enter');
      await waitFor(reason);
      assert.match(screen(), /Intel\(R\) ME New Password/);
    }
  });

  await t.test('a valid password is accepted after verification', async () => {
    type(GOOD);
    keys('Enter');
    await waitFor(/Verify Password/);
    type(GOOD);
    keys('Enter');
    await waitFor(/\[ MAIN MENU \]/);
    assert.match(screen(), /Intel\(R\) ME password changed/);
  });

  await t.test('AMT disabled, then enabled', async () => {
    await choose('Intel(R) AMT Configuration');
    await waitFor(/Manageability Feature Selection +\[Enabled\]/);
    await choose('Manageability Feature Selection');
    await choose('Disabled');
    await waitFor(/Manageability Feature Selection +\[Disabled\]/);
    assert.doesNotMatch(screen(), /Network Setup/);
    await choose('Manageability Feature Selection');
    await choose('Enabled');
    await waitFor(/Network Setup/);
  });

  await t.test('network set to a static address', async () => {
    await choose('Network Setup');
    await waitFor(/DHCP Mode +\[Enabled\]/);
    await choose('DHCP Mode');
    await choose('Disabled');
    for (const [prompt, value] of [[/IPV4 Address/, '192.168.7.20'], [/Subnet Mask Address/, '255.255.255.0'], [/Default Gateway Address/, '192.168.7.1'], [/Preferred DNS Address/, '192.168.7.2'], [/Alternate DNS Address/, '']] as const) {
      await waitFor(prompt);
      if (value) type(value);
      keys('Enter');
    }
    await waitFor(/IPV4 Address +\[192\.168\.7\.20\]/);
    assert.match(screen(), /DHCP Mode +\[Disabled\]/);
    await escape(/\[ INTEL\(R\) AMT CONFIGURATION \]/);
  });

  await t.test('user consent changed to none', async () => {
    await choose('User Consent');
    await choose('User Opt-in');
    await choose('NONE');
    await waitFor(/User Opt-in +\[NONE\]/);
    await escape(/\[ INTEL\(R\) AMT CONFIGURATION \]/);
  });

  await t.test('full unprovision', async () => {
    await choose('Remote Setup And Configuration');
    await waitFor(/Provisioning State +\[Post-provisioning\]/);
    await escape(/\[ INTEL\(R\) AMT CONFIGURATION \]/);
    await choose('Unconfigure Network Access');
    await choose('Full Unprovision');
    await waitFor(/\(Y\/N\)/);
    type('y');
    await waitFor(/Full unprovision complete/);
    await escape(/\[ INTEL\(R\) AMT CONFIGURATION \]/);
  });

  await t.test('a hash deactivated (the administrator hash is gone after unprovision)', async () => {
    await choose('Remote Setup And Configuration');
    await waitFor(/Provisioning State +\[Pre-provisioning\]/);
    await choose('Manage Hashes');
    await waitFor(/DigiCert Global Root CA +\[Active\]/);
    assert.doesNotMatch(screen(), /Lab Root/);
    await choose('DigiCert Global Root CA');
    await choose('Deactivate Hash');
    await waitFor(/State: Inactive/);
    await escape(/DigiCert Global Root CA +\[Inactive\]/);
  });

  await t.test('exit', async () => {
    await escape(/\[ REMOTE SETUP AND CONFIGURATION \]/);
    await escape(/\[ INTEL\(R\) AMT CONFIGURATION \]/);
    await escape(/\[ MAIN MENU \]/);
    await choose('MEBx Exit');
    await waitFor(/Are you sure you want to exit MEBx\?/);
    type('y');
    await waitFor(/MEBx exited; state saved to .*\n+Press any key to quit\./);
    keys('q');
    const deadline = Date.now() + 5000;
    while (terminal.run('display-message', '-p', '-t', SESSION, '#{pane_dead}').trim() !== '1') {
      if (Date.now() > deadline) throw new Error(`terminal-main did not quit:\n${screen()}`);
      await sleep(30);
    }
    assert.equal(readTerminalState(statePath).counter > 0, true);
  });

  await t.test('the NVRAM state, reopened from the saved partition bytes, holds the settings', async () => {
    const nvram = mountTerminalNvram(readTerminalState(statePath)).fs.namespace('amt');
    const state = await AmtStateStore.open(nvram);
    assert.deepEqual(await state.mebx(), {
      amtEnabled: true, features: { sol: true, ider: true, kvm: true }, userConsent: 'none',
      network: { mode: 'static', address: '192.168.7.20', subnetMask: '255.255.255.0', gateway: '192.168.7.1', dns: ['192.168.7.2'] },
    });
    assert.deepEqual(await state.provisioning(), { state: 'pre', mode: 'none' });
    const hashes = await state.certificateHashes();
    assert.equal(hashes.find((entry) => entry.name === 'DigiCert Global Root CA')?.isActive, false);
    assert.ok(!hashes.some((entry) => entry.name === 'Lab Root'));
    const passwords = new MebxPasswordStore(nvram);
    assert.deepEqual(await passwords.verify(new TextEncoder().encode(GOOD)), { match: true, changeRequired: false });
    assert.equal((await passwords.verify(new TextEncoder().encode('admin'))).match, false);
  });

  await t.test('the next boot logs in with the new password, with no forced change', async () => {
    restart();
    await waitFor(/\[ MEBx LOGIN \]/);
    type(GOOD);
    keys('Enter');
    await waitFor(/\[ MAIN MENU \]/);
    assert.match(screen(), /Login successful/);
  });
});
