/**
 * `QemuHost implements Host`: the host PC is a QEMU virtual machine (TCG, headless). Power follows
 * the `Host` contract's state machine (power.ts); each power-on from S5 is one QEMU process:
 *   on (2)            launch QEMU paused, send DRAM-init-done, `cont`, send End-of-POST (the
 *                     platform BIOS's two messages to the engine; SeaBIOS cannot send them);
 *   off-soft (8)      hard off at once: QMP `quit` (SIGKILL after a timeout) — S5, the VM is gone;
 *   off graceful (12) QMP `system_powerdown` (ACPI power button); S5 when the guest powers off;
 *   reset (10)        the process ends and a new one starts (cold for the guest; the boot order and
 *                     one-time boot of that moment apply); reset graceful (14) = powerdown, then on;
 *   cycle (5)         S0 → S5 → S0 the same way; NMI (11) QMP `inject-nmi`;
 *   sleep/hibernate   refused (no OS agent); a guest that suspends itself is S3, woken by power on.
 * A guest reboot (QEMU runs with -no-reboot) is a reset with reason os-request; a guest power-off
 * is S5. Boot order and one-time boot are `bootindex` at launch. COM1 is `serial` (the SOL seam),
 * VGA text memory is `screen` (KVM), `keyboard.press` is QMP `send-key`, `pointer` is QMP
 * `input-send-event` on a virtio tablet (at most 32 in flight; more are refused), and the CD and IDE-R CD
 * drives take media through `setMedia` (QMP `blockdev-change-medium`/`eject` while running); media
 * a redirection console serves block by block reaches QEMU as a read-only NBD export (nbd-server.ts).
 * Every QMP call and process stop is bounded; `close()` leaves no process behind.
 */
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { HostDram } from '../../devices/host-dram.js';
import { DEFAULT_UMA_SIZE, umaPlacement } from '../bios.js';
import { BootOrder, type BootDeviceName, type BootMedia } from '../boot-order.js';
import { ABSENT_ENGINE, type EngineHostPort } from '../engine-port.js';
import { hostFail } from '../errors.js';
import type { TextFramebuffer } from '../framebuffer.js';
import type { Host, HostPhase, HostSnapshot, HostState } from '../host.js';
import { canApply, POWER_REQUESTS, powerRequest, PowerStateMachine, type PowerChange, type PowerReason, type PowerRequestSpec } from '../power.js';
import { EventTrace, type HostEvent, type HostEventBody } from '../trace.js';
import { isQemuBootDevice, QEMU_DEVICE_IDS, qemuArgs, type DriveImage, type QemuLaunch } from './qemu-args.js';
import { qcodesFor } from './qemu-keys.js';
import { qmpPointerEvents } from './qemu-pointer.js';
import { clampPointer, type PointerEvent } from '../pointer.js';
import { DEFAULT_QEMU_BINARY, spawnQemu, stopQemu, type QemuProcess } from './qemu-process.js';
import { BDA_CURSOR_ADDRESS, parsePpm, QemuTextScreen, VGA_TEXT_ADDRESS, VGA_TEXT_BYTES, type RgbFrame } from './qemu-screen.js';
import { QemuSerialLine } from './qemu-serial.js';
import { serveNbd, type NbdServer } from './nbd-server.js';

/** Media for the QEMU host: the simulated-host description plus the image QEMU opens. */
export interface QemuMedia extends BootMedia, DriveImage {}

