/**
 * AMT web server throughput: authenticated WS-Man POSTs (Digest computed client-side, one nonce
 * per keep-alive connection with nc counting up) at 1, 16 and 64 connections through
 * listenAmtHttp, against a bare node:http server returning the same AMT_GeneralSettings bytes in
 * the same run; then TLS handshakes/s against a bare node:tls server with the same options.
 *   node dist/bench/amt-http.js [--seconds N]
 */
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { connect as connectTcp, type AddressInfo, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { connect as connectTls, createServer as createTlsServer } from 'node:tls';
import { DigestAuthenticator, createUserTable } from '../src/amt/auth/index.js';
import { parseChallenge, renderAuthorization } from '../src/amt/auth/digest-client.js';
import { listenAmtHttp } from '../src/amt/http/index.js';
import { TlsSettings, generateDeviceCertificate } from '../src/amt/tls/index.js';

const seconds = Number(process.argv[process.argv.indexOf('--seconds') + 1]) || 3;
const fixture = new URL('../../../shared/fixtures/amt-responses/amt/general/get.xml', import.meta.url);
const body = readFileSync(fixture, 'utf8').replace(/>\s+</g, '><').trim();
const REALM = 'Digest:62FFAC181B3F3457C5B3894ED21F3E6E';
const PASSWORD = 'Bench-P@ss1';
const REQUEST_BODY = '<Envelope><Header><Action>http://schemas.xmlsoap.org/ws/2004/09/transfer/Get</Action></Header><Body/></Envelope>';

interface RunResult { readonly name: string; readonly connections: number; readonly requests: number; readonly perSecond: number; readonly p50Ms: number; readonly p99Ms: number }

/** Reads one HTTP reply (chunked or Content-Length) from a socket; resolves with its head. */
class ReplyReader {
  #buffer = '';
  #waiting: ((head: string) => void) | undefined;
  constructor(socket: Socket) {
    socket.setEncoding('latin1');
    socket.on('data', (text: string) => {
      this.#buffer += text;
      this.#tryComplete();
    });
  }
  next(): Promise<string> {
    return new Promise((resolve) => {
      this.#waiting = resolve;
      this.#tryComplete();
    });
  }
  #tryComplete(): void {
    const headEnd = this.#buffer.indexOf('\r\n\r\n');
    if (this.#waiting === undefined || headEnd < 0) return;
    const head = this.#buffer.slice(0, headEnd);
    const length = /content-length: *(\d+)/i.exec(head);
    let end: number;
    if (length) end = headEnd + 4 + Number(length[1]);
    else {
      const terminator = this.#buffer.indexOf('\r\n0\r\n\r\n', headEnd);
      end = terminator < 0 ? -1 : terminator + 7;
    }
    if (end < 0 || this.#buffer.length < end) return;
    this.#buffer = this.#buffer.slice(end);
    const resolve = this.#waiting;
    this.#waiting = undefined;
    resolve(head);
  }
}

function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connectTcp({ host: '127.0.0.1', port }, () => resolve(socket));
    socket.setNoDelay(true);
    socket.once('error', reject);
  });
}

const request = (authorization?: string): string =>
  `POST /wsman HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/soap+xml; charset=utf-8\r\n${authorization ? `Authorization: ${authorization}\r\n` : ''}Content-Length: ${REQUEST_BODY.length}\r\n\r\n${REQUEST_BODY}`;

/** One keep-alive client loop until `deadline`; returns per-request latencies (ms). */
async function clientLoop(port: number, digest: boolean, deadline: number): Promise<number[]> {
  let nonce = '';
  if (digest) {
    const probe = await open(port);
    const reader = new ReplyReader(probe);
    probe.write(request());
    nonce = parseChallenge(/WWW-Authenticate: (.*)/.exec(await reader.next())?.[1] ?? '').nonce;
    probe.destroy();
  }
  const socket = await open(port);
  const reader = new ReplyReader(socket);
  const latencies: number[] = [];
  for (let count = 1; performance.now() < deadline; count++) {
    const started = performance.now();
    socket.write(request(digest ? renderAuthorization({ user: 'admin', password: PASSWORD, realm: REALM, nonce, method: 'POST', uri: '/wsman', nonceCount: count, style: 'meshcommander' }) : undefined));
    const head = await reader.next();
    if (!head.startsWith('HTTP/1.1 200')) throw new Error(`unexpected reply: ${head.split('\r\n')[0]}`);
    latencies.push(performance.now() - started);
  }
  socket.destroy();
  return latencies;
}

async function run(name: string, port: number, digest: boolean, connections: number, runSeconds = seconds): Promise<RunResult> {
  const started = performance.now();
  const deadline = started + runSeconds * 1000;
  const all = (await Promise.all(Array.from({ length: connections }, () => clientLoop(port, digest, deadline)))).flat().sort((a, b) => a - b);
  const elapsed = (performance.now() - started) / 1000;
  const at = (q: number): number => all[Math.min(all.length - 1, Math.floor(q * all.length))] ?? NaN;
  return { name, connections, requests: all.length, perSecond: all.length / elapsed, p50Ms: at(0.5), p99Ms: at(0.99) };
}

async function handshakesPerSecond(port: number, parallel = 4): Promise<number> {
  const deadline = performance.now() + seconds * 1000;
  let count = 0;
  const loop = async (): Promise<void> => {
    while (performance.now() < deadline) {
      await new Promise<void>((resolve, reject) => {
        const socket = connectTls({ host: '127.0.0.1', port, rejectUnauthorized: false }, () => {
          count += 1;
          socket.destroy();
          resolve();
        });
        socket.once('error', reject);
      });
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: parallel }, loop));
  return count / ((performance.now() - started) / 1000);
}

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

console.log(`body: AMT_GeneralSettings Get reply, ${Buffer.byteLength(body)} bytes (one line); ${seconds} s per run; Node ${process.version}\n`);
await run('warm-up', barePort, false, 4, 0.5);
await run('warm-up', amt.http.port, true, 4, 0.5);
console.log('| server | connections | requests | req/s | p50 ms | p99 ms | req/s ÷ bare node:http |');
console.log('|---|---|---|---|---|---|---|');
for (const connections of [1, 16, 64]) {
  const baseline = await run('bare node:http (no auth)', barePort, false, connections);
  const ours = await run('vme AMT (Digest, chunked)', amt.http.port, true, connections);
  for (const row of [baseline, ours]) {
    console.log(`| ${row.name} | ${row.connections} | ${row.requests} | ${row.perSecond.toFixed(0)} | ${row.p50Ms.toFixed(3)} | ${row.p99Ms.toFixed(3)} | ${(row.perSecond / baseline.perSecond).toFixed(2)} |`);
  }
}
const bareHandshakes = await handshakesPerSecond((bareTls.address() as AddressInfo).port);
const ourHandshakes = await handshakesPerSecond(amt.tls?.port ?? 0);
console.log('\n| TLS server (RSA-2048, default profile) | handshakes/s | ÷ bare node:tls |');
console.log('|---|---|---|');
console.log(`| bare node:tls | ${bareHandshakes.toFixed(0)} | 1.00 |`);
console.log(`| vme AMT TLS port | ${ourHandshakes.toFixed(0)} | ${(ourHandshakes / bareHandshakes).toFixed(2)} |`);
await amt.close();
bare.closeAllConnections();
await new Promise((resolve) => bare.close(resolve));
await new Promise((resolve) => bareTls.close(resolve));
