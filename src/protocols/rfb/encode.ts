/**
 * RFB rectangle encodings of a framebuffer of 0xRRGGBB pixels: Raw (RFC 6143 §7.7.1) and Hextile
 * (§7.7.4: 16×16 tiles, each a background plus single-colour or coloured subrectangles, or raw when
 * that is smaller). Text screens are two colours per tile almost everywhere, so Hextile sends a few
 * bytes per glyph instead of 512 per 8×16 cell at 32 bpp.
 */
import { ENCODING, RECTANGLE } from './messages.js';
import type { PixelConverter } from './pixel-format.js';

export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** What the server reads pixels from: row-major 0xRRGGBB, `width × height` entries. */
export interface RfbFramebuffer {
  readonly width: number;
  readonly height: number;
  readonly pixels: Uint32Array;
}

export type RectEncoding = typeof ENCODING.raw | typeof ENCODING.hextile;

/** Splits a rectangle into pieces of at most `max`×`max` (MeshCommander refuses larger ones). */
export function splitRect(rect: Rect, max: number): Rect[] {
  const out: Rect[] = [];
  for (let y = rect.y; y < rect.y + rect.height; y += max) {
    for (let x = rect.x; x < rect.x + rect.width; x += max) out.push({ x, y, width: Math.min(max, rect.x + rect.width - x), height: Math.min(max, rect.y + rect.height - y) });
  }
  return out;
}

/** The rectangle header followed by its encoded pixels. */
export function encodeRectangle(framebuffer: RfbFramebuffer, rect: Rect, encoding: RectEncoding, converter: PixelConverter): Uint8Array {
  const body = encoding === ENCODING.hextile ? encodeHextile(framebuffer, rect, converter) : encodeRaw(framebuffer, rect, converter);
  const out = new Uint8Array(RECTANGLE.size + body.length);
  RECTANGLE.serialize({ ...rect, encoding: encoding >>> 0 }, out);
  out.set(body, RECTANGLE.size);
  return out;
}

export function encodeRaw(framebuffer: RfbFramebuffer, rect: Rect, converter: PixelConverter): Uint8Array {
  const out = new Uint8Array(rect.width * rect.height * converter.bytesPerPixel);
  if (converter.identity && !converter.format.bigEndian && LITTLE_ENDIAN_HOST) {
    const words = new Uint32Array(out.buffer);
    for (let y = 0; y < rect.height; y++) {
      const start = (rect.y + y) * framebuffer.width + rect.x;
      words.set(framebuffer.pixels.subarray(start, start + rect.width), y * rect.width);
    }
    return out;
  }
  let offset = 0;
  let lastRgb = -1;
  let lastValue = 0;
  for (let y = rect.y; y < rect.y + rect.height; y++) {
    const row = y * framebuffer.width;
    for (let x = rect.x; x < rect.x + rect.width; x++) {
      const rgb = framebuffer.pixels[row + x] ?? 0;
      if (rgb !== lastRgb) {
        lastRgb = rgb;
        lastValue = converter.value(rgb);
      }
      offset = converter.write(out, offset, lastValue);
    }
  }
  return out;
}

const LITTLE_ENDIAN_HOST = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;
const HEXTILE = { raw: 1, backgroundSpecified: 2, foregroundSpecified: 4, anySubrects: 8, subrectsColoured: 16 } as const;
const TILE = 16;

interface Subrect { readonly colour: number; readonly x: number; readonly y: number; readonly width: number; readonly height: number }

/** Greedy cover of every non-background pixel of a tile by same-colour rectangles. */
function subrects(tile: Uint32Array, width: number, height: number, background: number): Subrect[] {
  const done = new Uint8Array(width * height);
  const out: Subrect[] = [];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const colour = tile[y * width + x] ?? 0;
      if (colour === background || done[y * width + x]) continue;
      let w = 1;
      while (x + w < width && tile[y * width + x + w] === colour && !done[y * width + x + w]) w++;
      let h = 1;
      const rowMatches = (row: number): boolean => {
        for (let i = x; i < x + w; i++) if (tile[row * width + i] !== colour || done[row * width + i]) return false;
        return true;
      };
      while (y + h < height && rowMatches(y + h)) h++;
      for (let row = y; row < y + h; row++) done.fill(1, row * width + x, row * width + x + w);
      out.push({ colour, x, y, width: w, height: h });
    }
  }
  return out;
}

