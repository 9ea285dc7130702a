// Keeps docs/reference/mebx.md in step with the MEBX declarations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readGenerated } from '../../codec/doc-section.js';
import { MEBX_COMMAND } from './constants.js';
import { MEBX_DOC, renderMebxReference } from './reference-doc.js';

test('docs/reference/mebx.md matches the declarations (regenerate: node dist/src/protocols/mebx/reference-doc.js --write)', () => {
  assert.equal(readGenerated(MEBX_DOC), renderMebxReference().trim());
});

test('the reference has one section per command', () => {
  const doc = renderMebxReference();
  for (const name of Object.keys(MEBX_COMMAND)) assert.match(doc, new RegExp(`^### ${name} \\(`, 'm'));
});
