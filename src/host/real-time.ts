/**
 * The thin real-time adapter: a `HostClock` over setTimeout, and a helper that builds a simulated
 * host on it (for `vme up`). Timers are unref'd, so a host alone never keeps the process alive.
 */
import type { Cancel, HostClock } from './clock.js';
import { SimulatedHost, type SimulatedHostOptions } from './simulated-host.js';

export class RealTimeClock implements HostClock {
  readonly #origin = performance.now();

  now(): number {
    return performance.now() - this.#origin;
  }

  schedule(milliseconds: number, callback: () => void): Cancel {
    const timer = setTimeout(callback, Math.max(0, milliseconds));
    timer.unref();
    return () => clearTimeout(timer);
  }
}

/** A simulated host running in real time. */
export function createRealTimeHost(options: Omit<SimulatedHostOptions, 'clock'> = {}): SimulatedHost {
  return new SimulatedHost({ ...options, clock: new RealTimeClock() });
}
