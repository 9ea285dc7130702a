/**
 * Renders the generated part of docs/reference/apf.md from the declarations (message layouts,
 * reason codes, limits); a test keeps the file in step. Regenerate:
 * `node dist/src/protocols/apf/reference-doc.js --write`.
 */
import { writeGeneratedOnCli } from '../../codec/doc-section.js';
import { APF_CHANNEL_TYPE, APF_DISCONNECT_REASON, APF_GLOBAL_REQUEST, APF_OPEN_FAILURE, APF_SERVICE, APF_TRIGGER } from './constants.js';
import { APF_LIMITS, APF_MESSAGES } from './messages.js';
import { APF_DEFAULT_LIMITS } from './session.js';

const table = (head: string, rows: Record<string, number | string>): string[] =>
  [`| ${head} | Name |`, '|---|---|', ...Object.entries(rows).map(([name, value]) => `| ${String(value)} | ${name} |`)];

export function renderApfReference(): string {
  const messages = Object.values(APF_MESSAGES);
  return [
    '## Messages', '', '| Type | Message | Smallest size |', '|---|---|---|',
    ...messages.map((m) => `| ${m.type} | ${m.label} | ${m.minSize} |`), '',
    '## Names', '',
    ...table('String', { ...APF_SERVICE, ...APF_GLOBAL_REQUEST, ...APF_CHANNEL_TYPE }), '',
    '## Disconnect reasons', '', ...table('Code', APF_DISCONNECT_REASON), '',
    '## Channel open failure reasons', '', ...table('Code', APF_OPEN_FAILURE), '',
    '## Trigger reasons', '', ...table('Code', APF_TRIGGER), '',
    '## Limits', '', '| Limit | Value |', '|---|---|',
    ...Object.entries(APF_LIMITS).map(([name, value]) => `| decoder ${name} | ${value} |`),
    ...Object.entries(APF_DEFAULT_LIMITS).map(([name, value]) => `| session ${name} (default) | ${value} |`), '',
    '## Layouts', '',
    ...messages.flatMap((m) => [`### ${m.label}`, '', m.docTable(), '']),
  ].join('\n');
}

export const APF_DOC = new URL('../../../../docs/reference/apf.md', import.meta.url);

writeGeneratedOnCli(import.meta.url, APF_DOC, renderApfReference);
