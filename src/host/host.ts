/**
 * The host PC as one interface, `Host`: power (S0/S3/S4/S5, G3), BIOS POST, boot order, serial
 * port, text framebuffer, keyboard, an optional pointer, and an OS. The interface is what the rest of vme uses (the AMT
 * app through its host-control capability, SOL/KVM/IDE-R later, `vme up`), so a later QEMU-backed
 * host can implement it too. `SimulatedHost` (simulated-host.ts) is the model implementation.
 */
import type { BiosStep } from './bios.js';
import type { BootDeviceName, BootMedia } from './boot-order.js';
import type { TextScreen } from './framebuffer.js';
import type { Keyboard } from './keyboard.js';
import type { OsState } from './os.js';
import type { PointerEvent, PointerState } from './pointer.js';
import type { PowerReason, PowerState } from './power.js';
import type { SerialCounters, SerialLine } from './serial.js';
import type { HostEvent, HostEventKind } from './trace.js';

/** Where the host is in its life, derived from power, POST and the OS. */
export type HostPhase = 'off' | 'post' | 'no-boot-device' | 'os' | 'sleeping' | 'hibernated';

/** A read-only view of the host now. */
export interface HostState {
  readonly powerState: PowerState;
  /** The CIM PowerState AMT reports (2 on, 4 sleep, 7 hibernate, 8 soft off, 6 mechanical off). */
  readonly cimPowerState: number;
  readonly phase: HostPhase;
  readonly biosStep: BiosStep | undefined;
  readonly os: OsState | undefined;
  readonly bootDevice: BootDeviceName | undefined;
  /** What this power-on's BIOS has sent the engine so far. */
  readonly dramInitDoneSent: boolean;
  readonly endOfPostSent: boolean;
}

/** A JSON-friendly report of the host for status tools and tests (not a restorable image). */
export interface HostSnapshot {
  readonly state: HostState;
  readonly bootOrder: readonly BootDeviceName[];
  readonly oneTimeBoot: BootDeviceName | undefined;
  readonly screen: string;
  readonly serialTail: string;
  readonly serialCounters: SerialCounters;
  readonly eventCounts: Readonly<Partial<Record<HostEventKind, number>>>;
  readonly dramSize: number;
  readonly dramResidentBytes: number;
  /** The pointing device's model, for hosts that keep one (SimulatedHost). */
  readonly pointer?: PointerState;
}

/** The host PC, as vme's other parts see it. */
export interface Host {
  /** The serial port (COM1): subscribe to output, inject input — the SOL seam. */
  readonly serial: SerialLine;
  /** The text framebuffer — the KVM seam. */
  readonly screen: TextScreen;
  /** The keyboard — KVM key events land here. */
  readonly keyboard: Pick<Keyboard, 'press'>;
  /**
   * KVM pointer events: pixel x, y on the 640×400 picture of the screen and the RFB button mask.
   * Returns whether the host took it (false e.g. while no VM runs). Hosts without a pointer omit it.
   */
  pointer?(event: PointerEvent): boolean;
  state(): HostState;
  /** The power button while off or asleep: S5/S4 → POST, S3 → wake. @throws HostError VME_ERR_HOST_POWER_STATE */
  powerOn(reason?: PowerReason): void;
  /**
   * AMT's RequestPowerStateChange: 2 on, 4 sleep, 5 cycle, 7 hibernate, 8 off, 10 reset, 11 NMI,
   * 12 off graceful, 14 reset graceful.
   * @throws HostError VME_ERR_HOST_POWER_REQUEST (unsupported number) or VME_ERR_HOST_POWER_STATE (not now)
   */
  requestPowerState(value: number, reason?: PowerReason): void;
  /** The request numbers valid now, in AMT's order. */
  availableRequestedPowerStates(): number[];
  bootOrder(): readonly BootDeviceName[];
  /** @throws HostError VME_ERR_HOST_BOOT_ORDER */
  setBootOrder(order: readonly string[]): void;
  /** The device the next POST boots from, once (undefined clears). @throws HostError VME_ERR_HOST_BOOT_ORDER */
  setOneTimeBoot(device: string | undefined): void;
  /** Puts media in a device or empties it (the IDE-R seam). */
  setMedia(device: BootDeviceName, media: BootMedia | undefined): void;
  on(listener: (event: HostEvent) => void): () => void;
  events(): readonly HostEvent[];
  snapshot(): HostSnapshot;
}
