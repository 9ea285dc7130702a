/**
 * A sans-I/O RFB server for one client (RFC 6143): bytes in, events out (bytes to send, keys,
 * pointer, close). Handshake: the server offers 3.8 and accepts 3.3 and 3.7 clients (any other
 * 3.x is treated as 3.3, as §7.1.1 says); security None, or VNC Authentication when a password is
 * set (DES challenge, constant-time comparison, failure closes the connection). Then ClientInit /
 * ServerInit, and the client messages SetPixelFormat (true colour 8/16/32 bpp), SetEncodings
 * (Hextile or Raw), FramebufferUpdateRequest (incremental requests are answered only with the dirty
 * parts, and wait when nothing changed), KeyEvent, PointerEvent (inside the framebuffer; its far
 * edge is clamped), ClientCutText (skipped without buffering). The pixels come from a live `RfbFramebuffer` the owner keeps current and reports
 * changes of through `invalidate`. Malformed input throws RfbError; the owner closes the connection.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { vncAuthResponse } from './des.js';
import { encodeRectangle, splitRect, type Rect, type RectEncoding, type RfbFramebuffer } from './encode.js';
import { rfbMalformed } from './errors.js';
import {
  CLIENT_CUT_TEXT, CLIENT_MESSAGE, ENCODING, FRAMEBUFFER_UPDATE, FRAMEBUFFER_UPDATE_REQUEST, KEY_EVENT, PIXEL_FORMAT, POINTER_EVENT,
  RFB_VERSION_3_8, SECURITY, SECURITY_RESULT, SERVER_INIT, SET_ENCODINGS, SET_PIXEL_FORMAT, VERSION_LENGTH, VNC_CHALLENGE_BYTES,
} from './messages.js';
import { decodePixelFormat, DEFAULT_PIXEL_FORMAT, encodePixelFormat, PixelConverter, type PixelFormat } from './pixel-format.js';
import { DirtyRegion } from './region.js';

export type RfbEvent =
  | { readonly type: 'send'; readonly bytes: Uint8Array }
  /** Send what came before, then close: authentication failed or the client chose no offered type. */
  | { readonly type: 'close'; readonly reason: string }
  | { readonly type: 'authenticated'; readonly security: 'none' | 'vnc' }
  | { readonly type: 'auth-failed' }
  | { readonly type: 'key'; readonly keysym: number; readonly down: boolean }
  | { readonly type: 'pointer'; readonly buttons: number; readonly x: number; readonly y: number }
  | { readonly type: 'cut-text'; readonly length: number };

export interface RfbServerOptions {
  readonly framebuffer: RfbFramebuffer;
  /** Desktop name in ServerInit; "vme" by default. */
  readonly name?: string;
  /** VNC Authentication with this password (first 8 characters count); security None when absent. */
  readonly password?: string;
  /** Source of the 16-byte challenge (tests fix it). */
  readonly random?: (length: number) => Uint8Array;
  /** Rectangles larger than this are split (MeshCommander refuses more than 64×64). Default 64. */
  readonly maxRectangle?: number;
}

export type RfbMinorVersion = 3 | 7 | 8;
type Phase = 'version' | 'security' | 'challenge' | 'init' | 'normal' | 'closed';

/** Encodings this server can send, in no particular order (the client's order decides). */
const RECT_ENCODINGS: readonly number[] = [ENCODING.hextile, ENCODING.raw];
const MAX_ENCODINGS = 1024;
const FAILURE_REASON = 'Authentication failed';

export class RfbServer {
  #phase: Phase = 'version';
  #minor: RfbMinorVersion = 8;
  #buffer: Uint8Array = new Uint8Array(0);
  #challenge: Uint8Array | undefined;
  #format: PixelFormat = DEFAULT_PIXEL_FORMAT;
  #converter = new PixelConverter(DEFAULT_PIXEL_FORMAT);
  #encoding: RectEncoding = ENCODING.raw;
  #clientEncodings: number[] = [];
  #skipCutText = 0;
  #pending: Rect | undefined;
  readonly #dirty = new DirtyRegion();
  readonly #options: RfbServerOptions;

