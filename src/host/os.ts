/**
 * The simulated OS: boots (a Linux-like console on the serial port and the framebuffer, ending at a
 * root shell on ttyS0 and a login prompt on tty1), answers a few shell commands typed on the serial
 * port, and asks the host for power changes (shutdown, reboot, suspend, hibernate). It is small and
 * deterministic: all timing comes from the injected clock. One instance lives for one boot.
 */
import { sleep, type HostClock } from './clock.js';
import type { BootDeviceName, BootMedia } from './boot-order.js';
import type { TextFramebuffer } from './framebuffer.js';
import { bootLog, hibernationResumeLog, KERNEL_RELEASE, loginBanner, panicLines, SHUTDOWN_LINES, type ConsoleLine } from './os-console.js';
import { formatUptime, LineDiscipline, runCommand, type ShellEffect, type ShellEnvironment } from './os-shell.js';
import type { PowerReason } from './power.js';
import type { Uart } from './serial.js';
import { BOOT_DEVICES } from './boot-order.js';

export type OsState = 'booting' | 'running' | 'shutting-down' | 'suspended' | 'hibernated' | 'crashed' | 'stopped';

export type OsEvent =
  | { readonly kind: 'os-state'; readonly state: OsState; readonly detail?: string }
  | { readonly kind: 'os-command'; readonly command: string };

/** What the OS works with, wired by the host. */
export interface OsContext {
  readonly clock: HostClock;
  readonly serial: Uart;
  readonly screen: TextFramebuffer;
  readonly hostname: string;
  readonly memoryBytes: number;
  /** Wall-clock time (ms since 1970) at clock time 0, for `uptime`. */
  readonly wallClockOrigin: number;
  /** Asks the host to change power; the host calls back suspend()/hibernate()/stop() as it happens. */
  readonly requestPower: (request: ShellEffect, reason: PowerReason) => void;
  readonly emit: (event: OsEvent) => void;
}

export interface OsFaults {
  /** The kernel panics when it starts init (an OS that never comes up). */
  readonly crashDuringBoot?: boolean;
}

const SHUTDOWN_STEP_MILLISECONDS = 200;

export class SimulatedOs {
  #state: OsState = 'stopped';
  #bootedAt = 0;
  #stopInput: (() => void) | undefined;
  readonly #discipline = new LineDiscipline();

  constructor(readonly context: OsContext, readonly device: BootDeviceName, readonly media: BootMedia, readonly signal: AbortSignal) {}

  get state(): OsState {
    return this.#state;
  }

  /** Boots to the shell (cold) or restores a hibernation image; rejects with RunAborted on power loss. */
  async boot(how: 'cold' | 'resume-from-hibernation', faults: OsFaults = {}): Promise<void> {
    const { clock, screen, hostname, memoryBytes } = this.context;
    this.#bootedAt = clock.now();
    this.#setState('booting', how === 'cold' ? this.device : 'resume from hibernation');
    screen.clear();
    const lines = how === 'cold' ? bootLog(this.device, this.media, hostname, memoryBytes) : hibernationResumeLog();
    let previous = 0;
    for (const line of lines) {
      await sleep(clock, line.at - previous, this.signal);
      previous = line.at;
      this.#print(line.text);
      if (faults.crashDuringBoot && isInitLine(line)) return this.crash('Attempted to kill init! exitcode=0x0000000b');
    }
    this.#startShell();
  }

  /** The kernel panics (fault injection, an NMI); the console stops answering. */
  crash(reason: string): void {
    this.#stopShell();
    for (const line of panicLines(reason)) this.#print(line);
    this.#setState('crashed', reason);
  }

  /** A graceful shutdown or reboot: stop services, print the log, then ask the host. */
  async shutdown(kind: 'softOff' | 'reset', reason: PowerReason): Promise<void> {
    this.#stopShell();
    this.#setState('shutting-down', kind);
    for (const line of SHUTDOWN_LINES[kind]) {
      await sleep(this.context.clock, SHUTDOWN_STEP_MILLISECONDS, this.signal);
      this.#print(line);
    }
    this.context.requestPower(kind, reason);
  }

  /** The host entered S3. */
  suspend(): void {
    this.#stopShell();
    this.#print('PM: suspend entry (deep)');
    this.#setState('suspended');
  }

  /** The host woke from S3. */
  resume(): void {
    this.#print('PM: suspend exit');
    this.#startShell(false);
  }

  /** The host entered S4: the image is on disk. */
  hibernate(): void {
    this.#stopShell();
    this.#print('PM: hibernation: Image saved, powering off');
    this.#setState('hibernated');
  }

  /** Power is gone (off, reset): stop without a word. */
  stop(): void {
    this.#stopShell();
    if (this.#state !== 'hibernated') this.#setState('stopped');
  }

  #startShell(login = true): void {
    const { screen, serial, hostname } = this.context;
    if (login) {
      for (const line of loginBanner(hostname, 'tty1')) screen.write(`${line}\n`);
      screen.write(`${hostname} login: `);
      for (const line of loginBanner(hostname, 'ttyS0')) serial.transmit(`${line}\r\n`);
      serial.transmit(`${hostname} login: root (automatic login)\r\n\r\n`);
    }
    this.#setState('running');
    this.#prompt();
    this.#stopInput = serial.onReceive(() => this.#onInput());
    if (serial.receivePending > 0) this.#onInput();
  }

  #stopShell(): void {
    this.#stopInput?.();
    this.#stopInput = undefined;
  }

  #onInput(): void {
    const { echo, lines } = this.#discipline.feed(this.context.serial.receive());
    this.context.serial.transmit(echo);
    for (const line of lines) {
      if (this.#state !== 'running') return;
      this.#execute(line);
    }
  }

  #execute(line: string): void {
    if (line === '\x03') return this.#prompt();
    if (line.trim() !== '') this.context.emit({ kind: 'os-command', command: line.trim() });
    const result = runCommand(line, this.#environment());
    for (const output of result.output) this.context.serial.transmit(`${output}\r\n`);
    if (!result.effect) return this.#prompt();
    if (result.effect === 'softOff' || result.effect === 'reset') {
      this.shutdown(result.effect, 'os-request').catch(() => undefined); // aborted by power loss: nothing to do
    } else {
      this.context.requestPower(result.effect, 'os-request');
    }
  }

  #environment(): ShellEnvironment {
    const { clock, hostname, wallClockOrigin } = this.context;
    return {
      hostname,
      kernelRelease: KERNEL_RELEASE,
      commandLine: this.media.commandLine,
      bootDevice: `${BOOT_DEVICES[this.device].label}: ${this.media.description}`,
      uptime: () => formatUptime(new Date(wallClockOrigin + clock.now()), clock.now() - this.#bootedAt),
    };
  }

  #prompt(): void {
    this.context.serial.transmit(`root@${this.context.hostname}:~# `);
  }

  #print(text: string): void {
    this.context.screen.write(`${text}\n`);
    this.context.serial.transmit(`${text}\r\n`);
  }

  #setState(state: OsState, detail?: string): void {
    this.#state = state;
    this.context.emit(detail === undefined ? { kind: 'os-state', state } : { kind: 'os-state', state, detail });
  }
}

function isInitLine(line: ConsoleLine): boolean {
  return line.text.includes('Run /sbin/init');
}
