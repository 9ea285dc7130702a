/**
 * The engine of one platform, composed: flash controller → ROM → devices → NVRAM → kernel → apps.
 * `bootEngine` never throws on a bad image or failing app; the result's `state` and boot log say
 * what happened (down, recovery, degraded) and the engine serves whatever could start.
 * With a network address, `networkListeners()` shows the apps' listeners on it (design 0009).
 */
import type { VmeError } from '../common/errors.js';
import type { NvramFileSystem } from '../kernel/nvram/index.js';
import { KERNEL_CALLER, KernelError, type HostConnectionEvent, type Kernel, type NetworkListenerStatus, type PlatformFacts, type PlatformInfo, type PlatformNetwork, type AppStatus, type Client, type InterfaceSpec, type PowerGate, type PowerState, type Trace, type EngineBootLogEntry, formatEngineBootLog, makeClient } from '../kernel/index.js';
import type { RomBootResult } from '../rom/index.js';
import type { PlatformDevices } from './devices.js';

export type EngineState = 'operational' | 'recovery' | 'degraded' | 'down' | 'stopped';

/** What `vme status` will show (plain data). */
export interface EngineStatus {
  readonly state: EngineState;
  readonly power: PowerState | 'off';
  readonly apps: AppStatus[];
  readonly counters: Record<string, number>;
  /** True once the BIOS sent MKHI END_OF_POST (until the host resets). */
  readonly endOfPost: boolean;
  /** The platform's network address and listeners (only when the engine was given an address). */
  readonly network?: { readonly address: string; readonly listeners: NetworkListenerStatus[] };
}

/** The parts a booted engine is made of (created by bootEngine). */
export interface EngineParts {
  readonly rom: RomBootResult;
  readonly bootLog: EngineBootLogEntry[];
  readonly trace: Trace;
  readonly kernel?: Kernel;
  readonly devices?: PlatformDevices;
  readonly nvram?: NvramFileSystem | VmeError;
  readonly power?: PowerGate;
  readonly facts?: PlatformFacts;
  /** What every app is told about the platform (absent when the engine stayed down). */
  readonly platform?: PlatformInfo;
  /** The network device (absent without a network address or when the engine stayed down). */
  readonly network?: PlatformNetwork;
  readonly release: () => Promise<void>;
}

export class Engine {
  #state: EngineState;

  constructor(state: EngineState, readonly parts: EngineParts) {
    this.#state = state;
  }

  get state(): EngineState {
    return this.#state;
  }

  get bootLog(): readonly EngineBootLogEntry[] {
    return this.parts.bootLog;
  }

  get trace(): Trace {
    return this.parts.trace;
  }

  get counters(): Record<string, number> {
    return this.parts.trace.snapshot().counters;
  }

  get apps(): AppStatus[] {
    return this.parts.kernel?.apps ?? [];
  }

  get power(): PowerState | 'off' {
    return this.parts.power?.state ?? 'off';
  }

  /** The platform facts apps see (firmware version, partition, platform UUID, MAC, SKU); undefined when down. */
  get platform(): PlatformInfo | undefined {
    return this.parts.platform;
  }

  /** True once the BIOS sent MKHI END_OF_POST, until the host resets (pre-boot-only commands are refused meanwhile). */
  get endOfPost(): boolean {
    return this.parts.facts?.endOfPost ?? false;
  }

  /** The host PC reset or lost power: End-of-POST is cleared (the next POST sends it again). */
  hostReset(): void {
    this.parts.facts?.hostReset();
  }

  /** The platform's own loopback address, when it has a network. */
  get networkAddress(): string | undefined {
    return this.parts.network?.address;
  }

  /** Every granted listener on the platform's address: bound (`listening`) or why not (`error`). */
  networkListeners(): NetworkListenerStatus[] {
    return this.parts.network?.listeners() ?? [];
  }

  status(): EngineStatus {
    const network = this.parts.network;
    return {
      state: this.#state, power: this.power, apps: this.apps, counters: this.counters, endOfPost: this.endOfPost,
      ...(network ? { network: { address: network.address, listeners: network.listeners() } } : {}),
    };
  }

  /** The boot log as text, ROM lines then kernel lines. */
  formatBootLog(): string {
    return `${formatEngineBootLog(this.parts.bootLog)}\nstate: ${this.#state}`;
  }

  /** Calls an app's declared interface as the kernel's in-process client (status tools, tests). */
  async call(app: string, operation: string, args: unknown): Promise<unknown> {
    this.parts.power?.activity('call');
    return this.#kernel().call(KERNEL_CALLER, app, operation, args);
  }

  /** A typed client for an app's interface, checked like any caller's. */
  client<I extends InterfaceSpec>(spec: I): Client<I> {
    return makeClient(spec, (operation, args) => this.call(spec.app, operation, args));
  }

  /** The HECI seam: one host message to a firmware client (wakes the engine). */
  async handleHostMessage(client: string, bytes: Uint8Array): Promise<Uint8Array> {
    this.parts.power?.activity('heci');
    return this.#kernel().handleHostMessage(client, bytes);
  }

  /** The HECI seam: a host connected to or disconnected from a firmware client (wakes the engine). */
  async handleHostConnection(client: string, event: HostConnectionEvent): Promise<void> {
    this.parts.power?.activity('heci');
    return this.#kernel().handleHostConnection(client, event);
  }

  /** The host UART's output for an app holding `host:serial` open (the machine's relay calls it; wakes the engine). */
  async handleHostSerial(app: string, bytes: Uint8Array): Promise<void> {
    this.parts.power?.activity('heci');
    return this.#kernel().handleHostSerial(app, bytes);
  }

  /** IDE-R: the host reads blocks of media an engine app serves (wakes the engine). */
  async handleHostMediaRead(app: string, device: string, lba: number, count: number): Promise<Uint8Array> {
    this.parts.power?.activity('heci');
    return this.#kernel().handleHostMediaRead(app, device, lba, count);
  }

  /** A network event for one of the engine's listeners (wakes the engine; the network device calls it itself). */
  networkEvent(): void {
    this.parts.power?.activity('network');
  }

  /** A timer event (wakes the engine). */
  timerEvent(): void {
    this.parts.power?.activity('timer');
  }

  /** Stops every app instance, closes every listener and connection (ports free on return), the idle timer and the devices; workers left without instances end. */
  async shutdown(): Promise<void> {
    if (this.#state === 'stopped') return;
    this.#state = 'stopped';
    this.parts.kernel?.stop();
    await this.parts.network?.close();
    this.parts.power?.stop();
    this.parts.devices?.crypto.dispose();
    await this.parts.release();
  }

  #kernel(): Kernel {
    const kernel = this.parts.kernel;
    if (!kernel || this.#state === 'stopped') throw new KernelError('VME_ERR_APP_UNAVAILABLE', `the engine is ${this.#state}`, { state: this.#state });
    return kernel;
  }
}
