/**
 * Serializes replies exactly as AMT sends them (brief §1.2): header names, order and single-space
 * `Name: value`; 200/400 WS-Man bodies chunked with 4-digit upper-case hex sizes; 401 and error
 * pages as one-line HTML with Content-Length and `Connection: close`.
 */

export interface ReplyContext {
  /** Full `Server` header value. */
  readonly server: string;
  readonly now: Date;
  readonly maxChunkBytes: number;
}

const encoder = new TextEncoder();
export const CONTINUE_BYTES = encoder.encode('HTTP/1.1 100 Continue\r\n\r\n');

const STATUS_TEXT: Readonly<Record<number, string>> = {
  200: 'OK', 303: 'See Other', 400: 'Bad Request', 401: 'Unauthorized', 404: 'Not Found', 500: 'Internal Server Error',
};

export const UNAUTHORIZED_MESSAGE = 'Log on failed. Incorrect user name or password, or user account temporarily locked.';

/** A WS-Man reply: `Date, Server, X-Frame-Options, Content-Type, Transfer-Encoding` (+ `Connection: close` on 400). */
export function wsmanReply(status: 200 | 400, body: string | Uint8Array, context: ReplyContext): Uint8Array {
  const head = [
    `HTTP/1.1 ${status} ${STATUS_TEXT[status]}`,
    `Date: ${context.now.toUTCString()}`,
    `Server: ${context.server}`,
    'X-Frame-Options: DENY',
    'Content-Type: application/soap+xml; charset=UTF-8',
    'Transfer-Encoding: chunked',
    ...(status === 400 ? ['Connection: close'] : []),
  ];
  return join(head, chunked(typeof body === 'string' ? encoder.encode(body) : body, context.maxChunkBytes));
}

/** The 401: `WWW-Authenticate, Content-Type, Server, Content-Length, Connection: close` and the HTML page. */
export function unauthorizedReply(wwwAuthenticate: string, context: ReplyContext): Uint8Array {
  const page = encoder.encode(htmlPage(UNAUTHORIZED_MESSAGE));
  const head = [
    'HTTP/1.1 401 Unauthorized',
    `WWW-Authenticate: ${wwwAuthenticate}`,
    'Content-Type: text/html',
    `Server: ${context.server}`,
    `Content-Length: ${page.length}`,
    'Connection: close',
  ];
  return join(head, page);
}

/** Non-WS-Man error page (400 bad request, 404, 500): `Content-Type, Server, Content-Length, Connection: close`. */
export function errorPageReply(status: 400 | 404 | 500, message: string, context: ReplyContext): Uint8Array {
  const page = encoder.encode(htmlPage(message));
  const head = [`HTTP/1.1 ${status} ${STATUS_TEXT[status]}`, 'Content-Type: text/html', `Server: ${context.server}`, `Content-Length: ${page.length}`, 'Connection: close'];
  return join(head, page);
}

/** `GET /`: `303 See Other` to the logon page, as MeshCentral's scanner sample shows. */
export function redirectReply(location: string, context: ReplyContext): Uint8Array {
  return join(['HTTP/1.1 303 See Other', `Location: ${location}`, 'Content-Length: 0', `Server: ${context.server}`], new Uint8Array());
}

/** AMT's one-line HTML page with a warning heading; `message` is escaped. */
export function htmlPage(message: string): string {
  return '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN" ><html lang="en"><head><link rel=stylesheet href=/styles.css>'
    + '<meta http-equiv="Content-Type" content="text/html; charset=utf-8"><title>Intel&reg; Active Management Technology</title></head>'
    + `<body><h1>Intel<sup>&reg;</sup> Active Management Technology</h1><h2 class=warn>${escapeHtml(message)}</h2></body></html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (character) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[character] ?? character);
}

/** Chunked framing: `XXXX\r\n<data>\r\n` per chunk (upper-case hex, at least 4 digits), then `0\r\n\r\n`. */
export function chunked(body: Uint8Array, maxChunkBytes: number): Uint8Array {
  const parts: Uint8Array[] = [];
  for (let offset = 0; offset < body.length; offset += maxChunkBytes) {
    const piece = body.subarray(offset, offset + maxChunkBytes);
    parts.push(encoder.encode(`${piece.length.toString(16).toUpperCase().padStart(4, '0')}\r\n`), piece, encoder.encode('\r\n'));
  }
  parts.push(encoder.encode('0\r\n\r\n'));
  return Buffer.concat(parts);
}

function join(headLines: readonly string[], body: Uint8Array): Uint8Array {
  return Buffer.concat([encoder.encode(`${headLines.join('\r\n')}\r\n\r\n`), body]);
}
