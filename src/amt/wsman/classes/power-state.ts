/**
 * What consoles read of the host's power (brief §3.3, §3.11 A9/C): the one
 * CIM_AssociatedPowerManagementService (PowerState = the host's state now, the requests valid in
 * it), which enumerating CIM_ServiceAvailableToElement yields as a subclass item (MPS reads exactly
 * one), CIM_PowerManagementCapabilities, and IPS_PowerManagementService (OSPowerSavingState only
 * while the host is on, as AMT omits it otherwise). Orders as in `cim/associatedpower/...`,
 * `cim/service/availabletoelement/pull.xml`, `cim/power/capabilities/get.xml`, `ips/power/...`.
 */
import { CIM_POWER_STATE, POWER_REQUESTS } from '../../../host/power.js';
import type { ClassDeclaration, Instance, MethodResult, WsmanContext } from '../declaration.js';
import type { EndpointReference } from '../request.js';
import { asInstanceOf } from '../values.js';
import { amtServiceKeys, MANAGED_SYSTEM, SERVICE_KEYS } from './common.js';
import { availableRequests, isManagedSystem, POWER_SERVICE_REFERENCE, REMOTE_CONTROL_REALMS } from './power.js';

const READ = { get: { realms: REMOTE_CONTROL_REALMS }, enumerate: { realms: REMOTE_CONTROL_REALMS } };
const ASSOCIATION_KEYS = [{ name: 'ServiceProvided', type: 'epr', key: true }, { name: 'UserOfService', type: 'epr', key: true }] as const;

function association(context: WsmanContext): Instance {
  const state = context.device.hostPowerState();
  return { AvailableRequestedPowerStates: availableRequests(state), PowerState: state, ServiceProvided: POWER_SERVICE_REFERENCE, UserOfService: MANAGED_SYSTEM };
}

export const CIM_ASSOCIATED_POWER_MANAGEMENT_SERVICE: ClassDeclaration = {
  name: 'CIM_AssociatedPowerManagementService',
  schema: 'CIM',
  summary: 'The host\'s power state now and the RequestPowerStateChange values valid in it.',
  commonNamespace: true,
  properties: [{ name: 'AvailableRequestedPowerStates', type: 'uint16', array: true }, { name: 'PowerState', type: 'uint16' }, ...ASSOCIATION_KEYS],
  instances: (context) => [association(context)],
  operations: READ,
  methods: [],
};

export const CIM_SERVICE_AVAILABLE_TO_ELEMENT: ClassDeclaration = {
  name: 'CIM_ServiceAvailableToElement',
  schema: 'CIM',
  summary: 'Enumerates the power association: one CIM_AssociatedPowerManagementService item.',
  commonNamespace: true,
  properties: [...ASSOCIATION_KEYS],
  instances: (context) => [asInstanceOf(CIM_ASSOCIATED_POWER_MANAGEMENT_SERVICE, association(context))],
  operations: { enumerate: { realms: REMOTE_CONTROL_REALMS } },
  methods: [],
};

/** Every value the host serves, as both lists (POWER_REQUESTS order). */
const SUPPORTED = POWER_REQUESTS.map((spec) => spec.value);

export const CIM_POWER_MANAGEMENT_CAPABILITIES: ClassDeclaration = {
  name: 'CIM_PowerManagementCapabilities',
  schema: 'CIM',
  summary: 'The power states the host supports and how they can be changed.',
  commonNamespace: false,
  properties: [
    { name: 'ElementName', type: 'string' }, { name: 'InstanceID', type: 'string', key: true }, { name: 'OtherPowerChangeCapabilities', type: 'string' },
    { name: 'PowerChangeCapabilities', type: 'uint16', array: true }, { name: 'PowerStatesSupported', type: 'uint16', array: true },
    { name: 'RequestedPowerStatesSupported', type: 'uint16', array: true },
  ],
  // PowerChangeCapabilities: 2 entered automatically, 3 settable, 4 cycling, 7 HW reset, 8 graceful shutdown.
  instances: () => [{
    ElementName: 'Power Management Capabilities', InstanceID: 'Intel(r) AMT:PowerManagementCapabilities 0', OtherPowerChangeCapabilities: '',
    PowerChangeCapabilities: [2, 3, 4, 7, 8], PowerStatesSupported: SUPPORTED, RequestedPowerStatesSupported: SUPPORTED,
  }],
  operations: READ,
  methods: [],
};

const IPS_NAME = 'Intel(r) AMT Power Management Service';
/** OSPowerSavingState: 2 full power, 3 OS power saving (modern standby, which vme's host does not have). */
const FULL_POWER = 2;
const POWER_SAVING = 3;

function requestOsPowerSavingStateChange(context: WsmanContext, input: Instance): MethodResult {
  const element = input['ManagedElement'] as EndpointReference | undefined;
  const wanted = input['OSPowerSavingState'];
  if ((element !== undefined && !isManagedSystem(element)) || (wanted !== FULL_POWER && wanted !== POWER_SAVING)) return { returnValue: 5 };
  if (context.device.hostPowerState() !== CIM_POWER_STATE.on) return { returnValue: 2 };
  return { returnValue: wanted === FULL_POWER ? 0 : 1 };
}

export const IPS_POWER_MANAGEMENT_SERVICE: ClassDeclaration = {
  name: 'IPS_PowerManagementService',
  schema: 'IPS',
  summary: 'OS power saving state (AMT 10+): full power while the host runs; no modern standby.',
  commonNamespace: true,
  properties: [
    SERVICE_KEYS.CreationClassName, { name: 'ElementName', type: 'string' }, { name: 'EnabledState', type: 'uint16' }, SERVICE_KEYS.Name,
    { name: 'RequestedState', type: 'uint16' }, SERVICE_KEYS.SystemCreationClassName, SERVICE_KEYS.SystemName, { name: 'OSPowerSavingState', type: 'uint16' },
  ],
  instances: (context) => [{
    ...amtServiceKeys('IPS_PowerManagementService', IPS_NAME), ElementName: IPS_NAME, EnabledState: 5, RequestedState: 12,
    OSPowerSavingState: context.device.hostPowerState() === CIM_POWER_STATE.on ? FULL_POWER : undefined,
  }],
  operations: READ,
  methods: [{
    name: 'RequestOSPowerSavingStateChange',
    realms: REMOTE_CONTROL_REALMS,
    inputs: [{ name: 'OSPowerSavingState', type: 'uint16', required: true }, { name: 'ManagedElement', type: 'epr' }],
    outputs: [],
    returnValues: {
      0: 'Completed with No Error (already at full power)',
      1: 'Not Supported: the host has no OS power saving state',
      2: 'Unknown or Unspecified Error: the host is not running',
      5: 'Invalid Parameter',
    },
    invoke: requestOsPowerSavingStateChange,
  }],
};
