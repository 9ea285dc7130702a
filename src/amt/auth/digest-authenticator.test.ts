// Digest as AMT does it: challenge shape, every client variant logs in, nonces expire (stale=true), nc replay refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestAuth, TEST_REALM, wsmanRequest } from './testing.js';
import { parseChallenge, type ClientStyle } from './digest-client.js';
import { md5Hex } from './md5.js';

test('the challenge has AMT\'s exact shape: one space after the first comma, quoted stale, qop="auth" only', () => {
  const { auth } = createTestAuth();
  const challenge = auth.challenge();
  assert.match(challenge, /^Digest realm="Digest:727734D63A1FC0423736E48DA554E462", nonce="[A-Za-z0-9+/]{32}",stale="false",qop="auth"$/);
  assert.ok(!parseChallenge(challenge).nonce.includes('='), 'no base64 padding in the nonce');
  assert.match(auth.challenge(true), /,stale="true",qop="auth"$/);
});

test('a request without Authorization, or with Basic/Negotiate, gets a challenge and is not counted', () => {
  const t = createTestAuth();
  for (const header of [undefined, 'Basic YWRtaW46eA==', 'Negotiate YIIx']) {
    const outcome = t.auth.authenticate(wsmanRequest(header));
    assert.equal(outcome.kind, 'challenge');
    assert.equal(outcome.kind === 'challenge' ? outcome.failure : 'x', undefined);
  }
  assert.equal(t.auth.lockoutState('admin').consecutiveFailures, 0);
  assert.deepEqual(t.events, []);
});

for (const style of ['go-wsman', 'rps', 'meshcommander', 'meshcentral', 'curl'] as ClientStyle[]) {
  test(`${style}: a correct answer logs in and the principal carries the user's realms; nc counts up on one nonce`, () => {
    const t = createTestAuth();
    const nonce = t.nonce();
    for (const count of [1, 2, 9, 10, 11, 16, 255]) {
      const outcome = t.auth.authenticate(wsmanRequest(t.header({ nonce, count, style })));
      assert.deepEqual(outcome, { kind: 'authenticated', principal: { user: 'admin', realms: ['PT Administration', 'Redirection'] } }, `nc ${count}`);
    }
  });
}

test('a user stored as HA1 logs in; the absolute-form uri naming the same path is accepted', () => {
  const t = createTestAuth();
  const ok = t.auth.authenticate(wsmanRequest(t.header({ nonce: t.nonce(), user: 'operator', password: 'Op3rator!' })));
  assert.equal(ok.kind === 'authenticated' && ok.principal.user, 'operator');
  const absolute = { ...wsmanRequest(t.header({ nonce: t.nonce(), uri: 'http://192.0.2.1:16992/wsman' })), target: 'http://192.0.2.1:16992/wsman' };
  assert.equal(t.auth.authenticate(absolute).kind, 'authenticated');
  const mixed = { ...wsmanRequest(t.header({ nonce: t.nonce(), uri: 'http://192.0.2.1:16992/wsman' })) };
  assert.equal(t.auth.authenticate(mixed).kind, 'authenticated', 'absolute uri for an origin-form target');
});

test('no qop (RFC 2069 form) is accepted once per nonce; auth-int hashes the body', () => {
  const t = createTestAuth();
  const nonce = t.nonce();
  const ha1 = md5Hex(`admin:${TEST_REALM}:P@ssw0rd!`);
  const plain = `Digest username="admin", realm="${TEST_REALM}", nonce="${nonce}", uri="/wsman", response="${md5Hex(`${ha1}:${nonce}:${md5Hex('POST:/wsman')}`)}"`;
  assert.equal(t.auth.authenticate(wsmanRequest(plain)).kind, 'authenticated');
  assert.equal(t.auth.authenticate(wsmanRequest(plain)).kind, 'challenge', 'the same no-qop answer again is a replay');
  const body = new TextEncoder().encode('<Envelope/>');
  const ha2 = md5Hex(`POST:/wsman:${md5Hex(body)}`);
  const intNonce = t.nonce();
  const authInt = `Digest username="admin", realm="${TEST_REALM}", nonce="${intNonce}", uri="/wsman", qop=auth-int, nc=00000001, cnonce="c", response="${md5Hex(`${ha1}:${intNonce}:00000001:c:auth-int:${ha2}`)}"`;
  assert.equal(t.auth.authenticate({ ...wsmanRequest(authInt), body }).kind, 'authenticated');
  const tampered = { ...wsmanRequest(authInt.replace(intNonce, intNonce)), body: new TextEncoder().encode('<Evil/>') };
  assert.equal(t.auth.authenticate(tampered).kind, 'challenge', 'auth-int with another body fails');
});