export interface QemuHostOptions {
  /** Folder for the QMP/COM1/VNC sockets and screen dumps (keep it short: Unix socket paths ≤ 107 bytes). */
  readonly runDir: string;
  /** The hard disk image (raw unless `diskFormat`). */
  readonly disk?: string;
  readonly diskFormat?: 'raw' | 'qcow2';
  /** An ISO image in the CD/DVD drive. */
  readonly cdrom?: string;
  /** A PXE boot program served by QEMU's TFTP server (DHCP from QEMU's user network). */
  readonly pxeBootFile?: string;
  /** Guest RAM in MiB (default 128). */
  readonly memoryMiB?: number;
  readonly bootOrder?: readonly string[];
  readonly engine?: EngineHostPort;
  /** The engine's model of host DRAM (where UMA lives); emptied when the host loses power. */
  readonly dram?: HostDram;
  readonly umaSize?: number;
  readonly qemuBinary?: string;
  /** Also serve the display over VNC on `<runDir>/vnc.sock`. */
  readonly vnc?: boolean;
  /** QEMU start (spawn to QMP negotiated), default 20 s; QMP commands, default 5 s; process stop, default 5 s. */
  readonly startTimeoutMs?: number;
  readonly commandTimeoutMs?: number;
  readonly stopTimeoutMs?: number;
  /** Read VGA text memory into `screen` this often while running (default 1000 ms; 0: only on `refreshScreen`). */
  readonly screenPollMs?: number;
  readonly extraArgs?: readonly string[];
  readonly eventCapacity?: number;
}

interface Run {
  readonly generation: number;
  vm: QemuProcess | undefined;
  running: boolean;
  bootDevice: BootDeviceName | undefined;
  dramInitDoneSent: boolean;
  endOfPostSent: boolean;
  /** The button mask QEMU was last told (a new VM starts with none held). */
  pointerButtons: number;
}

/** Pointer events waiting for QMP at most; more are refused (KVM's session also limits its rate). */
const MAX_POINTER_IN_FLIGHT = 32;
const MIB = 1024 * 1024;
const END_OF_POST_TIMEOUT_MS = 5000;

