// Keeps docs/reference/apf.md in step with the APF declarations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readGenerated } from '../../codec/doc-section.js';
import { APF_MESSAGES } from './messages.js';
import { APF_DOC, renderApfReference } from './reference-doc.js';

test('docs/reference/apf.md matches the declarations (regenerate: node dist/src/protocols/apf/reference-doc.js --write)', () => {
  assert.equal(readGenerated(APF_DOC), renderApfReference().trim());
});

test('the reference has one layout per message', () => {
  const doc = renderApfReference();
  for (const m of Object.values(APF_MESSAGES)) assert.match(doc, new RegExp(`^### ${m.label}$`, 'm'));
});
