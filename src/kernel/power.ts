/**
 * Power gating: the engine sleeps after `idleMs` without a HECI, network, timer or call event and
 * wakes on the next one. The idle check is one entry in the shared scheduler (never a timer per
 * platform), re-armed lazily: activity only stamps the time; when the entry fires early it re-arms
 * for the remaining idle time.
 */
import type { ScheduledTask, Scheduler } from './scheduler.js';
import type { Trace, WakeReason } from './trace.js';

export type PowerState = 'awake' | 'asleep';

export class PowerGate {
  #state: PowerState = 'awake';
  #lastActivity = performance.now();
  #check: ScheduledTask | undefined;
  #stopped = false;

  /** `idleMs` of Infinity disables sleeping. */
  constructor(readonly idleMs: number, readonly scheduler: Scheduler, readonly trace: Trace) {
    if (!(idleMs > 0)) throw new RangeError(`idle time must be positive, got ${idleMs}`);
    this.#arm(idleMs);
  }

  get state(): PowerState {
    return this.#state;
  }

  /** An event reached the engine: wake if asleep, restart the idle period. */
  activity(reason: WakeReason): void {
    this.#lastActivity = performance.now();
    if (this.#stopped || this.#state === 'awake') return;
    this.#state = 'awake';
    this.trace.record('power', { kind: 'power', state: 'awake', reason });
    this.trace.count('power.wakes');
    this.#arm(this.idleMs);
  }

  stop(): void {
    this.#stopped = true;
    this.#check?.cancel();
  }

  #arm(delayMs: number): void {
    if (!Number.isFinite(this.idleMs) || this.#stopped) return;
    this.#check?.cancel();
    this.#check = this.scheduler.schedule(delayMs, () => this.#idleCheck());
  }

  #idleCheck(): void {
    const idleFor = performance.now() - this.#lastActivity;
    if (idleFor < this.idleMs) return this.#arm(this.idleMs - idleFor);
    this.#state = 'asleep';
    this.#check = undefined;
    this.trace.record('power', { kind: 'power', state: 'asleep', reason: 'idle' });
    this.trace.count('power.sleeps');
  }
}
