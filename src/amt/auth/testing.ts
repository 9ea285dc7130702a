/** Test fixtures for the Digest layer: a device realm, a user table and a fake clock. */
import { DigestAuthenticator, type DigestAuthenticatorOptions } from './digest-authenticator.js';
import { parseChallenge, renderAuthorization, type ClientStyle } from './digest-client.js';
import type { SecurityEvent } from './security-events.js';
import { createUserTable } from './users.js';
import { md5Hex } from './md5.js';

export const TEST_REALM = 'Digest:727734D63A1FC0423736E48DA554E462';
export const TEST_PASSWORD = 'P@ssw0rd!';

/** admin (password) and an HA1-only operator with one access realm. */
export function testUsers(): ReturnType<typeof createUserTable> {
  return createUserTable([
    { user: 'admin', passwordOrHA1: { password: TEST_PASSWORD }, realms: ['PT Administration', 'Redirection'] },
    { user: 'operator', passwordOrHA1: { ha1: md5Hex(`operator:${TEST_REALM}:Op3rator!`) }, realms: ['Hardware Asset'] },
  ]);
}

export interface TestAuth {
  readonly auth: DigestAuthenticator;
  readonly events: SecurityEvent[];
  /** The fake clock (ms); advance with `clock.now += ...`. */
  readonly clock: { now: number };
  /** A fresh nonce from a challenge. */
  nonce(): string;
  /** A header for user/password in a client style, answering `nonce` with nc `count`. */
  header(options: { nonce: string; count?: number; user?: string; password?: string; style?: ClientStyle; uri?: string; method?: string; response?: string }): string;
}

export function createTestAuth(overrides: Partial<DigestAuthenticatorOptions> = {}): TestAuth {
  const clock = { now: 1_700_000_000_000 };
  const events: SecurityEvent[] = [];
  const auth = new DigestAuthenticator({
    realm: TEST_REALM, users: testUsers(), clock: () => clock.now, onSecurityEvent: (event) => events.push(event), ...overrides,
  });
  return {
    auth, events, clock,
    nonce: () => parseChallenge(auth.challenge()).nonce,
    header: (o) => renderAuthorization({
      user: o.user ?? 'admin', password: o.password ?? TEST_PASSWORD, realm: TEST_REALM, nonce: o.nonce,
      method: o.method ?? 'POST', uri: o.uri ?? '/wsman', nonceCount: o.count ?? 1, style: o.style ?? 'go-wsman',
      ...(o.response === undefined ? {} : { responseOverride: o.response }),
    }),
  };
}

/** A POST /wsman with the given Authorization. */
export function wsmanRequest(authorization: string | undefined): { method: string; target: string; authorization: string | undefined; body: Uint8Array } {
  return { method: 'POST', target: '/wsman', authorization, body: new Uint8Array() };
}
