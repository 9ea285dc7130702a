// Keeps docs/reference/redirection.md in step with the redirection declarations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readGenerated } from '../../codec/doc-section.js';
import { REDIRECTION_MESSAGES } from './messages.js';
import { REDIRECTION_DOC, renderRedirectionReference } from './reference-doc.js';

test('docs/reference/redirection.md matches the declarations (regenerate: node dist/src/protocols/redirection/reference-doc.js --write)', () => {
  assert.equal(readGenerated(REDIRECTION_DOC), renderRedirectionReference().trim());
});

test('the reference has one layout per message', () => {
  const doc = renderRedirectionReference();
  for (const m of Object.values(REDIRECTION_MESSAGES)) assert.match(doc, new RegExp(`^### ${m.label}$`, 'm'));
});
