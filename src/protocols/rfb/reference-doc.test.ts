// Keeps docs/reference/rfb.md in step with the RFB declarations.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readGenerated } from '../../codec/doc-section.js';
import { RFB_DOC, renderRfbReference } from './reference-doc.js';

test('docs/reference/rfb.md matches the declarations (regenerate: node dist/src/protocols/rfb/reference-doc.js --write)', () => {
  assert.equal(readGenerated(RFB_DOC), renderRfbReference().trim());
});
