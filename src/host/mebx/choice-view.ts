/**
 * Pop-ups that ask for one answer: a list of choices (Up/Down, Enter, Escape cancels) and a yes/no
 * question (Y or N; Escape is no).
 */
import type { TextFramebuffer } from '../framebuffer.js';
import { ATTRIBUTE, drawBox, fit } from './draw.js';
import type { Key } from './keys.js';
import type { View, ViewContext } from './view.js';

export interface ChoiceOptions<T> {
  readonly heading: string;
  readonly title: string;
  readonly choices: readonly { readonly label: string; readonly value: T }[];
  readonly current?: T;
  readonly choose: (value: T, context: ViewContext) => void | Promise<void>;
}

export class ChoiceView<T> implements View {
  readonly heading: string;
  readonly help = '[ESC]=Cancel  [Up/Down]=Select  [ENTER]=Choose';
  readonly overlay = true;
  #selected: number;

  constructor(readonly options: ChoiceOptions<T>) {
    this.heading = options.heading;
    this.#selected = Math.max(0, options.choices.findIndex((choice) => choice.value === options.current));
  }

  draw(screen: TextFramebuffer): void {
    const labels = this.options.choices.map((choice, index) => `${index === this.#selected ? '> ' : '  '}${choice.label}`);
    const { top, left } = drawBox(screen, [this.options.title, '', ...labels], 40);
    screen.putText(top + 3 + this.#selected, left + 2, fit(labels[this.#selected] ?? '', 36), ATTRIBUTE.selected);
  }

  async key(key: Key, context: ViewContext): Promise<void> {
    const count = this.options.choices.length;
    if (key.kind === 'up') this.#selected = Math.max(0, this.#selected - 1);
    else if (key.kind === 'down') this.#selected = Math.min(count - 1, this.#selected + 1);
    else if (key.kind === 'escape') await context.pop();
    else if (key.kind === 'enter') {
      const choice = this.options.choices[this.#selected];
      if (choice) await this.options.choose(choice.value, context);
    }
  }
}

export interface ConfirmOptions {
  readonly heading: string;
  readonly lines: readonly string[];
  readonly yes: (context: ViewContext) => void | Promise<void>;
  /** Default: back to the view below. */
  readonly no?: (context: ViewContext) => void | Promise<void>;
}

export class ConfirmView implements View {
  readonly heading: string;
  readonly help = '[Y]=Yes  [N]=No';
  readonly overlay = true;

  constructor(readonly options: ConfirmOptions) {
    this.heading = options.heading;
  }

  draw(screen: TextFramebuffer): void {
    drawBox(screen, [...this.options.lines, '', '(Y/N)'], 60);
  }

  async key(key: Key, context: ViewContext): Promise<void> {
    const answer = key.kind === 'char' ? key.char.toLowerCase() : key.kind === 'escape' ? 'n' : '';
    if (answer === 'y') await this.options.yes(context);
    else if (answer === 'n') await (this.options.no ? this.options.no(context) : context.pop());
  }
}

/** A message that any key dismisses. */
export class MessageView implements View {
  readonly help = '[Any key]=Continue';
  readonly overlay = true;

  constructor(readonly heading: string, readonly lines: readonly string[], readonly dismiss: (context: ViewContext) => void | Promise<void>) {}

  draw(screen: TextFramebuffer): void {
    drawBox(screen, this.lines, 60);
  }

  async key(_key: Key, context: ViewContext): Promise<void> {
    await this.dismiss(context);
  }
}
