/**
 * What a MEBX screen is (a `View`: draws itself, takes keys) and what it may do (`ViewContext`:
 * talk to the engine, move between screens, set the status line, leave MEBX).
 */
import type { MebxClient, MebxView } from '../../protocols/mebx/index.js';
import type { TextFramebuffer } from '../framebuffer.js';
import type { StatusTone } from './draw.js';
import type { Key } from './keys.js';

export interface View {
  readonly heading: string;
  readonly help: string;
  /** A pop-up: the view below is drawn first. */
  readonly overlay?: boolean;
  /** Called each time the view comes to the top (pushed, or uncovered); may ask the engine. */
  show?(context: ViewContext): Promise<void>;
  draw(screen: TextFramebuffer): void;
  key(key: Key, context: ViewContext): void | Promise<void>;
  /** Where the text cursor goes (a view that takes text), else undefined. */
  cursor?(): { readonly row: number; readonly column: number } | undefined;
}

export interface ViewContext {
  readonly client: MebxClient;
  /** The last settings read from the engine. */
  settings(): MebxView | undefined;
  /** Reads the settings again. */
  refresh(): Promise<MebxView>;
  push(view: View): Promise<void>;
  /** Back to the view below (shown again). */
  pop(): Promise<void>;
  /** Replaces the top view. */
  replace(view: View): Promise<void>;
  /** Makes `view` the only one. */
  reset(view: View): Promise<void>;
  status(text: string, tone?: StatusTone): void;
  /** Leaves MEBX (the BIOS goes on to End-of-POST). */
  exit(): void;
}
