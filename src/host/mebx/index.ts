/** Public API of the host-side MEBX: the BIOS seam handler, the screen state machine, keys and the ANSI mirror. */
export { mebxHandler, type MebxHandlerOptions } from './handler.js';
export { MebxApp, type MebxAppOptions } from './app.js';
export { KeyDecoder, type Key, type SpecialKey } from './keys.js';
export { AnsiMirror } from './ansi.js';
export type { MebxTransport } from '../../protocols/mebx/index.js';
