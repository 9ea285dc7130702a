// Malformed and oversized requests: each gets AMT's 400 page and a closed connection; earlier pipelined requests are still answered.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestCore, parseReply, postWsman } from './testing.js';
import { HttpRequestParser } from './request-parser.js';
import { DEFAULT_HTTP_LIMITS } from './limits.js';

const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString('latin1');
const core = (): ReturnType<typeof createTestCore> => createTestCore(() => ({ kind: 'wsman', status: 200, body: '<ok/>' }), { limits: { maxBodyBytes: 1024 } });

const BAD: readonly (readonly [string, string, 'VME_ERR_HTTP_MALFORMED' | 'VME_ERR_HTTP_TOO_LARGE'])[] = [
  ['garbage request line', 'HELLO\r\n\r\n', 'VME_ERR_HTTP_MALFORMED'],
  ['HTTP/2.0', 'GET / HTTP/2.0\r\n\r\n', 'VME_ERR_HTTP_MALFORMED'],
  ['target without a slash', 'GET wsman HTTP/1.1\r\n\r\n', 'VME_ERR_HTTP_MALFORMED'],
  ['header without colon', 'POST /wsman HTTP/1.1\r\nHost\r\n\r\n', 'VME_ERR_HTTP_MALFORMED'],
  ['obsolete line folding', 'POST /wsman HTTP/1.1\r\nHost: a\r\n b\r\n\r\n', 'VME_ERR_HTTP_MALFORMED'],
  ['space before colon', 'POST /wsman HTTP/1.1\r\nHost : a\r\n\r\n', 'VME_ERR_HTTP_MALFORMED'],
  ['control character in a value', 'POST /wsman HTTP/1.1\r\nHost: a\u0001b\r\n\r\n', 'VME_ERR_HTTP_MALFORMED'],
  ['Content-Length and Transfer-Encoding (smuggling)', 'POST /wsman HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n', 'VME_ERR_HTTP_MALFORMED'],
  ['two different Content-Lengths', 'POST /wsman HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n', 'VME_ERR_HTTP_MALFORMED'],
  ['negative Content-Length', 'POST /wsman HTTP/1.1\r\nContent-Length: -1\r\n\r\n', 'VME_ERR_HTTP_MALFORMED'],
  ['gzip transfer coding', 'POST /wsman HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n', 'VME_ERR_HTTP_MALFORMED'],
  ['bad chunk size', 'POST /wsman HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', 'VME_ERR_HTTP_MALFORMED'],
  ['chunk without CRLF', 'POST /wsman HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabXY', 'VME_ERR_HTTP_MALFORMED'],
  ['over-long request line', `GET /${'a'.repeat(5000)} HTTP/1.1\r\n\r\n`, 'VME_ERR_HTTP_TOO_LARGE'],
  ['over-long request line, no CRLF yet', `GET /${'a'.repeat(5000)}`, 'VME_ERR_HTTP_TOO_LARGE'],
  ['too many headers', `POST /wsman HTTP/1.1\r\n${'X-A: b\r\n'.repeat(65)}\r\n`, 'VME_ERR_HTTP_TOO_LARGE'],
  ['head over 16 KiB', `POST /wsman HTTP/1.1\r\nX-A: ${'b'.repeat(17000)}`, 'VME_ERR_HTTP_TOO_LARGE'],
  ['Content-Length over the body limit', 'POST /wsman HTTP/1.1\r\nContent-Length: 1025\r\n\r\n', 'VME_ERR_HTTP_TOO_LARGE'],
  ['chunks adding up over the body limit', `POST /wsman HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n200\r\n${'a'.repeat(512)}\r\n201\r\n`, 'VME_ERR_HTTP_TOO_LARGE'],
  ['huge chunk size', 'POST /wsman HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFF\r\n', 'VME_ERR_HTTP_TOO_LARGE'],
  ['chunk size with 9 hex digits', 'POST /wsman HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n000000001\r\n', 'VME_ERR_HTTP_MALFORMED'],
];

for (const [name, request, code] of BAD) {
  test(`${name}: typed ${code}, 400 page, connection closed`, async () => {
    const parser = new HttpRequestParser({ ...DEFAULT_HTTP_LIMITS, maxBodyBytes: 1024 });
    const events = parser.push(Buffer.from(request, 'latin1'));
    const error = events.find((e) => e.kind === 'error');
    assert.equal(error?.kind === 'error' && error.error.code, code);
    const { bytes, closed } = await core().core.inject(request);
    const reply = parseReply(text(bytes));
    assert.equal(reply.status, 400);
    assert.match(reply.body, /<h2 class=warn>Bad Request\./);
    assert.equal(closed, true);
  });
}

test('a malformed request after a good pipelined one: the good one is answered first, then 400 and close', async () => {
  const { core: server, harness } = core();
  const { bytes, closed } = await server.inject(postWsman('<a/>', harness.header({ nonce: harness.nonce() })) + 'BROKEN\r\n\r\n');
  const first = parseReply(text(bytes));
  assert.equal(first.status, 200);
  assert.equal(parseReply(first.rest).status, 400);
  assert.equal(closed, true);
});

test('more pipelined requests than the limit: 400 after those within it', async () => {
  const { core: server } = createTestCore(() => ({ kind: 'wsman', status: 200, body: '<ok/>' }), { limits: { maxPipelinedRequests: 2 } });
  const { bytes } = await server.inject('GET / HTTP/1.1\r\n\r\n'.repeat(5));
  let rest = text(bytes);
  const statuses: number[] = [];
  while (rest.length > 0) {
    const reply = parseReply(rest);
    statuses.push(reply.status);
    rest = reply.rest;
  }
  assert.deepEqual(statuses, [303, 303, 400]);
});

test('byte-at-a-time delivery parses the same requests', () => {
  const parser = new HttpRequestParser();
  const request = 'POST /wsman HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\nGET / HTTP/1.1\r\nContent-Length: 2\r\n\r\nhi';
  const events = [...Buffer.from(request)].flatMap((byte) => parser.push(Uint8Array.of(byte)));
  assert.deepEqual(events.map((e) => (e.kind === 'request' ? Buffer.from(e.request.body).toString() : e.kind)), ['abc', 'hi']);
});
