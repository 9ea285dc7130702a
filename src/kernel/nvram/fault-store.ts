/**
 * A store wrapper that simulates power loss: after `failAfter` completed write/erase calls, the next
 * one is torn (a prefix of its bytes, or of its sectors for an erase, reaches the inner store) and
 * throws `SimulatedPowerLoss`; every later call throws too, as the power is off. Deterministic.
 */
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
  #completed = 0;
  #dead = false;

  constructor(readonly inner: PartitionStore, readonly plan: FaultPlan) {}

  get size(): number {
    return this.inner.size;
  }

  get sectorSize(): number {
    return this.inner.sectorSize;
  }

  /** Write/erase calls completed so far (use with failAfter = Infinity to size a workload). */
  get completedOperations(): number {
    return this.#completed;
  }

  /** Whether the simulated power loss has happened. */
  get tripped(): boolean {
    return this.#dead;
  }

  read(offset: number, length: number): Uint8Array {
    this.#checkPower('write', 0);
    return this.inner.read(offset, length);
  }

  write(offset: number, data: Uint8Array): void {
    this.#checkPower('write', 0);
    if (this.#completed === this.plan.failAfter) {
      const landed = Math.floor(this.#fraction() * data.length);
      if (landed > 0) this.inner.write(offset, data.subarray(0, landed));
      this.#trip('write', landed);
    }
    this.inner.write(offset, data);
    this.#completed++;
  }

  erase(offset: number, length: number): void {
    this.#checkPower('erase', 0);
    if (this.#completed === this.plan.failAfter) {
      const sectors = Math.floor(this.#fraction() * (length / this.sectorSize));
      if (sectors > 0) this.inner.erase(offset, sectors * this.sectorSize);
      this.#trip('erase', sectors * this.sectorSize);
    }
    this.inner.erase(offset, length);
    this.#completed++;
  }

  sync(): void {
    this.#checkPower('write', 0);
    this.inner.sync?.();
  }

  #fraction(): number {
    const f = this.plan.tornFraction ?? 0.5;
    const value = typeof f === 'function' ? f(this.#completed) : f;
    return Math.min(Math.max(value, 0), 0.999999);
  }

  #checkPower(operation: 'write' | 'erase', landed: number): void {
    if (this.#dead) throw new SimulatedPowerLoss(this.#completed, operation, landed);
  }

  #trip(operation: 'write' | 'erase', landed: number): never {
    this.#dead = true;
    throw new SimulatedPowerLoss(this.#completed, operation, landed);
  }
}
