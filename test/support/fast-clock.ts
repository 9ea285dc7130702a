/** A host clock that runs `factor` times faster than real time (real timers), so a simulated OS boots quickly in whole-platform tests. */
import type { Cancel, HostClock } from '../../src/host/index.js';

export class FastClock implements HostClock {
  readonly #origin = performance.now();
  constructor(readonly factor: number) {}
  now(): number {
    return (performance.now() - this.#origin) * this.factor;
  }
  schedule(milliseconds: number, callback: () => void): Cancel {
    const timer = setTimeout(callback, Math.max(0, milliseconds / this.factor));
    timer.unref();
    return () => clearTimeout(timer);
  }
}
