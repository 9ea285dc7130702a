/**
 * The simulated host: wires the power state machine, BIOS, serial port, framebuffer, keyboard, pointer,
 * boot order, host DRAM and the simulated OS together, and tells the engine port about every power
 * change. Each stretch of S0 is a "run" (POST then OS) with its own AbortController: power off,
 * reset or hibernate aborts it, so nothing from an old boot prints into a new one.
 */
import { HostDram } from '../devices/host-dram.js';
import { runPost, type BiosFaults, type BiosOptions, type BiosStep, type MebxHandler } from './bios.js';
import { BootOrder, DEFAULT_MEDIA, type BootDeviceName, type BootMedia } from './boot-order.js';
import { RunAborted, type HostClock } from './clock.js';
import { ABSENT_ENGINE, type EngineHostPort } from './engine-port.js';
import { hostFail } from './errors.js';
import { TextFramebuffer } from './framebuffer.js';
import type { Host, HostPhase, HostSnapshot, HostState } from './host.js';
import { Keyboard } from './keyboard.js';
import { readBootRecord } from './boot-media.js';
import { SimulatedOs, type OsFaults } from './os.js';
import { PointerDevice, type PointerEvent } from './pointer.js';
import { canApply, POWER_REQUESTS, powerRequest, PowerStateMachine, type PowerChange, type PowerReason, type PowerRequestSpec } from './power.js';
import { Uart, type UartOptions } from './serial.js';
import { EventTrace, type HostEvent, type HostEventBody } from './trace.js';

/** Test faults for the whole host. */
export interface HostFaults extends BiosFaults, OsFaults {}

export interface SimulatedHostOptions {
  readonly clock: HostClock;
  /** The engine side; default: no engine. */
  readonly engine?: EngineHostPort;
  /** Host DRAM (shared with the engine's UMA); default 4 GiB. */
  readonly dram?: HostDram;
  readonly bootOrder?: readonly string[];
  /** Media per device; default a disk and a PXE server. */
  readonly media?: Partial<Record<BootDeviceName, BootMedia>>;
  readonly bios?: BiosOptions;
  /** Enter MEBX on the first POST without the hotkey (`--mebx`). */
  readonly mebx?: boolean;
  readonly onMebx?: MebxHandler;
  readonly faults?: HostFaults;
  readonly hostname?: string;
  readonly serial?: UartOptions;
  readonly eventCapacity?: number;
  /** Wall-clock ms at clock time 0 (default 2025-01-01T00:00:00Z), for `uptime`. */
  readonly wallClockOrigin?: number;
}

interface Run {
  readonly controller: AbortController;
  biosStep: BiosStep | undefined;
  dramInitDoneSent: boolean;
  endOfPostSent: boolean;
  halted: boolean;
  os: SimulatedOs | undefined;
}

/** NMI handling: Linux's message for an NMI nobody claims, before the panic. */
const NMI_PANIC = 'NMI: Not continuing';

export class SimulatedHost implements Host {
  readonly serial: Uart;
  readonly screen = new TextFramebuffer();
  readonly keyboard = new Keyboard();
  /** The pointer's model (KVM pointer events); a text-mode PC draws no cursor for it. */
  readonly pointerDevice = new PointerDevice();
  readonly dram: HostDram;
  readonly #clock: HostClock;
  readonly #engine: EngineHostPort;
  readonly #power = new PowerStateMachine('S5');
  readonly #bootOrder: BootOrder;
  readonly #media: Map<BootDeviceName, BootMedia>;
  readonly #trace: EventTrace;
  readonly #options: SimulatedHostOptions;
  #faults: HostFaults;
  #enterMebxNext: boolean;
  #run: Run | undefined;
  /** The device whose disk holds a hibernation image (S4), if any. */
  #hibernatedOn: BootDeviceName | undefined;

  /** @throws HostError VME_ERR_HOST_BOOT_ORDER for a bad boot order; RangeError for bad sizes. */
  constructor(options: SimulatedHostOptions) {
    this.#options = options;
    this.#clock = options.clock;
    this.#engine = options.engine ?? ABSENT_ENGINE;
    this.dram = options.dram ?? new HostDram();
    this.serial = new Uart(options.serial);
    this.#bootOrder = new BootOrder(options.bootOrder);
    this.#media = new Map(Object.entries(options.media ?? DEFAULT_MEDIA) as [BootDeviceName, BootMedia][]);
    this.#trace = new EventTrace(options.eventCapacity);
    this.#faults = options.faults ?? {};
    this.#enterMebxNext = options.mebx ?? false;
    checkUma(this.dram.size, options.bios?.umaSize);
    this.#power.onChange((change) => this.#onPowerChange(change));
  }

  state(): HostState {
    const run = this.#run;
    return {
      powerState: this.#power.state,
      cimPowerState: this.#power.reported,
      phase: this.#phase(),
      biosStep: run?.biosStep,
      os: run?.os?.state,
      bootDevice: run?.os?.device,
      dramInitDoneSent: run?.dramInitDoneSent ?? false,
      endOfPostSent: run?.endOfPostSent ?? false,
    };
  }

