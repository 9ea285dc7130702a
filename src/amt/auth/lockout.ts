/**
 * Failed-login lock-out per account. After `threshold` consecutive failures every further attempt
 * is refused (even with the right password) for a back-off window that starts at `firstLockMs` and
 * doubles with each new failure up to `maxLockMs`; one hour with no attack forgets it all, and a
 * successful login (outside a lock) clears it. Pure: the caller passes the time.
 */

export interface LockoutPolicy {
  readonly threshold: number;
  readonly firstLockMs: number;
  readonly maxLockMs: number;
  /** Quiet period after which failures and back-off are forgotten. */
  readonly resetAfterMs: number;
}

export const DEFAULT_LOCKOUT_POLICY: LockoutPolicy = {
  threshold: 10,
  firstLockMs: 5_000,
  maxLockMs: 80_000,
  resetAfterMs: 3_600_000,
};

export interface LockoutState {
  readonly consecutiveFailures: number;
  /** Time (ms) until which attempts are refused; 0 when not locked. */
  readonly lockedUntil: number;
  readonly locksSoFar: number;
}

interface MutableState {
  consecutiveFailures: number;
  lockedUntil: number;
  locksSoFar: number;
  lastAttackAt: number;
}

export type Admission = { readonly admitted: true; readonly released: boolean } | { readonly admitted: false; readonly until: number };

export interface LockResult {
  readonly consecutiveFailures: number;
  /** Present when this failure started a lock. */
  readonly lock?: { readonly lockMs: number; readonly until: number };
}

export class LockoutTracker {
  readonly #states = new Map<string, MutableState>();

  constructor(readonly policy: LockoutPolicy = DEFAULT_LOCKOUT_POLICY) {}

  /** Call before checking credentials: refuses while locked; `released` when a lock just ended. */
  admit(account: string, now: number): Admission {
    const state = this.#states.get(account);
    if (state === undefined) return { admitted: true, released: false };
    if (state.lockedUntil > now) {
      state.lastAttackAt = now;
      return { admitted: false, until: state.lockedUntil };
    }
    const released = state.lockedUntil !== 0;
    state.lockedUntil = 0;
    if (now - state.lastAttackAt >= this.policy.resetAfterMs) this.#states.delete(account);
    return { admitted: true, released };
  }

  /** Records a failed attempt; may start a lock. */
  fail(account: string, now: number): LockResult {
    const state = this.#current(account, now) ?? this.#create(account);
    state.consecutiveFailures += 1;
    state.lastAttackAt = now;
    if (state.consecutiveFailures < this.policy.threshold) return { consecutiveFailures: state.consecutiveFailures };
    const lockMs = Math.min(this.policy.firstLockMs * 2 ** state.locksSoFar, this.policy.maxLockMs);
    state.locksSoFar += 1;
    state.lockedUntil = now + lockMs;
    return { consecutiveFailures: state.consecutiveFailures, lock: { lockMs, until: state.lockedUntil } };
  }

  /** Records a successful login: the account's failures are forgotten. */
  succeed(account: string): void {
    this.#states.delete(account);
  }

  /** Accounts whose lock has ended by `now` (each reported once), for a periodic release check. */
  releaseExpired(now: number): string[] {
    const released: string[] = [];
    for (const [account, state] of this.#states) {
      if (state.lockedUntil !== 0 && state.lockedUntil <= now) {
        state.lockedUntil = 0;
        released.push(account);
      }
      if (now - state.lastAttackAt >= this.policy.resetAfterMs && state.lockedUntil === 0) this.#states.delete(account);
    }
    return released;
  }

  state(account: string): LockoutState {
    const state = this.#states.get(account);
    return state === undefined
      ? { consecutiveFailures: 0, lockedUntil: 0, locksSoFar: 0 }
      : { consecutiveFailures: state.consecutiveFailures, lockedUntil: state.lockedUntil, locksSoFar: state.locksSoFar };
  }

  #current(account: string, now: number): MutableState | undefined {
    const state = this.#states.get(account);
    if (state !== undefined && state.lockedUntil <= now && now - state.lastAttackAt >= this.policy.resetAfterMs) {
      this.#states.delete(account);
      return undefined;
    }
    return state;
  }

  #create(account: string): MutableState {
    const state: MutableState = { consecutiveFailures: 0, lockedUntil: 0, locksSoFar: 0, lastAttackAt: 0 };
    this.#states.set(account, state);
    return state;
  }
}
