/**
 * Renders the generated part of docs/reference/mebx.md from the declarations; a test keeps the
 * file in step. Regenerate: `node dist/src/protocols/mebx/reference-doc.js --write`.
 */
import { writeGeneratedOnCli } from '../../codec/doc-section.js';
import { MEBX_COMMAND, MEBX_RESPONSE_BIT, MEBX_STATUS, PASSWORD_RULE, type MebxCommandName, type PasswordRuleName } from './constants.js';
import { MebxHeader } from './messages.js';
import { PASSWORD_RULE_TEXT } from './password-rules.js';
import { MEBX_MESSAGES } from './table.js';

const hex2 = (n: number): string => `0x${n.toString(16).toUpperCase().padStart(2, '0')}`;
const ACCESS_TEXT = { none: 'no session', session: 'the current session (also before the factory password is changed)', configured: 'the current session and a changed factory password' } as const;

function commandSection(name: MebxCommandName): string {
  const code = MEBX_COMMAND[name];
  const spec = MEBX_MESSAGES[name];
  const lines = [`### ${name} (${hex2(code)}, reply ${hex2(code | MEBX_RESPONSE_BIT)})`, '', `${spec.summary} Needs ${ACCESS_TEXT[spec.access]}.`, ''];
  lines.push(spec.request ? 'Request body after the header:' : 'Request: the header alone.', '');
  if (spec.request) lines.push(spec.request.docTable(), '');
  lines.push(spec.response ? 'Reply body after the header:' : 'Reply: the header alone.', '');
  if (spec.response) lines.push(spec.response.docTable(), '');
  return lines.join('\n');
}

export function renderMebxReference(): string {
  const commands = Object.entries(MEBX_COMMAND).map(([name, code]) => `| ${hex2(code)} | ${name} | ${MEBX_MESSAGES[name as MebxCommandName].access} |`);
  const statuses = Object.entries(MEBX_STATUS).map(([name, value]) => `| ${hex2(value)} | ${name} |`);
  const rules = Object.entries(PASSWORD_RULE).map(([name, value]) => `| ${value} | ${name} | ${PASSWORD_RULE_TEXT[name as PasswordRuleName]} |`);
  return [
    '## Header', '', MebxHeader.docTable(), '',
    '## Commands', '', '| Command | Name | Access |', '|---|---|---|', ...commands, '',
    '## Status codes', '', '| Status | Name |', '|---|---|', ...statuses, '',
    '## Password rules', '', '| Rule | Name | What the screen says |', '|---|---|---|', ...rules, '',
    '## Messages', '', ...(Object.keys(MEBX_COMMAND) as MebxCommandName[]).map(commandSection),
  ].join('\n');
}

export const MEBX_DOC = new URL('../../../../docs/reference/mebx.md', import.meta.url);

writeGeneratedOnCli(import.meta.url, MEBX_DOC, renderMebxReference);
