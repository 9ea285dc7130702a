// docs/reference/wsman.md is generated from the class declarations; this keeps it in step.
// Regenerate: node -e "import('./dist/src/amt/wsman/index.js').then(m => process.stdout.write(m.renderWsmanReference(m.createAmtClassRegistry()) + '\n'))" > docs/reference/wsman.md
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createAmtClassRegistry, renderWsmanReference } from '../src/amt/wsman/index.js';

test('docs/reference/wsman.md matches the class declarations', () => {
  const file = readFileSync(new URL('../../docs/reference/wsman.md', import.meta.url), 'utf8');
  assert.equal(file, `${renderWsmanReference(createAmtClassRegistry())}\n`);
});
