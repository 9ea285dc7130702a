/**
 * Renders the generated part of docs/reference/pthi.md from the declarations (tables, layouts,
 * policy); a test keeps the file in step. Regenerate: `node dist/src/protocols/pthi/reference-doc.js --write`.
 */
import { writeGeneratedOnCli } from '../../codec/doc-section.js';
import { AMT_STATUS, PTHI_COMMAND, PTHI_RESPONSE_FLAG, type PthiCommandName } from './constants.js';
import { PthiHeader, PthiResponseHeader } from './messages.js';
import { PTHI_PRE_BOOT_ONLY } from './pre-boot.js';
import { PTHI_MESSAGES } from './table.js';

const hex8 = (n: number): string => `0x${n.toString(16).toUpperCase().padStart(8, '0')}`;

function commandSection(name: PthiCommandName): string {
  const spec = PTHI_MESSAGES[name];
  const code = PTHI_COMMAND[name];
  const lines = [`### ${name} (${hex8(code)}, response ${hex8((code | PTHI_RESPONSE_FLAG) >>> 0)})`, ''];
  if (!spec.answered) return [...lines, 'Declared by the brief without a layout; answered with AMT_STATUS_UNSUPPORTED.', ''].join('\n');
  lines.push(spec.requests.length === 0 ? 'Request: the header alone.' : 'Request body (one of):', '');
  for (const request of spec.requests) lines.push(request.docTable(), '');
  lines.push(spec.response ? 'Response data after the status:' : (spec.trailingString ? 'Response data after the status:' : 'Response: status only.'), '');
  if (spec.response) lines.push(spec.response.docTable(), '');
  if (spec.trailingString) lines.push(`Then \`${spec.trailingString}\`: AMT_ANSI_STRING (u16 length, that many bytes, no NUL).`, '');
  const refusal = PTHI_PRE_BOOT_ONLY[name];
  if (refusal !== undefined) lines.push(`Pre-boot only: after End-of-POST the status is ${refusal}.`, '');
  return lines.join('\n');
}

export function renderPthiReference(): string {
  const statuses = Object.entries(AMT_STATUS).map(([name, value]) => `| ${value} | 0x${value.toString(16).toUpperCase()} | ${name} |`);
  const preBoot = Object.entries(PTHI_PRE_BOOT_ONLY).map(([name, status]) => `| ${name} | ${hex8(PTHI_COMMAND[name as PthiCommandName])} | ${status} |`);
  return [
    '## Header', '', PthiHeader.docTable(), '', PthiResponseHeader.docTable(), '',
    '## Status codes', '', '| Value | Hex | Name |', '|---|---|---|', ...statuses, '',
    '## Pre-boot policy', '', '| Command | Code | Status after End-of-POST |', '|---|---|---|', ...preBoot, '',
    '## Commands', '', ...(Object.keys(PTHI_COMMAND) as PthiCommandName[]).map(commandSection),
  ].join('\n');
}

export const PTHI_DOC = new URL('../../../../docs/reference/pthi.md', import.meta.url);

writeGeneratedOnCli(import.meta.url, PTHI_DOC, renderPthiReference);
