/**
 * The MEBX screen layout on the 80×25 text framebuffer, in the style of the real MEBx: white on
 * blue, a title bar, the screen's heading, a body, a key help line and a status line. Text is
 * 7-bit ASCII only (the framebuffer shows anything else as '?').
 */
import type { TextFramebuffer } from '../framebuffer.js';

export const ATTRIBUTE = {
  background: 0x17, // light grey on blue
  title: 0x1f, // white on blue
  heading: 0x1e, // yellow on blue
  selected: 0x71, // blue on light grey
  dim: 0x13, // cyan on blue
  box: 0x70, // black on light grey
  field: 0x0f, // white on black
  error: 0x4f, // white on red
  info: 0x2f, // white on green
} as const;

export const LAYOUT = { titleRow: 0, copyrightRow: 1, headingRow: 3, bodyTop: 5, bodyRows: 16, helpRow: 22, statusRow: 24, width: 80 } as const;

export const TITLE = 'Intel(R) Management Engine BIOS Extension v1.0 (vme model)';
export const COPYRIGHT = 'A model built from public specifications, not Intel firmware.';

/** Text padded or cut to exactly `width` characters. */
export const fit = (text: string, width: number): string => (text.length >= width ? text.slice(0, width) : text + ' '.repeat(width - text.length));

/** `text` centred in a line of `width`. */
export const centre = (text: string, width: number = LAYOUT.width): string => fit(' '.repeat(Math.max(0, Math.floor((width - text.length) / 2))) + text, width);

/** Clears the screen to the MEBX background and draws the title, heading and help line. */
export function drawFrame(screen: TextFramebuffer, heading: string, help: string): void {
  screen.setAttribute(ATTRIBUTE.background);
  screen.clear();
  screen.putText(LAYOUT.titleRow, 0, centre(TITLE), ATTRIBUTE.title);
  screen.putText(LAYOUT.copyrightRow, 0, centre(COPYRIGHT), ATTRIBUTE.background);
  screen.putText(LAYOUT.copyrightRow + 1, 0, '='.repeat(LAYOUT.width), ATTRIBUTE.background);
  screen.putText(LAYOUT.headingRow, 0, centre(`[ ${heading} ]`), ATTRIBUTE.heading);
  screen.putText(LAYOUT.helpRow - 1, 0, '='.repeat(LAYOUT.width), ATTRIBUTE.background);
  screen.putText(LAYOUT.helpRow, 0, centre(help), ATTRIBUTE.background);
}

export type StatusTone = 'info' | 'error' | 'plain';

export function drawStatus(screen: TextFramebuffer, text: string, tone: StatusTone): void {
  const attribute = tone === 'error' ? ATTRIBUTE.error : tone === 'info' ? ATTRIBUTE.info : ATTRIBUTE.background;
  screen.putText(LAYOUT.statusRow, 0, fit(text ? ` ${text}` : '', LAYOUT.width), attribute);
}

/** A box of `lines` centred on the screen (a pop-up); returns its top row and left column. */
export function drawBox(screen: TextFramebuffer, lines: readonly string[], width: number): { top: number; left: number } {
  const height = lines.length + 2;
  const top = LAYOUT.bodyTop + Math.max(0, Math.floor((LAYOUT.bodyRows - height) / 2));
  const left = Math.floor((LAYOUT.width - width) / 2);
  screen.putText(top, left, `+${'-'.repeat(width - 2)}+`, ATTRIBUTE.box);
  lines.forEach((line, index) => screen.putText(top + 1 + index, left, `|${fit(` ${line}`, width - 2)}|`, ATTRIBUTE.box));
  screen.putText(top + height - 1, left, `+${'-'.repeat(width - 2)}+`, ATTRIBUTE.box);
  return { top, left };
}