test('an expired nonce with a correct answer gets stale="true" and is not counted as a failure', () => {
  const t = createTestAuth({ nonceLifetimeMs: 60_000 });
  const nonce = t.nonce();
  t.clock.now += 60_000;
  const outcome = t.auth.authenticate(wsmanRequest(t.header({ nonce })));
  assert.equal(outcome.kind, 'challenge');
  assert.match(outcome.kind === 'challenge' ? outcome.wwwAuthenticate : '', /,stale="true",qop="auth"$/);
  assert.equal(t.auth.lockoutState('admin').consecutiveFailures, 0);
  const fresh = parseChallenge(outcome.kind === 'challenge' ? outcome.wwwAuthenticate : '').nonce;
  assert.equal(t.auth.authenticate(wsmanRequest(t.header({ nonce: fresh }))).kind, 'authenticated');
});

test('a nonce this device never issued, answered correctly, is stale too (e.g. after a restart)', () => {
  const t = createTestAuth();
  const outcome = t.auth.authenticate(wsmanRequest(t.header({ nonce: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' })));
  assert.match(outcome.kind === 'challenge' ? outcome.wwwAuthenticate : '', /stale="true"/);
});

test('an expired nonce with a wrong answer is a failure with stale="false"', () => {
  const t = createTestAuth({ nonceLifetimeMs: 1000 });
  const nonce = t.nonce();
  t.clock.now += 5000;
  const outcome = t.auth.authenticate(wsmanRequest(t.header({ nonce, password: 'wrong' })));
  assert.match(outcome.kind === 'challenge' ? outcome.wwwAuthenticate : '', /stale="false"/);
  assert.equal(t.auth.lockoutState('admin').consecutiveFailures, 1);
});

test('a replayed nc is refused and counted, whatever the order; old counts below the window are refused', () => {
  const t = createTestAuth();
  const nonce = t.nonce();
  assert.equal(t.auth.authenticate(wsmanRequest(t.header({ nonce, count: 5 }))).kind, 'authenticated');
  const replay = t.auth.authenticate(wsmanRequest(t.header({ nonce, count: 5 })));
  assert.equal(replay.kind === 'challenge' && replay.failure, 'replayed-nonce-count');
  assert.equal(t.auth.authenticate(wsmanRequest(t.header({ nonce, count: 3 }))).kind, 'authenticated', 'out of order but unused');
  assert.equal(t.auth.authenticate(wsmanRequest(t.header({ nonce, count: 1000 }))).kind, 'authenticated');
  assert.equal(t.auth.authenticate(wsmanRequest(t.header({ nonce, count: 4 }))).kind, 'challenge', 'fell out of the window');
  assert.equal(t.events.filter((e) => e.kind === 'login-failed').length, 2);
});

test('a bad user table or realm is refused up front with a coded error', async () => {
  const { createUserTable } = await import('./users.js');
  const { DigestAuthenticator } = await import('./digest-authenticator.js');
  assert.throws(() => createUserTable([{ user: '', passwordOrHA1: { password: 'x' }, realms: [] }]), { code: 'VME_ERR_AMT_AUTH_CONFIG' });
  assert.throws(() => createUserTable([{ user: 'a', passwordOrHA1: { ha1: 'ABC' }, realms: [] }]), { code: 'VME_ERR_AMT_AUTH_CONFIG' });
  const twice = { user: 'a', passwordOrHA1: { password: 'x' }, realms: [] };
  assert.throws(() => createUserTable([twice, twice]), { code: 'VME_ERR_AMT_AUTH_CONFIG' });
  assert.throws(() => new DigestAuthenticator({ realm: 'Digest:abc', users: createUserTable([]) }), { code: 'VME_ERR_AMT_AUTH_CONFIG' });
});