  /** KVM pointer events land on the pointer model (clamped to 640×400); always taken. */
  pointer(event: PointerEvent): boolean {
    return this.pointerDevice.move(event);
  }

  powerOn(reason: PowerReason = 'power-button'): void {
    this.#power.apply('powerOn', reason);
  }

  requestPowerState(value: number, reason: PowerReason = 'management'): void {
    const spec = powerRequest(value);
    this.#checkAllowed(spec);
    const os = this.#run?.os;
    if (spec.graceful && os && (spec.action === 'softOff' || spec.action === 'reset')) {
      os.shutdown(spec.action, reason).catch(() => undefined); // aborted by a power change meanwhile
      return;
    }
    this.#power.apply(spec.action, reason);
  }

  availableRequestedPowerStates(): number[] {
    return POWER_REQUESTS.filter((spec) => this.#allowed(spec) === undefined).map((spec) => spec.value);
  }

  bootOrder(): readonly BootDeviceName[] {
    return this.#bootOrder.order;
  }

  setBootOrder(order: readonly string[]): void {
    this.#bootOrder.setOrder(order);
  }

  setOneTimeBoot(device: string | undefined): void {
    this.#bootOrder.setOneTime(device);
  }

  setMedia(device: BootDeviceName, media: BootMedia | undefined): void {
    if (media) this.#media.set(device, media);
    else this.#media.delete(device);
  }

  /** Enter MEBX on the next POST without the hotkey. */
  enterMebxOnNextBoot(): void {
    this.#enterMebxNext = true;
  }

  /** Replaces the fault options for POSTs and boots that start from now on. */
  setFaults(faults: HostFaults): void {
    this.#faults = faults;
  }

  /** Fault injection: the running (or booting) OS panics. Returns false when no OS is up. */
  crashOs(reason = 'Fatal exception'): boolean {
    const os = this.#run?.os;
    if (!os || (os.state !== 'running' && os.state !== 'booting')) return false;
    os.crash(reason);
    return true;
  }

  /** Pulls the plug (G3): everything stops; the engine loses power too on a real platform. */
  removeAc(): void {
    this.#power.apply('removeAc', 'ac-power');
  }

  /** Plugs back in: G3 → S5. */
  restoreAc(): void {
    this.#power.apply('restoreAc', 'ac-power');
  }

  on(listener: (event: HostEvent) => void): () => void {
    return this.#trace.on(listener);
  }

  events(): readonly HostEvent[] {
    return this.#trace.events();
  }

  snapshot(): HostSnapshot {
    const output = this.serial.outputText();
    return {
      state: this.state(),
      bootOrder: this.#bootOrder.order,
      oneTimeBoot: this.#bootOrder.oneTime,
      screen: this.screen.render(),
      serialTail: output.slice(-4096),
      serialCounters: this.serial.counters,
      eventCounts: this.#trace.counts(),
      dramSize: this.dram.size,
      dramResidentBytes: this.dram.residentBytes,
      pointer: this.pointerDevice.state,
    };
  }

  #phase(): HostPhase {
    const power = this.#power.state;
    if (power === 'S3') return 'sleeping';
    if (power === 'S4') return 'hibernated';
    if (power !== 'S0' || !this.#run) return 'off';
    if (this.#run.os) return 'os';
    return this.#run.halted ? 'no-boot-device' : 'post';
  }

  /** Why a request is not allowed now, or undefined when it is. */
  #allowed(spec: PowerRequestSpec): string | undefined {
    const state = this.#power.state;
    if (!canApply(state, spec.action)) return `cannot ${spec.action} while the host is in ${state}`;
    const needsOs = spec.graceful || spec.action === 'sleep' || spec.action === 'hibernate';
    const osState = this.#run?.os?.state;
    if (needsOs && osState !== 'running') return `${spec.name} needs a running OS; the OS is ${osState ?? 'not started'} (phase ${this.#phase()})`;
    return undefined;
  }

  #checkAllowed(spec: PowerRequestSpec): void {
    const why = this.#allowed(spec);
    if (why) hostFail('VME_ERR_HOST_POWER_STATE', why, { state: this.#power.state, requested: spec.value, os: this.#run?.os?.state });
  }

  #record(body: HostEventBody): void {
    this.#trace.record(body, this.#clock.now());
  }

  #onPowerChange(change: PowerChange): void {
    this.#record({ kind: 'power', change });
    this.#notifyEngine(change);
    const { from, to, action } = change;
    if (action === 'diagnosticInterrupt') return this.#nmi();
    if (from === 'S0' && to === 'S3') return this.#run?.os?.suspend();
    if (from === 'S3' && to === 'S0') return this.#run?.os?.resume();
    if (from === 'S0' && to === 'S4') this.#hibernate();
    if (from !== 'G3' && (to !== 'S0' || action === 'reset')) this.#endRun();
    if (to === 'S4' || to === 'S5' || to === 'G3') this.#loseMemory(from);
    if (to === 'S0') this.#startRun();
  }

