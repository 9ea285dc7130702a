// A real peer: Debian curl --digest against the socket adapter on 127.0.0.1 (HTTP, and TLS with -k).
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { listenAmtHttp, type AmtHttpListener } from './server.js';
import type { AmtRequest } from './handler.js';
import { createTestAuth, TEST_PASSWORD } from '../auth/testing.js';
import { runPeer } from '../peer-process.js';
import { generateDeviceCertificate, TlsSettings } from '../tls/index.js';
import type { SecurityEvent } from '../auth/index.js';

const seen: AmtRequest[] = [];
let listener: AmtHttpListener;
let events: SecurityEvent[];

before(async () => {
  const harness = createTestAuth({ clock: Date.now });
  events = harness.events;
  const tls = new TlsSettings({ credential: await generateDeviceCertificate() });
  listener = await listenAmtHttp({
    host: '127.0.0.1', httpPort: 0, tlsPort: 0, tls, auth: harness.auth,
    handler: (request) => {
      seen.push(request);
      return { kind: 'wsman', status: 200, body: `<r user="${request.principal.user}">${Buffer.from(request.body).toString()}</r>` };
    },
  });
});
after(() => listener.close());

const curl = (url: string, user: string, extra: readonly string[] = []): ReturnType<typeof runPeer> =>
  runPeer('curl', ['-sS', '-i', '--digest', '-u', user, '-H', 'Content-Type: application/soap+xml; charset=utf-8', '--data-binary', '<Envelope/>', ...extra, url]);

test('curl --digest logs in over HTTP: 401 then 200 chunked with the handler body and principal', async () => {
  const result = await curl(`http://127.0.0.1:${listener.http.port}/wsman`, `admin:${TEST_PASSWORD}`);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /^HTTP\/1\.1 401 Unauthorized\r\nWWW-Authenticate: Digest realm="Digest:[0-9A-F]{32}", nonce="[^"]{32}",stale="false",qop="auth"\r\n/);
  assert.match(result.stdout, /HTTP\/1\.1 200 OK\r\nDate: .+ GMT\r\nServer: Intel\(R\) Active Management Technology 16\.1\.27\.2225\r\nX-Frame-Options: DENY\r\nContent-Type: application\/soap\+xml; charset=UTF-8\r\nTransfer-Encoding: chunked\r\n\r\n/);
  assert.ok(result.stdout.endsWith('<r user="admin"><Envelope/></r>'), result.stdout.slice(-80));
  const request = seen.find((r) => r.transport === 'http');
  assert.equal(request?.path, '/wsman');
  assert.equal(request?.remote.address, '127.0.0.1');
});

test('curl with a wrong password gets 401 twice and a login-failed event', async () => {
  const before = events.filter((e) => e.kind === 'login-failed').length;
  const result = await curl(`http://127.0.0.1:${listener.http.port}/wsman`, 'admin:wrong', ['-o', '/dev/null', '-w', '%{http_code}']);
  assert.equal(result.stdout, '401');
  assert.equal(events.filter((e) => e.kind === 'login-failed').length, before + 1);
});

test('curl -k --digest logs in over TLS; the handler sees transport "tls"', async () => {
  const result = await curl(`https://127.0.0.1:${listener.tls?.port ?? 0}/wsman`, `admin:${TEST_PASSWORD}`, ['-k']);
  assert.equal(result.code, 0, result.stderr);
  assert.ok(result.stdout.endsWith('<r user="admin"><Envelope/></r>'));
  assert.ok(seen.some((r) => r.transport === 'tls'));
});

test('curl GET / reads the Server header from the 303 (as MeshCentral\'s scanner does)', async () => {
  const result = await runPeer('curl', ['-sS', '-i', `http://127.0.0.1:${listener.http.port}/`]);
  assert.match(result.stdout, /^HTTP\/1\.1 303 See Other\r\nLocation: \/logon\.htm\r\nContent-Length: 0\r\nServer: Intel\(R\) Active Management Technology 16\.1\.27\.2225\r\n/);
});
