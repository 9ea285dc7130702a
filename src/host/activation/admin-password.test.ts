/** The generated admin password meets AMT's rule, is kept (0600) before use and reused afterwards. */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { checkAmtPassword } from '../../amt/accounts/index.js';
import { ADMIN_PASSWORD_FILE, generateAdminPassword, loadOrCreateAdminPassword } from './admin-password.js';

test('1,000 generated passwords all pass AMT\'s strong-password rule and differ', () => {
  const seen = new Set<string>();
  for (let i = 0; i < 1000; i++) {
    const password = generateAdminPassword();
    assert.equal(checkAmtPassword(password), undefined, password);
    seen.add(password);
  }
  assert.equal(seen.size, 1000);
});

test('the password is written once (mode 0600) and then reused; an unwritable folder is a typed error', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'vme-admin-'));
  try {
    const first = await loadOrCreateAdminPassword(dir);
    assert.equal(first.created, true);
    assert.equal((await readFile(join(dir, ADMIN_PASSWORD_FILE), 'utf8')).trim(), first.password);
    assert.equal((await stat(first.path)).mode & 0o777, 0o600);
    const again = await loadOrCreateAdminPassword(dir);
    assert.deepEqual([again.created, again.password], [false, first.password]);
    await assert.rejects(loadOrCreateAdminPassword(join(dir, 'missing', 'deeper')), { code: 'VME_ERR_IO' });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
