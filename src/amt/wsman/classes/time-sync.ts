/**
 * AMT_TimeSynchronizationService (brief §3.6, §3.11 A4/B5): the AMT clock is the engine clock plus
 * an offset kept in state. GetLowAccuracyTimeSynch reports it as Ta0 (UTC epoch seconds);
 * SetHighAccuracyTimeSynch(Ta0, Tm1, Tm2) moves it onto the console's clock. MeshCentral calls Set
 * when the drift exceeds 10 s (with Tm1 = Tm2), RPS right after activation. Return codes follow
 * GWM `amt/timesynchronization` (0 success, 1 internal error, 36 invalid parameter); the property
 * order follows `amt/timesynchronization/get.xml`.
 */
import type { ClassDeclaration, MethodResult, WsmanContext } from '../declaration.js';
import { defineSlot, type WsmanState } from '../state.js';
import { amtServiceKeys, REALMS, SERVICE_KEYS } from './common.js';

const NAME = 'Intel(r) AMT Time Synchronization Service';
const INVALID_PARAMETER = 36;

export interface TimeSyncState {
  /** AMT clock minus engine clock, in ms (0 until a console sets the time). */
  readonly offsetMs: number;
}

/** The clock survives Unprovision (it is the platform's clock, not a setting). */
export const TIME_SYNC = defineSlot<TimeSyncState>('wsman/time-sync', () => ({ offsetMs: 0 }), { unprovision: 'keep' });

/** The AMT clock in ms since the epoch, given the engine clock `nowMs`. */
export function amtClockMs(state: WsmanState, nowMs: number): number {
  return nowMs + state.get(TIME_SYNC).offsetMs;
}

/** The AMT clock in whole seconds since the epoch (what Ta0 and event log records carry). */
export function amtClockSeconds(state: WsmanState, nowMs: number): number {
  return Math.floor(amtClockMs(state, nowMs) / 1000);
}

/**
 * Ta1 is the AMT time Set arrives. The console's clock read Tm2 just before sending; the network
 * took half of what elapsed on AMT between Ta0 and Ta1 beyond the console's own Tm1..Tm2, so AMT's
 * time at Ta1 becomes Tm2 + that half (never negative).
 */
function setHighAccuracy(context: WsmanContext, ta0: number, tm1: number, tm2: number): MethodResult {
  const now = context.device.now();
  const ta1 = amtClockSeconds(context.state, now);
  if (ta0 > ta1 || tm1 > tm2) return { returnValue: INVALID_PARAMETER };
  const oneWay = Math.max(0, (ta1 - ta0) - (tm2 - tm1)) / 2;
  const target = (tm2 + oneWay) * 1000;
  context.state.set(TIME_SYNC, { offsetMs: context.state.get(TIME_SYNC).offsetMs + target - amtClockMs(context.state, now) });
  return { returnValue: 0 };
}

export const AMT_TIME_SYNCHRONIZATION_SERVICE: ClassDeclaration = {
  name: 'AMT_TimeSynchronizationService',
  schema: 'AMT',
  summary: 'The AMT clock: read it (GetLowAccuracyTimeSynch) and set it from a console (SetHighAccuracyTimeSynch).',
  commonNamespace: true,
  properties: [
    SERVICE_KEYS.CreationClassName, { name: 'ElementName', type: 'string' }, { name: 'EnabledState', type: 'uint16' },
    { name: 'LocalTimeSyncEnabled', type: 'uint32' }, SERVICE_KEYS.Name, { name: 'RequestedState', type: 'uint16' },
    SERVICE_KEYS.SystemCreationClassName, SERVICE_KEYS.SystemName, { name: 'TimeSource', type: 'uint32' },
  ],
  instances: () => [{
    ...amtServiceKeys('AMT_TimeSynchronizationService', NAME), ElementName: NAME, EnabledState: 5, LocalTimeSyncEnabled: 0,
    RequestedState: 12, TimeSource: 0,
  }],
  operations: {
    get: { realms: REALMS.generalInfoOrNetworkTime },
    enumerate: { realms: REALMS.generalInfoOrNetworkTime },
  },
  methods: [{
    name: 'GetLowAccuracyTimeSynch',
    realms: REALMS.generalInfoOrNetworkTime,
    inputs: [],
    outputs: [{ name: 'Ta0', type: 'uint32' }],
    returnValues: { 0: 'PT_STATUS_SUCCESS', 1: 'PT_STATUS_INTERNAL_ERROR' },
    invoke: (context) => ({ returnValue: 0, output: { Ta0: amtClockSeconds(context.state, context.device.now()) } }),
  }, {
    name: 'SetHighAccuracyTimeSynch',
    realms: REALMS.networkTime,
    inputs: [{ name: 'Ta0', type: 'uint32', required: true }, { name: 'Tm1', type: 'uint32', required: true }, { name: 'Tm2', type: 'uint32', required: true }],
    outputs: [],
    returnValues: { 0: 'PT_STATUS_SUCCESS', 1: 'PT_STATUS_INTERNAL_ERROR', 36: 'PT_STATUS_INVALID_PARAMETER (Ta0 later than now, or Tm1 later than Tm2)' },
    invoke: (context, input) => setHighAccuracy(context, Number(input['Ta0']), Number(input['Tm1']), Number(input['Tm2'])),
  }],
};
