/**
 * The supervisor's restart policy for one app: exponential back-off from `baseDelayMs` (doubling
 * with each restart still inside the window, capped at `maxDelayMs`), and a give-up rule — more
 * than `maxRestarts` restarts within `restartWindowMs` and the app stays down. Pure bookkeeping:
 * the kernel asks, then schedules; the supervisor never waits on an app.
 */

export interface RestartPolicy {
  readonly maxRestarts: number;
  readonly restartWindowMs: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export type RestartDecision = { readonly action: 'restart'; readonly delayMs: number; readonly restartsInWindow: number } | { readonly action: 'give-up'; readonly restartsInWindow: number };

export class RestartBudget {
  #recent: number[] = [];

  constructor(readonly policy: RestartPolicy) {}

  /** Records a fault at `now` (ms) and says what to do. */
  onFault(now: number): RestartDecision {
    this.#recent = this.#recent.filter((at) => now - at < this.policy.restartWindowMs);
    if (this.#recent.length >= this.policy.maxRestarts) return { action: 'give-up', restartsInWindow: this.#recent.length };
    this.#recent.push(now);
    const exponent = this.#recent.length - 1;
    const delayMs = Math.min(this.policy.maxDelayMs, this.policy.baseDelayMs * 2 ** exponent);
    return { action: 'restart', delayMs, restartsInWindow: this.#recent.length };
  }

  /** Restarts counted in the current window. */
  get restarts(): number {
    return this.#recent.length;
  }
}
