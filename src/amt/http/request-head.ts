/**
 * Parses an HTTP/1.x request head (request line and header fields) from its bytes, strictly:
 * CRLF line ends, token method and names, no obsolete line folding, visible-ASCII targets, and
 * framing headers (Content-Length / Transfer-Encoding) that cannot be read two ways.
 */
import { VmeError } from '../../common/errors.js';
import type { HttpLimits } from './limits.js';

export interface HttpRequestHead {
  readonly method: string;
  /** The request-target exactly as sent (origin form `/wsman` or absolute form). */
  readonly target: string;
  readonly version: '1.0' | '1.1';
  /** Lower-cased names; repeated fields joined with ", ". */
  readonly headers: ReadonlyMap<string, string>;
  readonly framing: { readonly kind: 'none' } | { readonly kind: 'length'; readonly length: number } | { readonly kind: 'chunked' };
  readonly keepAlive: boolean;
  readonly expectContinue: boolean;
}

const REQUEST_LINE = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+) ([\x21-\x7e]+) HTTP\/1\.([01])$/;
const HEADER_LINE = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+):[ \t]*(.*?)[ \t]*$/;
// eslint-disable-next-line no-control-regex -- the point is to find control characters in field values
const FORBIDDEN_IN_VALUE = /[\x00-\x08\x0a-\x1f\x7f]/;

export function malformed(reason: string): VmeError {
  return new VmeError('VME_ERR_HTTP_MALFORMED', `malformed HTTP request: ${reason}`, { reason });
}

export function tooLarge(reason: string): VmeError {
  return new VmeError('VME_ERR_HTTP_TOO_LARGE', `HTTP request over a limit: ${reason}`, { reason });
}

/** `text` is the head decoded as latin1, without the final empty line. @throws VmeError */
export function parseRequestHead(text: string, limits: HttpLimits): HttpRequestHead {
  const lines = text.split('\r\n');
  const requestLine = lines[0] ?? '';
  if (requestLine.length > limits.maxRequestLineBytes) throw tooLarge('request line');
  const match = REQUEST_LINE.exec(requestLine);
  if (!match) throw malformed('request line');
  const [, method = '', target = '', minor] = match;
  if (!target.startsWith('/') && !/^https?:\/\//i.test(target) && target !== '*') throw malformed('request target');
  if (lines.length - 1 > limits.maxHeaderCount) throw tooLarge('header count');
  const headers = parseFields(lines.slice(1));
  const version = minor === '0' ? '1.0' : '1.1';
  return { method, target, version, headers, framing: framingOf(headers), keepAlive: keepAliveOf(version, headers), expectContinue: headers.get('expect')?.toLowerCase() === '100-continue' };
}

/** Header (or trailer) field lines into a map. @throws VmeError */
export function parseFields(lines: readonly string[]): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of lines) {
    if (line.startsWith(' ') || line.startsWith('\t')) throw malformed('obsolete line folding');
    const field = HEADER_LINE.exec(line);
    if (!field) throw malformed('header line');
    const [, rawName = '', value = ''] = field;
    if (FORBIDDEN_IN_VALUE.test(value)) throw malformed('control character in a header value');
    const name = rawName.toLowerCase();
    const previous = headers.get(name);
    headers.set(name, previous === undefined ? value : `${previous}, ${value}`);
  }
  return headers;
}

function framingOf(headers: ReadonlyMap<string, string>): HttpRequestHead['framing'] {
  const transferEncoding = headers.get('transfer-encoding');
  const contentLength = headers.get('content-length');
  if (transferEncoding !== undefined) {
    if (contentLength !== undefined) throw malformed('both Transfer-Encoding and Content-Length');
    if (transferEncoding.trim().toLowerCase() !== 'chunked') throw malformed('unsupported Transfer-Encoding');
    return { kind: 'chunked' };
  }
  if (contentLength === undefined) return { kind: 'none' };
  const values = new Set(contentLength.split(',').map((value) => value.trim()));
  const [only] = values;
  if (values.size !== 1 || only === undefined || !/^\d{1,15}$/.test(only)) throw malformed('Content-Length');
  return { kind: 'length', length: Number(only) };
}

function keepAliveOf(version: '1.0' | '1.1', headers: ReadonlyMap<string, string>): boolean {
  const tokens = (headers.get('connection') ?? '').toLowerCase().split(',').map((token) => token.trim());
  if (tokens.includes('close')) return false;
  return version === '1.1' || tokens.includes('keep-alive');
}
