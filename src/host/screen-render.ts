/**
 * Draws the 80×25 text screen as pixels for KVM: 640×400, each cell an 8×16 glyph of the built-in
 * font (screen-font.ts) in the 16 VGA colours (attribute: background bits 4–6, foreground 0–3), the
 * cursor as an underline in the cell's foreground colour. The renderer keeps what it last drew per
 * cell, so each `render` redraws only the cells that changed and returns them as dirty pixel
 * rectangles (runs of cells per row, merged down rows with the same columns). It never consumes the
 * screen's own dirty rectangle, so any number of viewers can each run one.
 */
import type { CursorPosition, TextScreen } from './framebuffer.js';
import { GLYPH_HEIGHT, GLYPH_WIDTH, glyphRows } from './screen-font.js';

export const CELL_WIDTH = GLYPH_WIDTH;
export const CELL_HEIGHT = GLYPH_HEIGHT;

/** The 16 VGA text colours as 0xRRGGBB. */
export const VGA_PALETTE: readonly number[] = [
  0x000000, 0x0000aa, 0x00aa00, 0x00aaaa, 0xaa0000, 0xaa00aa, 0xaa5500, 0xaaaaaa,
  0x555555, 0x5555ff, 0x55ff55, 0x55ffff, 0xff5555, 0xff55ff, 0xffff55, 0xffffff,
];

export interface PixelRect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** The screen's cells (character | attribute << 8, row-major), read through the TextScreen interface. */
export function readCells(screen: TextScreen): Uint16Array {
  const cells = new Uint16Array(screen.columns * screen.rows);
  for (let row = 0; row < screen.rows; row++) {
    for (let column = 0; column < screen.columns; column++) {
      const { character, attribute } = screen.cell(row, column);
      cells[row * screen.columns + column] = ((attribute & 0xff) << 8) | (character.charCodeAt(0) & 0xff);
    }
  }
  return cells;
}

const CURSOR = 0x10000;
const NOTHING_DRAWN = -1;

export class ScreenRenderer {
  readonly width: number;
  readonly height: number;
  /** The picture, 0xRRGGBB, row-major; what an RFB server reads. */
  readonly pixels: Uint32Array;
  readonly #drawn: Int32Array;

  constructor(readonly columns = 80, readonly rows = 25) {
    this.width = columns * CELL_WIDTH;
    this.height = rows * CELL_HEIGHT;
    this.pixels = new Uint32Array(this.width * this.height);
    this.#drawn = new Int32Array(columns * rows).fill(NOTHING_DRAWN);
  }

  /**
   * Brings the picture up to `cells` (and the cursor, if shown); returns the changed areas.
   * @throws RangeError when `cells` is not columns × rows long
   */
  render(cells: Uint16Array, cursor?: CursorPosition): PixelRect[] {
    if (cells.length !== this.#drawn.length) throw new RangeError(`the screen has ${this.#drawn.length} cells, got ${cells.length}`);
    const cursorIndex = cursor ? cursor.row * this.columns + cursor.column : -1;
    const runs: PixelRect[] = [];
    for (let row = 0; row < this.rows; row++) {
      let start = -1;
      for (let column = 0; column <= this.columns; column++) {
        const index = row * this.columns + column;
        const changed = column < this.columns && this.#redraw(index, (cells[index] ?? 0) | (index === cursorIndex ? CURSOR : 0));
        if (changed && start < 0) start = column;
        if (!changed && start >= 0) {
          runs.push({ x: start * CELL_WIDTH, y: row * CELL_HEIGHT, width: (column - start) * CELL_WIDTH, height: CELL_HEIGHT });
          start = -1;
        }
      }
    }
    return mergeDown(runs);
  }

  /** Draws one cell if it differs from what is shown; true when it did. */
  #redraw(index: number, key: number): boolean {
    if (this.#drawn[index] === key) return false;
    this.#drawn[index] = key;
    const foreground = VGA_PALETTE[(key >> 8) & 0x0f] ?? 0;
    const background = VGA_PALETTE[(key >> 12) & 0x07] ?? 0;
    const glyph = glyphRows(key & 0xff);
    const left = (index % this.columns) * CELL_WIDTH;
    const top = Math.floor(index / this.columns) * CELL_HEIGHT;
    for (let y = 0; y < CELL_HEIGHT; y++) {
      const bits = key & CURSOR && y >= CELL_HEIGHT - 2 ? 0xff : (glyph[y] ?? 0);
      const offset = (top + y) * this.width + left;
      for (let x = 0; x < CELL_WIDTH; x++) this.pixels[offset + x] = bits & (0x80 >> x) ? foreground : background;
    }
    return true;
  }
}

/** Merges each rectangle into the one above it when they span the same columns and touch. */
function mergeDown(runs: PixelRect[]): PixelRect[] {
  const out: PixelRect[] = [];
  for (const run of runs) {
    const above = out.findIndex((r) => r.x === run.x && r.width === run.width && r.y + r.height === run.y);
    if (above >= 0) {
      const r = out[above] as PixelRect;
      out[above] = { ...r, height: r.height + run.height };
    } else {
      out.push(run);
    }
  }
  return out;
}
