/**
 * Mirrors a text screen to an ANSI terminal, as BIOS console redirection does over a serial port:
 * VGA colours become SGR colours, and after the first frame only the rows that changed are sent,
 * then the cursor position. The mirror keeps its own copy of what it sent, so it does not consume
 * the screen's dirty rectangle (which KVM uses).
 */
import type { TextScreen } from '../framebuffer.js';

/** VGA colour index → ANSI colour index (VGA: blue is 1, red 4; ANSI: red 1, blue 4). */
const VGA_TO_ANSI = [0, 4, 2, 6, 1, 5, 3, 7] as const;

function sgr(attribute: number): string {
  const foreground = attribute & 0x0f;
  const background = (attribute >> 4) & 0x07;
  const fg = (foreground & 0x08 ? 90 : 30) + (VGA_TO_ANSI[foreground & 0x07] ?? 7);
  return `\x1b[0;${fg};${40 + (VGA_TO_ANSI[background] ?? 0)}m`;
}

/** One row as ANSI text (colour changes only where the attribute changes). */
function renderRow(screen: TextScreen, row: number): string {
  let out = '';
  let current = -1;
  for (let column = 0; column < screen.columns; column++) {
    const { character, attribute } = screen.cell(row, column);
    if (attribute !== current) {
      out += sgr(attribute);
      current = attribute;
    }
    out += character;
  }
  return out;
}

export class AnsiMirror {
  #rows: string[] = [];

  /** The ANSI text that brings the terminal from the last frame to `screen`'s current content. */
  frame(screen: TextScreen): string {
    const first = this.#rows.length === 0;
    let out = first ? '\x1b[0m\x1b[2J' : '';
    for (let row = 0; row < screen.rows; row++) {
      const text = renderRow(screen, row);
      if (!first && this.#rows[row] === text) continue;
      this.#rows[row] = text;
      out += `\x1b[${row + 1};1H${text}`;
    }
    const { row, column } = screen.cursor;
    return `${out}\x1b[0m\x1b[${row + 1};${column + 1}H`;
  }

  /** Forget what was sent (the next frame is drawn in full). */
  reset(): void {
    this.#rows = [];
  }
}
