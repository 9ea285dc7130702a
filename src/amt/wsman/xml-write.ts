/** Writing XML by string templates, as the brief recommends (§9): escaping and element helpers, no whitespace. */

/** Text content escape (`&`, `<`, `>`). */
export function escapeText(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Attribute value escape (text escape plus `"`). */
export function escapeAttribute(value: string): string {
  return escapeText(value).replace(/"/g, '&quot;');
}

/** `<q>inner</q>` with `inner` already XML; an empty element is written as start+end tag, as AMT does. */
export function element(qname: string, inner: string, attributes = ''): string {
  return `<${qname}${attributes}>${inner}</${qname}>`;
}

/** `<q>escaped text</q>`. */
export function textElement(qname: string, value: string): string {
  return element(qname, escapeText(value));
}

/** ` xmlns:p="uri"` for each pair, in order. */
export function namespaceDeclarations(prefixes: readonly (readonly [string, string])[]): string {
  return prefixes.map(([prefix, uri]) => ` xmlns:${prefix}="${escapeAttribute(uri)}"`).join('');
}
