/**
 * RFB 3.8 (RFC 6143) wire structures, declared once with src/codec (all big-endian): the pixel
 * format, ServerInit, the fixed-size client messages (SetPixelFormat, SetEncodings header,
 * FramebufferUpdateRequest, KeyEvent, PointerEvent, ClientCutText header) and the server's
 * FramebufferUpdate and rectangle headers. Encoding numbers and the security constants too.
 */
import { bytes, magic, struct, u16be, u32be, u8, type Infer } from '../../codec/index.js';

export const RFB_VERSION_3_8 = 'RFB 003.008\n';
export const VERSION_LENGTH = 12;

export const SECURITY = { invalid: 0, none: 1, vncAuthentication: 2 } as const;
export const SECURITY_RESULT = { ok: 0, failed: 1 } as const;
export const VNC_CHALLENGE_BYTES = 16;

export const CLIENT_MESSAGE = { setPixelFormat: 0, setEncodings: 2, framebufferUpdateRequest: 3, keyEvent: 4, pointerEvent: 5, clientCutText: 6 } as const;
export const SERVER_MESSAGE = { framebufferUpdate: 0 } as const;

/** Encoding numbers (signed 32-bit on the wire). */
export const ENCODING = { raw: 0, copyRect: 1, rre: 2, hextile: 5, zrle: 16, desktopSize: -223 } as const;

export const PIXEL_FORMAT = struct('RFB PIXEL_FORMAT', {
  bitsPerPixel: u8(), depth: u8(), bigEndian: u8(), trueColour: u8(),
  redMax: u16be(), greenMax: u16be(), blueMax: u16be(),
  redShift: u8(), greenShift: u8(), blueShift: u8(), padding: bytes(3),
});
export type PixelFormatFields = Infer<typeof PIXEL_FORMAT>;

/** ServerInit without the name that follows it (nameLength bytes). */
export const SERVER_INIT = struct('RFB ServerInit', { width: u16be(), height: u16be(), pixelFormat: bytes(PIXEL_FORMAT.size), nameLength: u32be() });

export const SET_PIXEL_FORMAT = struct('RFB SetPixelFormat', { type: magic(u8(), CLIENT_MESSAGE.setPixelFormat), padding: bytes(3), pixelFormat: bytes(PIXEL_FORMAT.size) });
/** Followed by `count` signed 32-bit encoding numbers. */
export const SET_ENCODINGS = struct('RFB SetEncodings', { type: magic(u8(), CLIENT_MESSAGE.setEncodings), padding: u8(), count: u16be() });
export const FRAMEBUFFER_UPDATE_REQUEST = struct('RFB FramebufferUpdateRequest', {
  type: magic(u8(), CLIENT_MESSAGE.framebufferUpdateRequest), incremental: u8(), x: u16be(), y: u16be(), width: u16be(), height: u16be(),
});
export const KEY_EVENT = struct('RFB KeyEvent', { type: magic(u8(), CLIENT_MESSAGE.keyEvent), down: u8(), padding: u16be(), keysym: u32be() });
export const POINTER_EVENT = struct('RFB PointerEvent', { type: magic(u8(), CLIENT_MESSAGE.pointerEvent), buttonMask: u8(), x: u16be(), y: u16be() });
/** Followed by `length` bytes of Latin-1 text. */
export const CLIENT_CUT_TEXT = struct('RFB ClientCutText', { type: magic(u8(), CLIENT_MESSAGE.clientCutText), padding: bytes(3), length: u32be() });

export const FRAMEBUFFER_UPDATE = struct('RFB FramebufferUpdate', { type: magic(u8(), SERVER_MESSAGE.framebufferUpdate), padding: u8(), rectangles: u16be() });
/** `encoding` is a signed number sent as its 32-bit two's complement. */
export const RECTANGLE = struct('RFB rectangle', { x: u16be(), y: u16be(), width: u16be(), height: u16be(), encoding: u32be() });

/** Every declared structure, for the reference doc. */
export const RFB_STRUCTURES = [PIXEL_FORMAT, SERVER_INIT, SET_PIXEL_FORMAT, SET_ENCODINGS, FRAMEBUFFER_UPDATE_REQUEST, KEY_EVENT, POINTER_EVENT, CLIENT_CUT_TEXT, FRAMEBUFFER_UPDATE, RECTANGLE] as const;
