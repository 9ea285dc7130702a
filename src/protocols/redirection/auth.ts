/**
 * How a redirection session checks a login: the `RedirectionAuthenticator` seam, and its
 * implementation over the AMT Digest authenticator (src/amt/auth) — the same realm, accounts,
 * nonces and lock-out as WS-Man. A redirection Digest login becomes the Authorization header the
 * console would have sent for `POST /RedirectionService`; a user/password login (type 1, what
 * amtterm 1.4 sends) becomes the Digest response the device computes from that password with a
 * nonce it just issued, so both are verified, counted and locked out by the one authenticator
 * (full-length constant-time comparison included).
 */
import type { DigestAuthenticator, LoginFailureReason, RemoteEndpoint } from '../../amt/auth/index.js';
import { md5Hex } from '../../amt/auth/md5.js';
import { REDIRECTION_METHOD, REDIRECTION_URI } from './constants.js';

export type RedirectionCredentials =
  | { readonly kind: 'plain'; readonly user: string; readonly password: string }
  | {
      readonly kind: 'digest';
      readonly user: string;
      readonly realm: string;
      readonly nonce: string;
      readonly uri: string;
      readonly cnonce: string;
      readonly nc: string;
      readonly response: string;
      /** Absent for type 3 (RFC 2069). */
      readonly qop?: string;
    };

export type RedirectionVerdict =
  | { readonly ok: true; readonly user: string; readonly realms: readonly string[] }
  | { readonly ok: false; readonly reason: LoginFailureReason | 'stale-nonce' };

export interface RedirectionAuthenticator {
  /** The device's Digest realm (`Digest:` + 32 hex). */
  readonly realm: string;
  /** A fresh server nonce for a digest challenge. */
  nonce(): string;
  verify(credentials: RedirectionCredentials, remote?: RemoteEndpoint): RedirectionVerdict;
}

/** A Digest parameter as a quoted string (the header parser undoes the escapes). */
const quoted = (value: string): string => `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;

function authorization(c: Extract<RedirectionCredentials, { kind: 'digest' }>): string {
  const params = [`username=${quoted(c.user)}`, `realm=${quoted(c.realm)}`, `nonce=${quoted(c.nonce)}`, `uri=${quoted(c.uri)}`, `response=${quoted(c.response)}`];
  if (c.qop !== undefined) params.push(`qop=${quoted(c.qop)}`, `nc=${quoted(c.nc)}`, `cnonce=${quoted(c.cnonce)}`);
  return `Digest ${params.join(', ')}`;
}

const NONCE = /nonce="([^"]*)"/;

/** The redirection authenticator over `auth` (share WS-Man's network authenticator to share its lock-out). */
export function digestRedirectionAuthenticator(auth: DigestAuthenticator): RedirectionAuthenticator {
  const nonce = (): string => NONCE.exec(auth.challenge())?.[1] ?? '';
  const check = (credentials: Extract<RedirectionCredentials, { kind: 'digest' }>, remote: RemoteEndpoint | undefined): RedirectionVerdict => {
    const outcome = auth.authenticate({ method: REDIRECTION_METHOD, target: REDIRECTION_URI, authorization: authorization(credentials), body: new Uint8Array(0), ...(remote ? { remote } : {}) });
    if (outcome.kind === 'authenticated') return { ok: true, user: outcome.principal.user, realms: outcome.principal.realms };
    return { ok: false, reason: outcome.failure ?? 'stale-nonce' };
  };
  return {
    realm: auth.realm,
    nonce,
    verify(credentials, remote) {
      if (credentials.kind === 'digest') return check(credentials, remote);
      const issued = nonce();
      const ha1 = md5Hex(`${credentials.user}:${auth.realm}:${credentials.password}`);
      const response = md5Hex(`${ha1}:${issued}:${md5Hex(`${REDIRECTION_METHOD}:${REDIRECTION_URI}`)}`);
      return check({ kind: 'digest', user: credentials.user, realm: auth.realm, nonce: issued, uri: REDIRECTION_URI, cnonce: '', nc: '', response }, remote);
    },
  };
}
