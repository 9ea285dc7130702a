/**
 * Raw bytes to a running AMT web server, for robustness tests and the AMT fuzz bench: one exchange
 * per connection over TCP or TLS (write the pieces, half-close, collect until the server closes or a
 * deadline passes), a tolerant splitter for the HTTP replies received, and a Digest authorizer that
 * answers one challenge with counting nonce-counts (the Authorization header depends on method and
 * URI only, qop=auth, so any body can be sent under it).
 */
import { connect as connectTcp, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { randomBytes } from 'node:crypto';
import { parseChallenge, renderAuthorization } from '../../src/amt/auth/digest-client.js';

export interface WireTarget {
  readonly host: string;
  readonly port: number;
  readonly tls?: boolean;
}

export interface Exchanged {
  /** Everything the server sent (decrypted for TLS). */
  readonly bytes: Buffer;
  /** The server closed (FIN or reset) before the deadline. */
  readonly closed: boolean;
  /** The TLS handshake completed (TLS only). */
  readonly secure: boolean;
  readonly timedOut: boolean;
  readonly error?: string;
  readonly ms: number;
}

export interface ExchangeOptions {
  /** Written one after another, each on its own turn of the event loop. */
  readonly pieces: readonly Uint8Array[];
  /** Half-close after the last piece (default true): the server answers what it got, then closes. */
  readonly halfClose?: boolean;
  /** Stop waiting (and destroy) once the received bytes satisfy this. */
  readonly until?: (received: Buffer) => boolean;
  readonly deadlineMs?: number;
}

/** One connection: writes, then waits for the server to close (or `until`, or the deadline). */
export function exchange(target: WireTarget, options: ExchangeOptions): Promise<Exchanged> {
  const started = performance.now();
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let secure = false;
    let error: string | undefined;
    let settled = false;
    const socket: Socket = target.tls
      ? connectTls({ host: target.host, port: target.port, rejectUnauthorized: false }, () => { secure = true; void send(); })
      : connectTcp({ host: target.host, port: target.port }, () => void send());
    const finish = (closed: boolean, timedOut: boolean): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ bytes: Buffer.concat(chunks), closed, secure, timedOut, ms: performance.now() - started, ...(error !== undefined ? { error } : {}) });
    };
    const timer = setTimeout(() => finish(false, true), options.deadlineMs ?? 10_000);
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      if (options.until?.(Buffer.concat(chunks)) === true) finish(false, false);
    });
    socket.on('error', (e: Error) => (error ??= e.message));
    socket.on('close', () => finish(true, false));
    async function send(): Promise<void> {
      for (const piece of options.pieces) {
        if (socket.destroyed) return;
        socket.write(piece);
        await new Promise((next) => setImmediate(next));
      }
      if (options.halfClose !== false && !socket.destroyed) socket.end();
    }
  });
}

export interface WireReply {
  readonly status: number;
  readonly statusLine: string;
  /** Lower-case names. */
  readonly headers: ReadonlyMap<string, string>;
  readonly body: Buffer;
}

export interface SplitReplies {
  readonly replies: WireReply[];
  /** Why the bytes after the last complete reply are not a reply (undefined: nothing left over). */
  readonly leftover?: string;
}

