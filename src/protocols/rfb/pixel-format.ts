/**
 * RFB pixel formats: the server's default (32 bpp true colour, depth 24, little-endian, red at bit
 * 16), validation of a client's SetPixelFormat (true colour, 8/16/32 bpp only), and conversion of
 * the framebuffer's 0xRRGGBB pixels into a client's format and byte order.
 */
import { PIXEL_FORMAT, type PixelFormatFields } from './messages.js';
import { rfbMalformed } from './errors.js';

export interface PixelFormat {
  readonly bitsPerPixel: 8 | 16 | 32;
  readonly depth: number;
  readonly bigEndian: boolean;
  readonly redMax: number;
  readonly greenMax: number;
  readonly blueMax: number;
  readonly redShift: number;
  readonly greenShift: number;
  readonly blueShift: number;
}

export const DEFAULT_PIXEL_FORMAT: PixelFormat = { bitsPerPixel: 32, depth: 24, bigEndian: false, redMax: 255, greenMax: 255, blueMax: 255, redShift: 16, greenShift: 8, blueShift: 0 };
/** RGB565, what MeshCommander assumes in AMT's KVM (brief §4.5). */
export const RGB565: PixelFormat = { bitsPerPixel: 16, depth: 16, bigEndian: false, redMax: 31, greenMax: 63, blueMax: 31, redShift: 11, greenShift: 5, blueShift: 0 };
export const BGR233: PixelFormat = { bitsPerPixel: 8, depth: 8, bigEndian: false, redMax: 7, greenMax: 7, blueMax: 3, redShift: 0, greenShift: 3, blueShift: 6 };

export function encodePixelFormat(format: PixelFormat): Uint8Array {
  return PIXEL_FORMAT.serialize({ ...format, bigEndian: format.bigEndian ? 1 : 0, trueColour: 1, padding: new Uint8Array(3) });
}

/** A client's pixel format, checked. @throws RfbError VME_ERR_RFB_MALFORMED (colour map, odd size, bad max/shift) */
export function decodePixelFormat(fields: PixelFormatFields): PixelFormat {
  const bpp = fields.bitsPerPixel;
  if (bpp !== 8 && bpp !== 16 && bpp !== 32) rfbMalformed(`${bpp} bits per pixel is not supported (8, 16 or 32)`, { bitsPerPixel: bpp });
  if (fields.trueColour === 0) rfbMalformed('colour-map pixel formats are not supported', { trueColour: 0 });
  for (const [max, shift] of [[fields.redMax, fields.redShift], [fields.greenMax, fields.greenShift], [fields.blueMax, fields.blueShift]] as const) {
    if (max === 0 || (max & (max + 1)) !== 0 || shift >= bpp || max > 2 ** (bpp - shift) - 1) rfbMalformed('a colour maximum must be 2^n-1 and fit its shift within the pixel', { max, shift, bitsPerPixel: bpp });
  }
  return {
    bitsPerPixel: bpp, depth: fields.depth, bigEndian: fields.bigEndian !== 0, redMax: fields.redMax, greenMax: fields.greenMax,
    blueMax: fields.blueMax, redShift: fields.redShift, greenShift: fields.greenShift, blueShift: fields.blueShift,
  };
}

/** Converts 0xRRGGBB values to a format's pixel values and writes them in its byte order. */
export class PixelConverter {
  readonly bytesPerPixel: number;
  /** The format is 0xRRGGBB itself in 32 bits (the default): values need no conversion. */
  readonly identity: boolean;
  readonly #cache = new Map<number, number>();

  constructor(readonly format: PixelFormat) {
    this.bytesPerPixel = format.bitsPerPixel / 8;
    const f = format;
    this.identity = f.bitsPerPixel === 32 && f.redMax === 255 && f.greenMax === 255 && f.blueMax === 255 && f.redShift === 16 && f.greenShift === 8 && f.blueShift === 0;
  }

  /** The pixel value (not yet in byte order) of an 0xRRGGBB colour. */
  value(rgb: number): number {
    if (this.identity) return rgb & 0xffffff;
    const cached = this.#cache.get(rgb);
    if (cached !== undefined) return cached;
    const f = this.format;
    const scale = (component: number, max: number): number => Math.round((component * max) / 255);
    const value = ((scale((rgb >> 16) & 0xff, f.redMax) << f.redShift) | (scale((rgb >> 8) & 0xff, f.greenMax) << f.greenShift) | (scale(rgb & 0xff, f.blueMax) << f.blueShift)) >>> 0;
    if (this.#cache.size < 4096) this.#cache.set(rgb, value);
    return value;
  }

  /** Writes one pixel value at `offset`; returns the offset after it. */
  write(out: Uint8Array, offset: number, value: number): number {
    const size = this.bytesPerPixel;
    if (size === 1) {
      out[offset] = value;
    } else if (size === 2) {
      if (this.format.bigEndian) { out[offset] = value >> 8; out[offset + 1] = value; } else { out[offset] = value; out[offset + 1] = value >> 8; }
    } else if (this.format.bigEndian) {
      out[offset] = value >>> 24; out[offset + 1] = value >> 16; out[offset + 2] = value >> 8; out[offset + 3] = value;
    } else {
      out[offset] = value; out[offset + 1] = value >> 8; out[offset + 2] = value >> 16; out[offset + 3] = value >>> 24;
    }
    return offset + size;
  }
}
