/**
 * The host's event record: a bounded ring of typed events (newest kept) plus a count per kind that
 * never resets, so the status tool and tests read what happened without scraping console text.
 */
import type { BiosEvent, PostOutcome } from './bios.js';
import type { OsEvent } from './os.js';
import type { PowerChange } from './power.js';
import type { BootMediaReport } from './boot-media.js';

/** Everything the host reports, as a discriminated union on `kind`. */
export type HostEventBody =
  | BiosEvent
  | OsEvent
  | { readonly kind: 'power'; readonly change: PowerChange }
  | { readonly kind: 'nmi'; readonly handledBy: 'os' | 'nobody' }
  | { readonly kind: 'post-outcome'; readonly outcome: PostOutcome['kind'] }
  | { readonly kind: 'internal-error'; readonly message: string }
  /** IDE-R: what the BIOS read from redirected media before booting it (boot-media.ts). */
  | { readonly kind: 'boot-media'; readonly report: BootMediaReport };

export type HostEvent = HostEventBody & { readonly at: number; readonly sequence: number };
export type HostEventKind = HostEventBody['kind'];

export class EventTrace {
  readonly #events: HostEvent[] = [];
  readonly #counts = new Map<HostEventKind, number>();
  readonly #listeners = new Set<(event: HostEvent) => void>();
  #sequence = 0;

  /** @throws RangeError when the capacity is not a positive integer. */
  constructor(readonly capacity = 256) {
    if (!Number.isSafeInteger(capacity) || capacity <= 0) throw new RangeError(`event capacity must be a positive integer, got ${capacity}`);
  }

  record(body: HostEventBody, at: number): HostEvent {
    const event = { ...body, at, sequence: this.#sequence++ } as HostEvent;
    this.#events.push(event);
    if (this.#events.length > this.capacity) this.#events.shift();
    this.#counts.set(body.kind, (this.#counts.get(body.kind) ?? 0) + 1);
    for (const listener of [...this.#listeners]) listener(event);
    return event;
  }

  on(listener: (event: HostEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The retained events, oldest first. */
  events(): readonly HostEvent[] {
    return [...this.#events];
  }

  counts(): Readonly<Partial<Record<HostEventKind, number>>> {
    return Object.fromEntries(this.#counts);
  }
}
