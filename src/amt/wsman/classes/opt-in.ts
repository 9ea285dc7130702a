/**
 * IPS_OptInService, user consent (brief §3.5, users-and-peers §5 item 8): the policy
 * (OptInRequired 0 none, 1 KVM, 0xFFFFFFFF all; forced to all and not modifiable in client control
 * mode) and the consent state machine a console drives before a redirection session:
 * StartOptIn draws a six-digit code the host screen shows (`optInCodeToDisplay`), SendOptInCode
 * checks it in constant time (single use; the third wrong code blocks and ends the attempt, as
 * the audit event "Failed 3 times" says), CancelOptIn ends it, and an unused code or consent lapses
 * after OptInCodeTimeout. OptInState: 0 not started, 1 requested (host off), 2 displayed,
 * 3 received, 4 in session (GWM `ips/optin/decoder.go`). A call in the wrong state answers 2 and a
 * wrong code 2066 (AMT's NOT_READY and UNSUPPORTED, MPS PR #2224); order as in `ips/optin/get.xml`.
 */
import { randomInt, timingSafeEqual } from 'node:crypto';
import type { ClassDeclaration, Instance, MethodResult, WsmanContext } from '../declaration.js';
import { WsmanFault } from '../faults.js';
import { defineSlot, type WsmanState } from '../state.js';
import { amtServiceKeys, REALMS, SERVICE_KEYS } from './common.js';
import { PROVISIONING } from './provisioning.js';

export const OPT_IN_REQUIRED = { none: 0, kvm: 1, all: 0xffff_ffff } as const;
export const OPT_IN_PHASE = { notStarted: 0, requested: 1, displayed: 2, received: 3, inSession: 4 } as const;
type Phase = (typeof OPT_IN_PHASE)[keyof typeof OPT_IN_PHASE];

/** Seconds a code (and an unused consent) stays valid; AMT reports 120 (`ips/optin/get.xml`). */
export const OPT_IN_CODE_TIMEOUT = 120;
/** Wrong codes that end an attempt. */
export const OPT_IN_MAX_FAILURES = 3;

export interface OptInState {
  /** OptInRequired as set (effective outside client control mode). */
  readonly policy: number;
  /** OptInDisplayTimeout, seconds the code stays on the host screen at most. */
  readonly displayTimeout: number;
  readonly phase: Phase;
  /** The six digits while requested/displayed, '' otherwise (single use). */
  readonly code: string;
  /** Engine ms the attempt began, and when its code or unused consent lapses. */
  readonly startedAt: number;
  readonly expiresAt: number;
  /** Wrong codes sent for the current code. */
  readonly failures: number;
}

export const OPT_IN = defineSlot<OptInState>('wsman/opt-in', () => ({ policy: OPT_IN_REQUIRED.kvm, displayTimeout: 300, phase: 0, code: '', startedAt: 0, expiresAt: 0, failures: 0 }));

const IDLE = { phase: OPT_IN_PHASE.notStarted, code: '', startedAt: 0, expiresAt: 0, failures: 0 } as const;
const NOT_READY = 2;
const WRONG_CODE = 2066;
const BLOCKED = 3;

const clientControl = (state: WsmanState): boolean => state.get(PROVISIONING).controlMode === 1;

/** OptInRequired in force: all in client control mode (brief users-and-peers §5 item 8), else the policy set. */
export function effectiveOptInRequired(state: WsmanState): number {
  return clientControl(state) ? OPT_IN_REQUIRED.all : state.get(OPT_IN).policy;
}

/** Whether a redirection session of `kind` needs consent now (KVM under policy 1, everything under all). */
export function optInRequiredFor(state: WsmanState, kind: 'kvm' | 'sol' | 'ider'): boolean {
  const required = effectiveOptInRequired(state);
  return required === OPT_IN_REQUIRED.all || (required === OPT_IN_REQUIRED.kvm && kind === 'kvm');
}

