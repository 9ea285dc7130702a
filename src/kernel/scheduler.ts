/**
 * One timer for many engines: a min-heap of deadlines served by a single unref'd `setTimeout`
 * armed for the earliest one. Idle timers and restart back-offs of every platform in the process
 * go here, so 10,000 idle platforms cost 10,000 heap entries, not 10,000 timers.
 */

/** A scheduled callback; `cancel()` removes it lazily (it is skipped when it reaches the top). */
export interface ScheduledTask {
  readonly dueAt: number;
  cancel(): void;
  readonly cancelled: boolean;
}

interface Entry extends ScheduledTask {
  readonly run: () => void;
  cancelled: boolean;
}

/** A shared deadline scheduler over the monotonic clock (`performance.now()`). */
export class Scheduler {
  readonly #heap: Entry[] = [];
  #timer: NodeJS.Timeout | undefined;
  #timerDue = Infinity;
  #live = 0;

  /** Runs `run` after `delayMs` (≥ 0); exceptions from `run` are reported to `onError`. */
  schedule(delayMs: number, run: () => void): ScheduledTask {
    const entry: Entry = {
      dueAt: performance.now() + Math.max(0, delayMs), run, cancelled: false,
      cancel: () => {
        if (!entry.cancelled) this.#live--;
        entry.cancelled = true;
      },
    };
    this.#live++;
    this.#push(entry);
    this.#arm();
    return entry;
  }

  /** Tasks scheduled and not yet run or cancelled. */
  get pending(): number {
    return this.#live;
  }

  constructor(readonly onError: (error: unknown) => void = (error) => queueMicrotask(() => { throw error; })) {}

  #fire(): void {
    this.#timer = undefined;
    this.#timerDue = Infinity;
    const now = performance.now();
    for (let top = this.#heap[0]; top && top.dueAt <= now; top = this.#heap[0]) {
      this.#pop();
      if (top.cancelled) continue;
      top.cancelled = true;
      this.#live--;
      try {
        top.run();
      } catch (error) {
        this.onError(error);
      }
    }
    this.#arm();
  }

  #arm(): void {
    while (this.#heap[0]?.cancelled) this.#pop();
    const top = this.#heap[0];
    if (!top || top.dueAt >= this.#timerDue) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timerDue = top.dueAt;
    this.#timer = setTimeout(() => this.#fire(), Math.max(0, Math.ceil(top.dueAt - performance.now())));
    this.#timer.unref();
  }

  #push(entry: Entry): void {
    const heap = this.#heap;
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent] as Entry;
      if (p.dueAt <= entry.dueAt) break;
      heap[i] = p;
      i = parent;
    }
    heap[i] = entry;
  }

  #pop(): void {
    const heap = this.#heap;
    const last = heap.pop();
    if (!last || heap.length === 0) return;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child = right < heap.length && (heap[right] as Entry).dueAt < (heap[left] as Entry).dueAt ? right : left;
      if ((heap[child] as Entry).dueAt >= last.dueAt) break;
      heap[i] = heap[child] as Entry;
      i = child;
    }
    heap[i] = last;
  }
}

let shared: Scheduler | undefined;

/** The process-wide scheduler every engine uses unless given its own. */
export function sharedScheduler(): Scheduler {
  shared ??= new Scheduler();
  return shared;
}
