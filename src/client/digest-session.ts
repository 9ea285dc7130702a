/**
 * The console side of an AMT HTTP exchange: sends a request, answers AMT's Digest challenge
 * (RFC 2617, qop=auth, nc counting up on one nonce as go-wsman and MeshCommander do), retries
 * once on a 401 with a fresh or stale nonce, and returns the status and body. HTTP or TLS; the
 * device certificate is accepted when it matches a pinned SHA-256 fingerprint or when the caller
 * explicitly opts out of checking (a self-signed device, as consoles configure for AMT).
 */
import { request as httpRequest, Agent as HttpAgent } from 'node:http';
import { request as httpsRequest, Agent as HttpsAgent } from 'node:https';
import { randomBytes } from 'node:crypto';
import { connect as connectTls, type ConnectionOptions } from 'node:tls';
import type { Socket } from 'node:net';
import { VmeError } from '../common/errors.js';
import { parseChallenge, renderAuthorization } from '../amt/auth/digest-client.js';

export interface AmtEndpoint {
  readonly host: string;
  readonly port: number;
  /** TLS (16993): `fingerprint` pins the device certificate (SHA-256, hex with or without colons); `insecure` accepts any. */
  readonly tls?: { readonly fingerprint?: string; readonly insecure?: boolean };
  readonly user: string;
  readonly password: string;
  /** Per request, default 30 s. */
  readonly timeoutMs?: number;
}

export interface AmtReply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

interface Challenge { readonly realm: string; readonly nonce: string; count: number }

export class DigestSession {
  readonly #endpoint: AmtEndpoint;
  readonly #agent: HttpAgent;
  #challenge: Challenge | undefined;

  constructor(endpoint: AmtEndpoint) {
    this.#endpoint = endpoint;
    this.#agent = endpoint.tls ? pinnedAgent(endpoint.tls) : new HttpAgent({ keepAlive: true, maxSockets: 1 });
  }

  /** The realm the device announced (after the first request). */
  get realm(): string | undefined {
    return this.#challenge?.realm;
  }

  /** POSTs `body` to `path` (default /wsman). @throws VmeError VME_ERR_AMT_CLIENT on transport failure or a refused login */
  async post(body: string, path = '/wsman'): Promise<AmtReply> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const reply = await this.#send('POST', path, body, this.#authorization('POST', path));
      if (reply.status !== 401) return reply;
      const header: string | string[] | undefined = reply.headers['www-authenticate'];
      const value: string | undefined = Array.isArray(header) ? header[0] : header;
      if (value === undefined) break;
      const challenge = parseChallenge(value);
      const fresh = this.#challenge === undefined || challenge.stale || this.#challenge.nonce !== challenge.nonce;
      if (!fresh && attempt > 0) break;
      this.#challenge = { realm: challenge.realm, nonce: challenge.nonce, count: 0 };
    }
    throw new VmeError('VME_ERR_AMT_CLIENT', `the device refused the login of ${JSON.stringify(this.#endpoint.user)} at ${this.#where()}`);
  }

  /** Closes kept-alive connections. */
  close(): void {
    this.#agent.destroy();
  }

  #authorization(method: string, uri: string): string | undefined {
    const challenge = this.#challenge;
    if (challenge === undefined) return undefined;
    challenge.count += 1;
    return renderAuthorization({
      user: this.#endpoint.user, password: this.#endpoint.password, realm: challenge.realm, nonce: challenge.nonce,
      method, uri, nonceCount: challenge.count, cnonce: randomBytes(8).toString('hex'),
    });
  }

  #where(): string {
    return `${this.#endpoint.tls ? 'https' : 'http'}://${this.#endpoint.host}:${this.#endpoint.port}`;
  }

  #send(method: string, path: string, body: string, authorization: string | undefined): Promise<AmtReply> {
    const { host, port, tls } = this.#endpoint;
    const headers: Record<string, string | number> = { 'Content-Type': 'application/soap+xml; charset=utf-8', 'Content-Length': Buffer.byteLength(body) };
    if (authorization !== undefined) headers.Authorization = authorization;
    const send = tls ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const fail = (error: Error): void => reject(new VmeError('VME_ERR_AMT_CLIENT', `${this.#where()}: ${error.message}`, { cause: error.message }));
      const request = send({ host, port, method, path, headers, agent: this.#agent, timeout: this.#endpoint.timeoutMs ?? 30_000 }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', fail);
      });
      request.on('timeout', () => request.destroy(new Error('timed out')));
      request.on('error', fail);
      request.end(body);
    });
  }
}

type OnCreate = (error: Error | null, socket?: Socket) => void;

/**
 * An https agent whose connections are handed to node:http only after the device certificate
 * passed the pin check, so no request byte (nor Digest answer) reaches an impostor.
 */
function pinnedAgent(tls: NonNullable<AmtEndpoint['tls']>): HttpsAgent {
  const want = (tls.fingerprint ?? '').replace(/:/g, '').toUpperCase();
  const agent = new HttpsAgent({ keepAlive: true, maxSockets: 1 });
  const create = (options: ConnectionOptions, oncreate: OnCreate): undefined => {
    const socket = connectTls({ ...options, rejectUnauthorized: false });
    let settled = false;
    const settle: OnCreate = (error, created) => {
      if (settled) return;
      settled = true;
      oncreate(error, created);
    };
    socket.once('secureConnect', () => {
      const got = (socket.getPeerCertificate().fingerprint256 ?? '').replace(/:/g, '').toUpperCase();
      if (tls.insecure === true || (want.length > 0 && want === got)) {
        settle(null, socket);
        return;
      }
      socket.destroy();
      settle(new Error(`device certificate SHA-256 ${got || '(none)'} does not match the pinned ${want || '(none given; pass a fingerprint or insecure)'}`));
    });
    socket.once('error', (error: Error) => settle(error));
    return undefined;
  };
  Object.assign(agent, { createConnection: create });
  return agent;
}
