/**
 * A pop-up that takes one line of text: a label, optional explanation lines, and a field (masked
 * with '*' for passwords). Printable characters type, Backspace erases, Enter submits, Escape
 * cancels (unless the prompt cannot be left, as the forced password change).
 */
import type { TextFramebuffer } from '../framebuffer.js';
import { ATTRIBUTE, drawBox, fit } from './draw.js';
import type { Key } from './keys.js';
import type { View, ViewContext } from './view.js';

export interface PromptOptions {
  readonly heading: string;
  readonly label: string;
  readonly lines?: readonly string[];
  readonly masked?: boolean;
  readonly maxLength: number;
  readonly initial?: string;
  /** Enter: the text typed. */
  readonly submit: (text: string, context: ViewContext) => void | Promise<void>;
  /** Escape; undefined: Escape does nothing but say so. */
  readonly cancel?: (context: ViewContext) => void | Promise<void>;
}

const BOX_WIDTH = 60;
const FIELD_WIDTH = 40;

export class PromptView implements View {
  readonly heading: string;
  readonly help: string;
  readonly overlay = true;
  #text: string;
  #fieldAt = { row: 0, column: 0 };

  constructor(readonly options: PromptOptions) {
    this.heading = options.heading;
    this.help = options.cancel ? '[ESC]=Cancel  [ENTER]=Submit' : '[ENTER]=Submit';
    this.#text = options.initial ?? '';
  }

  /** Empties the field (after a refused entry). */
  clear(): void {
    this.#text = '';
  }

  draw(screen: TextFramebuffer): void {
    const lines = [this.options.label, ...(this.options.lines ?? []), ''];
    const { top, left } = drawBox(screen, [...lines, '', ''], BOX_WIDTH);
    const row = top + 1 + lines.length; // the box's border, the lines, then the field
    const shown = this.options.masked ? '*'.repeat(this.#text.length) : this.#text;
    const visible = shown.slice(Math.max(0, shown.length - FIELD_WIDTH + 1));
    this.#fieldAt = { row, column: left + 3 + visible.length };
    screen.putText(row, left + 2, '[', ATTRIBUTE.box);
    screen.putText(row, left + 3, fit(visible, FIELD_WIDTH), ATTRIBUTE.field);
    screen.putText(row, left + 3 + FIELD_WIDTH, ']', ATTRIBUTE.box);
  }

  cursor(): { row: number; column: number } {
    return this.#fieldAt;
  }

  async key(key: Key, context: ViewContext): Promise<void> {
    if (key.kind === 'char' && this.#text.length < this.options.maxLength) this.#text += key.char;
    else if (key.kind === 'backspace') this.#text = this.#text.slice(0, -1);
    else if (key.kind === 'enter') await this.options.submit(this.#text, context);
    else if (key.kind === 'escape') {
      if (this.options.cancel) await this.options.cancel(context);
      else context.status('This entry is required', 'error');
    }
  }
}
