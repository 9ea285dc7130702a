/** Test helpers for the AMT HTTP layer: split replies, de-chunk bodies, build requests, a test server core. */
import { AmtHttpCore, type AmtHttpCoreOptions } from './core.js';
import type { AmtHandler } from './handler.js';
import { createTestAuth } from '../auth/testing.js';

export interface ParsedReply {
  readonly statusLine: string;
  readonly status: number;
  /** In order, names as sent. */
  readonly headers: readonly (readonly [string, string])[];
  readonly body: string;
  /** The body as sent (still chunked when chunked). */
  readonly rawBody: string;
  /** Bytes after this reply (the next pipelined reply). */
  readonly rest: string;
}

/** Splits the first reply off `text` (latin1), de-chunking a chunked body. */
export function parseReply(text: string): ParsedReply {
  const headEnd = text.indexOf('\r\n\r\n');
  if (headEnd < 0) throw new Error(`no reply head in ${JSON.stringify(text.slice(0, 80))}`);
  const [statusLine = '', ...lines] = text.slice(0, headEnd).split('\r\n');
  const headers = lines.map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 2)] as const);
  const header = (name: string): string | undefined => headers.find(([n]) => n.toLowerCase() === name)?.[1];
  let offset = headEnd + 4;
  let body = '';
  if (header('transfer-encoding') === 'chunked') {
    for (;;) {
      const lineEnd = text.indexOf('\r\n', offset);
      const size = Number.parseInt(text.slice(offset, lineEnd), 16);
      offset = lineEnd + 2;
      if (size === 0) { offset += 2; break; }
      body += text.slice(offset, offset + size);
      offset += size + 2;
    }
  } else {
    body = text.slice(offset, offset + Number(header('content-length') ?? 0));
    offset += body.length;
  }
  return { statusLine, status: Number(statusLine.split(' ')[1]), headers, body, rawBody: text.slice(headEnd + 4, offset), rest: text.slice(offset) };
}

export function headerOf(reply: ParsedReply, name: string): string | undefined {
  return reply.headers.find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1];
}

/** A POST /wsman with an optional Authorization header and a Content-Length body. */
export function postWsman(body: string, authorization?: string, extra: readonly string[] = []): string {
  return [
    'POST /wsman HTTP/1.1', 'Host: 127.0.0.1:16992', 'Content-Type: application/soap+xml; charset=utf-8',
    ...(authorization ? [`Authorization: ${authorization}`] : []), ...extra, `Content-Length: ${Buffer.byteLength(body)}`, '', body,
  ].join('\r\n');
}

/** A core with the test users and a fixed Date, plus the auth harness. */
export function createTestCore(handler: AmtHandler, overrides: Partial<AmtHttpCoreOptions> = {}): { core: AmtHttpCore; harness: ReturnType<typeof createTestAuth> } {
  const harness = createTestAuth();
  const core = new AmtHttpCore({ auth: harness.auth, handler, now: () => new Date(Date.UTC(2022, 0, 31, 10, 23, 4)), ...overrides });
  return { core, harness };
}
