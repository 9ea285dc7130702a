// Keeps docs/reference/mkhi.md in step with the MKHI declarations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readGenerated } from '../../codec/doc-section.js';
import { MKHI_COMMAND } from './constants.js';
import { MKHI_DOC, renderMkhiReference } from './reference-doc.js';

test('docs/reference/mkhi.md matches the declarations (regenerate: node dist/src/protocols/mkhi/reference-doc.js --write)', () => {
  assert.equal(readGenerated(MKHI_DOC), renderMkhiReference().trim());
});

test('the reference has one section per command', () => {
  const doc = renderMkhiReference();
  for (const name of Object.keys(MKHI_COMMAND)) assert.match(doc, new RegExp(`^### ${name} \\(`, 'm'));
});
