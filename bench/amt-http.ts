/**
 * AMT web server throughput: authenticated WS-Man POSTs (Digest computed client-side, one nonce
 * per keep-alive connection with nc counting up) at 1, 16 and 64 connections through
 * listenAmtHttp, against a bare node:http server returning the same AMT_GeneralSettings bytes in
 * the same run; then TLS handshakes/s against a bare node:tls server with the same options.
 *   node dist/bench/amt-http.js [--seconds N]
 */
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { DigestAuthenticator, createUserTable } from '../src/amt/auth/index.js';
import { listenAmtHttp } from '../src/amt/http/index.js';
import { TlsSettings, generateDeviceCertificate } from '../src/amt/tls/index.js';
import { LOAD_TABLE_HEAD, handshakesPerSecond, loadRow, runLoad, type LoadTarget } from './lib/http-load.js';

const seconds = Number(process.argv[process.argv.indexOf('--seconds') + 1]) || 3;
const fixture = new URL('../../../shared/fixtures/amt-responses/amt/general/get.xml', import.meta.url);
const body = readFileSync(fixture, 'utf8').replace(/>\s+</g, '><').trim();
const REALM = 'Digest:62FFAC181B3F3457C5B3894ED21F3E6E';
const PASSWORD = 'Bench-P@ss1';
const REQUEST_BODY = '<Envelope><Header><Action>http://schemas.xmlsoap.org/ws/2004/09/transfer/Get</Action></Header><Body/></Envelope>';

const auth = new DigestAuthenticator({ realm: REALM, users: createUserTable([{ user: 'admin', passwordOrHA1: { password: PASSWORD }, realms: ['PT Administration'] }]), lockout: { threshold: 1e9, firstLockMs: 1, maxLockMs: 1, resetAfterMs: 1 } });
const credential = await generateDeviceCertificate();
const settings = new TlsSettings({ credential });
const amt = await listenAmtHttp({ host: '127.0.0.1', httpPort: 0, tlsPort: 0, tls: settings, auth, handler: () => ({ kind: 'wsman', status: 200, body }) });
const bare = createHttpServer({ keepAlive: true }, (_request, response) => {
  _request.resume();
  _request.on('end', () => {
    response.writeHead(200, { 'Content-Type': 'application/soap+xml; charset=UTF-8' });
    response.end(body);
  });
});
await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
const barePort = (bare.address() as AddressInfo).port;
const bareTls = createTlsServer({ ...settings.active.serverOptions }, (socket) => socket.end());
await new Promise<void>((resolve) => bareTls.listen(0, '127.0.0.1', resolve));

const ours: LoadTarget = { host: '127.0.0.1', port: amt.http.port, body: REQUEST_BODY, digest: { user: 'admin', password: PASSWORD } };
const baselineTarget: LoadTarget = { host: '127.0.0.1', port: barePort, body: REQUEST_BODY };
console.log(`body: AMT_GeneralSettings Get reply, ${Buffer.byteLength(body)} bytes (one line); ${seconds} s per run; Node ${process.version}\n`);
await runLoad('warm-up', baselineTarget, 4, 0.5);
await runLoad('warm-up', ours, 4, 0.5);
console.log(LOAD_TABLE_HEAD);
for (const connections of [1, 16, 64]) {
  const baseline = await runLoad('bare node:http (no auth)', baselineTarget, connections, seconds);
  const row = await runLoad('vme AMT (Digest, chunked)', ours, connections, seconds);
  console.log(loadRow(baseline, baseline));
  console.log(loadRow(row, baseline));
}
const bareHandshakes = await handshakesPerSecond('127.0.0.1', (bareTls.address() as AddressInfo).port, seconds);
const ourHandshakes = await handshakesPerSecond('127.0.0.1', amt.tls?.port ?? 0, seconds);
console.log('\n| TLS server (RSA-2048, default profile) | handshakes/s | ÷ bare node:tls |');
console.log('|---|---|---|');
console.log(`| bare node:tls | ${bareHandshakes.toFixed(0)} | 1.00 |`);
console.log(`| vme AMT TLS port | ${ourHandshakes.toFixed(0)} | ${(ourHandshakes / bareHandshakes).toFixed(2)} |`);
await amt.close();
bare.closeAllConnections();
await new Promise((resolve) => bare.close(resolve));
await new Promise((resolve) => bareTls.close(resolve));
