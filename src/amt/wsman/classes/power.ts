/**
 * CIM_PowerManagementService (brief §3.3): RequestPowerStateChange(PowerState, ManagedElement)
 * queues the host power action (DevicePort `power`, the `host:power` words of
 * src/host/host-control.ts). Which values are valid now follows the host model's power tables for
 * the host's current power state; anything else is refused with ReturnValue 2, as AMT answers
 * (PT_STATUS_NOT_READY: a reset while off, an unsupported value). A request that boots the host
 * first queues the one-time boot device the boot options name (boot-state.ts) and clears them.
 * Order and values as in `cim/power/managementservice/get.xml`.
 */
import { HOST_CONTROL_POWER } from '../../../host/host-control.js';
import { availableRequestedPowerStates, CIM_POWER_STATE, REPORTED_POWER_STATE, type PowerState } from '../../../host/power.js';
import type { ClassDeclaration, Instance, MethodResult, WsmanContext } from '../declaration.js';
import type { HostPowerRequest } from '../device.js';
import type { RealmName } from '../realms.js';
import type { EndpointReference } from '../request.js';
import { consumeBootOptions } from './boot-state.js';
import { amtServiceKeys, cimReference, MANAGED_SYSTEM, SERVICE_KEYS } from './common.js';

/** Power and boot control need AMT's Remote Control realm (the SDK's realm for them). */
export const REMOTE_CONTROL_REALMS: readonly RealmName[] = ['Remote Control'];

const NAME = 'Intel(r) AMT Power Management Service';

/** `ServiceProvided` of the power association: the service's four keys. */
export const POWER_SERVICE_REFERENCE = cimReference('CIM_PowerManagementService', amtServiceKeys('CIM_PowerManagementService', NAME));

const HOST_STATE_OF: ReadonlyMap<number, PowerState> = new Map((Object.entries(REPORTED_POWER_STATE) as [PowerState, number][]).map(([state, cim]) => [cim, state]));

/** The RequestPowerStateChange values valid in CIM PowerState `current`, in AMT's order (AvailableRequestedPowerStates). */
export function availableRequests(current: number): number[] {
  const state = HOST_STATE_OF.get(current);
  return state === undefined ? [] : availableRequestedPowerStates(state);
}

const WORDS: Readonly<Record<HostPowerRequest, number>> = HOST_CONTROL_POWER;
const WORD_OF: ReadonlyMap<number, HostPowerRequest> = new Map((Object.entries(WORDS) as [HostPowerRequest, number][]).map(([word, value]) => [value, word]));

/** The `host:power` word that performs RequestPowerStateChange `value`. */
export function hostPowerWord(value: number): HostPowerRequest | undefined {
  return WORD_OF.get(value);
}

/** Requests after which the host POSTs (power on from off or hibernate, cycle, resets); a wake from sleep does not. */
function boots(value: number, current: number): boolean {
  if (value === CIM_POWER_STATE.on) return current !== CIM_POWER_STATE.sleepDeep;
  return value === CIM_POWER_STATE.powerCycleOffSoft || value === CIM_POWER_STATE.masterBusReset || value === CIM_POWER_STATE.masterBusResetGraceful;
}

/** The host computer system, as go-wsman/wsman-messages (both selectors) or Ironic (Name only) reference it. */
export function isManagedSystem(reference: EndpointReference): boolean {
  if (reference.resourceUri !== MANAGED_SYSTEM.resourceUri) return false;
  return [...reference.selectors].every(([name, value]) => MANAGED_SYSTEM.selectors.has(name) && MANAGED_SYSTEM.selectors.get(name) === value);
}

const RETURN = { ok: 0, notReady: 2, invalidParameter: 5 } as const;

function requestPowerStateChange(context: WsmanContext, input: Instance): MethodResult {
  const value = input['PowerState'] as number;
  const element = input['ManagedElement'] as EndpointReference | undefined;
  if (element !== undefined && !isManagedSystem(element)) return { returnValue: RETURN.invalidParameter };
  const current = context.device.hostPowerState();
  const word = hostPowerWord(value);
  if (word === undefined || !availableRequests(current).includes(value)) return { returnValue: RETURN.notReady };
  if (boots(value, current)) {
    const target = consumeBootOptions(context.state);
    if (target !== undefined) context.device.act({ kind: 'boot-override', target });
  }
  context.device.act({ kind: 'power', request: word });
  return { returnValue: RETURN.ok };
}

export const CIM_POWER_MANAGEMENT_SERVICE: ClassDeclaration = {
  name: 'CIM_PowerManagementService',
  schema: 'CIM',
  summary: 'Host power control: RequestPowerStateChange (2 on, 5 cycle, 8 off, 10 reset, ...) acts on the host.',
  commonNamespace: true,
  properties: [
    SERVICE_KEYS.CreationClassName, { name: 'ElementName', type: 'string' }, { name: 'EnabledState', type: 'uint16' }, SERVICE_KEYS.Name,
    { name: 'RequestedState', type: 'uint16' }, SERVICE_KEYS.SystemCreationClassName, SERVICE_KEYS.SystemName,
  ],
  instances: () => [{ ...amtServiceKeys('CIM_PowerManagementService', NAME), ElementName: NAME, EnabledState: 5, RequestedState: 12 }],
  operations: { get: { realms: REMOTE_CONTROL_REALMS }, enumerate: { realms: REMOTE_CONTROL_REALMS } },
  methods: [{
    name: 'RequestPowerStateChange',
    realms: REMOTE_CONTROL_REALMS,
    inputs: [{ name: 'PowerState', type: 'uint16', required: true }, { name: 'ManagedElement', type: 'epr' }],
    outputs: [],
    returnValues: {
      0: 'Completed with No Error (the power action is queued)',
      2: 'Unknown or Unspecified Error: AMT\'s PT_STATUS_NOT_READY, the value is not valid in the host\'s power state or not supported',
      5: 'Invalid Parameter: ManagedElement is not the managed system',
    },
    invoke: requestPowerStateChange,
  }],
};
