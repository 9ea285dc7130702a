/**
 * The physical link between the host driver and the firmware bus: two circular buffers (host→ME
 * and ME→host) and the interrupts that tell each side to drain. A writer whose buffer lacks room
 * waits (its frames stay in a bounded pending queue) until the reader frees slots, as the Linux
 * driver waits for empty slots. An interrupt raised while the link is idle is served at once; one
 * raised while it is serving is picked up by the running loop, so neither side re-enters the other.
 * [brief me-internals §3.1]
 */
import { CircularBuffer, DEFAULT_BUFFER_DEPTH } from './circular-buffer.js';

export interface LinkEndpoints {
  /** The firmware bus's input (ME side reads H_CB_WW). */
  readonly engine: (frame: Uint8Array) => void;
  /** The host driver's input (host side reads ME_CB_RW). */
  readonly host: (frame: Uint8Array) => void;
}

/** Frames a side may have waiting for buffer room; credits keep real traffic far below this. */
export const LINK_PENDING_LIMIT = 4096;

export class HeciLink {
  readonly hostToEngine: CircularBuffer;
  readonly engineToHost: CircularBuffer;
  /** Frames dropped because a pending queue overflowed, or read back corrupt (both are bugs in a side). */
  dropped = 0;
  #endpoints: LinkEndpoints | undefined;
  readonly #pendingFromHost: Uint8Array[] = [];
  readonly #pendingFromEngine: Uint8Array[] = [];
  #running = false;

  constructor(depth = DEFAULT_BUFFER_DEPTH) {
    this.hostToEngine = new CircularBuffer(depth);
    this.engineToHost = new CircularBuffer(depth);
  }

  get maxFragmentBytes(): number {
    return this.hostToEngine.maxFragmentBytes;
  }

  attach(endpoints: LinkEndpoints): void {
    this.#endpoints = endpoints;
  }

  /** The host driver writes one fragment and raises H_IG. */
  hostTransmit(frame: Uint8Array): void {
    this.#enqueue(this.#pendingFromHost, frame);
  }

  /** The firmware writes one fragment and raises ME_IG. */
  engineTransmit(frame: Uint8Array): void {
    this.#enqueue(this.#pendingFromEngine, frame);
  }

  /** H_RST: both buffers and everything waiting are discarded. */
  reset(): void {
    this.hostToEngine.reset();
    this.engineToHost.reset();
    this.#pendingFromHost.length = 0;
    this.#pendingFromEngine.length = 0;
  }

  #enqueue(queue: Uint8Array[], frame: Uint8Array): void {
    if (queue.length >= LINK_PENDING_LIMIT) {
      this.dropped += 1;
      return;
    }
    queue.push(frame);
    if (!this.#running) this.#run();
  }

  /** Moves frames into the buffers and drains them until both directions are idle. */
  #run(): void {
    const endpoints = this.#endpoints;
    if (endpoints === undefined) return;
    this.#running = true;
    try {
      let moved = true;
      while (moved) {
        moved = this.#pump(this.#pendingFromHost, this.hostToEngine, endpoints.engine);
        moved = this.#pump(this.#pendingFromEngine, this.engineToHost, endpoints.host) || moved;
      }
    } finally {
      this.#running = false;
    }
  }

  #pump(pending: Uint8Array[], buffer: CircularBuffer, reader: (frame: Uint8Array) => void): boolean {
    let moved = false;
    for (;;) {
      const next = pending[0];
      if (next !== undefined && buffer.write(next)) {
        pending.shift();
        moved = true;
        continue;
      }
      const read = buffer.read();
      if (read.kind === 'empty') return moved;
      moved = true;
      if (read.kind === 'corrupt') this.dropped += 1;
      else reader(read.frame);
    }
  }
}
