// `vme up` as the README runs it: a fresh state folder is manufactured and booted; a second run resumes it.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { vme, tempDir } from './support/cli.js';

const { dir, cleanup } = tempDir();
after(cleanup);

interface UpResult { created: string[]; engine: string; partition: string; image: string; fuses: string; keys: string }

test('first run creates keys, image and fuses and boots the operational firmware', () => {
  const r = vme(['up', '--state', 'st', '--json'], dir);
  assert.equal(r.status, 0, r.stderr);
  const up = JSON.parse(r.stdout) as UpResult;
  assert.deepEqual(up.created, ['keys', 'image', 'fuses']);
  assert.deepEqual([up.engine, up.partition], ['operational', 'NFTP']);
  assert.equal(up.image, join(dir, 'st', 'platform.bin'));
  assert.equal(statSync(up.image).size, 8 * 1024 * 1024);
  assert.equal(statSync(join(up.keys, 'firmware-signing.DEVELOPMENT.key.pem')).mode & 0o777, 0o600);
});

test('second run resumes the same platform (same image and fuse secrets)', () => {
  const before = readFileSync(join(dir, 'st', 'platform.bin.fuses.json'), 'utf8');
  const r = vme(['up', '--state', 'st'], dir);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /resuming the platform/);
  assert.match(r.stdout, /engine: operational \(NFTP, apps: mkhi\)/);
  assert.match(r.stdout, /reach it with:/);
  assert.equal(readFileSync(join(dir, 'st', 'platform.bin.fuses.json'), 'utf8'), before);
});

test('--help documents the state folder and exit statuses', () => {
  const r = vme(['up', '--help'], dir);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /--state <dir>/);
  assert.match(r.stdout, /Exit status/);
});
