// Reply bytes against the captures quoted in the research brief (§1.2) and the recorded AMT_GeneralSettings reply.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { chunked, errorPageReply, redirectReply, unauthorizedReply, wsmanReply, type ReplyContext } from './response-writer.js';
import { parseReply } from './testing.js';
import { DEFAULT_AMT_PROFILE, SERVER_HEADER_PREFIX, serverHeaderValue } from './profile.js';

const shared = (path: string): string => readFileSync(new URL(`../../../../../shared/${path}`, import.meta.url), 'utf8');
const brief = shared('research/amt-protocol.md');
const CAPTURED_SERVER = 'Intel(R) Active Management Technology 15.0.23.1706';
const context: ReplyContext = { server: CAPTURED_SERVER, now: new Date(Date.UTC(2022, 0, 31, 10, 23, 4)), maxChunkBytes: 0x2fa };
const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString('latin1');

/** The n-th fenced block of the brief's §1.2 (0: the 200 header, 1: the 401). */
function briefBlock(index: number): string[] {
  const section = brief.slice(brief.indexOf('### 1.2'), brief.indexOf('### 1.3'));
  const block = section.split('```')[1 + 2 * index] ?? '';
  return block.trim().split('\n');
}

test('200 WS-Man reply: the captured header set and order, byte for byte', () => {
  const reply = parseReply(text(wsmanReply(200, '<a/>', context)));
  const captured = briefBlock(0);
  assert.deepEqual([reply.statusLine, ...reply.headers.map(([n, v]) => `${n}: ${v}`)], captured);
});

test('401 reply: the captured headers, HTML page and Connection: close', () => {
  const captured = briefBlock(1);
  const challenge = (captured[1] ?? '').slice('WWW-Authenticate: '.length);
  const reply = parseReply(text(unauthorizedReply(challenge, context)));
  const htmlLines = captured.slice(captured.indexOf('') + 1);
  assert.equal(reply.body, htmlLines.join(''), 'the HTML page (one string in the capture)');
  const expectedHead = captured.slice(0, captured.indexOf('')).map((line) => line.replace('<n>', String(reply.body.length)));
  assert.deepEqual([reply.statusLine, ...reply.headers.map(([n, v]) => `${n}: ${v}`)], expectedHead);
  assert.ok(reply.body.endsWith('</html>'));
});

test('400 SOAP fault: chunked with Connection: close last (the AMT 15 capture)', () => {
  const reply = parseReply(text(wsmanReply(400, '<fault/>', context)));
  assert.deepEqual(reply.headers.map(([n]) => n), ['Date', 'Server', 'X-Frame-Options', 'Content-Type', 'Transfer-Encoding', 'Connection']);
  assert.equal(reply.headers.at(-1)?.[1], 'close');
  assert.equal(reply.body, '<fault/>');
});

test('non-WS-Man 400/404/500 pages: Content-Type, Server, Content-Length, Connection: close; message escaped', () => {
  for (const status of [400, 404, 500] as const) {
    const reply = parseReply(text(errorPageReply(status, 'Bad Request. Missing "<x>"', context)));
    assert.deepEqual(reply.headers.map(([n]) => n), ['Content-Type', 'Server', 'Content-Length', 'Connection']);
    assert.match(reply.body, /<h2 class=warn>Bad Request\. Missing &quot;&lt;x&gt;&quot;<\/h2><\/body><\/html>$/);
  }
});

test('GET / redirect: 303 to /logon.htm with the Server header MeshCentral\'s scanner reads', () => {
  const reply = parseReply(text(redirectReply('/logon.htm', { ...context, server: serverHeaderValue(DEFAULT_AMT_PROFILE) })));
  assert.equal(reply.statusLine, 'HTTP/1.1 303 See Other');
  const server = reply.headers.find(([n]) => n === 'Server')?.[1] ?? '';
  assert.ok(`Server: ${server}`.startsWith(`Server: ${SERVER_HEADER_PREFIX}`));
  assert.match(server.slice(SERVER_HEADER_PREFIX.length), /^\d+\.\d+\.\d+(\.\d+)?$/, 'MeshCentral scanner: 3 or 4 numeric parts');
});

test('chunked body: 4-digit upper-case hex sizes, split at maxChunkBytes, ends 0 CRLF CRLF; the GeneralSettings reply round-trips', () => {
  const xml = shared('fixtures/amt-responses/amt/general/get.xml').replace(/>\s+</g, '><').trim();
  const framed = text(chunked(Buffer.from(xml), 0x2fa));
  assert.match(framed, /^02FA\r\n/);
  assert.ok(framed.endsWith('\r\n0\r\n\r\n'));
  for (const size of framed.match(/(?:^|\r\n)([0-9A-F]{4})\r\n/g) ?? []) assert.match(size.trim(), /^[0-9A-F]{4}$/);
  assert.equal(parseReply(`HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n${framed}`).body, xml);
  assert.equal(text(chunked(new Uint8Array(), 10)), '0\r\n\r\n');
});

test('the Server version must be 3 or 4 numbers (MeshCentral parses it)', () => {
  assert.throws(() => serverHeaderValue({ amtVersion: '16.1', maxChunkBytes: 100 }), { code: 'VME_ERR_USAGE' });
  assert.throws(() => serverHeaderValue({ amtVersion: '16.1.x', maxChunkBytes: 100 }), { code: 'VME_ERR_USAGE' });
  assert.equal(serverHeaderValue(DEFAULT_AMT_PROFILE), 'Intel(R) Active Management Technology 16.1.27.2225');
});
