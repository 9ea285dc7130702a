/**
 * The host's power state machine (ACPI sleep states S0/S3/S4/S5 and mechanical off G3) and its
 * mapping to the DMTF/CIM numbers AMT reports in `CIM_AssociatedPowerManagementService.PowerState`
 * and accepts in `CIM_PowerManagementService.RequestPowerStateChange`. The machine is pure: an
 * action either moves it (and tells listeners, with the reason) or throws a typed error naming
 * the state it was in. Sequencing POST and the OS around the changes is host.ts's job.
 */
import { hostFail } from './errors.js';

/** S0 working, S3 suspend-to-RAM, S4 hibernate (suspend-to-disk), S5 soft off, G3 mechanical off (no AC). */
export type PowerState = 'S0' | 'S3' | 'S4' | 'S5' | 'G3';

/**
 * DMTF CIM_PowerManagementService PowerState values [src: research amt-protocol.md §3.3, from
 * MeshCentral amtmanager.js `fetchPowerState` and go-wsman-messages `powerstates.go`].
 */
export const CIM_POWER_STATE = {
  other: 1,
  on: 2,
  sleepLight: 3,
  sleepDeep: 4,
  powerCycleOffSoft: 5,
  offHard: 6,
  hibernate: 7,
  offSoft: 8,
  powerCycleOffHard: 9,
  masterBusReset: 10,
  diagnosticInterrupt: 11,
  offSoftGraceful: 12,
  offHardGraceful: 13,
  masterBusResetGraceful: 14,
  powerCycleOffSoftGraceful: 15,
  powerCycleOffHardGraceful: 16,
} as const;

/** The PowerState AMT reports for each host state (S3 is "Sleep - Deep", 4, as AMT reports suspend-to-RAM). */
export const REPORTED_POWER_STATE: Readonly<Record<PowerState, number>> = {
  S0: CIM_POWER_STATE.on,
  S3: CIM_POWER_STATE.sleepDeep,
  S4: CIM_POWER_STATE.hibernate,
  S5: CIM_POWER_STATE.offSoft,
  G3: CIM_POWER_STATE.offHard,
};

/** What can happen to the host's power. */
export type PowerAction = 'powerOn' | 'sleep' | 'hibernate' | 'softOff' | 'reset' | 'powerCycle' | 'diagnosticInterrupt' | 'removeAc' | 'restoreAc';

/** Why a power change happened (recorded in events; the engine and the status tool read it). */
export type PowerReason = 'power-button' | 'management' | 'os-request' | 'bios-global-reset' | 'ac-power';

interface Transition {
  readonly from: readonly PowerState[];
  readonly to: PowerState;
}

/** Every allowed transition, declared once. A reset or NMI stays in S0; a power cycle passes through S5. */
export const POWER_TRANSITIONS: Readonly<Record<PowerAction, Transition>> = {
  powerOn: { from: ['S3', 'S4', 'S5'], to: 'S0' }, // from S3 this is a wake (resume), from S4/S5 a full POST
  sleep: { from: ['S0'], to: 'S3' },
  hibernate: { from: ['S0'], to: 'S4' },
  softOff: { from: ['S0', 'S3'], to: 'S5' },
  reset: { from: ['S0'], to: 'S0' },
  powerCycle: { from: ['S0', 'S3'], to: 'S0' },
  diagnosticInterrupt: { from: ['S0'], to: 'S0' },
  removeAc: { from: ['S0', 'S3', 'S4', 'S5'], to: 'G3' },
  restoreAc: { from: ['G3'], to: 'S5' },
};

/** One RequestPowerStateChange value the host serves. */
export interface PowerRequestSpec {
  readonly value: number;
  readonly name: string;
  readonly action: PowerAction;
  /** Graceful requests ask the running OS to do it (and fail when no OS is running). */
  readonly graceful: boolean;
}

/**
 * The RequestPowerStateChange values served, in the order AMT lists AvailableRequestedPowerStates
 * (sample 10,8,5,11,4,7,14,12; research amt-protocol.md §3.3), with 2 (power on) first.
 */