/** The state with a lapsed code or unused consent gone back to not started (nothing is written). */
function current(state: WsmanState, nowMs: number): OptInState {
  const held = state.get(OPT_IN);
  const lapses = held.phase >= OPT_IN_PHASE.requested && held.phase <= OPT_IN_PHASE.received;
  return lapses && nowMs >= held.expiresAt ? { ...held, ...IDLE } : held;
}

/** OptInState as consoles see it: requested becomes displayed once the host is on to show the code. */
export function currentOptInPhase(state: WsmanState, nowMs: number, hostPowerState: number): Phase {
  const { phase } = current(state, nowMs);
  return phase === OPT_IN_PHASE.requested && hostPowerState === 2 ? OPT_IN_PHASE.displayed : phase;
}

/** The code the host screen shows now, if any (the redirection work draws it). */
export function optInCodeToDisplay(state: WsmanState, nowMs: number): string | undefined {
  const held = current(state, nowMs);
  const showing = held.phase === OPT_IN_PHASE.requested || held.phase === OPT_IN_PHASE.displayed;
  return showing && nowMs < held.startedAt + held.displayTimeout * 1000 ? held.code : undefined;
}

/** A redirection session that used the consent begins (received → in session) or ends (→ not started). */
export function setOptInSession(state: WsmanState, nowMs: number, active: boolean): boolean {
  const held = current(state, nowMs);
  if (active && held.phase !== OPT_IN_PHASE.received) return false;
  if (!active && held.phase !== OPT_IN_PHASE.inSession) return false;
  state.set(OPT_IN, active ? { ...held, phase: OPT_IN_PHASE.inSession, expiresAt: 0 } : { ...held, ...IDLE });
  return true;
}

function startOptIn(context: WsmanContext): MethodResult {
  const now = context.device.now();
  const held = current(context.state, now);
  if (held.phase !== OPT_IN_PHASE.notStarted) return { returnValue: NOT_READY };
  const phase = context.device.hostPowerState() === 2 ? OPT_IN_PHASE.displayed : OPT_IN_PHASE.requested;
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  context.state.set(OPT_IN, { ...held, phase, code, startedAt: now, expiresAt: now + OPT_IN_CODE_TIMEOUT * 1000, failures: 0 });
  return { returnValue: 0 };
}

function sendOptInCode(context: WsmanContext, offered: number): MethodResult {
  const now = context.device.now();
  const held = current(context.state, now);
  if (held.phase !== OPT_IN_PHASE.requested && held.phase !== OPT_IN_PHASE.displayed) return { returnValue: NOT_READY };
  const text = String(offered).padStart(6, '0');
  const right = text.length === held.code.length && timingSafeEqual(Buffer.from(text), Buffer.from(held.code));
  if (right) {
    context.state.set(OPT_IN, { ...held, phase: OPT_IN_PHASE.received, code: '', expiresAt: now + OPT_IN_CODE_TIMEOUT * 1000, failures: 0 });
    return { returnValue: 0 };
  }
  const failures = held.failures + 1;
  if (failures >= OPT_IN_MAX_FAILURES) {
    context.state.set(OPT_IN, { ...held, ...IDLE });
    return { returnValue: BLOCKED };
  }
  context.state.set(OPT_IN, { ...held, failures });
  return { returnValue: WRONG_CODE };
}

function cancelOptIn(context: WsmanContext): MethodResult {
  const held = current(context.state, context.device.now());
  if (held.phase === OPT_IN_PHASE.notStarted) return { returnValue: NOT_READY };
  context.state.set(OPT_IN, { ...held, ...IDLE });
  return { returnValue: 0 };
}

/** OptInRequired must be one of AMT's three values, and may change only outside client control mode. */
export function setOptInPolicy(state: WsmanState, required: number): void {
  if (!Object.values(OPT_IN_REQUIRED).includes(required as never)) {
    throw new WsmanFault('invalidRepresentation', `OptInRequired ${required} is not 0, 1 or 4294967295`);
  }
  if (required === effectiveOptInRequired(state)) return;
  if (clientControl(state)) throw new WsmanFault('invalidRepresentation', 'OptInRequired cannot change in client control mode');
  state.set(OPT_IN, { ...state.get(OPT_IN), policy: required });
}

