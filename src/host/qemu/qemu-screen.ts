/**
 * The QEMU guest's display for KVM. Two views: (1) `TextScreen` over the VM's VGA text memory
 * (0xB8000, 80×25 character/attribute words) and the BIOS data area cursor (0x450), read with QMP
 * `pmemsave` — exact while the guest is in text mode (BIOS, boot loaders, a text console), stale in
 * graphics modes; (2) `screendump`, a PPM of whatever the display shows, parsed here into RGB
 * pixels (what an RFB encoder needs for graphics modes). A VNC server on a Unix socket is the third
 * way (`vnc` option), for a later RFB proxy.
 */
import { TEXT_COLUMNS, TEXT_ROWS, TextFramebuffer, type TextScreen } from '../framebuffer.js';
import { VmeError } from '../../common/errors.js';

/** Bytes of VGA text memory for one 80×25 page. */
export const VGA_TEXT_BYTES = TEXT_COLUMNS * TEXT_ROWS * 2;
export const VGA_TEXT_ADDRESS = 0xb8000;
/** BIOS data area: page 0 cursor, column byte then row byte. */
export const BDA_CURSOR_ADDRESS = 0x450;

/** A framebuffer picture: `rgb` holds width × height × 3 bytes, row by row. */
export interface RgbFrame {
  readonly width: number;
  readonly height: number;
  readonly rgb: Uint8Array;
}

/** A `TextScreen` loaded from VGA text memory dumps. */
export class QemuTextScreen {
  readonly framebuffer = new TextFramebuffer();
  #last: Uint8Array | undefined;

  get view(): TextScreen {
    return this.framebuffer;
  }

  /** Loads a VGA text page (little-endian words) and the BDA cursor; no change is recorded for an identical page. */
  load(page: Uint8Array, cursor: Uint8Array): boolean {
    if (page.length < VGA_TEXT_BYTES) throw new RangeError(`VGA text page of ${page.length} bytes, expected ${VGA_TEXT_BYTES}`);
    const same = this.#last !== undefined && Buffer.compare(this.#last, page.subarray(0, VGA_TEXT_BYTES)) === 0;
    this.#last = page.slice(0, VGA_TEXT_BYTES);
    const row = cursor[1] ?? 0;
    const column = cursor[0] ?? 0;
    const moved = this.framebuffer.cursor.row !== row || this.framebuffer.cursor.column !== column;
    if (same && !moved) return false;
    const view = new DataView(page.buffer, page.byteOffset, VGA_TEXT_BYTES);
    const cells = new Uint16Array(TEXT_COLUMNS * TEXT_ROWS);
    for (let index = 0; index < cells.length; index++) cells[index] = view.getUint16(index * 2, true);
    if (same) this.framebuffer.setCursor(row, column);
    else this.framebuffer.restore({ cells, cursor: { row, column }, attribute: this.framebuffer.snapshot().attribute });
    return true;
  }

  /** Power off: the screen goes blank. */
  blank(): void {
    this.#last = undefined;
    this.framebuffer.clear();
  }
}

/** Parses a binary PPM (P6, maxval 255) as QEMU's `screendump` writes it. @throws VmeError VME_ERR_DECODE */
export function parsePpm(bytes: Uint8Array): RgbFrame {
  const fields: string[] = [];
  let offset = 0;
  while (fields.length < 4 && offset < bytes.length) {
    const byte = bytes[offset] ?? 0;
    if (byte === 0x23) { // '#' comment to end of line
      while (offset < bytes.length && bytes[offset] !== 0x0a) offset++;
    } else if (byte <= 0x20) {
      offset++;
    } else {
      let end = offset;
      while (end < bytes.length && (bytes[end] ?? 0) > 0x20) end++;
      fields.push(Buffer.from(bytes.subarray(offset, end)).toString('latin1'));
      offset = end;
    }
  }
  const [magic, w, h, max] = fields;
  const width = Number(w);
  const height = Number(h);
  if (magic !== 'P6' || max !== '255' || !Number.isSafeInteger(width) || !Number.isSafeInteger(height) || width <= 0 || height <= 0 || width > 16384 || height > 16384) {
    throw new VmeError('VME_ERR_DECODE', `not a P6/255 PPM screen dump (${fields.join(' ').slice(0, 40)})`);
  }
  const start = offset + 1; // one whitespace byte after maxval
  const size = width * height * 3;
  if (bytes.length < start + size) throw new VmeError('VME_ERR_DECODE', `PPM screen dump truncated: ${bytes.length - start} of ${size} pixel bytes`);
  return { width, height, rgb: bytes.slice(start, start + size) };
}
