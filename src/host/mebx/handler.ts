/**
 * MEBX for the BIOS seam: `mebxHandler(transport)` is the `MebxHandler` the host's POST calls
 * after Ctrl-P. It draws on the host framebuffer, takes keys from the keyboard and the serial
 * port, mirrors the screen to the serial port as ANSI (console redirection, so a terminal or SOL
 * sees and drives it), and returns when the user leaves MEBX or the run is aborted (power loss).
 */
import { MebxClient, type MebxTransport } from '../../protocols/mebx/index.js';
import type { MebxHandler, MebxSession } from '../bios.js';
import { DEFAULT_ATTRIBUTE } from '../framebuffer.js';
import { AnsiMirror } from './ansi.js';
import { MebxApp } from './app.js';

export interface MebxHandlerOptions {
  /** Mirror the screen to the serial port as ANSI (default true). */
  readonly serialConsole?: boolean;
}

/** The BIOS seam's handler: each call runs one MEBX session until Exit or abort. */
export function mebxHandler(transport: MebxTransport, options: MebxHandlerOptions = {}): MebxHandler {
  return (session) => runMebx(session, transport, options);
}

async function runMebx(session: MebxSession, transport: MebxTransport, options: MebxHandlerOptions): Promise<void> {
  const { screen, serial, keyboard, signal } = session;
  const mirror = new AnsiMirror();
  const app = new MebxApp({
    screen, client: new MebxClient(transport),
    ...(options.serialConsole === false ? {} : { onFrame: () => serial.transmit(mirror.frame(screen)) }),
  });
  const feed = (bytes: Uint8Array): void => void (bytes.length > 0 && app.feed(bytes));
  const stopKeyboard = keyboard.onKey(() => feed(keyboard.take()));
  const stopSerial = serial.onReceive(() => feed(serial.receive()));
  let onAbort = (): void => undefined;
  const aborted = new Promise<void>((resolve) => {
    onAbort = resolve;
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    await app.start();
    feed(keyboard.take());
    feed(serial.receive());
    await Promise.race([app.done, aborted]);
  } finally {
    stopKeyboard();
    stopSerial();
    signal.removeEventListener('abort', onAbort);
    screen.setAttribute(DEFAULT_ATTRIBUTE);
    screen.clear();
    if (options.serialConsole !== false) serial.transmit('\x1b[0m\x1b[2J\x1b[H');
  }
}
