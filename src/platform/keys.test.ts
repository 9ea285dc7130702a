// Tests of development keys: file names and modes, refusal to overwrite, typed load errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync, writeFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import { VmeError } from '../common/errors.js';
import { toHex } from '../crypto/index.js';
import { keyBlockHash } from '../me/manifest.js';
import { initKeys, loadKeys, KEY_FILES } from './keys.js';

const fresh = (): string => mkdtempSync(join(tmpdir(), 'vme-keys-'));
const code = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    if (e instanceof VmeError) return e.code;
    throw e;
  }
  return 'no error';
};

test('init writes labelled keys, private files 0600, and a README; load returns matching keys', () => {
  const dir = join(fresh(), 'k');
  const result = initKeys(dir);
  for (const f of Object.values(KEY_FILES)) assert.ok(existsSync(join(dir, f)), f);
  assert.equal(statSync(join(dir, KEY_FILES.firmwareSigning)).mode & 0o777, 0o600);
  assert.equal(statSync(join(dir, KEY_FILES.oem)).mode & 0o777, 0o600);
  assert.match(readFileSync(join(dir, KEY_FILES.readme), 'utf8'), /DEVELOPMENT keys[\s\S]*NOT Intel's/);
  const keys = loadKeys(dir);
  assert.equal(toHex(keyBlockHash(keys.firmwareSigning.publicKey)), result.firmwareKeyHash);
  assert.equal(keys.firmwareSigning.privateKey.type, 'private');
  assert.notEqual(result.firmwareKeyHash, result.oemKeyHash);
  rmSync(dir, { recursive: true });
});

test('init refuses to overwrite without force', () => {
  const dir = fresh();
  const first = initKeys(dir);
  assert.equal(code(() => initKeys(dir)), 'VME_ERR_KEYS_EXIST');
  assert.equal(toHex(keyBlockHash(loadKeys(dir).firmwareSigning.publicKey)), first.firmwareKeyHash);
  assert.notEqual(initKeys(dir, { force: true }).firmwareKeyHash, first.firmwareKeyHash);
  assert.equal(statSync(join(dir, KEY_FILES.firmwareSigning)).mode & 0o777, 0o600);
  rmSync(dir, { recursive: true });
});

test('load errors are typed: missing dir, missing file, wrong type, wrong size, mismatched public key', () => {
  assert.equal(code(() => loadKeys('/nonexistent/vme-keys')), 'VME_ERR_KEYS_MISSING');
  const dir = fresh();
  initKeys(dir);
  rmSync(join(dir, KEY_FILES.oem));
  assert.equal(code(() => loadKeys(dir)), 'VME_ERR_KEYS_MISSING');
  initKeys(dir, { force: true });
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' });
  writeFileSync(join(dir, KEY_FILES.oem), ec);
  assert.equal(code(() => loadKeys(dir)), 'VME_ERR_KEYS_INVALID');
  const small = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' });
  writeFileSync(join(dir, KEY_FILES.oem), small);
  assert.match(String((() => { try { loadKeys(dir); } catch (e) { return (e as Error).message; } return ''; })()), /RSA-2048 private key; found rsa private 1024-bit/);
  writeFileSync(join(dir, KEY_FILES.oem), 'not a key');
  assert.equal(code(() => loadKeys(dir)), 'VME_ERR_KEYS_INVALID');
  initKeys(dir, { force: true });
  writeFileSync(join(dir, KEY_FILES.firmwareSigningPublic), readFileSync(join(dir, KEY_FILES.oemPublic)));
  assert.equal(code(() => loadKeys(dir)), 'VME_ERR_KEYS_INVALID');
  rmSync(dir, { recursive: true });
});
