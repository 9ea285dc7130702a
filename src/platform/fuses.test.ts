// Tests of the fuse file: creation, strict reading, atomic writing, one-way anti-rollback floor.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VmeError } from '../common/errors.js';
import { toHex } from '../crypto/index.js';
import { keyBlockHash, keyBlockBytes } from '../me/manifest.js';
import { testKeys } from '../me/testing.js';
import { createFuses, readFuses, writeFusesAtomic, raiseSvnFloor, fusesPathFor, checkFuses, type Fuses } from './fuses.js';

const fuses = (): Fuses => createFuses({ firmwareKey: testKeys().signing, oemKey: testKeys().other, now: new Date('2025-01-15T00:00:00Z') });
const dir = mkdtempSync(join(tmpdir(), 'vme-fuses-'));
const codeOf = (fn: () => unknown): { code: string; path?: unknown } => {
  try {
    fn();
  } catch (e) {
    if (e instanceof VmeError) return { code: e.code, path: e.details.path };
    throw e;
  }
  return { code: 'no error' };
};

test('created fuses: key hash over the 0x104-byte key block, defaults, random secrets', () => {
  const f = fuses();
  assert.equal(f.format, 'vme-fuses/1');
  assert.equal(keyBlockBytes(testKeys().signing).length, 0x104);
  assert.equal(f.firmwareKeyHash, toHex(keyBlockHash(testKeys().signing)));
  assert.equal(f.oemKeyHash, toHex(keyBlockHash(testKeys().other)));
  assert.equal(f.platformId, 'vme-virtual-pc');
  assert.equal(f.svnFloor, 0);
  assert.match(f.secrets.deviceSecret, /^[0-9a-f]{64}$/);
  assert.notEqual(f.secrets.deviceSecret, fuses().secrets.deviceSecret);
  assert.equal(fusesPathFor('/x/img.bin'), '/x/img.bin.fuses.json');
});

test('atomic write then strict read round trips; no temp files left', () => {
  const path = join(dir, 'a.fuses.json');
  const written = fuses();
  writeFusesAtomic(path, written);
  assert.deepEqual(readFuses(path), written);
  assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), []);
});

test('strict validation names the JSON path', () => {
  const base = JSON.parse(JSON.stringify(fuses())) as Record<string, unknown>;
  assert.deepEqual(codeOf(() => checkFuses({ ...base, extra: 1 })), { code: 'VME_ERR_FUSES_INVALID', path: '$.extra' });
  assert.deepEqual(codeOf(() => checkFuses({ ...base, firmwareKeyHash: 'ABC' })), { code: 'VME_ERR_FUSES_INVALID', path: '$.firmwareKeyHash' });
  assert.deepEqual(codeOf(() => checkFuses({ ...base, platformId: 'x'.repeat(17) })), { code: 'VME_ERR_FUSES_INVALID', path: '$.platformId' });
  assert.deepEqual(codeOf(() => checkFuses({ ...base, svnFloor: -1 })), { code: 'VME_ERR_FUSES_INVALID', path: '$.svnFloor' });
  assert.deepEqual(codeOf(() => checkFuses({ ...base, secrets: { deviceSecret: '00' } })), { code: 'VME_ERR_FUSES_INVALID', path: '$.secrets.nvramKeySeed' });
  assert.deepEqual(codeOf(() => checkFuses({ ...base, format: 'vme-fuses/2' })), { code: 'VME_ERR_FUSES_INVALID', path: '$.format' });
  const path = join(dir, 'bad.json');
  writeFileSync(path, '{');
  assert.equal(codeOf(() => readFuses(path)).code, 'VME_ERR_FUSES_INVALID');
  assert.equal(codeOf(() => readFuses(join(dir, 'missing.json'))).code, 'VME_ERR_FUSES_INVALID');
});

test('svnFloor only rises', () => {
  const path = join(dir, 'b.fuses.json');
  writeFusesAtomic(path, fuses());
  assert.equal(raiseSvnFloor(path, 3).svnFloor, 3);
  assert.equal(raiseSvnFloor(path, 3).svnFloor, 3);
  assert.deepEqual(codeOf(() => raiseSvnFloor(path, 2)), { code: 'VME_ERR_FUSES_LOWER', path });
  assert.equal(readFuses(path).svnFloor, 3);
  assert.equal((JSON.parse(readFileSync(path, 'utf8')) as Fuses).secrets.deviceSecret, readFuses(path).secrets.deviceSecret);
});

test.after(() => rmSync(dir, { recursive: true }));
