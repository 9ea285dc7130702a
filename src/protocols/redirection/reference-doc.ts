/**
 * Renders the generated part of docs/reference/redirection.md from the declarations (message
 * layouts, codes, limits); a test keeps the file in step. Regenerate:
 * `node dist/src/protocols/redirection/reference-doc.js --write`.
 */
import { writeGeneratedOnCli } from '../../codec/doc-section.js';
import { AUTH_STATUS, AUTH_TYPE, REDIRECTION_LIMITS, SESSION_KIND, SOL_CONTROL, SOL_STATUS, START_STATUS } from './constants.js';
import { REDIRECTION_MESSAGES } from './messages.js';
import { IDER_ATTRIBUTE, IDER_BUFFER_BYTES, IDER_DRIVE, IDER_FEATURE, IDER_MESSAGES, IDER_REGISTER } from './ider-messages.js';
import { SCSI_OPCODE, SENSE_KEY } from './ider-scsi.js';

const hex = (n: number): string => `0x${n.toString(16).toUpperCase().padStart(2, '0')}`;
const table = (head: string, rows: Record<string, number | string>): string[] =>
  [`| ${head} | Name |`, '|---|---|', ...Object.entries(rows).map(([name, value]) => `| ${typeof value === 'string' ? JSON.stringify(value) : value} | ${name} |`)];

export function renderRedirectionReference(): string {
  const messages = Object.values(REDIRECTION_MESSAGES);
  return [
    '## Messages', '', '| Type | Message | Sender | Head bytes | Payload | Notes |', '|---|---|---|---|---|---|',
    ...messages.map((m) => `| ${hex(m.type)} | ${m.label} | ${m.name === 'solHeartbeat' ? 'both' : m.sender} | ${m.head.size} | ${m.payload ? `\`${m.payload.lengthField}\` bytes, at most ${m.payload.maxBytes}` : '—'} | ${m.note} |`), '',
    '## Session types', '', ...table('Tag', SESSION_KIND), '',
    '## StartRedirectionSessionReply status', '', ...table('Status', START_STATUS), '',
    '## Authentication types', '', ...table('Type', AUTH_TYPE), '',
    '## Authentication status', '', ...table('Status', AUTH_STATUS), '',
    '## SOL control and status bits (SOLControlsFromHost)', '', ...table('Control bit', SOL_CONTROL), '', ...table('Status bit', SOL_STATUS), '',
    '## Limits', '', '| Limit | Value |', '|---|---|', ...Object.entries(REDIRECTION_LIMITS).map(([name, value]) => `| ${name} | ${value} |`), '',
    '## Layouts', '',
    ...messages.flatMap((m) => [`### ${m.label}`, '', m.head.docTable(), '']),
    ...renderIder(),
  ].join('\n');
}

/** IDER (inside an `IDER` session after the login): messages, codes, layouts. */
function renderIder(): string[] {
  const ider = Object.values(IDER_MESSAGES);
  return [
    '## IDER messages', '', `Buffers announced: ${IDER_BUFFER_BYTES} bytes each way.`, '',
    '| Type | Message | Sender | Head bytes | Tail | Notes |', '|---|---|---|---|---|---|',
    ...ider.map((m) => `| ${hex(m.type)} | ${m.label} | ${m.sender} | ${m.head.size} | ${m.tail ? `${m.tail.doc}, at most ${m.tail.maxBytes}` : '—'} | ${m.note} |`), '',
    '## IDER codes', '', ...table('Attribute bit', IDER_ATTRIBUTE), '', ...table('Feature', IDER_FEATURE), '', ...table('Register value bits', IDER_REGISTER), '',
    ...table('Drive select', IDER_DRIVE), '', ...table('ATAPI opcode written', SCSI_OPCODE), '', ...table('Sense key', SENSE_KEY), '',
    '## IDER layouts', '',
    ...ider.flatMap((m) => [`### ${m.label}`, '', m.head.docTable(), '']),
  ];
}

export const REDIRECTION_DOC = new URL('../../../../docs/reference/redirection.md', import.meta.url);

writeGeneratedOnCli(import.meta.url, REDIRECTION_DOC, renderRedirectionReference);
