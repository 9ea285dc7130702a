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

const NAME = /[!#$%&'*+.^_`|~0-9A-Za-z-]+/y;
const SPACES = /\s*/y;
const SEPARATORS = /[\s,]*/y;
const BARE_VALUE = /[^\s,"]*/y;

/** Matches a sticky pattern at `position`; returns the match text (possibly empty) or undefined. */
function matchAt(pattern: RegExp, text: string, position: number): string | undefined {
  pattern.lastIndex = position;
  return pattern.exec(text)?.[0];
}

function parseParams(rest: string): ParsedAuthorization {
  const params = new Map<string, string>();
  let position = (matchAt(SEPARATORS, rest, 0) ?? '').length;
  while (position < rest.length) {
    const name = matchAt(NAME, rest, position);
    if (name === undefined) return { kind: 'malformed', reason: `bad parameter name at ${position}` };
    position += name.length;
    position += (matchAt(SPACES, rest, position) ?? '').length;
    if (rest[position] !== '=') return { kind: 'malformed', reason: `parameter ${name} has no value` };
    position += 1;
    position += (matchAt(SPACES, rest, position) ?? '').length;
    const value = readValue(rest, position);
    if (value === undefined) return { kind: 'malformed', reason: `parameter ${name} has a bad value` };
    position = value.end;
    const key = name.toLowerCase();
    if (params.has(key)) return { kind: 'malformed', reason: `duplicate parameter ${key}` };
    params.set(key, value.text);
    position += (matchAt(SPACES, rest, position) ?? '').length;
    if (position < rest.length && rest[position] !== ',') return { kind: 'malformed', reason: `expected "," after ${key}` };
    position += (matchAt(SEPARATORS, rest, position) ?? '').length;
  }
  return { kind: 'digest', params };
}

function readValue(text: string, start: number): { text: string; end: number } | undefined {
  if (text[start] !== '"') {
    const bare = matchAt(BARE_VALUE, text, start) ?? '';
    return { text: bare, end: start + bare.length };
  }
  const close = text.indexOf('"', start + 1);
  const escape = text.indexOf('\\', start + 1);
  if (close >= 0 && (escape < 0 || escape > close)) return { text: text.slice(start + 1, close), end: close + 1 };
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
