// Lock-out with a fake clock: 10 failures lock for 5 s, back-off doubles to 80 s, correct passwords refused while locked, reset after a quiet hour.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestAuth, wsmanRequest } from './testing.js';

type Harness = ReturnType<typeof createTestAuth>;
const fail = (t: Harness): string | undefined => {
  const outcome = t.auth.authenticate(wsmanRequest(t.header({ nonce: t.nonce(), password: 'wrong' })));
  return outcome.kind === 'challenge' ? outcome.failure : 'logged in';
};
const login = (t: Harness): string => t.auth.authenticate(wsmanRequest(t.header({ nonce: t.nonce() }))).kind;

test('nine failures do not lock; the tenth locks for 5 s and then even the right password is refused', () => {
  const t = createTestAuth();
  for (let i = 0; i < 9; i++) fail(t);
  assert.equal(t.auth.lockoutState('admin').lockedUntil, 0);
  fail(t);
  assert.equal(t.auth.lockoutState('admin').lockedUntil, t.clock.now + 5000);
  assert.deepEqual(t.events.at(-1), { kind: 'locked-out', at: t.clock.now, user: 'admin', lockMs: 5000, until: t.clock.now + 5000, consecutiveFailures: 10 });
  t.clock.now += 4999;
  assert.equal(login(t), 'challenge');
  const refused = t.events.at(-1);
  assert.equal(refused?.kind === 'login-failed' ? refused.reason : '', 'locked');
  t.clock.now += 1;
  assert.equal(login(t), 'authenticated');
  assert.ok(t.events.some((e) => e.kind === 'lock-released' && e.user === 'admin'));
  assert.equal(t.auth.lockoutState('admin').consecutiveFailures, 0, 'a login after the lock clears the count');
});

test('each failure after the threshold locks again: 5, 10, 20, 40, 80, 80 s', () => {
  const t = createTestAuth();
  for (let i = 0; i < 9; i++) fail(t);
  const locks: number[] = [];
  for (let i = 0; i < 6; i++) {
    fail(t);
    const { lockedUntil } = t.auth.lockoutState('admin');
    locks.push(lockedUntil - t.clock.now);
    assert.equal(fail(t), 'locked', 'attempts during the lock are refused unchecked');
    t.clock.now = lockedUntil;
  }
  assert.deepEqual(locks, [5000, 10000, 20000, 40000, 80000, 80000]);
  assert.equal(t.events.filter((e) => e.kind === 'locked-out').length, 6);
});

test('one hour without attack forgets the failures and the back-off', () => {
  const t = createTestAuth();
  for (let i = 0; i < 12; i++) {
    fail(t);
    t.clock.now = Math.max(t.clock.now, t.auth.lockoutState('admin').lockedUntil);
  }
  t.clock.now += 3_600_000;
  for (let i = 0; i < 9; i++) fail(t);
  assert.equal(t.auth.lockoutState('admin').lockedUntil, 0, 'nine fresh failures do not lock');
  fail(t);
  assert.equal(t.auth.lockoutState('admin').lockedUntil - t.clock.now, 5000, 'back-off starts again at 5 s');
});

test('attempts during a lock keep the hour from running out; releaseExpiredLocks reports the release once', () => {
  const t = createTestAuth();
  for (let i = 0; i < 10; i++) fail(t);
  t.clock.now += 5000;
  t.auth.releaseExpiredLocks();
  t.auth.releaseExpiredLocks();
  assert.equal(t.events.filter((e) => e.kind === 'lock-released').length, 1);
});

test('a lock on one account leaves the others alone', () => {
  const t = createTestAuth();
  for (let i = 0; i < 10; i++) fail(t);
  const outcome = t.auth.authenticate(wsmanRequest(t.header({ nonce: t.nonce(), user: 'operator', password: 'Op3rator!' })));
  assert.equal(outcome.kind, 'authenticated');
});
