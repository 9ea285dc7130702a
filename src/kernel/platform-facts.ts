/**
 * Per-platform facts the kernel keeps on behalf of the whole engine: every app may read them
 * (capability `platform`, minted for all), only an app granted a fact may set it (capability
 * `platform:<fact>`, e.g. `platform:end-of-post` for mkhi). Each change is an `audit` trace event.
 * End-of-POST is set by the BIOS's MKHI END_OF_POST and cleared when the host resets (the BIOS
 * runs again); apps such as amt refuse pre-boot-only commands while it is set.
 * Every change is also pushed to subscribers (the kernel posts it to each app instance, so an app
 * reads the facts locally instead of a syscall per request; the `facts` syscall stays).
 */
import type { Trace } from './trace.js';

/** What the `platform` capability's `facts` syscall returns. */
export interface PlatformFactsView {
  readonly endOfPost: boolean;
  /** The host's power state as a CIM PowerState number (2 on, 4 sleep, 7 hibernate, 8 soft off, 6 mechanical off). */
  readonly hostPower: number;
}

/** CIM PowerState 8 (Off - Soft): a machine creates its host powered off, before the first change arrives. */
const HOST_POWER_INITIAL = 8;

export class PlatformFacts {
  #endOfPost = false;
  #hostPower = HOST_POWER_INITIAL;
  readonly #listeners = new Set<(view: PlatformFactsView) => void>();

  constructor(readonly trace: Trace) {}

  get endOfPost(): boolean {
    return this.#endOfPost;
  }

  /** The host's CIM PowerState as the platform last reported it (the AMT app reads it through `facts`). */
  get hostPower(): number {
    return this.#hostPower;
  }

  view(): PlatformFactsView {
    return { endOfPost: this.#endOfPost, hostPower: this.#hostPower };
  }

  /** Calls `listener` with the new view after every change (synchronously); returns the unsubscribe function. */
  subscribe(listener: (view: PlatformFactsView) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #changed(): void {
    const view = this.view();
    for (const listener of this.#listeners) listener(view);
  }

  /**
   * The platform (the machine's engine port) reports every host power change here. An observation
   * of the host, not a grant: no app sets it, so it is not an audit event (the host traces it).
   * @throws RangeError for a value that is not a CIM PowerState (0..65535).
   */
  setHostPower(state: number): void {
    if (!Number.isSafeInteger(state) || state < 0 || state > 0xffff) throw new RangeError(`host power state ${state} is not a CIM PowerState`);
    if (this.#hostPower === state) return;
    this.#hostPower = state;
    this.#changed();
  }

  /** Records End-of-POST on behalf of `app`; false when it was already set (nothing changes). */
  setEndOfPost(app: string): boolean {
    if (this.#endOfPost) return false;
    this.#endOfPost = true;
    this.trace.record('audit', { kind: 'platform-fact', app, fact: 'end-of-post', value: true });
    this.#changed();
    return true;
  }

  /** The host PC reset or lost power: the next POST must send End-of-POST again. */
  hostReset(): void {
    if (!this.#endOfPost) return;
    this.#endOfPost = false;
    this.trace.record('audit', { kind: 'platform-fact', app: 'kernel', fact: 'end-of-post', value: false });
    this.#changed();
  }
}
