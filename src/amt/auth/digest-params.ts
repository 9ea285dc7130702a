/**
 * Parses an `Authorization: Digest ...` header as AMT consoles send it. Liberal in what it takes
 * (any parameter order, quoted or bare values, case-insensitive names, spaces around `=` and `,`)
 * and strict about structure: a duplicate parameter or an unterminated quote is malformed.
 */

/** The parameters of one Digest Authorization header; values are the literal text, unquoted. */
export type DigestParams = ReadonlyMap<string, string>;

export type ParsedAuthorization =
  | { readonly kind: 'digest'; readonly params: DigestParams }
  | { readonly kind: 'other-scheme'; readonly scheme: string }
  | { readonly kind: 'malformed'; readonly reason: string };

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+/;

/** Splits `Digest k=v, k="v"` into its parameters (names lower-cased, quotes and escapes removed). */
export function parseAuthorization(header: string): ParsedAuthorization {
  const text = header.trim();
  const scheme = TOKEN.exec(text)?.[0];
  if (scheme === undefined) return { kind: 'malformed', reason: 'no scheme' };
  if (scheme.toLowerCase() !== 'digest') return { kind: 'other-scheme', scheme };
  if (text.length > scheme.length && !/^\s/.test(text.slice(scheme.length))) return { kind: 'malformed', reason: 'no space after scheme' };
  return parseParams(text.slice(scheme.length));
}

function parseParams(rest: string): ParsedAuthorization {
  const params = new Map<string, string>();
  let position = 0;
  const skip = (pattern: RegExp): void => {
    const match = pattern.exec(rest.slice(position));
    if (match) position += match[0].length;
  };
  skip(/^[\s,]*/);
  while (position < rest.length) {
    const name = TOKEN.exec(rest.slice(position))?.[0];
    if (name === undefined) return { kind: 'malformed', reason: `bad parameter name at ${position}` };
    position += name.length;
    skip(/^\s*/);
    if (rest[position] !== '=') return { kind: 'malformed', reason: `parameter ${name} has no value` };
    position += 1;
    skip(/^\s*/);
    const value = readValue(rest, position);
    if (value === undefined) return { kind: 'malformed', reason: `parameter ${name} has a bad value` };
    position = value.end;
    const key = name.toLowerCase();
    if (params.has(key)) return { kind: 'malformed', reason: `duplicate parameter ${key}` };
    params.set(key, value.text);
    skip(/^\s*/);
    if (position < rest.length && rest[position] !== ',') return { kind: 'malformed', reason: `expected "," after ${key}` };
    skip(/^[\s,]*/);
  }
  return { kind: 'digest', params };
}

function readValue(text: string, start: number): { text: string; end: number } | undefined {
  if (text[start] !== '"') {
    const bare = /^[^\s,"]*/.exec(text.slice(start))?.[0] ?? '';
    return { text: bare, end: start + bare.length };
  }
  let value = '';
  for (let index = start + 1; index < text.length; index++) {
    const character = text[index];
    if (character === '"') return { text: value, end: index + 1 };
    if (character === '\\') {
      index += 1;
      if (index >= text.length) return undefined;
    }
    value += text[index];
  }
  return undefined;
}