export class QemuHost implements Host {
  readonly serial = new QemuSerialLine();
  readonly #screen = new QemuTextScreen();
  readonly keyboard = { press: (keys: Uint8Array | string): number => this.#press(keys) };
  readonly #options: QemuHostOptions;
  readonly #engine: EngineHostPort;
  readonly #power = new PowerStateMachine('S5');
  readonly #bootOrder: BootOrder;
  readonly #media = new Map<BootDeviceName, QemuMedia>();
  readonly #nbd = new Map<BootDeviceName, NbdServer>();
  readonly #trace: EventTrace;
  readonly #started = performance.now();
  #queue: Promise<void> = Promise.resolve();
  #keys: Promise<void> = Promise.resolve();
  #input: Promise<void> = Promise.resolve();
  #pointerInFlight = 0;
  #generation = 0;
  #run: Run | undefined;
  #afterGuestOff: 'stay-off' | 'power-on' = 'stay-off';
  #poll: NodeJS.Timeout | undefined;
  #closed = false;
  #lastError: string | undefined;

  /** @throws HostError VME_ERR_HOST_BOOT_ORDER for a bad boot order. */
  constructor(options: QemuHostOptions) {
    this.#options = options;
    this.#engine = options.engine ?? ABSENT_ENGINE;
    this.#bootOrder = new BootOrder(options.bootOrder);
    this.#trace = new EventTrace(options.eventCapacity);
    if (options.disk) this.#media.set('disk', { description: `disk image ${basename(options.disk)}`, commandLine: '', path: options.disk, format: options.diskFormat ?? 'raw' });
    if (options.cdrom) this.#media.set('cd', { description: `CD image ${basename(options.cdrom)}`, commandLine: '', path: options.cdrom, format: 'raw' });
    if (options.pxeBootFile) this.#media.set('pxe', { description: `PXE ${basename(options.pxeBootFile)} over TFTP`, commandLine: '', path: options.pxeBootFile });
    this.#power.onChange((change) => this.#onPowerChange(change));
  }

  /** The VM's VGA text page as vme last read it (writable, so the platform can draw overlays on it). */
  get screen(): TextFramebuffer {
    return this.#screen.framebuffer;
  }

  /** Why the last launch or QMP operation failed, if one did. */
  get lastError(): string | undefined {
    return this.#lastError;
  }

  /** The QEMU process id while a VM runs. */
  get pid(): number | undefined {
    return this.#run?.vm?.child.pid;
  }

  /** The VNC socket (when `vnc` is set): the KVM seam for graphics. */
  get vncSocket(): string | undefined {
    return this.#options.vnc ? join(this.#options.runDir, 'vnc.sock') : undefined;
  }

  state(): HostState {
    const run = this.#run;
    const phase = this.#phase();
    return {
      powerState: this.#power.state,
      cimPowerState: this.#power.reported,
      phase,
      biosStep: undefined,
      os: phase === 'os' ? 'running' : phase === 'sleeping' ? 'suspended' : undefined,
      bootDevice: run?.bootDevice,
      dramInitDoneSent: run?.dramInitDoneSent ?? false,
      endOfPostSent: run?.endOfPostSent ?? false,
    };
  }

  powerOn(reason: PowerReason = 'power-button'): void {
    this.#request(powerRequest(2), reason);
  }

  requestPowerState(value: number, reason: PowerReason = 'management'): void {
    this.#request(powerRequest(value), reason);
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

  /**
   * Puts media in a drive. A running VM's CD and IDE-R CD drives change at once (QMP); the disk and
   * PXE file apply from the next power-on. Media with an image `path` is opened by QEMU; media with
   * `blocks` only (IDE-R served by a console) is exported over NBD on `<runDir>/<device>.nbd` and
   * QEMU opens `nbd+unix:///?socket=…` read-only. Media with neither empties the drive.
   */
  setMedia(device: BootDeviceName, media: BootMedia | undefined): void {
    const nbdPath = join(this.#options.runDir, `${device}.nbd`);
    const served = media?.blocks && !('path' in media) && (device === 'cd' || device === 'ider-cd') ? media.blocks : undefined;
    const image = served ? { ...media, path: `nbd+unix:///?socket=${nbdPath}`, format: 'raw' } as QemuMedia
      : media && 'path' in media && typeof media.path === 'string' ? media as QemuMedia : undefined;
    if (image) this.#media.set(device, image);
    else this.#media.delete(device);
    if (device !== 'cd' && device !== 'ider-cd') return;
    const id = QEMU_DEVICE_IDS[device];
    const timeout = this.#commandTimeout;
    if (served) {
      this.#enqueue(`nbd ${device}`, async () => {
        await this.#closeNbd(device);
        mkdirSync(this.#options.runDir, { recursive: true });
        this.#nbd.set(device, await serveNbd({ path: nbdPath, blocks: served, onProblem: (message) => this.#record({ kind: 'internal-error', message: `NBD ${device}: ${message}` }) }));
      });
    }
    this.#enqueue(`media ${device}`, async () => {
      const vm = this.#run?.vm;
      if (vm && image) await vm.qmp.execute('blockdev-change-medium', { id, filename: image.path, format: image.format ?? 'raw', 'read-only-mode': 'read-only' }, timeout);
      else if (vm) await vm.qmp.execute('eject', { id, force: true }, timeout);
    });
    if (!served) this.#enqueue(`nbd ${device}`, () => this.#closeNbd(device)); // after QEMU let go of it
  }

  /** The NBD export of a drive's console-served media, while there is one. */
  nbdServer(device: BootDeviceName): NbdServer | undefined {
    return this.#nbd.get(device);
  }

