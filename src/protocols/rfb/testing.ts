/**
 * Test helpers for the RFB server: a framebuffer, a handshake driver, client message builders and
 * a decoder of FramebufferUpdates (Raw and Hextile) that paints into a client-side picture.
 */
import type { RfbFramebuffer } from './encode.js';
import { ENCODING } from './messages.js';
import type { PixelFormat } from './pixel-format.js';
import { encodePixelFormat } from './pixel-format.js';
import type { RfbEvent, RfbServer } from './server.js';

export function testFramebuffer(width = 64, height = 32, fill = 0x000000): RfbFramebuffer & { pixels: Uint32Array } {
  return { width, height, pixels: new Uint32Array(width * height).fill(fill) };
}

export const sent = (events: readonly RfbEvent[]): Buffer => Buffer.concat(events.flatMap((e) => (e.type === 'send' ? [e.bytes] : [])));

/** Version 3.8, security None, ClientInit: returns the ServerInit bytes. */
export function handshake(server: RfbServer): Buffer {
  server.start();
  server.receive(Buffer.from('RFB 003.008\n'));
  server.receive(Uint8Array.of(1));
  return sent(server.receive(Uint8Array.of(1)));
}

export const setPixelFormat = (format: PixelFormat): Uint8Array => Buffer.concat([Uint8Array.of(0, 0, 0, 0), encodePixelFormat(format)]);

export function setEncodings(encodings: readonly number[]): Uint8Array {
  const out = Buffer.alloc(4 + 4 * encodings.length);
  out[0] = 2;
  out.writeUInt16BE(encodings.length, 2);
  encodings.forEach((e, i) => out.writeInt32BE(e, 4 + 4 * i));
  return out;
}

export function updateRequest(incremental: boolean, x: number, y: number, width: number, height: number): Uint8Array {
  const out = Buffer.alloc(10);
  out[0] = 3;
  out[1] = incremental ? 1 : 0;
  out.writeUInt16BE(x, 2); out.writeUInt16BE(y, 4); out.writeUInt16BE(width, 6); out.writeUInt16BE(height, 8);
  return out;
}

export function keyEvent(keysym: number, down: boolean): Uint8Array {
  const out = Buffer.alloc(8);
  out[0] = 4;
  out[1] = down ? 1 : 0;
  out.writeUInt32BE(keysym, 4);
  return out;
}

export function pointerEvent(buttons: number, x: number, y: number): Uint8Array {
  const out = Buffer.alloc(6);
  out[0] = 5;
  out[1] = buttons;
  out.writeUInt16BE(x, 2); out.writeUInt16BE(y, 4);
  return out;
}

export interface DecodedRect { readonly x: number; readonly y: number; readonly width: number; readonly height: number; readonly encoding: number }

/**
 * Decodes one FramebufferUpdate at the start of `data` into `picture` (pixel values as the client
 * format gives them, little-endian or big-endian per `bigEndian`); returns its rectangles.
 */
export function decodeUpdate(data: Buffer, picture: { width: number; values: Uint32Array }, bytesPerPixel: number, bigEndian = false): DecodedRect[] {
  if (data[0] !== 0) throw new Error(`not a FramebufferUpdate: ${data[0]}`);
  const count = data.readUInt16BE(2);
  let offset = 4;
  const read = (): number => {
    const value = bytesPerPixel === 1 ? data[offset]! : bytesPerPixel === 2 ? (bigEndian ? data.readUInt16BE(offset) : data.readUInt16LE(offset)) : bigEndian ? data.readUInt32BE(offset) : data.readUInt32LE(offset);
    offset += bytesPerPixel;
    return value;
  };
  const put = (x: number, y: number, value: number): void => { picture.values[y * picture.width + x] = value; };
  const rects: DecodedRect[] = [];
  for (let n = 0; n < count; n++) {
    const rect = { x: data.readUInt16BE(offset), y: data.readUInt16BE(offset + 2), width: data.readUInt16BE(offset + 4), height: data.readUInt16BE(offset + 6), encoding: data.readInt32BE(offset + 8) };
    offset += 12;
    rects.push(rect);
    if (rect.encoding === ENCODING.raw) {
      for (let y = 0; y < rect.height; y++) for (let x = 0; x < rect.width; x++) put(rect.x + x, rect.y + y, read());
      continue;
    }
    if (rect.encoding !== ENCODING.hextile) throw new Error(`unexpected encoding ${rect.encoding}`);
    let background = 0;
    let foreground = 0;
    for (let ty = 0; ty < rect.height; ty += 16) {
      for (let tx = 0; tx < rect.width; tx += 16) {
        const w = Math.min(16, rect.width - tx);
        const h = Math.min(16, rect.height - ty);
        const mask = data[offset++]!;
        if (mask & 1) {
          for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) put(rect.x + tx + x, rect.y + ty + y, read());
          continue;
        }
        if (mask & 2) background = read();
        if (mask & 4) foreground = read();
        for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) put(rect.x + tx + x, rect.y + ty + y, background);
        if (!(mask & 8)) continue;
        const subrects = data[offset++]!;
        for (let s = 0; s < subrects; s++) {
          const colour = mask & 16 ? read() : foreground;
          const xy = data[offset++]!;
          const wh = data[offset++]!;
          for (let y = 0; y <= (wh & 15); y++) for (let x = 0; x <= wh >> 4; x++) put(rect.x + tx + (xy >> 4) + x, rect.y + ty + (xy & 15) + y, colour);
        }
      }
    }
  }
  if (offset !== data.length) throw new Error(`update of ${data.length} bytes has ${data.length - offset} trailing bytes`);
  return rects;
}
