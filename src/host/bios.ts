/**
 * BIOS POST as an observable sequence of steps: power-on → memory init → DRAM-init-done to the
 * engine (UMA placed) → the MEBX prompt (Ctrl-P on the keyboard or serial within a window, or a
 * request) → MEBX → End-of-POST to the engine → boot device selection. The BIOS console goes to
 * the framebuffer and, as with BIOS console redirection, to the serial port. Fault options leave
 * out DRAM-init-done or End-of-POST, or hang at a step; the engine port is never waited on beyond
 * its own promise and its failures never stop POST.
 */
import { hang, RunAborted, sleep, type HostClock } from './clock.js';
import type { BootDeviceName, BootMedia, BootOrder, BootSelection } from './boot-order.js';
import { BOOT_DEVICES } from './boot-order.js';
import type { EndOfPostReply, EngineHostPort, UmaPlacement } from './engine-port.js';
import type { TextFramebuffer } from './framebuffer.js';
import { CONTROL_P, type Keyboard } from './keyboard.js';
import type { Uart } from './serial.js';

/** POST steps in order. */
export const BIOS_STEPS = ['power-on', 'memory-init', 'dram-init-done', 'mebx-prompt', 'mebx', 'end-of-post', 'boot-select'] as const;
export type BiosStep = (typeof BIOS_STEPS)[number];

export interface BiosOptions {
  /** Simulated time each visible step takes (default 100 ms). */
  readonly stepMilliseconds?: number;
  /** How long the MEBX prompt waits for Ctrl-P (default 2000 ms). */
  readonly mebxWindowMilliseconds?: number;
  /** Bytes of host DRAM reserved as UMA, at the top of DRAM (default 32 MiB). */
  readonly umaSize?: number;
  /** How long the BIOS waits for the engine's End-of-POST answer before going on (default 5000 ms). */
  readonly endOfPostTimeoutMilliseconds?: number;
}

/** Test faults: a BIOS that skips a message to the engine, or hangs before a step. */
export interface BiosFaults {
  readonly noDramInitDone?: boolean;
  readonly noEndOfPost?: boolean;
  readonly hangAt?: BiosStep;
}

/** What MEBX (another module) gets while it runs: the console and the engine; `signal` aborts on power loss. */
export interface MebxSession {
  readonly screen: TextFramebuffer;
  readonly serial: Uart;
  readonly keyboard: Keyboard;
  readonly engine: EngineHostPort;
  readonly clock: HostClock;
  readonly signal: AbortSignal;
}
export type MebxHandler = (session: MebxSession) => Promise<void>;

/** What the BIOS reports while it runs. */
export type BiosEvent =
  | { readonly kind: 'bios-step'; readonly step: BiosStep }
  | { readonly kind: 'dram-init-done'; readonly uma: UmaPlacement }
  | { readonly kind: 'end-of-post'; readonly reply: EndOfPostReply }
  | { readonly kind: 'engine-error'; readonly step: BiosStep; readonly message: string }
  | { readonly kind: 'fault'; readonly fault: 'no-dram-init-done' | 'no-end-of-post' | 'post-hang'; readonly step: BiosStep }
  | { readonly kind: 'boot-select'; readonly selection: BootSelection };

/** What the BIOS works with, wired by the host. */
export interface BiosContext {
  readonly clock: HostClock;
  readonly screen: TextFramebuffer;
  readonly serial: Uart;
  readonly keyboard: Keyboard;
  readonly engine: EngineHostPort;
  readonly dramSize: number;
  readonly bootOrder: BootOrder;
  readonly media: (device: BootDeviceName) => BootMedia | undefined;
  readonly onMebx: MebxHandler | undefined;
  readonly emit: (event: BiosEvent) => void;
}

/** One POST run's inputs. */
export interface PostPlan {
  readonly options: BiosOptions;
  readonly faults: BiosFaults;
  /** Enter MEBX without waiting for the hotkey (`--mebx`, or AMT asking for setup). */
  readonly enterMebx: boolean;
}

export type PostOutcome =
  | { readonly kind: 'boot'; readonly device: BootDeviceName; readonly media: BootMedia; readonly oneTime: boolean }
  | { readonly kind: 'no-boot-device' }
  | { readonly kind: 'global-reset' };

export const DEFAULT_UMA_SIZE = 32 * 1024 * 1024;

/** Where UMA goes for a DRAM of `dramSize` bytes: the top `umaSize` bytes. */
export function umaPlacement(dramSize: number, umaSize: number = DEFAULT_UMA_SIZE): UmaPlacement {
  return { base: dramSize - umaSize, size: umaSize };
}

/** Runs POST to its outcome; rejects with RunAborted when `signal` aborts (power off, reset). */
export async function runPost(context: BiosContext, plan: PostPlan, signal: AbortSignal): Promise<PostOutcome> {
  const post = new Post(context, plan, signal);
  await post.step('power-on', () => post.banner());
  await post.step('memory-init', () => post.say(`Memory test: ${Math.floor(context.dramSize / 2 ** 20)} MB OK`));
  await post.step('dram-init-done', () => post.dramInitDone());
  if (await post.mebxRequested()) await post.step('mebx', () => post.mebx());
  const reply = await post.step('end-of-post', () => post.endOfPost());
  if (reply?.requestedAction === 'global-reset') return { kind: 'global-reset' };
  return post.step('boot-select', () => post.selectBootDevice());
}

/** One POST run; methods are the steps' bodies. */
class Post {
  readonly #step: number;

