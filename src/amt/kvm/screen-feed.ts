/**
 * One rendered picture of a `ScreenSource` shared by every RFB session of a device: `refresh()`
 * fetches the screen when its change count moved, redraws the changed cells (ScreenRenderer) and
 * tells each subscriber the dirty rectangles; while anyone is subscribed it polls at `pollMs`.
 * Concurrent refreshes share one fetch.
 */
import { ScreenRenderer, type PixelRect } from '../../host/screen-render.js';
import type { ScreenSource } from './screen-source.js';

export class ScreenFeed {
  readonly renderer: ScreenRenderer;
  readonly #listeners = new Set<(rects: readonly PixelRect[]) => void>();
  #changeCount = -1;
  #refreshing: Promise<void> | undefined;
  #timer: NodeJS.Timeout | undefined;

  constructor(readonly source: ScreenSource, readonly pollMs = 40, columns = 80, rows = 25) {
    this.renderer = new ScreenRenderer(columns, rows);
  }

  /** Fetches and redraws if the screen changed; subscribers hear the dirty rectangles. */
  refresh(): Promise<void> {
    this.#refreshing ??= this.#fetch().finally(() => {
      this.#refreshing = undefined;
    });
    return this.#refreshing;
  }

  /** Subscribes to dirty rectangles (and starts polling); returns the unsubscribe function. */
  subscribe(listener: (rects: readonly PixelRect[]) => void): () => void {
    this.#listeners.add(listener);
    this.#timer ??= setInterval(() => void this.refresh().catch(() => undefined), this.pollMs).unref();
    return () => {
      this.#listeners.delete(listener);
      if (this.#listeners.size === 0) this.stop();
    };
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  async #fetch(): Promise<void> {
    const frame = await this.source.frame(this.#changeCount);
    if (!frame || frame.columns !== this.renderer.columns || frame.rows !== this.renderer.rows) return;
    this.#changeCount = frame.changeCount;
    const rects = this.renderer.render(frame.cells, frame.cursor);
    if (rects.length > 0) for (const listener of [...this.#listeners]) listener(rects);
  }
}
