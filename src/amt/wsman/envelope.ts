/**
 * AMT's reply envelope, on one line with no whitespace between elements (brief §2.3):
 * `a:Envelope` declaring a..f, then the operation's own prefixes (g, h, i), then xsi; a header of
 * b:To (anonymous), b:RelatesTo (the request's MessageID verbatim), b:Action with
 * a:mustUnderstand="true", b:MessageID and c:ResourceURI; then a:Body. Faults use AMT's other
 * prefix set and header (no ResourceURI), brief §2.5.
 */
import { FAULTS, type FaultName } from './faults.js';
import { ANONYMOUS, FAULT_PREFIXES, NS, REPLY_PREFIXES } from './namespaces.js';
import { element, escapeText, namespaceDeclarations, textElement } from './xml-write.js';

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

export interface ReplyHeader {
  readonly action: string;
  readonly relatesTo: string;
  readonly messageId: string;
  readonly resourceUri: string;
}

/** A complete non-fault reply; `extra` are the operation's prefixes after a..f (g, h, i). */
export function renderReply(header: ReplyHeader, extra: readonly (readonly [string, string])[], body: string): string {
  const prefixes = [...REPLY_PREFIXES, ...extra, ['xsi', NS.xsi] as const];
  const head = textElement('b:To', ANONYMOUS) + textElement('b:RelatesTo', header.relatesTo)
    + element('b:Action', escapeText(header.action), ' a:mustUnderstand="true"') + textElement('b:MessageID', header.messageId)
    + textElement('c:ResourceURI', header.resourceUri);
  return XML_DECLARATION + element('a:Envelope', element('a:Header', head) + element('a:Body', body), namespaceDeclarations(prefixes));
}

/** A SOAP fault reply in AMT's fault shape; `relatesTo` is omitted when the request's MessageID was unreadable. */
export function renderFault(fault: FaultName, relatesTo: string | undefined, messageId: string): string {
  const spec = FAULTS[fault];
  const head = textElement('b:To', ANONYMOUS) + (relatesTo === undefined ? '' : textElement('b:RelatesTo', relatesTo))
    + element('b:Action', escapeText(spec.action), ' a:mustUnderstand="true"') + textElement('b:MessageID', messageId);
  const subcode = spec.subcode === '' ? '' : element('a:Subcode', textElement('a:Value', spec.subcode));
  const detail = 'detail' in spec ? textElement('e:FaultDetail', spec.detail) : '';
  const body = element('a:Fault', element('a:Code', textElement('a:Value', spec.code) + subcode)
    + element('a:Reason', element('a:Text', escapeText(spec.reason), ' xml:lang="en-US"')) + element('a:Detail', detail));
  return XML_DECLARATION + element('a:Envelope', element('a:Header', head) + element('a:Body', body), namespaceDeclarations(FAULT_PREFIXES));
}
