/**
 * Typed trace events in bounded rings, one ring per component, plus a counter per event kind.
 * Rings are allocated on first use and overwrite their oldest entry when full, so a platform's
 * trace costs at most `capacity` entries per component however long it runs. The status tools
 * read `snapshot()`; nothing here is free text to scrape.
 */
import type { NvramEvent } from './nvram/index.js';

/** `integrity`: the kernel faulted the instance because its engine memory failed integrity at page-in. */
export type FaultKind = 'threw' | 'hung' | 'memory' | 'worker-lost' | 'integrity';
export type WakeReason = 'heci' | 'network' | 'timer' | 'call';

/** Every event the kernel records (a discriminated union on `kind`). */
export type TraceEvent =
  | { readonly kind: 'app-loaded'; readonly app: string; readonly capabilities: number }
  | { readonly kind: 'app-ready'; readonly app: string; readonly incarnation: number; readonly ms: number }
  | { readonly kind: 'capability-denied'; readonly app: string; readonly capability: string; readonly operation: string; readonly reason: string }
  | { readonly kind: 'call-denied'; readonly caller: string; readonly callee: string; readonly operation: string; readonly code: string }
  | { readonly kind: 'call'; readonly caller: string; readonly callee: string; readonly operation: string; readonly ok: boolean }
  | { readonly kind: 'host-message'; readonly client: string; readonly app: string; readonly bytes: number; readonly ok: boolean }
  /** A host connected to or disconnected from an app's HECI client (`ok`: the app took the event). */
  | { readonly kind: 'host-connection'; readonly client: string; readonly app: string; readonly event: 'connected' | 'disconnected'; readonly ok: boolean }
  | { readonly kind: 'app-fault'; readonly app: string; readonly fault: FaultKind; readonly message: string }
  | { readonly kind: 'app-restart'; readonly app: string; readonly restarts: number; readonly delayMs: number }
  | { readonly kind: 'app-given-up'; readonly app: string; readonly restarts: number; readonly windowMs: number }
  | { readonly kind: 'nvram'; readonly event: NvramEvent }
  | { readonly kind: 'nvram-unavailable'; readonly code: string; readonly message: string }
  /** An app used NVRAM while it is unavailable (mount failed) and got `code`. */
  | { readonly kind: 'nvram-refused'; readonly app: string; readonly operation: string; readonly code: string }
  /** A page-in found the app's page modified, swapped or replayed in UMA; the instance is faulted. */
  | { readonly kind: 'page-integrity-fault'; readonly app: string; readonly incarnation: number; readonly page: number; readonly message: string }
  /** Engine memory is SRAM-only (no UMA reserved yet): an app's request needing a page-out was refused. */
  | { readonly kind: 'memory-degraded'; readonly app: string; readonly operation: string; readonly code: string }
  | { readonly kind: 'power'; readonly state: 'asleep' | 'awake'; readonly reason: WakeReason | 'idle' }
  | { readonly kind: 'host-control'; readonly app: string; readonly control: string; readonly request: string }
  | { readonly kind: 'platform-fact'; readonly app: string; readonly fact: 'end-of-post'; readonly value: boolean }
  /** A granted listener was bound on the platform's network address, or could not be (`error`). */
  | { readonly kind: 'net-listen'; readonly app: string; readonly protocol: 'tcp' | 'udp'; readonly address: string; readonly port: number; readonly ok: boolean; readonly error?: string }
  /** A connection was accepted and closed at once: the listener is full or the app is not running. */
  | { readonly kind: 'net-refused'; readonly app: string; readonly port: number; readonly reason: 'limit' | 'not-running' }
  /** A peer stopped reading and more than the cap was queued toward it: the connection was destroyed. */
  | { readonly kind: 'net-capped'; readonly app: string; readonly port: number; readonly connection: number; readonly queuedBytes: number }
  /** A datagram was not answered: too many in flight, the app failed or it replied with something other than bytes. */
  | { readonly kind: 'net-dropped'; readonly app: string; readonly port: number; readonly reason: 'busy' | 'failed' | 'bad-reply' }
  /** An app named a connection that is not its own (never issued to this instance). */
  | { readonly kind: 'net-denied'; readonly app: string; readonly connection: number; readonly operation: string };

export type TraceKind = TraceEvent['kind'];
export const TRACE_COMPONENTS = ['kernel', 'audit', 'ipc', 'supervisor', 'nvram', 'power', 'host', 'uma', 'net'] as const;
export type TraceComponent = (typeof TRACE_COMPONENTS)[number];

/** A recorded event: when (ms since the engine's epoch) and a sequence number across components. */
export interface TraceRecord {
  readonly sequence: number;
  readonly atMs: number;
  readonly event: TraceEvent;
}

/** A fixed-capacity ring: the newest `capacity` records, oldest first on read. */
export class TraceRing {
  readonly #slots: (TraceRecord | undefined)[];
  #next = 0;
  #dropped = 0;

  constructor(readonly capacity: number) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) throw new RangeError(`ring capacity must be a positive integer, got ${capacity}`);
    this.#slots = new Array<TraceRecord | undefined>(capacity);
  }

  push(record: TraceRecord): void {
    const index = this.#next % this.capacity;
    if (this.#slots[index] !== undefined) this.#dropped++;
    this.#slots[index] = record;
    this.#next++;
  }

  /** Records oldest first. */
  records(): TraceRecord[] {
    const start = Math.max(0, this.#next - this.capacity);
    const out: TraceRecord[] = [];
    for (let i = start; i < this.#next; i++) {
      const record = this.#slots[i % this.capacity];
      if (record) out.push(record);
    }
    return out;
  }

  /** Records overwritten because the ring was full. */
  get dropped(): number {
    return this.#dropped;
  }
}

/** What `Trace.snapshot()` returns (plain data, JSON-ready). */
export interface TraceSnapshot {
  readonly rings: Partial<Record<TraceComponent, { records: TraceRecord[]; dropped: number }>>;
  readonly counters: Record<string, number>;
}

/** One engine's trace: lazily created rings per component and counters `component.kind`. */
export class Trace {
  readonly #rings = new Map<TraceComponent, TraceRing>();
  readonly #counters = new Map<string, number>();
  readonly #epoch = performance.now();
  #sequence = 0;

  constructor(readonly capacity = 64) {}

  record(component: TraceComponent, event: TraceEvent): void {
    let ring = this.#rings.get(component);
    if (!ring) {
      ring = new TraceRing(this.capacity);
      this.#rings.set(component, ring);
    }
    ring.push({ sequence: this.#sequence++, atMs: Math.round((performance.now() - this.#epoch) * 1000) / 1000, event });
    this.count(`${component}.${event.kind}`);
  }

  /** Adds to a named counter (also used for counts that are not events, e.g. `ipc.calls`). */
  count(name: string, by = 1): void {
    this.#counters.set(name, (this.#counters.get(name) ?? 0) + by);
  }

  counter(name: string): number {
    return this.#counters.get(name) ?? 0;
  }

  /** Events of one component, oldest first. */
  events(component: TraceComponent): TraceEvent[] {
    return (this.#rings.get(component)?.records() ?? []).map((r) => r.event);
  }

  snapshot(): TraceSnapshot {
    const rings: Partial<Record<TraceComponent, { records: TraceRecord[]; dropped: number }>> = {};
    for (const [component, ring] of this.#rings) rings[component] = { records: ring.records(), dropped: ring.dropped };
    return { rings, counters: Object.fromEntries(this.#counters) };
  }
}
