/**
 * The AMT app's `DevicePort` for the WS-Man classes: the host power state as last read from the
 * kernel's platform facts (refreshed before each request), the engine clock, and the queue of
 * actions a request asked for, which the app takes after the request's state is committed
 * (transaction.ts) or drops when the request faulted.
 */
import type { DeviceAction, DevicePort } from '../../amt/wsman/device.js';

/** CIM PowerState 2 (On): what a platform without the host-power fact reports. */
const POWER_ON = 2;

export class AmtDevice implements DevicePort {
  #queued: DeviceAction[] = [];
  /** Set from the platform facts before each request. */
  powerState = POWER_ON;

  constructor(readonly clock: () => number = Date.now) {}

  hostPowerState(): number {
    return this.powerState;
  }

  act(action: DeviceAction): void {
    this.#queued.push(action);
  }

  now(): number {
    return this.clock();
  }

  /** The queued actions, in order; the queue is empty afterwards. */
  take(): DeviceAction[] {
    const actions = this.#queued;
    this.#queued = [];
    return actions;
  }

  drop(): void {
    this.#queued = [];
  }
}
