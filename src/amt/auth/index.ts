/** Public API of AMT HTTP Digest authentication: verifier, user table seam, lock-out, events. */
export { DigestAuthenticator, type AmtPrincipal, type AuthOutcome, type DigestAuthenticatorOptions, type DigestRequest } from './digest-authenticator.js';
export { formatDigestChallenge } from './digest-challenge.js';
export { parseAuthorization, type DigestParams, type ParsedAuthorization } from './digest-params.js';
export { DEFAULT_LOCKOUT_POLICY, type LockoutPolicy, type LockoutState } from './lockout.js';
export { assertAmtRealm, generateAmtRealm, isAmtRealm } from './realm.js';
export type { LoginFailureReason, RemoteEndpoint, SecurityEvent, SecurityEventListener } from './security-events.js';
export { createUserTable, validateUsers, type DigestSecret, type DigestUser, type UserDirectory } from './users.js';
