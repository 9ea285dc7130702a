/**
 * The timing model shared by the DMA and crypto engines: a device serves one request at a time at a
 * configured throughput, so a request completes at max(now, device busy until) + fixed + bytes/rate.
 * With no rate configured the device is "infinitely fast" and costs no timer at all, so an idle or
 * untimed platform holds no timers (the fleet constraint).
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

/** Throughput model of one device; all fields optional, defaults model an instantaneous device. */
export interface ThroughputModel {
  /** Bytes the device moves per millisecond; 0 or absent = no modelled cost. */
  readonly bytesPerMillisecond?: number;
  /** Fixed set-up cost per request in milliseconds. */
  readonly fixedMilliseconds?: number;
}

/** A serial device clock: hands out completion deadlines and waits for them with one timer each. */
export class DeviceClock {
  #busyUntil = 0;
  readonly #rate: number;
  readonly #fixed: number;

  constructor(model: ThroughputModel = {}) {
    this.#rate = model.bytesPerMillisecond ?? 0;
    this.#fixed = model.fixedMilliseconds ?? 0;
    if (!(this.#rate >= 0) || !(this.#fixed >= 0)) throw new RangeError('throughput model values must be non-negative numbers');
  }

  /** True when requests cost modelled time. */
  get timed(): boolean {
    return this.#rate > 0 || this.#fixed > 0;
  }

  /** Reserves the device for a request of `bytes` and resolves when that request would finish. */
  async occupy(bytes: number): Promise<void> {
    if (!this.timed) return;
    const now = performance.now();
    const cost = this.#fixed + (this.#rate > 0 ? bytes / this.#rate : 0);
    this.#busyUntil = Math.max(now, this.#busyUntil) + cost;
    const wait = this.#busyUntil - now;
    // Timers have millisecond resolution; absolute deadlines keep rounding from accumulating.
    if (wait >= 0.5) await sleep(Math.round(wait));
  }
}