function applyPut(context: WsmanContext, changes: Instance): Instance {
  const timeout = changes['OptInDisplayTimeout'];
  if (typeof timeout === 'number' && timeout < 1) throw new WsmanFault('invalidRepresentation', 'OptInDisplayTimeout must be at least 1 second');
  if (typeof changes['OptInRequired'] === 'number') setOptInPolicy(context.state, changes['OptInRequired']);
  if (typeof timeout === 'number') context.state.set(OPT_IN, { ...context.state.get(OPT_IN), displayTimeout: timeout });
  return serviceInstance(context);
}

const NAME = 'Intel(r) AMT OptIn Service';

function serviceInstance(context: WsmanContext): Instance {
  const { state, device } = context;
  return {
    ...amtServiceKeys('IPS_OptInService', NAME), CanModifyOptInPolicy: clientControl(state) ? 0 : 1, ElementName: NAME,
    OptInCodeTimeout: OPT_IN_CODE_TIMEOUT, OptInDisplayTimeout: state.get(OPT_IN).displayTimeout, OptInRequired: effectiveOptInRequired(state),
    OptInState: currentOptInPhase(state, device.now(), device.hostPowerState()),
  };
}

export const IPS_OPT_IN_SERVICE: ClassDeclaration = {
  name: 'IPS_OptInService',
  schema: 'IPS',
  summary: 'User consent: the policy (OptInRequired) and the six-digit code state machine (StartOptIn, SendOptInCode, CancelOptIn).',
  commonNamespace: true,
  properties: [
    { name: 'CanModifyOptInPolicy', type: 'uint32' }, SERVICE_KEYS.CreationClassName, { name: 'ElementName', type: 'string' }, SERVICE_KEYS.Name,
    { name: 'OptInCodeTimeout', type: 'uint32' }, { name: 'OptInDisplayTimeout', type: 'uint32', writable: true },
    { name: 'OptInRequired', type: 'uint32', writable: true }, { name: 'OptInState', type: 'uint8' },
    SERVICE_KEYS.SystemCreationClassName, SERVICE_KEYS.SystemName,
  ],
  instances: (context) => [serviceInstance(context)],
  operations: {
    get: { realms: REALMS.redirectionOrGeneralInfo },
    enumerate: { realms: REALMS.redirectionOrGeneralInfo },
    put: { realms: REALMS.administration, apply: (context, _current, changes) => applyPut(context, changes) },
  },
  methods: [{
    name: 'StartOptIn',
    realms: REALMS.redirectionOrAdministration,
    inputs: [],
    outputs: [],
    returnValues: { 0: 'PT_STATUS_SUCCESS', 1: 'PT_STATUS_INTERNAL_ERROR', 2: 'Invalid state (an attempt or consent is under way)' },
    invoke: startOptIn,
  }, {
    name: 'SendOptInCode',
    realms: REALMS.redirectionOrAdministration,
    inputs: [{ name: 'OptInCode', type: 'uint32', required: true }],
    outputs: [],
    returnValues: {
      0: 'PT_STATUS_SUCCESS', 1: 'PT_STATUS_INTERNAL_ERROR', 2: 'Invalid state (no code displayed)',
      3: 'Blocked (third wrong code: the attempt is over)', 2066: 'Wrong code (PT_STATUS_UNSUPPORTED)',
    },
    invoke: (context, input) => sendOptInCode(context, Number(input['OptInCode'])),
  }, {
    name: 'CancelOptIn',
    realms: REALMS.redirectionOrAdministration,
    inputs: [],
    outputs: [],
    returnValues: { 0: 'PT_STATUS_SUCCESS', 1: 'PT_STATUS_INTERNAL_ERROR', 2: 'Invalid state (nothing to cancel)' },
    invoke: cancelOptIn,
  }],
};
