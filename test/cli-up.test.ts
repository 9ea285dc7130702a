// `vme up` as the README runs it: a fresh state folder is manufactured and booted; a second run resumes it.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { vme, tempDir, VME_BIN } from './support/cli.js';

const { dir, cleanup } = tempDir();
after(cleanup);
/** Random loopback addresses so parallel test files never share AMT's or LMS's ports. */
const loopback = (): string => `127.${randomInt(1, 255)}.${randomInt(0, 256)}.${randomInt(2, 255)}`;
const where = ['--address', loopback(), '--lms-address', loopback()];

interface UpResult {
  created: string[]; engine: string; apps: { name: string; state: string }[]; log: { stage: string; check: string }[]; image: string; fuses: string; keys: string;
  lms: { amtPort: number; address: string; port: number }[] | null;
  amt: { activation: string; controlMode: number | null; admin: { user: string; password: string; passwordFile: string } | null } | null;
}

test('first run creates keys, image and fuses, boots the operational firmware and activates AMT through LMS', () => {
  const r = vme(['up', '--state', 'st', '--json', '--once', ...where], dir);
  assert.equal(r.status, 0, r.stderr);
  const up = JSON.parse(r.stdout) as UpResult;
  assert.deepEqual(up.created, ['keys', 'image', 'fuses']);
  assert.equal(up.engine, 'operational');
  assert.deepEqual(up.apps.map((a) => [a.name, a.state]), [['mkhi', 'running'], ['amt', 'running']]);
  assert.ok(up.log.some((e) => e.stage === 'rom' && e.check === 'signature'), 'boot log has the ROM part');
  assert.ok(up.log.some((e) => e.stage === 'kernel' && e.check === 'ready'), 'and continues into the kernel part');
  assert.equal(up.image, join(dir, 'st', 'platform.bin'));
  assert.equal(statSync(up.image).size, 8 * 1024 * 1024);
  assert.equal(statSync(join(up.keys, 'firmware-signing.DEVELOPMENT.key.pem')).mode & 0o777, 0o600);
  assert.deepEqual(up.lms?.map((l) => [l.amtPort, l.address, l.port]), [[16992, where[3], 16992], [16993, where[3], 16993]]);
  assert.equal(up.amt?.activation, 'activated');
  assert.equal(up.amt.controlMode, 1);
  assert.equal(readFileSync(up.amt.admin?.passwordFile ?? '', 'utf8').trim(), up.amt.admin?.password);
});

test('second run resumes the same platform (same image and fuse secrets)', () => {
  const before = readFileSync(join(dir, 'st', 'platform.bin.fuses.json'), 'utf8');
  const r = vme(['up', '--state', 'st', '--once', ...where], dir);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /resuming the platform/);
  assert.match(r.stdout, /^AMT admin: +user admin, password \S+ +\(kept in .*amt-admin-password; client control mode\)$/m);
  assert.match(r.stdout, /engine: operational in \d+ ms .*apps: mkhi running/);
  assert.match(r.stdout, /reach it with:/);
  assert.equal(readFileSync(join(dir, 'st', 'platform.bin.fuses.json'), 'utf8'), before);
});

test('--unprovisioned leaves a fresh platform in pre-provisioning; --no-lms starts no LMS', () => {
  const fresh = JSON.parse(vme(['up', '--state', 'fresh', '--json', '--once', '--unprovisioned', ...where], dir).stdout) as UpResult;
  assert.deepEqual([fresh.amt?.activation, fresh.amt?.admin, fresh.lms?.length], ['skipped', null, 2]);
  const quiet = JSON.parse(vme(['up', '--state', 'fresh', '--json', '--once', '--no-lms', ...where], dir).stdout) as UpResult;
  assert.deepEqual([quiet.amt?.activation, quiet.lms], ['skipped', null]);
});

test('--help documents the state folder and exit statuses', () => {
  const r = vme(['up', '--help'], dir);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /--state <dir>/);
  assert.match(r.stdout, /Exit status/);
});

test('without --once it serves until Ctrl-C (SIGINT), then shuts down cleanly with status 0', async () => {
  const child = spawn(process.execPath, [VME_BIN, 'up', '--state', 'st', ...where], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  const exited = new Promise<string>((resolve) => child.on('exit', (code, signal) => resolve(`code ${code} signal ${signal}`)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`vme up never reported running:\n${stderr}`)), 60_000);
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes('press Ctrl-C')) { clearTimeout(timer); resolve(); }
    });
  }).catch((err: unknown) => { child.kill('SIGKILL'); throw err; });
  child.kill('SIGINT');
  assert.equal(await exited, 'code 0 signal null', stderr);
  assert.match(stderr, /shutting down/);
});
