/**
 * Renders the generated part of docs/reference/rfb.md from the RFB declarations; a test keeps the
 * file in step. Regenerate: `node dist/src/protocols/rfb/reference-doc.js --write`.
 */
import { writeGeneratedOnCli } from '../../codec/doc-section.js';
import { CLIENT_MESSAGE, ENCODING, RFB_STRUCTURES, SECURITY } from './messages.js';

const table = (title: string, rows: Record<string, number>): string[] => [`| ${title} | Name |`, '|---|---|', ...Object.entries(rows).map(([name, value]) => `| ${value} | ${name} |`)];

export function renderRfbReference(): string {
  return [
    '## Security types', '', ...table('Type', SECURITY), '',
    '## Client message types', '', ...table('Type', CLIENT_MESSAGE), '',
    '## Encodings', '', ...table('Number', ENCODING), '',
    '## Structures (big-endian)', '', ...RFB_STRUCTURES.map((s) => `${s.docTable()}\n`),
  ].join('\n');
}

export const RFB_DOC = new URL('../../../../docs/reference/rfb.md', import.meta.url);

writeGeneratedOnCli(import.meta.url, RFB_DOC, renderRfbReference);