  constructor(readonly context: BiosContext, readonly plan: PostPlan, readonly signal: AbortSignal) {
    this.#step = plan.options.stepMilliseconds ?? 100;
  }

  /** Announces a step (hanging first if that fault is set), runs its body, then lets the step's time pass. */
  async step<T>(step: BiosStep, body: () => T | Promise<T>): Promise<T> {
    if (this.plan.faults.hangAt === step) {
      this.context.emit({ kind: 'fault', fault: 'post-hang', step });
      await hang(this.signal);
    }
    this.context.emit({ kind: 'bios-step', step });
    const result = await body();
    this.#checkAborted();
    await sleep(this.context.clock, this.#step, this.signal);
    return result;
  }

  say(line: string): void {
    this.context.screen.write(`${line}\n`);
    this.context.serial.transmit(`${line}\r\n`);
  }

  banner(): void {
    this.context.screen.clear();
    this.say('vme BIOS 1.0 (simulated host firmware)');
    this.say('Copyright (c) the vme authors. This is a model, not Intel or OEM firmware.');
    this.say('');
  }

  dramInitDone(): void {
    if (this.plan.faults.noDramInitDone) return this.context.emit({ kind: 'fault', fault: 'no-dram-init-done', step: 'dram-init-done' });
    const uma = umaPlacement(this.context.dramSize, this.plan.options.umaSize);
    try {
      this.context.engine.dramInitDone(uma);
      this.context.emit({ kind: 'dram-init-done', uma });
    } catch (error) {
      this.#engineError('dram-init-done', error);
    }
  }

  /** Shows the prompt and waits for Ctrl-P (keys typed earlier in POST count too) unless MEBX was requested. */
  async mebxRequested(): Promise<boolean> {
    return this.step('mebx-prompt', async () => {
      if (this.plan.enterMebx) return true;
      this.say('Press <CTRL-P> to enter MEBx setup menu');
      return this.#waitForHotkey(this.plan.options.mebxWindowMilliseconds ?? 2000);
    });
  }

  async mebx(): Promise<void> {
    const { screen, serial, keyboard, engine, clock, onMebx } = this.context;
    this.say('Entering Intel(R) ME setup (MEBx)...');
    if (onMebx) await Promise.race([onMebx({ screen, serial, keyboard, engine, clock, signal: this.signal }), hang(this.signal)]);
    else this.say('MEBx is not available in this build; continuing.');
    this.#checkAborted();
  }

  async endOfPost(): Promise<EndOfPostReply | undefined> {
    if (this.plan.faults.noEndOfPost) {
      this.context.emit({ kind: 'fault', fault: 'no-end-of-post', step: 'end-of-post' });
      return undefined;
    }
    try {
      const reply = (await this.#withTimeout(this.context.engine.endOfPost())) ?? { requestedAction: 'continue' };
      this.#checkAborted();
      this.context.emit({ kind: 'end-of-post', reply });
      if (reply.requestedAction === 'global-reset') this.say('ME requested a global reset.');
      return reply;
    } catch (error) {
      this.#checkAborted();
      this.#engineError('end-of-post', error);
      return undefined;
    }
  }

  selectBootDevice(): PostOutcome {
    const { bootOrder, media, emit } = this.context;
    const selection = bootOrder.select((device) => media(device) !== undefined);
    emit({ kind: 'boot-select', selection });
    if (selection.overrideNotReady) this.say(`Boot override ${BOOT_DEVICES[selection.overrideNotReady].label}: no bootable media, using the boot order.`);
    const chosen = selection.device && media(selection.device);
    if (!selection.device || !chosen) {
      this.say('No bootable device -- insert boot disk and press any key');
      return { kind: 'no-boot-device' };
    }
    this.say(`Booting from ${BOOT_DEVICES[selection.device].label}: ${chosen.description}...`);
    return { kind: 'boot', device: selection.device, media: chosen, oneTime: selection.oneTime };
  }

  #waitForHotkey(windowMilliseconds: number): Promise<boolean> {
    const { serial, keyboard, clock } = this.context;
    return new Promise<boolean>((resolve, reject) => {
      const finish = (entered: boolean | undefined): void => {
        stopSerial();
        stopKeyboard();
        cancel();
        this.signal.removeEventListener('abort', onAbort);
        if (entered === undefined) reject(new RunAborted());
        else resolve(entered);
      };
      const check = (): void => {
        if (serial.receive().includes(CONTROL_P) || keyboard.take().includes(CONTROL_P)) finish(true);
      };
      const onAbort = (): void => finish(undefined);
      const stopSerial = serial.onReceive(check);
      const stopKeyboard = keyboard.onKey(check);
      const cancel = clock.schedule(windowMilliseconds, () => finish(false));
      this.signal.addEventListener('abort', onAbort, { once: true });
      check();
    });
  }

  /** The engine's answer, or a rejection after the End-of-POST timeout (the engine never blocks POST). */
  #withTimeout<T>(answer: T | Promise<T>): Promise<T> {
    const limit = this.plan.options.endOfPostTimeoutMilliseconds ?? 5000;
    let cancel = (): void => undefined;
    const timeout = new Promise<never>((_, reject) => {
      cancel = this.context.clock.schedule(limit, () => reject(new Error(`no answer in ${limit} ms`)));
    });
    return Promise.race([Promise.resolve(answer), timeout, hang(this.signal)]).finally(cancel);
  }

  #engineError(step: BiosStep, error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.say(`ME: ${step} failed: ${message}`);
    this.context.emit({ kind: 'engine-error', step, message });
  }

  #checkAborted(): void {
    if (this.signal.aborted) throw new RunAborted();
  }
}
