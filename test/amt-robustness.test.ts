// The AMT app under hostile input on a whole engine with its network (random loopback address),
// activated so Digest-authenticated requests reach WS-Man, over real sockets (issue 5 §3):
// seeded fuzz of HTTP on 16992 and of SOAP bodies under a valid login, a smaller sample over TLS on
// 16993 plus broken handshakes, resource abuse (a client that never reads, 150 idle connections
// against the 128 per listener, a slowloris), and bad RMCP datagrams on UDP 623. Every exchange
// ends in AMT replies or a close within a deadline, never a 5xx or a malformed SOAP fault; after
// each test the amt app never restarted, the host name set before is unchanged, the admin still
// gets AMT_GeneralSettings and a presence ping still pongs.
// Another seed: VME_FUZZ_SEED=<n> node --test dist/test/amt-robustness.test.js; the long run: bench/fuzz-amt.ts.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { connect as connectTcp, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { Duplex } from 'node:stream';
import { ACTION, envelope } from '../src/amt/wsman/testing.js';
import { SCHEMA_BASE } from '../src/amt/wsman/index.js';
import { engineFixture } from './support/engine.js';
import { waitUntil } from './support/wait.js';
import { SeededRandom } from './support/random.js';
import { authedPost, exchange, hasReplies, splitReplies, type Exchanged, type WireTarget } from './support/amt-wire.js';
import { datagramCase, isPresencePing, presencePing } from './support/amt-fuzz.js';
import { caseRandom, judgeExchange, runConcurrently, Tally } from './support/amt-fuzz-oracle.js';
import { bootFuzzTarget, checkedSettings, datagrams, FUZZ_HOST_NAME, healthProblems, runFuzzCase, type FuzzTarget, type Surface } from './support/amt-fuzz-target.js';

const SEED = Number(process.env.VME_FUZZ_SEED ?? 0x0a11ce);
const { pool, engines } = engineFixture({ pingTimeoutMs: 2000 });
const DEADLINE_MS = 10_000;
const GET_ROOT = Buffer.from('GET / HTTP/1.1\r\nHost: amt\r\n\r\n');
let target: FuzzTarget;
let address: string;
let HTTP: WireTarget;

const reproduce = (what: string): string => `seed ${SEED} (${what}); rerun with VME_FUZZ_SEED=${SEED}`;

before(async () => {
  target = await bootFuzzTarget({ pool, onEngine: (engine) => engines.push(engine) });
  ({ address, http: HTTP } = target);
  assert.equal(target.settingsBefore.HostName, FUZZ_HOST_NAME);
});

/** The platform after abuse: no app fault or restart, the state intact, the admin served, the ping answered. */
async function assertHealthy(what: string): Promise<void> {
  assert.deepEqual(await healthProblems(target), [], `${what}: ${reproduce(what)}`);
}

/** `count` seeded cases on `surfaces` (by case index), `concurrency` at a time; fails listing violations with the seed. */
async function fuzz(what: string, surfaces: readonly Surface[], count: number, concurrency: number, salt: number): Promise<void> {
  const tally = new Tally();
  await runConcurrently(count, concurrency, async (index) => {
    const surface = surfaces[index % surfaces.length] as Surface;
    const result = await runFuzzCase(target, surface, caseRandom(SEED ^ salt, index), DEADLINE_MS);
    tally.add(index, `${surface} ${result.strategy}`, result.outcome, result.ms);
  });
  const detail = tally.violations.map((v) => `  case ${v.index} [${v.strategy}]: ${v.violation}`).join('\n');
  assert.equal(tally.violationCount, 0, `${what}: ${tally.violationCount} violations, ${reproduce(what)}\n${detail}\n${tally.table()}`);
}

