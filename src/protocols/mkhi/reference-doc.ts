/**
 * Renders the generated part of docs/reference/mkhi.md from the declarations; a test keeps the
 * file in step. Regenerate: `node dist/src/protocols/mkhi/reference-doc.js --write`.
 */
import { writeGeneratedOnCli } from '../../codec/doc-section.js';
import { MKHI_COMMAND, MKHI_RESPONSE_BIT, MKHI_RESULT, type MkhiCommandName } from './constants.js';
import { MkhiHeader } from './messages.js';
import { MKHI_MESSAGES, MKHI_PRE_BOOT_ONLY } from './table.js';

const hex2 = (n: number): string => `0x${n.toString(16).toUpperCase().padStart(2, '0')}`;

function commandSection(name: MkhiCommandName): string {
  const { group, command } = MKHI_COMMAND[name];
  const spec = MKHI_MESSAGES[name];
  const lines = [`### ${name} (group ${hex2(group)}, command ${hex2(command)}, reply command byte ${hex2(command | MKHI_RESPONSE_BIT)})`, ''];
  lines.push(spec.request ? 'Request body after the header:' : 'Request: the header alone.', '');
  if (spec.request) lines.push(spec.request.docTable(), '');
  lines.push(spec.response ? 'Reply data after the header:' : 'Reply: the header alone.', '');
  if (spec.response) lines.push(spec.response.docTable(), '');
  const refusal = MKHI_PRE_BOOT_ONLY[name];
  if (refusal) lines.push(`Pre-boot only: after End-of-POST the result is ${hex2(refusal.result)}${refusal.data ? ` with data ${Buffer.from(refusal.data).toString('hex')}` : ''}.`, '');
  return lines.join('\n');
}

export function renderMkhiReference(): string {
  const results = Object.entries(MKHI_RESULT).map(([name, value]) => `| ${hex2(value)} | ${name} |`);
  const preBoot = Object.entries(MKHI_PRE_BOOT_ONLY).map(([name, reply]) => `| ${name} | ${hex2(reply.result)} | ${reply.data ? Buffer.from(reply.data).toString('hex') : '-'} |`);
  return [
    '## Header', '', MkhiHeader.docTable(), '',
    '## Result codes', '', '| Result | Name |', '|---|---|', ...results, '',
    '## Pre-boot policy', '', '| Command | Result after End-of-POST | Data |', '|---|---|---|', ...preBoot, '',
    '## Commands', '', ...(Object.keys(MKHI_COMMAND) as MkhiCommandName[]).map(commandSection),
  ].join('\n');
}

export const MKHI_DOC = new URL('../../../../docs/reference/mkhi.md', import.meta.url);

writeGeneratedOnCli(import.meta.url, MKHI_DOC, renderMkhiReference);
