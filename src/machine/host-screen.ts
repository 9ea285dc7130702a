/**
 * The `host:framebuffer` snapshot (KVM's view of the host screen through the kernel): the text
 * screen's cells as u16 little-endian words (character | attribute << 8) with the cursor, or no
 * cells when the screen's change count is still the caller's `since`.
 */
import type { TextScreen } from '../host/framebuffer.js';
import { readCells } from '../host/screen-render.js';
import type { HostScreenSnapshot } from '../kernel/index.js';

export function hostScreenSnapshot(screen: TextScreen, since: number): HostScreenSnapshot {
  const { row, column } = screen.cursor;
  const base = { changeCount: screen.changeCount, columns: screen.columns, rows: screen.rows, cursorRow: row, cursorColumn: column };
  if (screen.changeCount === since) return { ...base, cells: undefined };
  const cells = readCells(screen);
  const bytes = new Uint8Array(cells.length * 2);
  const view = new DataView(bytes.buffer);
  cells.forEach((word, index) => view.setUint16(index * 2, word, true));
  return { ...base, cells: bytes };
}