  constructor(options: RfbServerOptions) {
    this.#options = options;
  }

  get phase(): Phase {
    return this.#phase;
  }

  get version(): RfbMinorVersion {
    return this.#minor;
  }

  get pixelFormat(): PixelFormat {
    return this.#format;
  }

  /** The encoding chosen for rectangles (from the client's SetEncodings). */
  get encoding(): RectEncoding {
    return this.#encoding;
  }

  get clientEncodings(): readonly number[] {
    return this.#clientEncodings;
  }

  /** The server speaks first: its protocol version. */
  start(): RfbEvent[] {
    return [send(Buffer.from(RFB_VERSION_3_8, 'latin1'))];
  }

  /** Feeds client bytes. @throws RfbError VME_ERR_RFB_MALFORMED */
  receive(bytes: Uint8Array): RfbEvent[] {
    if (this.#phase === 'closed') return [];
    this.#buffer = this.#buffer.length === 0 ? bytes : Buffer.concat([this.#buffer, bytes]);
    const events: RfbEvent[] = [];
    for (;;) {
      if (this.#skipCutText > 0) {
        const skipped = Math.min(this.#skipCutText, this.#buffer.length);
        this.#skipCutText -= skipped;
        this.#buffer = this.#buffer.subarray(skipped);
      }
      const used = this.#isClosed() ? 0 : this.#step(events);
      if (used === 0) break;
      this.#buffer = this.#buffer.subarray(used);
    }
    this.#buffer = this.#isClosed() ? new Uint8Array(0) : this.#buffer.slice(); // never keep a view of the caller's buffer
    return events;
  }

  /** The framebuffer changed in these rectangles; answers a waiting incremental request. */
  invalidate(rects: readonly Rect[]): RfbEvent[] {
    for (const rect of rects) this.#dirty.add(rect);
    if (this.#phase !== 'normal' || !this.#pending) return [];
    const update = this.#update(this.#pending);
    if (update) this.#pending = undefined;
    return update ? [update] : [];
  }

  /** True while an incremental request waits for a change. */
  get waiting(): boolean {
    return this.#pending !== undefined;
  }

  /** Handles one message at the head of the buffer; returns the bytes used, 0 when more are needed. */
  #step(events: RfbEvent[]): number {
    const data = this.#buffer;
    switch (this.#phase) {
      case 'version':
        return data.length < VERSION_LENGTH ? 0 : this.#version(data.subarray(0, VERSION_LENGTH), events);
      case 'security':
        return data.length < 1 ? 0 : this.#securityChoice(data[0] ?? 0, events);
      case 'challenge':
        return data.length < VNC_CHALLENGE_BYTES ? 0 : this.#checkResponse(data.subarray(0, VNC_CHALLENGE_BYTES), events);
      case 'init':
        return data.length < 1 ? 0 : this.#clientInit(events);
      case 'normal':
        return data.length < 1 ? 0 : this.#message(data, events);
      default:
        return 0;
    }
  }

  #version(line: Uint8Array, events: RfbEvent[]): number {
    const match = /^RFB (\d{3})\.(\d{3})\n$/.exec(Buffer.from(line).toString('latin1'));
    if (!match) rfbMalformed('the client did not send a protocol version line', { received: Buffer.from(line).toString('hex') });
    const major = Number(match[1]);
    const minor = Number(match[2]);
    if (major !== 3 || minor < 3) rfbMalformed(`protocol version ${major}.${minor} is not supported`, { major, minor });
    this.#minor = minor >= 8 ? 8 : minor === 7 ? 7 : 3;
    const type = this.#options.password !== undefined ? SECURITY.vncAuthentication : SECURITY.none;
    if (this.#minor === 3) {
      const word = new Uint8Array(4);
      new DataView(word.buffer).setUint32(0, type);
      events.push(send(word));
      this.#chosen(type, events);
    } else {
      events.push(send(Uint8Array.of(1, type)));
      this.#phase = 'security';
    }
    return VERSION_LENGTH;
  }

  #securityChoice(choice: number, events: RfbEvent[]): number {
    const offered = this.#options.password !== undefined ? SECURITY.vncAuthentication : SECURITY.none;
    if (choice !== offered) {
      if (this.#minor === 8) events.push(send(failure('Security type not offered')));
      this.#close(events, `client chose security type ${choice}, not the offered ${offered}`);
      return 1;
    }
    this.#chosen(choice, events);
    return 1;
  }

  #chosen(type: number, events: RfbEvent[]): void {
    if (type === SECURITY.vncAuthentication) {
      this.#challenge = (this.#options.random ?? randomBytes)(VNC_CHALLENGE_BYTES);
      events.push(send(this.#challenge));
      this.#phase = 'challenge';
      return;
    }
    if (this.#minor === 8) events.push(send(securityOk()));
    events.push({ type: 'authenticated', security: 'none' });
    this.#phase = 'init';
  }

  #checkResponse(response: Uint8Array, events: RfbEvent[]): number {
    const expected = vncAuthResponse(this.#options.password ?? '', this.#challenge ?? new Uint8Array(VNC_CHALLENGE_BYTES));
    this.#challenge = undefined;
    if (!timingSafeEqual(expected, response)) {
      events.push({ type: 'auth-failed' });
      events.push(send(this.#minor === 8 ? failure(FAILURE_REASON) : Uint8Array.of(0, 0, 0, SECURITY_RESULT.failed)));
      this.#close(events, FAILURE_REASON);
      return VNC_CHALLENGE_BYTES;
    }
    events.push(send(securityOk()), { type: 'authenticated', security: 'vnc' });
    this.#phase = 'init';
    return VNC_CHALLENGE_BYTES;
  }

  #clientInit(events: RfbEvent[]): number {
    const { framebuffer } = this.#options;
    const name = Buffer.from(this.#options.name ?? 'vme', 'utf8');
    const out = new Uint8Array(SERVER_INIT.size + name.length);
    SERVER_INIT.serialize({ width: framebuffer.width, height: framebuffer.height, pixelFormat: encodePixelFormat(this.#format), nameLength: name.length }, out);
    out.set(name, SERVER_INIT.size);
    events.push(send(out));
    this.#phase = 'normal';
    return 1;
  }

  #message(data: Uint8Array, events: RfbEvent[]): number {
    const type = data[0] ?? 0;
    switch (type) {
      case CLIENT_MESSAGE.setPixelFormat: {
        if (data.length < SET_PIXEL_FORMAT.size) return 0;
        const { pixelFormat } = SET_PIXEL_FORMAT.parse(data);
        this.#format = decodePixelFormat(PIXEL_FORMAT.parse(pixelFormat));
        this.#converter = new PixelConverter(this.#format);
        return SET_PIXEL_FORMAT.size;
      }
      case CLIENT_MESSAGE.setEncodings:
        return this.#setEncodings(data);
      case CLIENT_MESSAGE.framebufferUpdateRequest: {
        if (data.length < FRAMEBUFFER_UPDATE_REQUEST.size) return 0;
        this.#updateRequest(FRAMEBUFFER_UPDATE_REQUEST.parse(data), events);
        return FRAMEBUFFER_UPDATE_REQUEST.size;
      }
      case CLIENT_MESSAGE.keyEvent: {
        if (data.length < KEY_EVENT.size) return 0;
        const key = KEY_EVENT.parse(data);
        events.push({ type: 'key', keysym: key.keysym, down: key.down !== 0 });
        return KEY_EVENT.size;
      }
      case CLIENT_MESSAGE.pointerEvent: {
        if (data.length < POINTER_EVENT.size) return 0;
        events.push(this.#pointer(POINTER_EVENT.parse(data)));
        return POINTER_EVENT.size;
      }
      case CLIENT_MESSAGE.clientCutText: {
        if (data.length < CLIENT_CUT_TEXT.size) return 0;
        const { length } = CLIENT_CUT_TEXT.parse(data);
        events.push({ type: 'cut-text', length });
        this.#skipCutText = length;
        return CLIENT_CUT_TEXT.size;
      }
      default:
        return rfbMalformed(`unknown client message type ${type}`, { type });
    }
  }

  /**
   * A position on the framebuffer's far edge (x = width or y = height, as clients that scale a
   * canvas round to) is clamped onto the last pixel; one beyond it is malformed.
   */
  #pointer(pointer: { buttonMask: number; x: number; y: number }): RfbEvent {
    const { width, height } = this.#options.framebuffer;
    if (pointer.x > width || pointer.y > height) rfbMalformed(`PointerEvent at ${pointer.x},${pointer.y} is outside the ${width}x${height} framebuffer`, { x: pointer.x, y: pointer.y });
    return { type: 'pointer', buttons: pointer.buttonMask, x: Math.min(pointer.x, width - 1), y: Math.min(pointer.y, height - 1) };
  }

  #setEncodings(data: Uint8Array): number {
    if (data.length < SET_ENCODINGS.size) return 0;
    const { count } = SET_ENCODINGS.parse(data);
    if (count > MAX_ENCODINGS) rfbMalformed(`SetEncodings lists ${count} encodings (at most ${MAX_ENCODINGS})`, { count });
    const size = SET_ENCODINGS.size + 4 * count;
    if (data.length < size) return 0;
    const view = new DataView(data.buffer, data.byteOffset, size);
    this.#clientEncodings = Array.from({ length: count }, (_, index) => view.getInt32(SET_ENCODINGS.size + 4 * index));
    this.#encoding = (this.#clientEncodings.find((encoding) => RECT_ENCODINGS.includes(encoding)) ?? ENCODING.raw) as RectEncoding;
    return size;
  }

  #updateRequest(request: { incremental: number; x: number; y: number; width: number; height: number }, events: RfbEvent[]): void {
    const area = { x: request.x, y: request.y, width: request.width, height: request.height };
    if (!request.incremental) this.#dirty.add(area);
    const update = this.#update(area);
    this.#pending = update ? undefined : area;
    if (update) events.push(update);
  }

  /** A FramebufferUpdate of the dirty parts of `area` (clipped to the screen), or undefined when none. */
  #update(area: Rect): RfbEvent | undefined {
    const { framebuffer } = this.#options;
    const clipped = clip(area, framebuffer);
    if (!clipped) return undefined;
    const rects = this.#dirty.take(clipped).flatMap((rect) => splitRect(rect, this.#options.maxRectangle ?? 64));
    if (rects.length === 0) return undefined;
    const parts: Uint8Array[] = [];
    for (let start = 0; start < rects.length; start += 0xffff) {
      const batch = rects.slice(start, start + 0xffff);
      parts.push(FRAMEBUFFER_UPDATE.serialize({ type: 0, padding: 0, rectangles: batch.length }));
      for (const rect of batch) parts.push(encodeRectangle(framebuffer, rect, this.#encoding, this.#converter));
    }
    return send(Buffer.concat(parts));
  }

  #isClosed(): boolean {
    return this.#phase === 'closed';
  }

  #close(events: RfbEvent[], reason: string): void {
    this.#phase = 'closed';
    events.push({ type: 'close', reason });
  }
}

const send = (bytes: Uint8Array): RfbEvent => ({ type: 'send', bytes });
const securityOk = (): Uint8Array => Uint8Array.of(0, 0, 0, SECURITY_RESULT.ok);

/** SecurityResult failed + reason string (3.8). */
function failure(reason: string): Uint8Array {
  const text = Buffer.from(reason, 'latin1');
  const out = new Uint8Array(8 + text.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, SECURITY_RESULT.failed);
  view.setUint32(4, text.length);
  out.set(text, 8);
  return out;
}

function clip(area: Rect, framebuffer: RfbFramebuffer): Rect | undefined {
  const x = Math.min(area.x, framebuffer.width);
  const y = Math.min(area.y, framebuffer.height);
  const width = Math.min(area.width, framebuffer.width - x);
  const height = Math.min(area.height, framebuffer.height - y);
  return width > 0 && height > 0 ? { x, y, width, height } : undefined;
}