export const POWER_REQUESTS: readonly PowerRequestSpec[] = [
  { value: CIM_POWER_STATE.on, name: 'Power On', action: 'powerOn', graceful: false },
  { value: CIM_POWER_STATE.masterBusReset, name: 'Master Bus Reset', action: 'reset', graceful: false },
  { value: CIM_POWER_STATE.offSoft, name: 'Off - Soft', action: 'softOff', graceful: false },
  { value: CIM_POWER_STATE.powerCycleOffSoft, name: 'Power Cycle (Off - Soft)', action: 'powerCycle', graceful: false },
  { value: CIM_POWER_STATE.diagnosticInterrupt, name: 'Diagnostic Interrupt (NMI)', action: 'diagnosticInterrupt', graceful: false },
  { value: CIM_POWER_STATE.sleepDeep, name: 'Sleep - Deep', action: 'sleep', graceful: false },
  { value: CIM_POWER_STATE.hibernate, name: 'Hibernate (Off - Soft)', action: 'hibernate', graceful: false },
  { value: CIM_POWER_STATE.masterBusResetGraceful, name: 'Master Bus Reset Graceful', action: 'reset', graceful: true },
  { value: CIM_POWER_STATE.offSoftGraceful, name: 'Off - Soft Graceful', action: 'softOff', graceful: true },
];

/**
 * The spec of a RequestPowerStateChange value.
 * @throws HostError VME_ERR_HOST_POWER_REQUEST for a value the host does not serve (e.g. 3, 6, 9).
 */
export function powerRequest(value: number): PowerRequestSpec {
  return POWER_REQUESTS.find((spec) => spec.value === value)
    ?? hostFail('VME_ERR_HOST_POWER_REQUEST', `power state ${value} is not a supported request (supported: ${POWER_REQUESTS.map((spec) => spec.value).join(', ')})`, { requested: value });
}

/** True when `action` is allowed in `state`. */
export function canApply(state: PowerState, action: PowerAction): boolean {
  return POWER_TRANSITIONS[action].from.includes(state);
}

/** The request values valid in `state`, in AMT's order (what AvailableRequestedPowerStates reports). */
export function availableRequestedPowerStates(state: PowerState): number[] {
  return POWER_REQUESTS.filter((spec) => canApply(state, spec.action)).map((spec) => spec.value);
}

/** One step of a power change: a power cycle is two of them (S0 → S5, S5 → S0). */
export interface PowerChange {
  readonly from: PowerState;
  readonly to: PowerState;
  readonly action: PowerAction;
  readonly reason: PowerReason;
}

/** The power state machine. Starts in S5 (AC present, soft off) unless told otherwise. */
export class PowerStateMachine {
  #state: PowerState;
  readonly #listeners = new Set<(change: PowerChange) => void>();

  constructor(initial: PowerState = 'S5') {
    this.#state = initial;
  }

  get state(): PowerState {
    return this.#state;
  }

  /** The CIM PowerState number AMT reports now. */
  get reported(): number {
    return REPORTED_POWER_STATE[this.#state];
  }

  /** Subscribes to changes; returns the unsubscribe function. */
  onChange(listener: (change: PowerChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Applies `action`, notifies listeners of each step and returns the steps.
   * @throws HostError VME_ERR_HOST_POWER_STATE when the action is not allowed in the current state.
   * @example machine.apply('sleep', 'os-request'); // S0 → S3
   */
  apply(action: PowerAction, reason: PowerReason): PowerChange[] {
    const transition = POWER_TRANSITIONS[action];
    if (!transition.from.includes(this.#state)) {
      hostFail('VME_ERR_HOST_POWER_STATE', `cannot ${action} while the host is in ${this.#state} (allowed from ${transition.from.join(', ')})`, { state: this.#state, action });
    }
    const steps: PowerChange[] = action === 'powerCycle'
      ? [{ from: this.#state, to: 'S5', action, reason }, { from: 'S5', to: 'S0', action, reason }]
      : [{ from: this.#state, to: transition.to, action, reason }];
    for (const step of steps) {
      this.#state = step.to;
      for (const listener of this.#listeners) listener(step);
    }
    return steps;
  }
}
