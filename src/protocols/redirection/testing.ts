/**
 * The console's side of the redirection protocol for tests: the messages amtterm and MeshCommander
 * send (byte for byte as amtterm's `redir.c` / `auth.c` build them), the Digest response they
 * compute, and a parser for what the device sends back.
 */
import { createHash } from 'node:crypto';
import { AUTH_TYPE, REDIRECTION_METHOD, REDIRECTION_URI, SESSION_KIND, type SessionKind } from './constants.js';
import { decodeElements, encodeElements, encodeFrame, readFrame, type RedirectionFrame } from './messages.js';

const md5 = (text: string): string => createHash('md5').update(text, 'latin1').digest('hex');

export const consoleMessages = {
  start: (kind: SessionKind = 'sol'): Uint8Array => encodeFrame('startRedirectionSession', { sessionType: SESSION_KIND[kind], flags: kind === 'kvm' ? 1 : 0 }),
  query: (): Uint8Array => encodeFrame('authenticateSession', { authType: AUTH_TYPE.query }),
  /** amtterm 1.4 (`redir_auth`): type 1, user and password. */
  plain: (user: string, password: string): Uint8Array => encodeFrame('authenticateSession', { authType: AUTH_TYPE.plain }, encodeElements([user, password])),
  /** amtterm `auth.c`: the request for a challenge (empty realm, nonce, cnonce, nc, response; qop only for type 4). */
  digestRequest: (user: string, qop = true): Uint8Array =>
    encodeFrame('authenticateSession', { authType: qop ? AUTH_TYPE.digestQop : AUTH_TYPE.digest }, encodeElements([user, '', '', REDIRECTION_URI, '', '', '', ...(qop ? [''] : [])])),
  /** The answer to a challenge, as amtterm computes it (nc 00000002). */
  digestResponse: (user: string, password: string, realm: string, nonce: string, qop = true, cnonce = 'a'.repeat(32)): Uint8Array => {
    const nc = '00000002';
    const ha1 = md5(`${user}:${realm}:${password}`);
    const ha2 = md5(`${REDIRECTION_METHOD}:${REDIRECTION_URI}`);
    const response = md5(qop ? `${ha1}:${nonce}:${nc}:${cnonce}:auth:${ha2}` : `${ha1}:${nonce}:${ha2}`);
    return encodeFrame('authenticateSession', { authType: qop ? AUTH_TYPE.digestQop : AUTH_TYPE.digest },
      encodeElements([user, realm, nonce, REDIRECTION_URI, cnonce, nc, response, ...(qop ? ['auth'] : [])]));
  },
  /** amtterm's settings. */
  startSol: (): Uint8Array => encodeFrame('startSol', { maxTxBuffer: 1000, txBufferTimeout: 100, txOverflowTimeout: 0, hostSessionRxTimeout: 10000, hostFifoRxFlushTimeout: 0, heartbeatInterval: 5000 }),
  data: (text: string | Uint8Array): Uint8Array => encodeFrame('solDataToHost', {}, typeof text === 'string' ? Uint8Array.from(Buffer.from(text, 'latin1')) : text),
  endSol: (): Uint8Array => encodeFrame('endSol'),
  ping: (): Uint8Array => encodeFrame('solKeepAlivePing'),
  heartbeat: (): Uint8Array => encodeFrame('solHeartbeat'),
  end: (): Uint8Array => encodeFrame('endRedirectionSession'),
};

/** Every complete device message in `bytes` (throws RedirectionError on garbage). */
export function deviceFrames(bytes: Uint8Array): RedirectionFrame[] {
  const frames: RedirectionFrame[] = [];
  let rest = bytes;
  for (;;) {
    const next = readFrame(rest, 'device');
    if (next === undefined) return frames;
    frames.push(next.frame);
    rest = rest.subarray(next.size);
  }
}

/** The realm and nonce of a digest challenge reply. */
export function challengeOf(frame: RedirectionFrame): { realm: string; nonce: string; qop: string | undefined } {
  const [realm = '', nonce = '', qop] = decodeElements(frame.payload);
  return { realm, nonce, qop };
}
