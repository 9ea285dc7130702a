/**
 * Timeouts for waiting reads and notification waits without a timer per wait: one timer per list,
 * armed for the earliest deadline, referenced only while someone waits. A wait that completes in
 * time costs no timer operation at all (the common case on a request/reply bus).
 */
export interface Deadline {
  readonly expiresAt: number;
  /** Called once if the deadline passes while still waiting. */
  readonly expire: () => void;
}

export class DeadlineList<T extends Deadline> {
  readonly #waiting = new Set<T>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #armedFor = Infinity;

  add(waiter: T): void {
    this.#waiting.add(waiter);
    if (waiter.expiresAt < this.#armedFor) this.#arm(waiter.expiresAt);
    this.#timer?.ref();
  }

  /** Stops waiting for `waiter` (it completed); returns false when it had already expired or left. */
  remove(waiter: T): boolean {
    const present = this.#waiting.delete(waiter);
    if (this.#waiting.size === 0) this.#timer?.unref();
    return present;
  }

  /** The first waiter in arrival order, if any. */
  first(): T | undefined {
    for (const waiter of this.#waiting) return waiter;
    return undefined;
  }

  /** Removes and returns everyone waiting. */
  drain(): T[] {
    const all = [...this.#waiting];
    this.#waiting.clear();
    this.#timer?.unref();
    return all;
  }

  #arm(at: number): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#armedFor = at;
    this.#timer = setTimeout(() => this.#expire(), Math.max(0, at - Date.now()));
  }

  #expire(): void {
    this.#timer = undefined;
    this.#armedFor = Infinity;
    const now = Date.now();
    let next = Infinity;
    for (const waiter of [...this.#waiting]) {
      if (waiter.expiresAt <= now) {
        this.#waiting.delete(waiter);
        waiter.expire();
      } else next = Math.min(next, waiter.expiresAt);
    }
    if (next !== Infinity) this.#arm(next);
  }
}