/** Splits a server's output into replies (Content-Length or chunked bodies; none for 1xx). Never throws. */
export function splitReplies(bytes: Buffer): SplitReplies {
  const replies: WireReply[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const headEnd = bytes.indexOf('\r\n\r\n', offset, 'latin1');
    if (headEnd < 0) return { replies, leftover: `incomplete head: ${JSON.stringify(bytes.subarray(offset, offset + 60).toString('latin1'))}` };
    const [statusLine = '', ...lines] = bytes.subarray(offset, headEnd).toString('latin1').split('\r\n');
    const status = /^HTTP\/1\.1 (\d{3}) /.exec(statusLine);
    if (status === null) return { replies, leftover: `not a status line: ${JSON.stringify(statusLine.slice(0, 60))}` };
    const headers = new Map(lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
    const body = readBody(bytes, headEnd + 4, Number(status[1]), headers);
    if (typeof body === 'string') return { replies, leftover: body };
    replies.push({ status: Number(status[1]), statusLine, headers, body: body.body });
    offset = body.end;
  }
  return { replies };
}

function readBody(bytes: Buffer, start: number, status: number, headers: ReadonlyMap<string, string>): { body: Buffer; end: number } | string {
  if (status < 200) return { body: Buffer.alloc(0), end: start };
  if (headers.get('transfer-encoding')?.toLowerCase() === 'chunked') {
    const parts: Buffer[] = [];
    for (let offset = start; ;) {
      const lineEnd = bytes.indexOf('\r\n', offset, 'latin1');
      if (lineEnd < 0) return 'incomplete chunk size line';
      const size = Number.parseInt(bytes.subarray(offset, lineEnd).toString('latin1'), 16);
      if (!Number.isSafeInteger(size) || size < 0) return 'bad chunk size';
      if (size === 0) return bytes.length >= lineEnd + 4 ? { body: Buffer.concat(parts), end: lineEnd + 4 } : 'incomplete last chunk';
      if (bytes.length < lineEnd + 2 + size + 2) return 'incomplete chunk';
      parts.push(bytes.subarray(lineEnd + 2, lineEnd + 2 + size));
      offset = lineEnd + 2 + size + 2;
    }
  }
  const length = Number(headers.get('content-length') ?? '0');
  if (!Number.isSafeInteger(length) || length < 0) return 'bad Content-Length';
  if (bytes.length < start + length) return 'incomplete body';
  return { body: bytes.subarray(start, start + length), end: start + length };
}

/** True once `bytes` hold `count` complete replies (for exchanges that keep the connection open). */
export const hasReplies = (count: number) => (bytes: Buffer): boolean => splitReplies(bytes).replies.length >= count;

/** Answers AMT's Digest challenge for one account, nc counting up on one nonce (as go-wsman does). */
export class WireAuthorizer {
  #count = 0;

  private constructor(readonly user: string, readonly password: string, readonly realm: string, readonly nonce: string) {}

  /** Gets a challenge from `target` (an unauthenticated POST /wsman). */
  static async fetch(target: WireTarget, user: string, password: string): Promise<WireAuthorizer> {
    const reply = await exchange(target, { pieces: [Buffer.from('POST /wsman HTTP/1.1\r\nHost: amt\r\nContent-Length: 0\r\n\r\n')], deadlineMs: 20_000 });
    const challenge = splitReplies(reply.bytes).replies[0]?.headers.get('www-authenticate');
    if (challenge === undefined) throw new Error(`no Digest challenge from ${target.host}:${target.port}: ${reply.bytes.toString('latin1').slice(0, 80)}`);
    const { realm, nonce } = parseChallenge(challenge);
    return new WireAuthorizer(user, password, realm, nonce);
  }

  /** A fresh Authorization value for `method uri`. */
  header(method = 'POST', uri = '/wsman'): string {
    this.#count += 1;
    return renderAuthorization({
      user: this.user, password: this.password, realm: this.realm, nonce: this.nonce, method, uri, nonceCount: this.#count, cnonce: randomBytes(8).toString('hex'),
    });
  }
}

/** An authenticated POST /wsman with a Content-Length body. */
export function authedPost(authorizer: WireAuthorizer, body: Uint8Array, extra: readonly string[] = []): Buffer {
  const head = ['POST /wsman HTTP/1.1', 'Host: amt', 'Content-Type: application/soap+xml; charset=utf-8', `Authorization: ${authorizer.header()}`, ...extra, `Content-Length: ${body.length}`, '', ''].join('\r\n');
  return Buffer.concat([Buffer.from(head, 'latin1'), body]);
}
