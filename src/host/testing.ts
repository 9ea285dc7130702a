/**
 * Test helpers for the host model: a recording fake of the engine port (the real engine is wired
 * in the platform integration, not here) and a host on a manual clock.
 */
import { ManualClock } from './clock.js';
import type { EndOfPostReply, EngineHostPort, UmaPlacement } from './engine-port.js';
import type { PowerChange } from './power.js';
import { SimulatedHost, type SimulatedHostOptions } from './simulated-host.js';

/** One call the fake engine received. */
export type EngineCall =
  | { readonly kind: 'dram-init-done'; readonly uma: UmaPlacement; readonly at: number }
  | { readonly kind: 'end-of-post'; readonly at: number }
  | { readonly kind: 'power'; readonly change: PowerChange; readonly at: number };

export interface RecordingEngineOptions {
  readonly endOfPostReply?: EndOfPostReply;
  /** Makes endOfPost reject with this message. */
  readonly endOfPostError?: string;
}

/** A fake engine port that records calls in order (with clock time) and answers End-of-POST as told. */
export class RecordingEnginePort implements EngineHostPort {
  readonly calls: EngineCall[] = [];

  constructor(readonly clock: { now(): number }, readonly options: RecordingEngineOptions = {}) {}

  dramInitDone(uma: UmaPlacement): void {
    this.calls.push({ kind: 'dram-init-done', uma, at: this.clock.now() });
  }

  endOfPost(): Promise<EndOfPostReply> {
    this.calls.push({ kind: 'end-of-post', at: this.clock.now() });
    if (this.options.endOfPostError) return Promise.reject(new Error(this.options.endOfPostError));
    return Promise.resolve(this.options.endOfPostReply ?? { requestedAction: 'continue' });
  }

  hostPowerChanged(change: PowerChange): void {
    this.calls.push({ kind: 'power', change, at: this.clock.now() });
  }

  /** The kinds of calls so far, e.g. ['power', 'dram-init-done', 'end-of-post']. */
  kinds(): string[] {
    return this.calls.map((call) => call.kind);
  }
}

/** A simulated host on a manual clock with a recording fake engine, 4 GiB of (sparse) DRAM and 4 MiB of UMA. */
export function testHost(options: Partial<SimulatedHostOptions> & { engineOptions?: RecordingEngineOptions } = {}): {
  host: SimulatedHost;
  clock: ManualClock;
  engine: RecordingEnginePort;
} {
  const { engineOptions, ...hostOptions } = options;
  const clock = new ManualClock();
  const engine = new RecordingEnginePort(clock, engineOptions);
  const host = new SimulatedHost({ engine, bios: { umaSize: 4 * 1024 * 1024 }, ...hostOptions, clock });
  return { host, clock, engine };
}
