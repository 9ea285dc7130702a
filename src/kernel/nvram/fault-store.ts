/**
 * A store wrapper that simulates power loss: after `failAfter` completed write/erase calls, the next
 * one is torn (a prefix of its bytes, or of its sectors for an erase, reaches the inner store) and
 * throws `SimulatedPowerLoss`; every later call throws too, as the power is off. Deterministic.
 * The counting, the torn prefix and the power-off state are the shared `PowerLossInjector`
 * (src/common/power-loss.ts, also behind the flash layer's `FaultInjectingBacking`).
 */
import { PowerLossInjector, tornPrefixFromFraction } from '../../common/power-loss.js';
import { SimulatedPowerLoss } from './errors.js';
import type { PartitionStore } from './store.js';

export interface FaultPlan {
  /** Number of write/erase calls that complete before the torn one; Infinity never fails. */
  readonly failAfter: number;
  /**
   * How much of the torn operation lands, as a fraction in [0, 1) of its bytes (write) or sectors
   * (erase); rounded down. Given a function, it is called with the operation index.
   */
  readonly tornFraction?: number | ((operationIndex: number) => number);
}

export class FaultInjectingStore implements PartitionStore {
  readonly #power: PowerLossInjector;

  constructor(readonly inner: PartitionStore, readonly plan: FaultPlan) {
    this.#power = new PowerLossInjector(plan.failAfter);
  }

  get size(): number {
    return this.inner.size;
  }

  get sectorSize(): number {
    return this.inner.sectorSize;
  }

  /** Write/erase calls completed so far (use with failAfter = Infinity to size a workload). */
  get completedOperations(): number {
    return this.#power.completed;
  }

  /** Whether the simulated power loss has happened. */
  get tripped(): boolean {
    return this.#power.lost;
  }

  read(offset: number, length: number): Uint8Array {
    this.#checkPower('write');
    return this.inner.read(offset, length);
  }

  write(offset: number, data: Uint8Array): void {
    this.#checkPower('write');
    this.#power.run(() => this.inner.write(offset, data), (index) => {
      const landed = tornPrefixFromFraction(this.#fraction(index), data.length);
      if (landed > 0) this.inner.write(offset, data.subarray(0, landed));
      return new SimulatedPowerLoss(index, 'write', landed);
    });
  }

  erase(offset: number, length: number): void {
    this.#checkPower('erase');
    this.#power.run(() => this.inner.erase(offset, length), (index) => {
      const landed = tornPrefixFromFraction(this.#fraction(index), length, this.sectorSize);
      if (landed > 0) this.inner.erase(offset, landed);
      return new SimulatedPowerLoss(index, 'erase', landed);
    });
  }

  sync(): void {
    this.#checkPower('write');
    this.inner.sync?.();
  }

  #fraction(operationIndex: number): number {
    const f = this.plan.tornFraction ?? 0.5;
    return typeof f === 'function' ? f(operationIndex) : f;
  }

  #checkPower(operation: 'write' | 'erase'): void {
    this.#power.ensurePower(() => new SimulatedPowerLoss(this.#power.completed, operation, 0));
  }
}