test('the oracle flags what must never happen: a hang, a 5xx, a broken reply, malformed SOAP, InternalError', () => {
  const judged = (text: string, extra: Partial<Exchanged> = {}): string | undefined => judgeExchange({ bytes: Buffer.from(text), closed: true, secure: false, timedOut: false, ms: 1, ...extra }).violation;
  const soap = (status: number, body: string): string => `HTTP/1.1 ${status} X\r\nContent-Type: application/soap+xml; charset=UTF-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
  const fault = (subcode: string): string => `<a:Envelope xmlns:a="http://www.w3.org/2003/05/soap-envelope"><a:Header/><a:Body><a:Fault><a:Code><a:Value>a:Sender</a:Value><a:Subcode><a:Value>${subcode}</a:Value></a:Subcode></a:Code><a:Reason><a:Text>r</a:Text></a:Reason></a:Fault></a:Body></a:Envelope>`;
  assert.equal(judged(''), undefined);
  assert.equal(judged(soap(400, fault('e:SchemaValidationError'))), undefined);
  assert.match(judged('', { timedOut: true, closed: false }) ?? '', /no close/);
  assert.match(judged('HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n') ?? '', /500/);
  assert.match(judged('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc') ?? '', /incomplete body/);
  assert.match(judged(soap(400, '<a:Envelope xmlns:a="http://www.w3.org/2003/05/soap-envelope"><a:Body>')) ?? '', /not well-formed/);
  assert.match(judged(soap(400, fault('e:InternalError'))) ?? '', /InternalError/);
});

test('fuzzed HTTP to 16992: every connection gets AMT replies or is closed within the deadline, never a 5xx', async () => {
  await fuzz('http', ['http'], 240, 4, 0);
  await assertHealthy('after the HTTP fuzz');
});

test('fuzzed SOAP under a valid Digest login: a reply or a well-formed SOAP fault, never InternalError', async () => {
  await fuzz('soap', ['soap'], 240, 4, 0x50a9);
  await assertHealthy('after the SOAP fuzz');
});

/** The first flight of a TLS client (its ClientHello), captured without a network. */
function clientHello(): Promise<Buffer> {
  return new Promise((resolve) => {
    const wire = new Duplex({
      read: () => undefined,
      write(chunk: Buffer, _encoding, callback) {
        resolve(Buffer.from(chunk));
        callback();
        setImmediate(() => wire.destroy());
      },
    });
    connectTls({ socket: wire, rejectUnauthorized: false }).on('error', () => undefined);
  });
}

/** A TLS session to 16993 over a raw socket; once secure, `garbage` goes to the raw socket (not through TLS). */
function garbageAfterHandshake(garbage: Buffer): Promise<{ secure: boolean; closed: boolean }> {
  return new Promise((resolve) => {
    const raw = connectTcp({ host: address, port: 16993 });
    let secure = false;
    const timer = setTimeout(() => done(false), DEADLINE_MS);
    const done = (closed: boolean): void => {
      clearTimeout(timer);
      raw.destroy();
      resolve({ secure, closed });
    };
    const session = connectTls({ socket: raw, rejectUnauthorized: false }, () => {
      secure = true;
      raw.write(garbage);
    });
    session.on('error', () => undefined);
    raw.on('error', () => undefined);
    raw.on('close', () => done(true));
  });
}

/** Renegotiates a TLS 1.2 session until the server closes it; resolves with the renegotiations that completed. */
function renegotiateUntilClosed(): Promise<number> {
  return new Promise((resolve, reject) => {
    const session = connectTls({ host: address, port: 16993, rejectUnauthorized: false, maxVersion: 'TLSv1.2' }, () => void again());
    let completed = 0;
    const timer = setTimeout(() => {
      session.destroy();
      reject(new Error(`still open after ${completed} renegotiations`));
    }, DEADLINE_MS);
    session.on('error', () => undefined);
    session.once('close', () => {
      clearTimeout(timer);
      resolve(completed);
    });
    const again = async (): Promise<void> => {
      while (!session.destroyed && completed < 20) {
        const ok = await new Promise<boolean>((done) => {
          session.once('close', () => done(false));
          if (!session.renegotiate({ rejectUnauthorized: false }, (error) => done(error === null))) done(false);
        });
        if (ok) completed += 1;
      }
    };
  });
}

test('TLS on 16993: garbage, truncated handshakes and renegotiation floods are closed; fuzzed HTTP and SOAP inside TLS as on 16992', async () => {
  const random = new SeededRandom(SEED ^ 0x7150);
  const hello = await clientHello();
  const raw: WireTarget = { host: address, port: 16993 };
  const handshakes: [string, Buffer[]][] = [
    ['garbage instead of a ClientHello', [Buffer.from(Array.from({ length: 300 }, () => random.int(256)))]],
    ['HTTP instead of TLS', [Buffer.from('GET / HTTP/1.1\r\nHost: amt\r\n\r\n')]],
    ...[5, 20, 60, hello.length - 1].map((cut): [string, Buffer[]] => [`ClientHello cut at ${cut}`, [hello.subarray(0, cut)]]),
    ['ClientHello then garbage', [hello, Buffer.alloc(2000, 0x41)]],
    ['a record header claiming 16 MiB', [Buffer.from([0x16, 0x03, 0x03, 0xff, 0xff])]],
  ];
  for (const [what, pieces] of handshakes) {
    const result = await exchange(raw, { pieces, deadlineMs: DEADLINE_MS });
    assert.ok(result.closed, `${what}: closed within ${DEADLINE_MS} ms`);
    assert.doesNotMatch(result.bytes.toString('latin1'), /^HTTP/, `${what}: no HTTP before TLS`);
  }
  assert.ok(await renegotiateUntilClosed() <= 3, 'client-initiated renegotiation is cut off (node:tls allows 3 per 10 minutes)');
  for (const garbage of [Buffer.alloc(100, 0), Buffer.from([0x17, 0x03, 0x03, 0x00, 0x10, ...Array.from({ length: 16 }, () => random.int(256))])]) {
    assert.deepEqual(await garbageAfterHandshake(garbage), { secure: true, closed: true }, 'garbage records after the handshake: closed');
  }

  await fuzz('tls', ['tls-http', 'tls-soap'], 60, 3, 0x7153);
  await assertHealthy('after the TLS fuzz');
});

test('a client that never reads its replies is capped by the kernel while others are served', async () => {
  // Each Get's reply echoes its 60 000-character MessageID as RelatesTo: ≈ 62 KB per request.
  const big = (): Buffer => authedPost(target.login.current, Buffer.from(envelope({ action: ACTION.get, resourceUri: `${SCHEMA_BASE.AMT}AMT_GeneralSettings`, messageId: 'm'.repeat(60_000) })));
  const greedy = connectTcp({ host: address, port: 16992 });
  greedy.pause();
  let error: string | undefined;
  greedy.on('error', (e: Error) => (error ??= e.message));
  try {
    await new Promise((resolve) => greedy.once('connect', resolve));
    const capped = (): number => target.engine.counters['net.net-capped'] ?? 0;
    let sent = 0;
    let meanwhile: Promise<unknown> = Promise.resolve();
    for (; sent < 400 && capped() === 0 && !greedy.destroyed; sent++) {
      greedy.write(big());
      if (sent === 20) meanwhile = checkedSettings(address);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    assert.deepEqual(await meanwhile, target.settingsBefore, 'the admin is served while the greedy client piles up replies');
    await waitUntil(() => capped() === 1, `the kernel to cap the connection that does not read (${sent} requests sent, ${error ?? 'no error'})`, 20_000);
    const event = target.engine.trace.events('net').find((e) => e.kind === 'net-capped');
    assert.ok(event?.kind === 'net-capped' && event.port === 16992 && event.queuedBytes > 4 * 1024 * 1024, JSON.stringify(event));
  } finally {
    greedy.destroy();
  }

  // 500 pipelined requests in one write: those over 16 waiting get AMT's 400 page and a close (if
  // they arrive faster than they are answered, as on loopback), never an unbounded queue.
  const flood = await exchange(HTTP, { pieces: [Buffer.from(GET_ROOT.toString().repeat(500))], deadlineMs: DEADLINE_MS });
  const statuses = splitReplies(flood.bytes).replies.map((r) => r.status);
  const capped = statuses.at(-1) === 400 && statuses.length < 500;
  assert.ok(flood.closed && (capped || statuses.length === 500) && statuses.slice(0, capped ? -1 : undefined).every((s) => s === 303), statuses.join(' '));
  await assertHealthy('after a client that never reads');
});

/**
 * With 150 connections opened: those over the 128 per listener were refused (closed at once; a
 * connection of an earlier test the server has not yet seen close may still count), the admitted
 * ones stay, and one more is closed without a reply.
 */
async function overTheLimit(sockets: readonly Socket[], refusedBefore: number): Promise<void> {
  const refused = (): number => (target.engine.counters['net.net-refused'] ?? 0) - refusedBefore;
  await waitUntil(() => refused() >= 22, '22 connections refused over the limit', 10_000);
  await waitUntil(() => sockets.filter((s) => s.closed).length >= refused(), 'the refused sockets to close', 10_000);
  const late = await exchange(HTTP, { pieces: [GET_ROOT], halfClose: false, deadlineMs: DEADLINE_MS });
  assert.deepEqual([late.closed, late.bytes.length], [true, 0], 'a connection over the limit is closed without a reply');
  const open = sockets.filter((s) => !s.closed).length;
  assert.ok(open <= 128 && open >= 120 && open + refused() - 1 === 150, `${open} admitted stay open, ${refused()} refused (one of them the late one)`);
}

test('150 idle connections: those over the 128 per listener are closed at once, service comes back when they go', async () => {
  const refusedBefore = target.engine.counters['net.net-refused'] ?? 0;
  const sockets = await Promise.all(Array.from({ length: 150 }, () => new Promise<Socket>((resolve) => {
    const socket = connectTcp({ host: address, port: 16992 }, () => resolve(socket));
    socket.on('error', () => resolve(socket));
  })));
  try {
    await overTheLimit(sockets, refusedBefore);
  } finally {
    for (const socket of sockets) socket.destroy();
  }
  let served = false;
  const deadline = Date.now() + 10_000;
  while (!served && Date.now() < deadline) {
    const reply = await exchange(HTTP, { pieces: [GET_ROOT], halfClose: false, until: hasReplies(1), deadlineMs: 2000 });
    served = splitReplies(reply.bytes).replies[0]?.status === 303;
  }
  assert.ok(served, 'served again once the idle connections closed');
  await assertHealthy('after 150 idle connections');
});

test('a slowloris (one header byte per 100 ms) does not keep others from being served', async () => {
  const request = Buffer.from('GET / HTTP/1.1\r\nHost: amt\r\nX-Slow: ' + 'z'.repeat(4) + '\r\n\r\n');
  const socket = connectTcp({ host: address, port: 16992 });
  socket.on('error', () => undefined);
  await new Promise((resolve) => socket.once('connect', resolve));
  let answered = 0;
  for (const byte of request) {
    socket.write(Uint8Array.of(byte));
    await new Promise((resolve) => setTimeout(resolve, 100));
    if (answered < 3 && (await checkedSettings(address)).HostName === FUZZ_HOST_NAME) answered += 1;
  }
  const reply = await new Promise<Buffer>((resolve) => {
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      if (hasReplies(1)(Buffer.concat(chunks))) resolve(Buffer.concat(chunks));
    });
  });
  socket.destroy();
  assert.equal(answered, 3, 'the admin was served meanwhile');
  assert.equal(splitReplies(reply).replies[0]?.status, 303, 'the slow request is answered when complete');
  await assertHealthy('after a slowloris');
});
// The slowloris cut-off itself (requestTimeoutMs from a request's first byte) is tested on the shared adapter in src/amt/http/server-timeouts.test.ts; the app uses that adapter with the default 20 s.

test('UDP 623: bad RMCP gets no reply and breaks nothing; a valid ping still pongs', async () => {
  const random = new SeededRandom(SEED ^ 0x0623);
  const cases = Array.from({ length: 300 }, (_, i) => datagramCase(random, i & 0xff, 0x80 | (i >> 8)));
  const pongs = await datagrams(address, cases.map((c) => c.bytes), 1500);
  const valid = cases.filter((c) => isPresencePing(c.bytes));
  const answerable = new Set(valid.map((c) => `${c.bytes[2]}/${c.bytes[9]}`));
  for (const pong of pongs) {
    assert.equal(pong.length, 28, 'a pong');
    assert.ok(answerable.has(`${pong[2]}/${pong[9]}`), `a pong (seq ${pong[2]}, tag ${pong[9]}) answers a datagram that was not a presence ping (${reproduce('udp')})`);
  }
  assert.ok(pongs.length <= valid.length && (valid.length === 0 || pongs.length > 0), `${pongs.length} pongs for ${valid.length} presence pings among the garbage`);
  const pong = await datagrams(address, [presencePing(0x99, 0x01)], 3000, 1);
  assert.deepEqual(pong.map((p) => [p.length, p[2], p[9]]), [[28, 0x99, 0x01]]);
  await assertHealthy('after the datagrams');
});
