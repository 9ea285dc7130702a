/**
 * HTTP Digest as AMT does it, with the policy around the pure check: nonce issue and expiry
 * (`stale="true"` for a correct response on an old nonce), nc replay refusal, failure counting and
 * lock-out, and typed security events. Sans-I/O: the HTTP layer asks, this answers.
 */
import { randomBytes } from 'node:crypto';
import { formatDigestChallenge } from './digest-challenge.js';
import { parseAuthorization } from './digest-params.js';
import { checkDigest } from './digest-verify.js';
import { DEFAULT_LOCKOUT_POLICY, LockoutTracker, type LockoutPolicy, type LockoutState } from './lockout.js';
import { md5Hex } from './md5.js';
import { NonceStore } from './nonce-store.js';
import { assertAmtRealm } from './realm.js';
import type { LoginFailureReason, RemoteEndpoint, SecurityEventListener } from './security-events.js';
import { userHA1, type UserDirectory } from './users.js';

/** Who made an authenticated request: handed to the WS-Man handler. */
export interface AmtPrincipal {
  readonly user: string;
  readonly realms: readonly string[];
}

export interface DigestRequest {
  readonly method: string;
  /** The request-target exactly as on the request line. */
  readonly target: string;
  readonly authorization: string | undefined;
  readonly body: Uint8Array;
  readonly remote?: RemoteEndpoint;
}

export type AuthOutcome =
  | { readonly kind: 'authenticated'; readonly principal: AmtPrincipal }
  | { readonly kind: 'challenge'; readonly wwwAuthenticate: string; readonly failure?: LoginFailureReason };

export interface DigestAuthenticatorOptions {
  /** `Digest:` + 32 upper-case hex; the same as AMT_GeneralSettings.DigestRealm. */
  readonly realm: string;
  readonly users: UserDirectory;
  /** Milliseconds; `Date.now` unless a test injects a fake clock. */
  readonly clock?: () => number;
  readonly onSecurityEvent?: SecurityEventListener;
  readonly nonceLifetimeMs?: number;
  readonly nonceCapacity?: number;
  readonly lockout?: LockoutPolicy;
}

/** One lock-out bucket for every name that is not an account (a control character: never a user). */
const UNKNOWN_ACCOUNT = '\u0000unknown';
const MAX_LOGGED_NAME = 64;

export class DigestAuthenticator {
  readonly realm: string;
  readonly #users: UserDirectory;
  readonly #clock: () => number;
  readonly #emit: SecurityEventListener;
  readonly #nonces: NonceStore;
  readonly #lockout: LockoutTracker;

  /** @throws VmeError VME_ERR_AMT_AUTH_CONFIG when the realm has the wrong shape. */
  constructor(options: DigestAuthenticatorOptions) {
    assertAmtRealm(options.realm);
    this.realm = options.realm;
    this.#users = options.users;
    this.#clock = options.clock ?? Date.now;
    this.#emit = options.onSecurityEvent ?? ((): void => undefined);
    this.#nonces = new NonceStore({ lifetimeMs: options.nonceLifetimeMs ?? 300_000, capacity: options.nonceCapacity ?? 4096 });
    this.#lockout = new LockoutTracker(options.lockout ?? DEFAULT_LOCKOUT_POLICY);
  }

  /** A fresh challenge (`WWW-Authenticate` value) with a new nonce. */
  challenge(stale = false): string {
    return formatDigestChallenge(this.realm, this.#nonces.issue(this.#clock()), stale);
  }

  /** Decides one request: authenticated, or a 401 challenge (failures counted and reported). */
  authenticate(request: DigestRequest): AuthOutcome {
    if (request.authorization === undefined) return { kind: 'challenge', wwwAuthenticate: this.challenge() };
    const parsed = parseAuthorization(request.authorization);
    if (parsed.kind === 'other-scheme') return { kind: 'challenge', wwwAuthenticate: this.challenge() };
    const claimedUser = parsed.kind === 'digest' ? parsed.params.get('username') : undefined;
    const entry = claimedUser === undefined ? undefined : this.#users.find(claimedUser);
    const account = entry === undefined ? UNKNOWN_ACCOUNT : entry.user;
    const loggedName = (claimedUser ?? '').slice(0, MAX_LOGGED_NAME);
    const now = this.#clock();
    const admission = this.#lockout.admit(account, now);
    if (admission.admitted && admission.released) this.#emit({ kind: 'lock-released', at: now, user: this.#accountName(account) });
    if (!admission.admitted) return this.#refuse(account, loggedName, 'locked', request.remote);
    if (parsed.kind === 'malformed' || claimedUser === undefined) return this.#fail(account, loggedName, 'malformed', request.remote);
    const check = checkDigest({
      params: parsed.params, method: request.method, target: request.target, body: request.body,
      realm: this.realm, ha1: entry === undefined ? md5Hex(randomBytes(16)) : userHA1(entry, this.realm),
    });
    if (entry === undefined) return this.#fail(account, loggedName, check.ok || check.reason === 'bad-response' ? 'unknown-user' : check.reason, request.remote);
    if (!check.ok) return this.#fail(account, loggedName, check.reason, request.remote);
    if (this.#nonces.lookup(check.nonce, now) !== 'fresh') return { kind: 'challenge', wwwAuthenticate: this.challenge(true) };
    if (!this.#nonces.claim(check.nonce, check.nonceCount)) return this.#fail(account, loggedName, 'replayed-nonce-count', request.remote);
    this.#lockout.succeed(account);
    return { kind: 'authenticated', principal: { user: entry.user, realms: entry.realms } };
  }

  /** Reports `lock-released` for every lock that has run out; call it from a timer if wanted. */
  releaseExpiredLocks(): void {
    const now = this.#clock();
    for (const account of this.#lockout.releaseExpired(now)) this.#emit({ kind: 'lock-released', at: now, user: this.#accountName(account) });
  }

  /** Lock-out counters of a user name (unknown names share one bucket). */
  lockoutState(user: string): LockoutState {
    return this.#lockout.state(this.#users.find(user) === undefined ? UNKNOWN_ACCOUNT : user);
  }

  #fail(account: string, user: string, reason: LoginFailureReason, remote: RemoteEndpoint | undefined): AuthOutcome {
    const now = this.#clock();
    const result = this.#lockout.fail(account, now);
    this.#emit({ kind: 'login-failed', at: now, user, reason, consecutiveFailures: result.consecutiveFailures, ...(remote ? { remote } : {}) });
    if (result.lock) {
      this.#emit({ kind: 'locked-out', at: now, user: this.#accountName(account), lockMs: result.lock.lockMs, until: result.lock.until, consecutiveFailures: result.consecutiveFailures });
    }
    return { kind: 'challenge', wwwAuthenticate: this.challenge(), failure: reason };
  }

  #refuse(account: string, user: string, reason: LoginFailureReason, remote: RemoteEndpoint | undefined): AuthOutcome {
    const consecutiveFailures = this.#lockout.state(account).consecutiveFailures;
    this.#emit({ kind: 'login-failed', at: this.#clock(), user, reason, consecutiveFailures, ...(remote ? { remote } : {}) });
    return { kind: 'challenge', wwwAuthenticate: this.challenge(), failure: reason };
  }

  #accountName(account: string): string {
    return account === UNKNOWN_ACCOUNT ? '(unknown users)' : account;
  }
}