/** The more frequent of the first two colours (the background) and how many colours there are, 1, 2 or 3 meaning more. */
function survey(tile: Uint32Array, count: number): { background: number; colours: number } {
  const first = tile[0] ?? 0;
  let second = first;
  let firstCount = 0;
  let colours = 1;
  for (let i = 0; i < count; i++) {
    const value = tile[i] ?? 0;
    if (value === first) firstCount++;
    else if (colours === 1) { second = value; colours = 2; }
    else if (value !== second) colours = 3;
  }
  return { background: firstCount * 2 >= count || colours === 3 ? first : second, colours };
}

export function encodeHextile(framebuffer: RfbFramebuffer, rect: Rect, converter: PixelConverter): Uint8Array {
  const bpp = converter.bytesPerPixel;
  const tilesAcross = Math.ceil(rect.width / TILE);
  const tilesDown = Math.ceil(rect.height / TILE);
  const out = new Uint8Array(tilesAcross * tilesDown * (1 + TILE * TILE * bpp));
  const tile = new Uint32Array(TILE * TILE);
  let offset = 0;
  let lastBackground: number | undefined;
  let lastForeground: number | undefined;
  for (let ty = rect.y; ty < rect.y + rect.height; ty += TILE) {
    for (let tx = rect.x; tx < rect.x + rect.width; tx += TILE) {
      const width = Math.min(TILE, rect.x + rect.width - tx);
      const height = Math.min(TILE, rect.y + rect.height - ty);
      for (let y = 0; y < height; y++) {
        const row = (ty + y) * framebuffer.width + tx;
        for (let x = 0; x < width; x++) tile[y * width + x] = converter.value(framebuffer.pixels[row + x] ?? 0);
      }
      const { background, colours } = survey(tile, width * height);
      const rects = colours === 1 ? [] : subrects(tile, width, height, background);
      const coloured = colours > 2;
      const foreground = rects[0]?.colour;
      let mask = background === lastBackground ? 0 : HEXTILE.backgroundSpecified;
      if (rects.length > 0) mask |= HEXTILE.anySubrects | (coloured ? HEXTILE.subrectsColoured : foreground === lastForeground ? 0 : HEXTILE.foregroundSpecified);
      const size = 1 + (mask & HEXTILE.backgroundSpecified ? bpp : 0) + (mask & HEXTILE.foregroundSpecified ? bpp : 0) + (rects.length > 0 ? 1 : 0) + rects.length * (coloured ? bpp + 2 : 2);
      const rawSize = 1 + width * height * bpp;
      if (size >= rawSize || rects.length > 255) {
        out[offset++] = HEXTILE.raw;
        for (let i = 0; i < width * height; i++) offset = converter.write(out, offset, tile[i] ?? 0);
        lastBackground = undefined;
        lastForeground = undefined;
        continue;
      }
      out[offset++] = mask;
      if (mask & HEXTILE.backgroundSpecified) offset = converter.write(out, offset, background);
      if (mask & HEXTILE.foregroundSpecified) offset = converter.write(out, offset, foreground ?? 0);
      if (rects.length > 0) out[offset++] = rects.length;
      for (const r of rects) {
        if (coloured) offset = converter.write(out, offset, r.colour);
        out[offset++] = (r.x << 4) | r.y;
        out[offset++] = ((r.width - 1) << 4) | (r.height - 1);
      }
      lastBackground = background;
      lastForeground = coloured ? undefined : (foreground ?? lastForeground);
    }
  }
  return out.slice(0, offset);
}
