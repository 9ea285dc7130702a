/**
 * The one power-loss fault injector behind both storage wrappers that simulate a power cut:
 * `FaultInjectingBacking` (src/flash, over a `FlashBacking`) and `FaultInjectingStore`
 * (src/kernel/nvram, over a `PartitionStore`). It counts completed writes and erases, decides which
 * one is torn and how long its landed prefix is, and keeps the "power is off" state afterwards.
 * The wrappers only adapt it to their interface: how a prefix lands on their medium and which
 * error they throw (each side keeps its own `SimulatedPowerLoss` class and code).
 *
 * Why here: src/flash must not depend on src/kernel, and src/kernel/nvram depends only on
 * src/codec and src/common. src/common is below both, so neither gains a new dependency edge.
 *
 * Counting is deterministic: each write and each erase is one operation, reads and syncs are not.
 * The operation whose index reaches `failAfter` is torn (Infinity never fails: it just counts).
 */

/**
 * Counts operations and cuts the power at operation number `failAfter` (0-based). Not a storage
 * wrapper itself: a wrapper calls `ensurePower` before every call and `run` for writes and erases.
 */
export class PowerLossInjector {
  #completed = 0;
  #lost = false;

  constructor(readonly failAfter: number) {}

  /** Writes and erases completed so far (the torn one is not counted). */
  get completed(): number {
    return this.#completed;
  }

  /** Whether the simulated power loss has happened. */
  get lost(): boolean {
    return this.#lost;
  }

  /** @throws the error `powerOff()` builds once the power is lost (the device is off). */
  ensurePower(powerOff: () => Error): void {
    if (this.#lost) throw powerOff();
  }

  /**
   * One write or erase. Before the cut, `whole()` runs and the operation counts. At the cut the
   * power is marked lost, then `tear(operationIndex)` lands the prefix on the inner medium and
   * returns the error to throw; the torn operation is not counted.
   */
  run(whole: () => void, tear: (operationIndex: number) => Error): void {
    if (this.#completed >= this.failAfter) {
      this.#lost = true;
      throw tear(this.#completed);
    }
    whole();
    this.#completed += 1;
  }
}

/**
 * Landed bytes of a torn operation of `length` bytes given as a byte count, or a function of the
 * length; default half. Rounded down and clamped to [0, length] (the whole operation may land).
 */
export function tornPrefixFromCount(want: number | ((length: number) => number) | undefined, length: number): number {
  const n = want === undefined ? Math.floor(length / 2) : typeof want === 'number' ? want : want(length);
  return Math.max(0, Math.min(length, Math.floor(n)));
}

/**
 * Landed bytes of a torn operation of `length` bytes given as a fraction of its `unit`s (1 for the
 * bytes of a write, the sector size for an erase): whole units only, rounded down. The fraction is
 * clamped to [0, 1), so at least the last unit never lands.
 */
export function tornPrefixFromFraction(fraction: number, length: number, unit = 1): number {
  const f = Math.min(Math.max(fraction, 0), 0.999999);
  return Math.floor(f * (length / unit)) * unit;
}
