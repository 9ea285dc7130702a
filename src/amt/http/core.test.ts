// The AMT web server in process (inject): routing, Digest round trips, keep-alive and pipelining, chunked request bodies, errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AmtHandler, AmtRequest } from './handler.js';
import { createTestCore, headerOf, parseReply, postWsman } from './testing.js';
import { parseChallenge } from '../auth/digest-client.js';

const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString('latin1');
const echo = (seen: AmtRequest[] = []): AmtHandler => (request) => {
  seen.push(request);
  return { kind: 'wsman', status: 200, body: `<echo>${Buffer.from(request.body).toString()}</echo>` };
};

test('GET / answers 303 to /logon.htm without authentication and keeps the connection', async () => {
  const { core } = createTestCore(echo());
  const { bytes, closed } = await core.inject('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
  const reply = parseReply(text(bytes));
  assert.equal(reply.status, 303);
  assert.equal(headerOf(reply, 'Location'), '/logon.htm');
  assert.equal(closed, false);
});

test('POST /wsman without credentials: 401 with a fresh challenge, HTML page, and the connection closes', async () => {
  const { core } = createTestCore(echo());
  const { bytes, closed } = await core.inject(postWsman('<x/>'));
  const reply = parseReply(text(bytes));
  assert.equal(reply.status, 401);
  assert.equal(parseChallenge(headerOf(reply, 'WWW-Authenticate') ?? '').realm, 'Digest:727734D63A1FC0423736E48DA554E462');
  assert.equal(headerOf(reply, 'Connection'), 'close');
  assert.equal(closed, true);
});

test('401 then an authenticated request on a new connection: 200 chunked, handler sees principal, path, transport', async () => {
  const seen: AmtRequest[] = [];
  const { core, harness } = createTestCore(echo(seen));
  const first = parseReply(text((await core.inject(postWsman('<x/>'))).bytes));
  const { nonce } = parseChallenge(headerOf(first, 'WWW-Authenticate') ?? '');
  const { bytes, closed } = await core.inject(postWsman('<Get/>', harness.header({ nonce })));
  const reply = parseReply(text(bytes));
  assert.equal(reply.status, 200);
  assert.equal(headerOf(reply, 'Transfer-Encoding'), 'chunked');
  assert.equal(reply.body, '<echo><Get/></echo>');
  assert.equal(closed, false);
  assert.deepEqual(seen[0]?.principal, { user: 'admin', realms: ['PT Administration', 'Redirection'] });
  assert.equal(seen[0]?.path, '/wsman');
  assert.equal(seen[0]?.transport, 'http');
  assert.equal(seen[0]?.headers.get('content-type'), 'application/soap+xml; charset=utf-8');
});

test('keep-alive with pipelined requests: answered in order on one connection, nc counting up', async () => {
  const { core, harness } = createTestCore(echo());
  const nonce = harness.nonce();
  const requests = [1, 2, 3].map((count) => postWsman(`<n${count}/>`, harness.header({ nonce, count, style: 'meshcommander' }))).join('');
  const { bytes, closed } = await core.inject(requests);
  let rest = text(bytes);
  for (const count of [1, 2, 3]) {
    const reply = parseReply(rest);
    assert.equal(reply.body, `<echo><n${count}/></echo>`);
    rest = reply.rest;
  }
  assert.equal(rest, '');
  assert.equal(closed, false);
});

test('RPS-style chunked request body with Connection: close is decoded; the connection closes after the reply', async () => {
  const { core, harness } = createTestCore(echo());
  const head = ['POST /wsman HTTP/1.1', 'Host: 4c4c4544-0000:16992', `Authorization: ${harness.header({ nonce: harness.nonce(), style: 'rps' })}`, 'Transfer-Encoding: chunked', 'Connection: close', '', ''].join('\r\n');
  const { bytes, closed } = await core.inject(`${head}5\r\n<Get/\r\n1;ext=1\r\n>\r\n0\r\nX-Trailer: y\r\n\r\n`);
  assert.equal(parseReply(text(bytes)).body, '<echo><Get/></echo>');
  assert.equal(closed, true);
});

test('Expect: 100-continue gets an interim 100 before the body', async () => {
  const { core, harness } = createTestCore(echo());
  const out: Uint8Array[] = [];
  const connection = core.connect({ transport: 'http', remote: { address: '127.0.0.1', port: 1 } }, { write: (b) => out.push(b), end: () => undefined });
  const request = postWsman('<x/>', harness.header({ nonce: harness.nonce() }), ['Expect: 100-continue']);
  const split = request.indexOf('\r\n\r\n') + 4;
  connection.receive(Buffer.from(request.slice(0, split)));
  assert.equal(text(Buffer.concat(out)), 'HTTP/1.1 100 Continue\r\n\r\n');
  connection.receive(Buffer.from(request.slice(split)));
  await connection.settled();
  assert.equal(parseReply(text(Buffer.concat(out.slice(1)))).status, 200);
});

test('a SOAP fault (400) is chunked and closes; a handler that throws gets the 500 page and closes', async () => {
  const fault = createTestCore(() => ({ kind: 'wsman', status: 400, body: '<Fault/>' }));
  const faultReply = await fault.core.inject(postWsman('<x/>', fault.harness.header({ nonce: fault.harness.nonce() })));
  assert.equal(headerOf(parseReply(text(faultReply.bytes)), 'Connection'), 'close');
  assert.equal(faultReply.closed, true);
  const broken = createTestCore(() => { throw new Error('bug'); });
  const brokenReply = await broken.core.inject(postWsman('<x/>', broken.harness.header({ nonce: broken.harness.nonce() })));
  assert.equal(parseReply(text(brokenReply.bytes)).status, 500);
  assert.equal(brokenReply.closed, true);
});

test('HTTP/1.0 without keep-alive closes after the reply', async () => {
  const { core, harness } = createTestCore(echo());
  const request = postWsman('<x/>', harness.header({ nonce: harness.nonce() })).replace('HTTP/1.1', 'HTTP/1.0');
  const { bytes, closed } = await core.inject(request);
  assert.equal(parseReply(text(bytes)).status, 200);
  assert.equal(closed, true);
});

test('a 401 ends the connection: requests pipelined behind it are not answered', async () => {
  const { core, harness } = createTestCore(echo());
  const nonce = harness.nonce();
  const { bytes } = await core.inject(postWsman('<bad/>', harness.header({ nonce, password: 'x' })) + postWsman('<good/>', harness.header({ nonce, count: 2 })));
  const reply = parseReply(text(bytes));
  assert.equal(reply.status, 401);
  assert.equal(reply.rest, '');
});
