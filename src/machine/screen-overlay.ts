/**
 * A line the firmware draws over the host's screen (`host:framebuffer` overlay), as AMT draws the
 * user-consent code over whatever the host shows: right-aligned on the top row, white on blue.
 * The host keeps writing its own text; whenever the screen changes the line is drawn again (a
 * short timer compares the change counter), so scrolling or a cleared screen cannot hide it.
 * Removing it blanks the cells it used.
 */
import type { TextFramebuffer } from '../host/index.js';

const ATTRIBUTE = 0x1f;
const BLANK_ATTRIBUTE = 0x07;
const REDRAW_MS = 100;

export class ScreenOverlay {
  #text = '';
  #drawnAt = -1;
  #timer: NodeJS.Timeout | undefined;

  constructor(private readonly screen: TextFramebuffer) {}

  get text(): string {
    return this.#text;
  }

  /** Shows `text` (at most one row; '' removes the line). */
  show(text: string): boolean {
    const line = text.slice(0, this.screen.columns);
    if (line === this.#text) return true;
    this.#erase();
    this.#text = line;
    if (line === '') {
      this.stop();
      return true;
    }
    this.#draw();
    this.#timer ??= setInterval(() => this.#redraw(), REDRAW_MS);
    this.#timer.unref();
    return true;
  }

  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #column(): number {
    return this.screen.columns - this.#text.length;
  }

  #draw(): void {
    this.screen.putText(0, this.#column(), this.#text, ATTRIBUTE);
    this.#drawnAt = this.screen.changeCount;
  }

  #redraw(): void {
    if (this.#text !== '' && this.screen.changeCount !== this.#drawnAt) this.#draw();
  }

  #erase(): void {
    if (this.#text !== '') this.screen.putText(0, this.#column(), ' '.repeat(this.#text.length), BLANK_ATTRIBUTE);
  }
}
