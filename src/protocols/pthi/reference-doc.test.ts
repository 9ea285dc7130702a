// Keeps docs/reference/pthi.md in step with the PTHI declarations (like errors.test.ts for errors).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readGenerated } from '../../codec/doc-section.js';
import { PTHI_COMMAND } from './constants.js';
import { PTHI_DOC, renderPthiReference } from './reference-doc.js';

test('docs/reference/pthi.md matches the declarations (regenerate: node dist/src/protocols/pthi/reference-doc.js --write)', () => {
  assert.equal(readGenerated(PTHI_DOC), renderPthiReference().trim());
});

test('the reference has one section per command', () => {
  const doc = renderPthiReference();
  for (const name of Object.keys(PTHI_COMMAND)) assert.match(doc, new RegExp(`^### ${name} \\(`, 'm'));
});
