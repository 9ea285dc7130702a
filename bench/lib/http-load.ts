/**
 * Load-generator pieces shared by the AMT web-server benchmarks (bench/amt-http.ts,
 * bench/amt-wsman.ts): a raw keep-alive HTTP/1.1 client that reads replies with Content-Length or
 * chunked bodies, Digest as MeshCommander does it (one 401 per connection for the nonce, then nc
 * counting up on that nonce), N parallel connection loops with p50/p99 latency, TLS handshakes/s,
 * and the Markdown rows both benchmarks print.
 */
import { connect as connectTcp, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { connect as connectTls } from 'node:tls';
import { parseChallenge, renderAuthorization } from '../../src/amt/auth/digest-client.js';

/** One HTTP reply: the head (status line and headers) and the body (de-chunked), as latin1 text. */
export interface Reply {
  readonly head: string;
  readonly body: string;
}

/** Where to send requests and how: `digest` absent means no Authorization header. */
export interface LoadTarget {
  readonly host: string;
  readonly port: number;
  /** The POST body (a WS-Man envelope). */
  readonly body: string;
  readonly digest?: { readonly user: string; readonly password: string };
}

export interface LoadResult {
  readonly name: string;
  readonly connections: number;
  readonly requests: number;
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

/** Reads HTTP replies (Content-Length or chunked) from a socket in order; rejects once the socket closes or fails. */
export class ReplyReader {
  #buffer = '';
  #waiting: { resolve: (reply: Reply) => void; reject: (error: Error) => void } | undefined;
  #failure: Error | undefined;
  constructor(socket: Socket) {
    socket.setEncoding('latin1');
    socket.on('data', (text: string) => {
      this.#buffer += text;
      this.#tryComplete();
    });
    const fail = (error?: Error): void => {
      this.#failure ??= error ?? new Error('the server closed the connection');
      this.#waiting?.reject(this.#failure);
      this.#waiting = undefined;
    };
    socket.on('error', fail);
    socket.on('close', () => fail());
  }

  next(): Promise<Reply> {
    return new Promise((resolve, reject) => {
      this.#waiting = { resolve, reject };
      this.#tryComplete();
      if (this.#waiting !== undefined && this.#failure !== undefined) reject(this.#failure);
    });
  }

  #tryComplete(): void {
    const headEnd = this.#buffer.indexOf('\r\n\r\n');
    if (this.#waiting === undefined || headEnd < 0) return;
    const head = this.#buffer.slice(0, headEnd);
    const length = /content-length: *(\d+)/i.exec(head);
    let end: number;
    if (length) end = headEnd + 4 + Number(length[1]);
    else if (/transfer-encoding: *chunked/i.test(head)) {
      const terminator = this.#buffer.indexOf('\r\n0\r\n\r\n', headEnd);
      end = terminator < 0 ? (this.#buffer.startsWith('0\r\n\r\n', headEnd + 4) ? headEnd + 9 : -1) : terminator + 7;
    } else end = headEnd + 4; // no body (e.g. a 401 that closes)
    if (end < 0 || this.#buffer.length < end) return;
    const raw = this.#buffer.slice(headEnd + 4, end);
    this.#buffer = this.#buffer.slice(end);
    const waiting = this.#waiting;
    this.#waiting = undefined;
    waiting.resolve({ head, body: length ? raw : dechunk(raw) });
  }
}

/** The payload of a complete chunked body. */
export function dechunk(raw: string): string {
  let body = '';
  for (let at = 0; at < raw.length;) {
    const lineEnd = raw.indexOf('\r\n', at);
    const size = parseInt(raw.slice(at, lineEnd), 16);
    if (!(size > 0)) break;
    body += raw.slice(lineEnd + 2, lineEnd + 2 + size);
    at = lineEnd + 2 + size + 2;
  }
  return body;
}

/** A connected TCP socket with Nagle off. */
export function openSocket(host: string, port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connectTcp({ host, port }, () => resolve(socket));
    socket.setNoDelay(true);
    socket.once('error', reject);
  });
}

/** A `POST /wsman` request as text. */
export const wsmanPost = (host: string, body: string, authorization?: string): string =>
  `POST /wsman HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/soap+xml; charset=utf-8\r\n${authorization ? `Authorization: ${authorization}\r\n` : ''}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;

/** MeshCommander-style Digest: realm and nonce from one 401 on its own connection, then nc 1, 2, 3... */
async function challenge(target: LoadTarget): Promise<{ realm: string; nonce: string }> {
  const probe = await openSocket(target.host, target.port);
  try {
    const reader = new ReplyReader(probe);
    probe.write(wsmanPost(target.host, target.body));
    const { head } = await reader.next();
    const header = /WWW-Authenticate: (.*)/i.exec(head)?.[1];
    if (header === undefined) throw new Error(`no Digest challenge: ${head.split('\r\n')[0] ?? ''}`);
    return parseChallenge(header);
  } finally {
    probe.destroy();
  }
}

/** Sends one request on a fresh keep-alive connection (Digest if asked) and returns the 200 reply. */
export async function fetchOnce(target: LoadTarget): Promise<Reply> {
  let last: Reply | undefined;
  await clientLoop(target, 0, (reply) => {
    last = reply;
  });
  if (last === undefined) throw new Error('no reply');
  return last;
}

/**
 * One keep-alive connection sending requests back to back until `deadline` (performance.now() ms;
 * at least one request); returns per-request latencies in ms. A non-200 reply throws.
 */
export async function clientLoop(target: LoadTarget, deadline: number, onReply?: (reply: Reply) => void): Promise<number[]> {
  const { digest } = target;
  const nonce = digest ? await challenge(target) : undefined;
  const socket = await openSocket(target.host, target.port);
  const reader = new ReplyReader(socket);
  const latencies: number[] = [];
  try {
    for (let count = 1; count === 1 || performance.now() < deadline; count++) {
      const started = performance.now();
      const authorization = digest && nonce
        ? renderAuthorization({ user: digest.user, password: digest.password, realm: nonce.realm, nonce: nonce.nonce, method: 'POST', uri: '/wsman', nonceCount: count, style: 'meshcommander' })
        : undefined;
      socket.write(wsmanPost(target.host, target.body, authorization));
      const reply = await reader.next();
      if (!reply.head.startsWith('HTTP/1.1 200')) throw new Error(`unexpected reply: ${reply.head.split('\r\n')[0] ?? ''}`);
      latencies.push(performance.now() - started);
      onReply?.(reply);
    }
  } finally {
    socket.destroy();
  }
  return latencies;
}

/** `connections` parallel client loops for `seconds`; throughput and latency percentiles. */
export async function runLoad(name: string, target: LoadTarget, connections: number, seconds: number): Promise<LoadResult> {
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const all = (await Promise.all(Array.from({ length: connections }, () => clientLoop(target, deadline)))).flat().sort((a, b) => a - b);
  const elapsed = (performance.now() - started) / 1000;
  const at = (q: number): number => all[Math.min(all.length - 1, Math.floor(q * all.length))] ?? NaN;
  return { name, connections, requests: all.length, perSecond: all.length / elapsed, p50Ms: at(0.5), p99Ms: at(0.99) };
}

/**
 * Full TLS handshakes per second from `parallel` clients for `seconds`. Each connection is ended
 * politely once secure (the client's Finished reaches the server, so the server completes the
 * handshake too) and the next starts when it has closed.
 */
export async function handshakesPerSecond(host: string, port: number, seconds: number, parallel = 4): Promise<number> {
  const deadline = performance.now() + seconds * 1000;
  let count = 0;
  const loop = async (): Promise<void> => {
    while (performance.now() < deadline) {
      await new Promise<void>((resolve, reject) => {
        const socket = connectTls({ host, port, rejectUnauthorized: false }, () => {
          count += 1;
          socket.end();
        });
        socket.on('data', () => undefined); // session tickets
        socket.once('error', reject);
        socket.once('close', () => resolve());
      });
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: parallel }, loop));
  return count / ((performance.now() - started) / 1000);
}

export const LOAD_TABLE_HEAD = '| server | connections | requests | req/s | p50 ms | p99 ms | req/s ÷ bare node:http |\n|---|---|---|---|---|---|---|';

/** One Markdown row of a load result, with its throughput relative to `baseline`. */
export const loadRow = (row: LoadResult, baseline: LoadResult): string =>
  `| ${row.name} | ${row.connections} | ${row.requests} | ${row.perSecond.toFixed(0)} | ${row.p50Ms.toFixed(3)} | ${row.p99Ms.toFixed(3)} | ${(row.perSecond / baseline.perSecond).toFixed(2)} |`;
