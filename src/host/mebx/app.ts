/**
 * The MEBX screen state machine: a stack of views over the host's text framebuffer, keys decoded
 * from keyboard or serial bytes and handled one at a time (each may wait for the engine), the
 * status line, and the whole screen redrawn after every key. It talks to the engine only through
 * the MebxClient (and so through a MebxTransport).
 */
import { isMebxRefused, type MebxClient, type MebxView } from '../../protocols/mebx/index.js';
import type { TextFramebuffer } from '../framebuffer.js';
import { drawFrame, drawStatus, type StatusTone } from './draw.js';
import { KeyDecoder, type Key } from './keys.js';
import { loginView } from './screens-login.js';
import type { View, ViewContext } from './view.js';

export interface MebxAppOptions {
  readonly screen: TextFramebuffer;
  readonly client: MebxClient;
  /** Called after every redraw (e.g. to mirror the screen to a serial terminal). */
  readonly onFrame?: () => void;
}

export class MebxApp {
  readonly done: Promise<void>;
  readonly #options: MebxAppOptions;
  readonly #decoder = new KeyDecoder();
  readonly #stack: View[] = [];
  readonly #context: ViewContext;
  #status: { text: string; tone: StatusTone } = { text: '', tone: 'plain' };
  #settings: MebxView | undefined;
  #queue: Promise<void> = Promise.resolve();
  #finished = false;
  #finish: () => void = () => undefined;

  constructor(options: MebxAppOptions) {
    this.#options = options;
    this.done = new Promise((resolve) => (this.#finish = resolve));
    this.#context = this.#makeContext();
  }

  get finished(): boolean {
    return this.#finished;
  }

  /** The top view (for tests). */
  get view(): View | undefined {
    return this.#stack.at(-1);
  }

  /** Shows the login screen. */
  start(): Promise<void> {
    return this.#enqueue(async () => {
      await this.#context.reset(loginView());
    });
  }

  /** Bytes from a keyboard or terminal; the keys are handled in order. */
  feed(bytes: Uint8Array): Promise<void> {
    const keys = this.#decoder.feed(bytes);
    return Promise.all(keys.map((key) => this.#enqueue(() => this.#key(key)))).then(() => undefined);
  }

  #enqueue(task: () => Promise<void>): Promise<void> {
    this.#queue = this.#queue.then(async () => {
      if (this.#finished) return;
      try {
        await task();
      } catch (error) {
        await this.#failed(error);
      }
      if (!this.#finished) this.#render();
    });
    return this.#queue;
  }

  async #key(key: Key): Promise<void> {
    this.#status = { text: '', tone: 'plain' };
    await this.view?.key(key, this.#context);
  }

  async #failed(error: unknown): Promise<void> {
    if (isMebxRefused(error, 'notAuthenticated') || isMebxRefused(error, 'passwordChangeRequired')) {
      await this.#context.reset(loginView());
      this.#context.status('Error - The session ended; log in again', 'error');
    } else if (isMebxRefused(error, 'endOfPost')) this.#context.status('Error - Intel(R) ME refused: End-of-POST was already sent', 'error');
    else if (isMebxRefused(error, 'invalidParameter')) this.#context.status('Error - Intel(R) ME refused the value', 'error');
    else if (isMebxRefused(error)) this.#context.status(`Error - Intel(R) ME refused: ${error.status}`, 'error');
    else this.#context.status(`Error - Cannot reach Intel(R) ME: ${error instanceof Error ? error.message : String(error)}`, 'error');
  }

  #render(): void {
    const { screen } = this.#options;
    const top = this.view;
    drawFrame(screen, top?.heading ?? '', top?.help ?? '');
    const below = top?.overlay ? this.#stack.findLast((view) => !view.overlay) : undefined;
    below?.draw(screen);
    top?.draw(screen);
    drawStatus(screen, this.#status.text, this.#status.tone);
    const cursor = top?.cursor?.();
    screen.setCursor(cursor?.row ?? 24, cursor?.column ?? 79);
    this.#options.onFrame?.();
  }

  #makeContext(): ViewContext {
    const show = async (): Promise<void> => {
      await this.view?.show?.(this.#context);
    };
    return {
      client: this.#options.client,
      settings: () => this.#settings,
      refresh: async () => (this.#settings = await this.#options.client.getSettings()),
      push: async (view) => {
        this.#stack.push(view);
        await show();
      },
      pop: async () => {
        if (this.#stack.length > 1) this.#stack.pop();
        await show();
      },
      replace: async (view) => {
        this.#stack.pop();
        this.#stack.push(view);
        await show();
      },
      reset: async (view) => {
        this.#stack.length = 0;
        this.#stack.push(view);
        await show();
      },
      status: (text, tone = 'info') => void (this.#status = { text, tone }),
      exit: () => {
        this.#finished = true;
        this.#finish();
      },
    };
  }
}
