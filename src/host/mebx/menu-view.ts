/**
 * A MEBX menu: items with a label and an optional value in brackets, a marker and highlight on the
 * selected one, Up/Down (and Home/End) to move, Enter to act, Escape to go back. Info lines are
 * shown but skipped. Long menus scroll.
 */
import type { TextFramebuffer } from '../framebuffer.js';
import { ATTRIBUTE, LAYOUT, fit } from './draw.js';
import type { Key } from './keys.js';
import type { View, ViewContext } from './view.js';

export interface MenuItem {
  readonly label: string;
  /** Shown in brackets at the right, e.g. "Enabled". */
  readonly value?: string;
  /** Shown, not selectable. */
  readonly info?: boolean;
  readonly action?: (context: ViewContext) => void | Promise<void>;
}

export interface MenuOptions {
  readonly heading: string;
  readonly items: (context: ViewContext | undefined) => readonly MenuItem[];
  /** Runs when the menu comes to the top (e.g. reads the engine). */
  readonly load?: (context: ViewContext) => Promise<void>;
  /** Escape; default: back to the previous menu. */
  readonly back?: (context: ViewContext) => void | Promise<void>;
}

export const MENU_HELP = '[ESC]=Back  [Up/Down]=Select  [ENTER]=Access';
const LABEL_COLUMN = 6;
const VALUE_COLUMN = 52;

export class MenuView implements View {
  readonly heading: string;
  readonly help = MENU_HELP;
  #selected = 0;
  #top = 0;
  #context: ViewContext | undefined;

  constructor(readonly options: MenuOptions) {
    this.heading = options.heading;
  }

  async show(context: ViewContext): Promise<void> {
    this.#context = context;
    await this.options.load?.(context);
    this.#move(0);
  }

  get selectedLabel(): string | undefined {
    return this.#items()[this.#selected]?.label;
  }

  draw(screen: TextFramebuffer): void {
    const items = this.#items();
    if (this.#selected < this.#top) this.#top = this.#selected;
    if (this.#selected >= this.#top + LAYOUT.bodyRows) this.#top = this.#selected - LAYOUT.bodyRows + 1;
    items.slice(this.#top, this.#top + LAYOUT.bodyRows).forEach((item, offset) => {
      const index = this.#top + offset;
      const row = LAYOUT.bodyTop + offset;
      const selected = index === this.#selected && !item.info;
      const text = fit(`${selected ? '> ' : '  '}${item.label}`, VALUE_COLUMN - LABEL_COLUMN + 2) + (item.value === undefined ? '' : `[${item.value}]`);
      screen.putText(row, LABEL_COLUMN - 2, fit(text, LAYOUT.width - LABEL_COLUMN - 2), selected ? ATTRIBUTE.selected : item.info ? ATTRIBUTE.dim : ATTRIBUTE.background);
    });
  }

  async key(key: Key, context: ViewContext): Promise<void> {
    if (key.kind === 'up') this.#move(-1);
    else if (key.kind === 'down') this.#move(1);
    else if (key.kind === 'home') this.#moveTo(0, 1);
    else if (key.kind === 'end') this.#moveTo(this.#items().length - 1, -1);
    else if (key.kind === 'enter') await this.#items()[this.#selected]?.action?.(context);
    else if (key.kind === 'escape') await (this.options.back ? this.options.back(context) : context.pop());
  }

  #items(): readonly MenuItem[] {
    return this.options.items(this.#context);
  }

  /** Moves `step` selectable items (0: onto the nearest selectable item). */
  #move(step: number): void {
    const items = this.#items();
    if (step === 0) return this.#moveTo(Math.min(this.#selected, items.length - 1), 1);
    for (let index = this.#selected + step; index >= 0 && index < items.length; index += step) {
      if (!items[index]?.info) {
        this.#selected = index;
        return;
      }
    }
  }

  #moveTo(index: number, direction: 1 | -1): void {
    const items = this.#items();
    for (let at = Math.max(0, index); at >= 0 && at < items.length; at += direction) {
      if (!items[at]?.info) {
        this.#selected = at;
        return;
      }
    }
  }
}
