/**
 * One RFB client on a byte stream (a TCP socket, an engine connection stream, or the rest of a
 * redirection socket after KVM starts): the sans-I/O RfbServer over a shared ScreenFeed. Client
 * bytes are handled in order after a screen refresh, so a first update request sees the current
 * screen; key events become host keyboard bytes; pointer events go to the source's pointer through a
 * PointerLimiter (changes only, bounded per second); malformed input or failed authentication ends
 * the connection (after the failure reply). Resolves when the stream closes.
 */
import type { Duplex } from 'node:stream';
import { VmeError } from '../../common/errors.js';
import { KeysymTranslator } from '../../protocols/rfb/keysym.js';
import { RfbServer, type RfbEvent } from '../../protocols/rfb/server.js';
import { PointerLimiter } from './pointer-limit.js';
import type { ScreenFeed } from './screen-feed.js';

export interface RfbSessionOptions {
  /** VNC Authentication with this password; security None when absent (e.g. inside an authenticated redirection session). */
  readonly password?: string;
  readonly name?: string;
  /** Session events for logs and tests: 'authenticated', 'auth-failed', 'malformed', 'closed'. */
  readonly onEvent?: (kind: string, detail: string) => void;
  /** Pointer events forwarded per second (default 60; see PointerLimiter). */
  readonly pointerPerSecond?: number;
}

export function serveRfbStream(stream: Duplex, feed: ScreenFeed, options: RfbSessionOptions = {}): Promise<void> {
  const notify = options.onEvent ?? ((): void => undefined);
  const server = new RfbServer({ framebuffer: feed.renderer, name: options.name ?? 'vme', ...(options.password !== undefined ? { password: options.password } : {}) });
  const keys = new KeysymTranslator();
  const { source } = feed;
  const pointer = new PointerLimiter((event) => void Promise.resolve(source.pointer?.(event)).catch(() => undefined), options.pointerPerSecond !== undefined ? { perSecond: options.pointerPerSecond } : {});
  let queue = Promise.resolve();
  const apply = (events: readonly RfbEvent[]): void => {
    for (const event of events) {
      if (event.type === 'send') stream.write(event.bytes);
      else if (event.type === 'close') stream.end();
      else if (event.type === 'authenticated') notify('authenticated', event.security);
      else if (event.type === 'auth-failed') notify('auth-failed', 'wrong VNC password');
      else if (event.type === 'key') {
        const bytes = keys.translate(event.keysym, event.down);
        if (bytes) void Promise.resolve(feed.source.press(bytes)).catch(() => undefined);
      } else if (event.type === 'pointer' && source.pointer) pointer.offer(event);
    }
  };
  const unsubscribe = feed.subscribe((rects) => {
    if (!stream.destroyed) apply(server.invalidate(rects));
  });
  stream.on('data', (chunk: Buffer) => {
    queue = queue.then(async () => {
      if (stream.destroyed) return;
      await feed.refresh().catch(() => undefined);
      try {
        apply(server.receive(chunk));
      } catch (error) {
        notify('malformed', error instanceof VmeError ? error.message : String(error));
        stream.destroy();
      }
    });
  });
  return new Promise((resolve) => {
    const done = (): void => {
      unsubscribe();
      pointer.close();
      notify('closed', '');
      resolve();
    };
    stream.once('close', done);
    stream.on('error', () => undefined);
    apply(server.start());
  });
}
