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
        const move = towards(screen.render(), label);
        if (move === undefined) break;
        await app.feed(new TextEncoder().encode(KEY[move]));
        if (move === 'enter') return;
      }
      throw new Error(`no menu item ${JSON.stringify(label)} on\n${screen.render()}`);
    },
  };
}

const MARKER = /^[\s|]*> /;
const itemText = (line: string): string => line.replace(/^[\s|]*(> )?/, '');

/**
 * Which key brings the selection (the line marked "> ") to the item `label`: Enter when it is
 * selected, Down or Up when it is below or above, undefined when the screen has no such item.
 * When a pop-up is open, only its lines (between | borders) count.
 */
export function towards(text: string, label: string): 'enter' | 'down' | 'up' | undefined {
  const all = text.split('\n');
  const boxed = all.filter((line) => /^\s*\|/.test(line));
  const lines = boxed.some((line) => MARKER.test(line)) ? boxed : all;
  const at = lines.findIndex((line) => MARKER.test(line));
  const target = lines.findIndex((line) => itemText(line).startsWith(label));
  if (at < 0 || target < 0) return undefined;
  return target === at ? 'enter' : target > at ? 'down' : 'up';
}
