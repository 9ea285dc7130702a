// Keeps docs/errors.md and the error registry in step: every code documented, no stale rows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ERROR_CODES, VmeError } from './errors.js';

const doc = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8');
const rows = new Map(
  [...doc.matchAll(/^\| (VME_ERR_[A-Z0-9_]+) \| (\d+) \|/gm)].map((m) => [m[1] as string, Number(m[2])]),
);

test('every registered error code has a row in docs/errors.md with its exit status', () => {
  for (const [code, spec] of Object.entries(ERROR_CODES)) {
    assert.equal(rows.get(code), spec.exit, `docs/errors.md row for ${code}`);
  }
});

test('docs/errors.md has no rows for codes that do not exist', () => {
  for (const code of rows.keys()) assert.ok(code in ERROR_CODES, `stale row ${code}`);
});

test('VmeError carries code, exit status and JSON details', () => {
  const e = new VmeError('VME_ERR_IO', 'cannot read x', { path: 'x' });
  assert.equal(e.exitStatus, 5);
  assert.deepEqual(e.toJSON(), { error: 'VME_ERR_IO', message: 'cannot read x', path: 'x' });
});
