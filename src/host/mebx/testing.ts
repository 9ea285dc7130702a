/** Test helpers: the MEBX screens on a framebuffer, wired straight to an in-process MEBX server (no HECI). */
import { MebxClient } from '../../protocols/mebx/index.js';
import { directTransport, mebxRig, type MebxRig } from '../../protocols/mebx/testing.js';
import { TextFramebuffer } from '../framebuffer.js';
import { MebxApp } from './app.js';

/** Terminal bytes of the keys tests type. */
export const KEY = { up: '\x1b[A', down: '\x1b[B', enter: '\r', escape: '\x1b', backspace: '\x7f' } as const;

export interface ScreenRig {
  readonly engine: MebxRig;
  readonly screen: TextFramebuffer;
  readonly app: MebxApp;
  /** Types `keys` (one feed per string) and waits until they are handled. */
  type(...keys: string[]): Promise<void>;
  text(): string;
  /** Moves down to the menu item `label` (marked "> label") and presses Enter. */
  choose(label: string): Promise<void>;
}

export async function screenRig(options: Parameters<typeof mebxRig>[0] = {}): Promise<ScreenRig> {
  const engine = await mebxRig(options);
  const screen = new TextFramebuffer();
  const app = new MebxApp({ screen, client: new MebxClient(directTransport(engine.server)) });
  await app.start();
  return {
    engine, screen, app,
    type: async (...keys) => {
      for (const key of keys) await app.feed(new TextEncoder().encode(key));
    },
    text: () => screen.render(),
    choose: async (label) => {
      for (let step = 0; step < 40; step++) {
        if (selected(screen.render(), label)) return app.feed(new TextEncoder().encode(KEY.enter));
        await app.feed(new TextEncoder().encode(step < 20 ? KEY.down : KEY.up));
      }
      throw new Error(`no menu item ${JSON.stringify(label)} on\n${screen.render()}`);
    },
  };
}

/** True when the screen shows `label` as the selected menu item or choice. */
export const selected = (text: string, label: string): boolean => text.split('\n').some((line) => line.replace(/^[\s|]*> /, '> ').startsWith(`> ${label}`) && /^[\s|]*> /.test(line));
