/**
 * Injectable time for the host model. The core never calls setTimeout: it asks a `HostClock` to
 * schedule callbacks, so tests drive a `ManualClock` (deterministic, instant) and `vme up` drives a
 * real-time clock (real-time.ts). `sleep` turns a scheduled callback into an abortable promise,
 * which is how POST and the simulated OS stop mid-sequence when the power goes.
 */

/** Cancels a scheduled callback; calling it after the callback ran does nothing. */
export type Cancel = () => void;

/** A source of time and one-shot timers. */
export interface HostClock {
  /** Milliseconds since the clock's origin. */
  now(): number;
  /** Runs `callback` once after `milliseconds` (0 = on the next turn); returns its cancel function. */
  schedule(milliseconds: number, callback: () => void): Cancel;
}

/** Thrown into an awaiting sequence when its run was aborted (power off, reset). Internal. */
export class RunAborted extends Error {
  constructor() {
    super('host run aborted');
    this.name = 'RunAborted';
  }
}

/** Resolves after `milliseconds` on `clock`; rejects with `RunAborted` as soon as `signal` aborts. */
export function sleep(clock: HostClock, milliseconds: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new RunAborted());
    const onAbort = (): void => {
      cancel();
      reject(new RunAborted());
    };
    const cancel = clock.schedule(milliseconds, () => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    });
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** A promise that never resolves, only rejects on abort: a hung BIOS or OS. */
export function hang(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) return reject(new RunAborted());
    signal.addEventListener('abort', () => reject(new RunAborted()), { once: true });
  });
}

interface Timer {
  readonly at: number;
  readonly sequence: number;
  readonly callback: () => void;
}

/** Lets every queued promise continuation run (a macrotask boundary). */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** A clock that moves only when told: tests advance it and every due timer runs in order. */
export class ManualClock implements HostClock {
  #now = 0;
  #sequence = 0;
  #timers: Timer[] = [];

  now(): number {
    return this.#now;
  }

  schedule(milliseconds: number, callback: () => void): Cancel {
    const timer = { at: this.#now + Math.max(0, milliseconds), sequence: this.#sequence++, callback };
    this.#timers.push(timer);
    return () => {
      this.#timers = this.#timers.filter((each) => each !== timer);
    };
  }

  /** Timers waiting to run. */
  get pending(): number {
    return this.#timers.length;
  }

  /** Moves time forward by `milliseconds`, running due timers in order and settling promises after each. */
  async advance(milliseconds: number): Promise<void> {
    const target = this.#now + milliseconds;
    await settle();
    for (let timer = this.#next(target); timer; timer = this.#next(target)) {
      this.#now = timer.at;
      timer.callback();
      await settle();
    }
    this.#now = target;
  }

  /**
   * Runs timers until none are left, jumping time to each; stops after `limit` timers.
   * @throws RangeError when the limit is reached (something keeps re-arming a timer).
   */
  async runUntilIdle(limit = 100_000): Promise<void> {
    await settle();
    for (let count = 0; ; count++) {
      const timer = this.#next(Number.POSITIVE_INFINITY);
      if (!timer) return;
      if (count >= limit) throw new RangeError(`ManualClock.runUntilIdle ran ${limit} timers and is not idle`);
      this.#now = timer.at;
      timer.callback();
      await settle();
    }
  }

  #next(notAfter: number): Timer | undefined {
    let best: Timer | undefined;
    for (const timer of this.#timers) {
      if (timer.at > notAfter) continue;
      if (!best || timer.at < best.at || (timer.at === best.at && timer.sequence < best.sequence)) best = timer;
    }
    if (best) this.#timers = this.#timers.filter((each) => each !== best);
    return best;
  }
}
