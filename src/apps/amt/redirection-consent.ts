/**
 * The user-consent code on the host's screen (issue 6 §2): while IPS_OptInService has a code to
 * show (StartOptIn until SendOptInCode, CancelOptIn, the third wrong code, or OptInDisplayTimeout /
 * OptInCodeTimeout), the AMT app puts one line over the host's screen through `host:framebuffer`
 * `overlay` ('' removes it), as AMT firmware draws the code over whatever the host displays. It is
 * refreshed after every committed WS-Man request and when the code lapses; it reads the committed
 * state only.
 */
import { OPT_IN, optInCodeToDisplay } from '../../amt/wsman/classes/opt-in.js';
import type { AmtRuntime } from './runtime.js';

/** The line shown; tests read the six digits after the colon. */
export const consentLine = (code: string): string => ` Intel(R) AMT user consent code: ${code} `;

export class ConsentDisplay {
  #shown = '';
  #timer: NodeJS.Timeout | undefined;

  constructor(private readonly runtime: AmtRuntime) {}

  /** Shows, changes or removes the line to match the committed consent state. */
  refresh(): void {
    const now = this.runtime.device.now();
    const code = optInCodeToDisplay(this.runtime.committed, now);
    this.#schedule(code === undefined ? undefined : this.#lapse(now));
    const text = code === undefined ? '' : consentLine(code);
    if (text === this.#shown) return;
    this.#shown = text;
    this.runtime.context.invoke('host:framebuffer', 'overlay', { text }).catch(() => {
      if (this.#shown === text) this.#shown = ''; // not shown: try again at the next refresh
    });
  }

  stop(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** When the shown code stops being shown: the display timeout or the code timeout, whichever is first. */
  #lapse(now: number): number {
    const held = this.runtime.committed.get(OPT_IN);
    return Math.max(now, Math.min(held.startedAt + held.displayTimeout * 1000, held.expiresAt));
  }

  #schedule(at: number | undefined): void {
    this.stop();
    if (at === undefined) return;
    this.#timer = setTimeout(() => this.refresh(), Math.max(10, at - this.runtime.device.now() + 5));
    this.#timer.unref?.();
  }
}