  async #closeNbd(device: BootDeviceName): Promise<void> {
    const server = this.#nbd.get(device);
    this.#nbd.delete(device);
    await server?.close();
  }

  on(listener: (event: HostEvent) => void): () => void {
    return this.#trace.on(listener);
  }

  events(): readonly HostEvent[] {
    return this.#trace.events();
  }

  snapshot(): HostSnapshot {
    return {
      state: this.state(),
      bootOrder: this.#bootOrder.order,
      oneTimeBoot: this.#bootOrder.oneTime,
      screen: this.#screen.view.render(),
      serialTail: this.serial.outputText().slice(-4096),
      serialCounters: this.serial.counters,
      eventCounts: this.#trace.counts(),
      dramSize: this.#dramSize(),
      dramResidentBytes: this.#options.dram?.residentBytes ?? 0,
    };
  }

  /** Resolves when every queued power and media operation has finished. */
  async settle(): Promise<void> {
    for (let queue = this.#queue; ; queue = this.#queue) {
      await queue;
      if (queue === this.#queue) return;
    }
  }

  /** Reads the VM's VGA text page into `screen` now; false when no VM runs. */
  async refreshScreen(): Promise<boolean> {
    const vm = this.#run?.running ? this.#run.vm : undefined;
    if (!vm) return false;
    const page = join(this.#options.runDir, 'vga-text.bin');
    const cursor = join(this.#options.runDir, 'bda-cursor.bin');
    await vm.qmp.execute('pmemsave', { val: VGA_TEXT_ADDRESS, size: VGA_TEXT_BYTES, filename: page }, this.#commandTimeout);
    await vm.qmp.execute('pmemsave', { val: BDA_CURSOR_ADDRESS, size: 2, filename: cursor }, this.#commandTimeout);
    this.#screen.load(readFileSync(page), readFileSync(cursor));
    return true;
  }

  /** The display as RGB pixels (QMP `screendump`, PPM), text or graphics mode. @throws VmeError when no VM runs */
  async screendump(): Promise<RgbFrame> {
    const vm = this.#run?.vm;
    if (!vm) hostFail('VME_ERR_HOST_POWER_STATE', `no screen to dump: the host is in ${this.#power.state}`, { state: this.#power.state });
    const file = join(this.#options.runDir, 'screen.ppm');
    await vm.qmp.execute('screendump', { filename: file }, this.#commandTimeout);
    return parsePpm(readFileSync(file));
  }

  /** Pulls the plug (G3): the VM is killed. */
  removeAc(): void {
    if (this.#power.state !== 'G3') this.#apply('removeAc', 'ac-power', () => this.#stop());
  }

  /** Plugs back in: G3 → S5. */
  restoreAc(): void {
    this.#power.apply('restoreAc', 'ac-power');
  }

  /** Stops the VM (no power state change is reported) and waits for every operation; idempotent. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#generation++;
    this.#enqueue('close', () => this.#stop());
    for (const device of [...this.#nbd.keys()]) this.#enqueue(`nbd ${device}`, () => this.#closeNbd(device));
    await this.settle();
    this.#stopPolling();
  }

  get #commandTimeout(): number {
    return this.#options.commandTimeoutMs ?? 5000;
  }

  #dramSize(): number {
    return this.#options.dram?.size ?? (this.#options.memoryMiB ?? 128) * MIB;
  }

  #phase(): HostPhase {
    const power = this.#power.state;
    if (power === 'S3') return 'sleeping';
    if (power === 'S4') return 'hibernated';
    if (power !== 'S0') return 'off';
    return this.#run?.running && this.#run.endOfPostSent ? 'os' : 'post'; // S0 before QEMU runs: "POST"
  }

  #allowed(spec: PowerRequestSpec): string | undefined {
    const state = this.#power.state;
    if (!canApply(state, spec.action)) return `cannot ${spec.action} while the host is in ${state}`;
    if (spec.action === 'sleep' || spec.action === 'hibernate') return `${spec.name}: the QEMU host has no OS agent to ask the guest (a guest that suspends itself is reported as S3)`;
    if (spec.graceful && this.#phase() !== 'os') return `${spec.name} needs the guest running (phase ${this.#phase()})`;
    return undefined;
  }

  #request(spec: PowerRequestSpec, reason: PowerReason): void {
    const why = this.#allowed(spec);
    if (why) hostFail('VME_ERR_HOST_POWER_STATE', why, { state: this.#power.state, requested: spec.value });
    if (this.#closed) hostFail('VME_ERR_HOST_POWER_STATE', 'the QEMU host is closed', { state: this.#power.state, requested: spec.value });
    if (spec.graceful) return this.#powerButton(spec.action === 'reset' ? 'power-on' : 'stay-off');
    const from = this.#power.state;
    switch (spec.action) {
      case 'powerOn': return this.#apply('powerOn', reason, () => (from === 'S3' ? this.#qmp('system_wakeup') : this.#launch()));
      case 'softOff': return this.#apply('softOff', reason, () => this.#stop());
      case 'reset':
      case 'powerCycle': return this.#apply(spec.action, reason, async () => { await this.#stop(); await this.#launch(); });
      case 'diagnosticInterrupt':
        this.#record({ kind: 'nmi', handledBy: 'os' });
        return this.#apply('diagnosticInterrupt', reason, () => this.#qmp('inject-nmi'));
      default: return undefined; // sleep and hibernate were refused above
    }
  }

  /** Applies a power action now and queues what QEMU must do for it. */
  #apply(action: Parameters<PowerStateMachine['apply']>[0], reason: PowerReason, work: () => Promise<void>): void {
    this.#power.apply(action, reason);
    this.#enqueue(action, work);
  }

  /** The ACPI power button: the guest decides; what happens after it powers off is `after`. */
  #powerButton(after: 'stay-off' | 'power-on'): void {
    this.#afterGuestOff = after;
    this.#enqueue('system_powerdown', () => this.#qmp('system_powerdown'));
  }

  #enqueue(name: string, work: () => Promise<void>): void {
    this.#queue = this.#queue.then(work).catch((error: unknown) => this.#failed(name, error));
  }

  #failed(name: string, error: unknown): void {
    const message = `${name}: ${error instanceof Error ? error.message : String(error)}`;
    this.#lastError = message;
    this.#record({ kind: 'internal-error', message });
    if (name !== 'powerOn' && name !== 'reset' && name !== 'powerCycle') return;
    if (this.#power.state === 'S0') this.#apply('softOff', 'power-button', () => this.#stop()); // the VM never came up: the host is off
    else this.#enqueue('stop', () => this.#stop());
  }

  async #qmp(command: string, args?: Record<string, unknown>): Promise<void> {
    const vm = this.#run?.vm;
    if (vm) await vm.qmp.execute(command, args, this.#commandTimeout);
  }

  #onPowerChange(change: PowerChange): void {
    this.#record({ kind: 'power', change });
    try {
      this.#engine.hostPowerChanged(change);
    } catch (error) {
      this.#record({ kind: 'internal-error', message: `engine port hostPowerChanged threw: ${String(error)}` });
    }
    const endsRun = change.to !== 'S0' && change.to !== 'S3';
    if (endsRun || change.action === 'reset') this.#generation++; // a power cycle's S0 → S5 step ends the run too
    if ((change.to === 'S4' || change.to === 'S5' || change.to === 'G3') && (change.from === 'S0' || change.from === 'S3')) {
      this.#options.dram?.restore({ size: this.#options.dram.size, pages: new Map() });
    }
  }

  /** One power-on: a new QEMU process, paused; DRAM-init-done; run; End-of-POST. */
  async #launch(): Promise<void> {
    const generation = this.#generation;
    if (this.#closed || generation !== this.#generation || this.#power.state !== 'S0') return;
    mkdirSync(this.#options.runDir, { recursive: true });
    const launch = this.#launchPlan();
    const run: Run = { generation, vm: undefined, running: false, bootDevice: launch.bootOrder[0], dramInitDoneSent: false, endOfPostSent: false, pointerButtons: 0 };
    this.#run = run;
    const vm = await spawnQemu({
      binary: this.#options.qemuBinary ?? DEFAULT_QEMU_BINARY, args: qemuArgs(launch),
      qmpSocket: launch.qmpSocket, serialSocket: launch.serialSocket, timeoutMs: this.#options.startTimeoutMs ?? 20_000,
    });
    run.vm = vm;
    void vm.exited.then(() => this.#exited(run));
    vm.qmp.onEvent((event) => this.#guestPower(run, event.event));
    if (generation !== this.#generation) return;
    this.serial.attach(vm.serial);
    this.#screen.blank();
    this.#dramInitDone(run);
    await vm.qmp.execute('cont', undefined, this.#commandTimeout);
    run.running = true;
    this.#startPolling();
    await this.#endOfPost(run);
  }

  #launchPlan(): QemuLaunch {
    const selection = this.#bootOrder.select((device) => this.#bootable(device));
    this.#record({ kind: 'boot-select', selection });
    const order = [...(selection.oneTime && selection.device ? [selection.device] : []), ...this.#bootOrder.order];
    const bootOrder = order.filter((device, index) => order.indexOf(device) === index && isQemuBootDevice(device) && this.#bootable(device));
    const dir = this.#options.runDir;
    const pxe = this.#media.get('pxe');
    const disk = this.#media.get('disk');
    const cd = this.#media.get('cd');
    const iderCd = this.#media.get('ider-cd');
    return {
      memoryMiB: this.#options.memoryMiB ?? 128, qmpSocket: join(dir, 'qmp.sock'), serialSocket: join(dir, 'com1.sock'), bootOrder,
      ...(this.vncSocket ? { vncSocket: this.vncSocket } : {}),
      ...(disk ? { disk } : {}), ...(cd ? { cd } : {}), ...(iderCd ? { iderCd } : {}),
      ...(pxe ? { pxeBootFile: { tftpRoot: dirname(pxe.path), file: basename(pxe.path) } } : {}),
      ...(this.#options.extraArgs ? { extraArgs: this.#options.extraArgs } : {}),
    };
  }

  /** Whether the BIOS can try the device: a drive with media, or the NIC (PXE always answers DHCP). */
  #bootable(device: BootDeviceName): boolean {
    if (device === 'pxe') return true;
    return isQemuBootDevice(device) && this.#media.has(device);
  }

  #dramInitDone(run: Run): void {
    const uma = umaPlacement(this.#dramSize(), this.#options.umaSize ?? DEFAULT_UMA_SIZE);
    try {
      this.#engine.dramInitDone(uma);
      run.dramInitDoneSent = true;
      this.#record({ kind: 'dram-init-done', uma });
    } catch (error) {
      this.#record({ kind: 'engine-error', step: 'dram-init-done', message: String(error) });
    }
  }

  /** End-of-POST as the BIOS sends it, bounded; the engine never blocks the host. */
  async #endOfPost(run: Run): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    try {
      const reply = await Promise.race([
        Promise.resolve(this.#engine.endOfPost()),
        new Promise<never>((_resolve, reject) => { timer = setTimeout(() => reject(new Error(`no End-of-POST reply within ${END_OF_POST_TIMEOUT_MS} ms`)), END_OF_POST_TIMEOUT_MS); }),
      ]);
      if (run.generation !== this.#generation) return;
      run.endOfPostSent = true;
      this.#record({ kind: 'end-of-post', reply: reply ?? { requestedAction: 'continue' } });
      if (reply?.requestedAction === 'global-reset') this.#apply('reset', 'bios-global-reset', async () => { await this.#stop(); await this.#launch(); });
    } catch (error) {
      run.endOfPostSent = true;
      this.#record({ kind: 'engine-error', step: 'end-of-post', message: error instanceof Error ? error.message : String(error) });
    } finally {
      clearTimeout(timer);
    }
  }

  /** Guest-driven power: S3 entry and wake-up. */
  #guestPower(run: Run, event: string): void {
    if (run.generation !== this.#generation) return;
    if (event === 'SUSPEND' && this.#power.state === 'S0') this.#power.apply('sleep', 'os-request');
    if (event === 'WAKEUP' && this.#power.state === 'S3') this.#power.apply('powerOn', 'power-button');
  }

  /** The QEMU process ended; when vme did not stop it, the guest did (power-off, reboot) or QEMU died. */
  #exited(run: Run): void {
    if (run.generation !== this.#generation || this.#run !== run || this.#closed) return;
    const vm = run.vm;
    this.#run = undefined;
    this.serial.detach();
    this.#stopPolling();
    const shutdown = vm?.lastShutdown();
    const state = this.#power.state;
    if (state !== 'S0' && state !== 'S3') return;
    if (shutdown?.guest && shutdown.reason === 'guest-reset' && state === 'S0') {
      this.#apply('reset', 'os-request', () => this.#launch());
      return;
    }
    if (!shutdown?.guest) this.#record({ kind: 'internal-error', message: `QEMU exited unexpectedly (${vm?.child.exitCode ?? vm?.child.signalCode ?? '?'}): ${vm?.stderrTail().trim().slice(-300) ?? ''}` });
    const after = this.#afterGuestOff;
    this.#afterGuestOff = 'stay-off';
    this.#power.apply('softOff', shutdown?.guest ? 'os-request' : 'power-button');
    if (after === 'power-on' && shutdown?.guest) this.#apply('powerOn', 'management', () => this.#launch());
  }

  /** Ends the current VM, if any (bounded), and forgets the run. */
  async #stop(): Promise<void> {
    const run = this.#run;
    this.#run = undefined;
    this.#stopPolling();
    this.serial.detach();
    this.#screen.blank();
    if (run?.vm) await stopQemu(run.vm, this.#options.stopTimeoutMs ?? 5000);
    for (const file of ['vga-text.bin', 'bda-cursor.bin', 'screen.ppm']) rmSync(join(this.#options.runDir, file), { force: true });
  }

  #startPolling(): void {
    const every = this.#options.screenPollMs ?? 1000;
    if (every <= 0 || this.#poll) return;
    let busy = false;
    this.#poll = setInterval(() => {
      if (busy) return;
      busy = true;
      this.refreshScreen().catch(() => undefined).finally(() => { busy = false; });
    }, every);
    this.#poll.unref();
  }

  #stopPolling(): void {
    clearInterval(this.#poll);
    this.#poll = undefined;
  }

  /** Typed characters as QMP send-key presses, in order; returns how many have a key (0 while no VM runs). */
  #press(keys: Uint8Array | string): number {
    const vm = this.#run?.running ? this.#run.vm : undefined;
    if (!vm) return 0;
    const text = typeof keys === 'string' ? keys : Buffer.from(keys).toString('latin1');
    const presses = [...text].map(qcodesFor).filter((codes): codes is string[] => codes !== undefined);
    for (const codes of presses) {
      const args = { keys: codes.map((data) => ({ type: 'qcode', data })) };
      this.#keys = this.#keys.then(() => vm.qmp.execute('send-key', args, this.#commandTimeout)).then(() => undefined, () => undefined);
    }
    return presses.length;
  }

  /** Pointer events sent to QMP and not yet answered. */
  get pointerInFlight(): number {
    return this.#pointerInFlight;
  }

  /** A KVM pointer event as QMP input-send-event (absolute position, changed buttons); false while no VM runs or too many wait. */
  pointer(event: PointerEvent): boolean {
    const run = this.#run;
    const vm = run?.running ? run.vm : undefined;
    if (!run || !vm || this.#pointerInFlight >= MAX_POINTER_IN_FLIGHT) return false;
    const events = qmpPointerEvents(run.pointerButtons, event);
    run.pointerButtons = clampPointer(event).buttons;
    this.#pointerInFlight++;
    this.#input = this.#input
      .then(() => vm.qmp.execute('input-send-event', { events }, this.#commandTimeout))
      .then(() => undefined, (error: unknown) => { this.#lastError = `input-send-event: ${error instanceof Error ? error.message : String(error)}`; })
      .finally(() => { this.#pointerInFlight--; });
    return true;
  }

  #record(body: HostEventBody): void {
    this.#trace.record(body, performance.now() - this.#started);
  }
}