  #notifyEngine(change: PowerChange): void {
    try {
      this.#engine.hostPowerChanged(change);
    } catch (error) {
      this.#record({ kind: 'internal-error', message: `engine port hostPowerChanged threw: ${String(error)}` });
    }
  }

  #nmi(): void {
    const os = this.#run?.os;
    const handled = os !== undefined && (os.state === 'running' || os.state === 'booting');
    this.#record({ kind: 'nmi', handledBy: handled ? 'os' : 'nobody' });
    if (handled) os.crash(NMI_PANIC);
  }

  #hibernate(): void {
    const os = this.#run?.os;
    os?.hibernate();
    this.#hibernatedOn = os?.device;
  }

  #endRun(): void {
    const run = this.#run;
    this.#run = undefined;
    run?.controller.abort();
    run?.os?.stop();
    this.serial.reset();
    this.keyboard.reset();
    this.pointerDevice.reset();
  }

  /** DRAM (and with it UMA) loses power on entry to S4, S5 or G3; S3 keeps it in self-refresh. */
  #loseMemory(from: PowerChange['from']): void {
    if (from === 'S4' || from === 'S5' || from === 'G3') return;
    this.dram.restore({ size: this.dram.size, pages: new Map() });
  }

  #startRun(): void {
    const run: Run = { controller: new AbortController(), biosStep: undefined, dramInitDoneSent: false, endOfPostSent: false, halted: false, os: undefined };
    this.#run = run;
    this.#boot(run).catch((error: unknown) => {
      if (!(error instanceof RunAborted)) this.#record({ kind: 'internal-error', message: error instanceof Error ? error.message : String(error) });
    });
  }

  async #boot(run: Run): Promise<void> {
    const signal = run.controller.signal;
    const enterMebx = this.#enterMebxNext;
    this.#enterMebxNext = false;
    const faults = this.#faults;
    const outcome = await runPost(this.#biosContext(run), { options: this.#options.bios ?? {}, faults, enterMebx }, signal);
    this.#record({ kind: 'post-outcome', outcome: outcome.kind });
    if (outcome.kind === 'global-reset') return void this.#power.apply('reset', 'bios-global-reset');
    if (outcome.kind === 'no-boot-device') return void (run.halted = true);
    const resume = this.#hibernatedOn === outcome.device;
    if (resume) this.#hibernatedOn = undefined;
    const media = outcome.media.blocks ? await this.#loadMedia(outcome.device, outcome.media, signal) : outcome.media;
    if (media === undefined) return void (run.halted = true);
    run.os = new SimulatedOs(this.#osContext(), outcome.device, media, signal);
    await run.os.boot(resume ? 'resume-from-hibernation' : 'cold', faults);
  }

  /** IDE-R: the BIOS reads the media's boot record through the session; undefined (halt) when that fails. */
  async #loadMedia(device: BootDeviceName, media: BootMedia, signal: AbortSignal): Promise<BootMedia | undefined> {
    const report = await readBootRecord(device, media, signal);
    this.#record({ kind: 'boot-media', report });
    if (signal.aborted) throw new RunAborted();
    const line = report.error ? `IDE-R: ${report.error}` : `IDE-R: ${report.found}`;
    this.screen.write(`${line}\n`);
    this.serial.transmit(`${line}\r\n`);
    return report.error ? undefined : { description: `${media.description}, ${report.found}`, commandLine: report.commandLine };
  }

  #biosContext(run: Run): Parameters<typeof runPost>[0] {
    return {
      clock: this.#clock,
      screen: this.screen,
      serial: this.serial,
      keyboard: this.keyboard,
      engine: this.#engine,
      dramSize: this.dram.size,
      bootOrder: this.#bootOrder,
      media: (device) => this.#media.get(device),
      onMebx: this.#options.onMebx,
      emit: (event) => {
        if (event.kind === 'bios-step') run.biosStep = event.step;
        if (event.kind === 'dram-init-done') run.dramInitDoneSent = true;
        if (event.kind === 'end-of-post') run.endOfPostSent = true;
        this.#record(event);
      },
    };
  }

  #osContext(): ConstructorParameters<typeof SimulatedOs>[0] {
    return {
      clock: this.#clock,
      serial: this.serial,
      screen: this.screen,
      hostname: this.#options.hostname ?? 'vme-host',
      memoryBytes: this.dram.size,
      wallClockOrigin: this.#options.wallClockOrigin ?? Date.UTC(2025, 0, 1),
      requestPower: (request, reason) => this.#osPowerRequest(request, reason),
      emit: (event) => this.#record(event),
    };
  }

  #osPowerRequest(request: 'softOff' | 'reset' | 'sleep' | 'hibernate', reason: PowerReason): void {
    try {
      this.#power.apply(request, reason);
    } catch (error) {
      this.#record({ kind: 'internal-error', message: `OS power request ${request} failed: ${String(error)}` });
    }
  }
}

function checkUma(dramSize: number, umaSize: number | undefined): void {
  if (umaSize === undefined) return;
  if (!Number.isSafeInteger(umaSize) || umaSize <= 0 || umaSize % 4096 !== 0 || umaSize > dramSize / 2) {
    throw new RangeError(`UMA size must be a positive multiple of 4 KiB and at most half of host DRAM, got ${umaSize}`);
  }
}
