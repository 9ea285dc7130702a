/**
 * Pointer events from one RFB client on their way to the host, bounded: only changes pass (a
 * repeated position and mask is dropped), at most `perSecond` reach the host in any one-second
 * window, and while over budget they wait in a short queue where moves merge into the latest
 * move and button changes keep their order (so a click is never lost to merging). A full queue
 * drops the newest event (`dropped` counts them). A flood of PointerEvents thus costs the host at
 * most `perSecond` calls a second and this session at most `maxQueued` events of memory.
 */
import type { PointerEvent } from '../../host/pointer.js';

export interface PointerLimitOptions {
  /** Events forwarded per one-second window (default 60). */
  readonly perSecond?: number;
  /** Events held while over budget (default 32). */
  readonly maxQueued?: number;
  readonly now?: () => number;
}

const same = (a: PointerEvent | undefined, b: PointerEvent): boolean => a !== undefined && a.x === b.x && a.y === b.y && a.buttons === b.buttons;

export class PointerLimiter {
  readonly #forward: (event: PointerEvent) => void;
  readonly #perSecond: number;
  readonly #maxQueued: number;
  readonly #now: () => number;
  #queue: PointerEvent[] = [];
  #last: PointerEvent | undefined;
  #windowStart = -Infinity;
  #sent = 0;
  #timer: NodeJS.Timeout | undefined;
  #dropped = 0;

  constructor(forward: (event: PointerEvent) => void, options: PointerLimitOptions = {}) {
    this.#forward = forward;
    this.#perSecond = options.perSecond ?? 60;
    this.#maxQueued = options.maxQueued ?? 32;
    this.#now = options.now ?? ((): number => performance.now());
  }

  /** Events dropped because the queue was full. */
  get dropped(): number {
    return this.#dropped;
  }

  /** Events waiting for the next window. */
  get queued(): number {
    return this.#queue.length;
  }

  offer(event: PointerEvent): void {
    if (this.#queue.length > 0) this.#drain(); // a new window may have begun before the timer ran
    const tail = this.#queue.at(-1);
    if (same(tail ?? this.#last, event)) return;
    const beforeTail = this.#queue.at(-2) ?? this.#last;
    if (tail && tail.buttons === event.buttons && (beforeTail === undefined || beforeTail.buttons === tail.buttons)) this.#queue[this.#queue.length - 1] = event; // a move replaces a move
    else if (this.#queue.length >= this.#maxQueued) this.#dropped++;
    else this.#queue.push(event);
    this.#drain();
  }

  /** The session ended: forget what waits. */
  close(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#queue = [];
  }

  #drain(): void {
    const now = this.#now();
    if (now - this.#windowStart >= 1000) {
      this.#windowStart = now;
      this.#sent = 0;
    }
    while (this.#queue.length > 0 && this.#sent < this.#perSecond) {
      const event = this.#queue.shift() as PointerEvent;
      this.#sent++;
      this.#last = event;
      this.#forward(event);
    }
    if (this.#queue.length > 0 && !this.#timer) {
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        this.#drain();
      }, Math.max(1, this.#windowStart + 1000 - now));
      this.#timer.unref();
    }
  }
}
