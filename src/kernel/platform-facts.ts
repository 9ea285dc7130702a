/**
 * Per-platform facts the kernel keeps on behalf of the whole engine: every app may read them
 * (capability `platform`, minted for all), only an app granted a fact may set it (capability
 * `platform:<fact>`, e.g. `platform:end-of-post` for mkhi). Each change is an `audit` trace event.
 * End-of-POST is set by the BIOS's MKHI END_OF_POST and cleared when the host resets (the BIOS
 * runs again); apps such as amthi refuse pre-boot-only commands while it is set.
 */
import type { Trace } from './trace.js';

/** What the `platform` capability's `facts` syscall returns. */
export interface PlatformFactsView {
  readonly endOfPost: boolean;
}

export class PlatformFacts {
  #endOfPost = false;

  constructor(readonly trace: Trace) {}

  get endOfPost(): boolean {
    return this.#endOfPost;
  }

  view(): PlatformFactsView {
    return { endOfPost: this.#endOfPost };
  }

  /** Records End-of-POST on behalf of `app`; false when it was already set (nothing changes). */
  setEndOfPost(app: string): boolean {
    if (this.#endOfPost) return false;
    this.#endOfPost = true;
    this.trace.record('audit', { kind: 'platform-fact', app, fact: 'end-of-post', value: true });
    return true;
  }

  /** The host PC reset or lost power: the next POST must send End-of-POST again. */
  hostReset(): void {
    if (!this.#endOfPost) return;
    this.#endOfPost = false;
    this.trace.record('audit', { kind: 'platform-fact', app: 'kernel', fact: 'end-of-post', value: false });
  }
}
