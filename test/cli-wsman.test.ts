// `vme up` activates AMT through its in-process LMS and keeps the admin password; `vme wsman` then
// manages the running platform as a console would (state folder → address and password): Get,
// Enumerate, Invoke, Put, power off/on that really change the host, and typed refusals.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { vme, tempDir, VME_BIN } from './support/cli.js';

const { dir, cleanup } = tempDir();
const address = `127.${randomInt(1, 255)}.${randomInt(0, 256)}.${randomInt(2, 255)}`;
const lmsAddress = `127.${randomInt(1, 255)}.${randomInt(0, 256)}.${randomInt(2, 255)}`;
let child: ChildProcess | undefined;
let exited: Promise<string> | undefined;

before(async () => {
  child = spawn(process.execPath, [VME_BIN, 'up', '--state', 'st', '--address', address, '--lms-address', lmsAddress], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  const running = child;
  exited = new Promise((resolve) => running.on('exit', (code, signal) => resolve(`code ${code} signal ${signal}`)));
  let stderr = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`vme up never reported running:\n${stderr}`)), 90_000);
    running.stdout?.resume();
    running.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes('press Ctrl-C')) { clearTimeout(timer); resolve(); }
    });
  });
  assert.match(stderr, /AMT activated in client control mode through LMS/);
});

after(async () => {
  child?.kill('SIGINT');
  const how = await exited;
  cleanup();
  assert.equal(how, 'code 0 signal null');
});

const wsman = (...args: string[]) => vme(['wsman', ...args, '--state', 'st'], dir);

test('the admin password is kept 0600 in the state folder and Get/Enumerate/Invoke work with it', () => {
  const file = join(dir, 'st', 'amt-admin-password');
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.ok(readFileSync(file, 'utf8').trim().length >= 16);
  const settings = wsman('get', 'AMT_GeneralSettings');
  assert.equal(settings.status, 0, settings.stderr);
  assert.match(settings.stdout, /^DigestRealm: Digest:[0-9A-F]{32}$/m);
  const identity = JSON.parse(wsman('enumerate', 'CIM_SoftwareIdentity', '--json').stdout) as { InstanceID: string }[];
  assert.ok(identity.some((item) => item.InstanceID === 'AMT'));
  const setup = wsman('get', 'IPS_HostBasedSetupService', '--json');
  assert.equal((JSON.parse(setup.stdout) as { CurrentControlMode: string }).CurrentControlMode, '1', 'client control mode');
  const uuid = wsman('invoke', 'AMT_SetupAndConfigurationService', 'GetUuid', '--tls', '--insecure');
  assert.equal(uuid.status, 0, uuid.stderr);
  assert.match(uuid.stdout, /^ReturnValue: 0$/m);
});

test('power off and on change the host; Put changes a setting', async () => {
  assert.match(wsman('power', 'off').stdout, /^ReturnValue: 0$/m);
  const deadline = Date.now() + 20_000;
  let state = '';
  while (Date.now() < deadline && state !== '8') {
    state = /^PowerState: (\d+)$/m.exec(wsman('enumerate', 'CIM_AssociatedPowerManagementService').stdout)?.[1] ?? '';
    if (state !== '8') await new Promise((resolve) => setTimeout(resolve, 200));
  }
  assert.equal(state, '8', 'the host is off (S5)');
  assert.match(wsman('power', 'on').stdout, /^ReturnValue: 0$/m);
  const put = wsman('put', 'AMT_GeneralSettings', '--set', 'HostName=vme-managed');
  assert.equal(put.status, 0, put.stderr);
  assert.match(wsman('get', 'AMT_GeneralSettings').stdout, /^HostName: vme-managed$/m);
});

test('refusals: a wrong password, an unknown class, a bad power word, a missing platform', () => {
  const wrong = wsman('get', 'AMT_GeneralSettings', '--password', 'Wr0ng-p@ss');
  assert.equal(wrong.status, 1);
  assert.match(wrong.stderr, /VME_ERR_AMT_CLIENT: the device refused the login/);
  const unknown = wsman('get', 'AMT_NoSuchThing');
  assert.equal(unknown.status, 1);
  assert.match(unknown.stderr, /DestinationUnreachable/);
  assert.equal(wsman('power', 'bogus').status, 2);
  const missing = vme(['wsman', 'get', 'AMT_GeneralSettings', '--state', 'nowhere'], dir);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /no running platform in nowhere/);
});
