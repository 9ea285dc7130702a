/**
 * The boot configuration classes (brief §3.4): CIM_BootSourceSetting lists the devices AMT can force
 * (src/host/boot-order.ts BOOT_DEVICES: hard drive, PXE, CD/DVD), CIM_BootConfigSetting.ChangeBootOrder
 * makes one of them the configuration's source (no Source clears it), and
 * CIM_BootService.SetBootConfigRole arms the configuration for the next boot only (Role 1, IsNext
 * single use) or disarms it (32768); AMT has no persistent role (0, IsDefault, is not supported).
 * RequestStateChange records the One-Click-Recovery/RPE enablement (32768..32771). Orders as in
 * `cim/boot/sourcesetting/get.xml`, `cim/boot/configsetting/get.xml`, `cim/boot/service/get.xml`.
 */
import { BOOT_DEVICES } from '../../../host/boot-order.js';
import type { ClassDeclaration, Instance, MethodResult, WsmanContext } from '../declaration.js';
import { SCHEMA_BASE } from '../namespaces.js';
import type { EndpointReference } from '../request.js';
import type { StateSlot } from '../state.js';
import { BOOT_CONFIG, BOOT_SOURCES } from './boot-state.js';
import { amtServiceKeys, SERVICE_KEYS } from './common.js';
import { REMOTE_CONTROL_REALMS } from './power.js';

const READ = { get: { realms: REMOTE_CONTROL_REALMS }, enumerate: { realms: REMOTE_CONTROL_REALMS } };

export const CIM_BOOT_SOURCE_SETTING: ClassDeclaration = {
  name: 'CIM_BootSourceSetting',
  schema: 'CIM',
  summary: 'The devices a boot can be forced to (hard drive, PXE, CD/DVD).',
  commonNamespace: false,
  properties: [
    { name: 'ElementName', type: 'string' }, { name: 'FailThroughSupported', type: 'uint16' }, { name: 'InstanceID', type: 'string', key: true },
    { name: 'StructuredBootString', type: 'string' },
  ],
  instances: () => BOOT_SOURCES.map((name) => ({
    ElementName: 'Intel(r) AMT: Boot Source', FailThroughSupported: 2, InstanceID: BOOT_DEVICES[name].instanceId, StructuredBootString: BOOT_DEVICES[name].cimBootString,
  })),
  operations: READ,
  methods: [],
};

const CONFIGURATION_ID = 'Intel(r) AMT: Boot Configuration 0';

/** Only the one source AMT supports; none clears. */
function changeBootOrder(context: WsmanContext, input: Instance): MethodResult {
  const sources = (input['Source'] ?? []) as readonly EndpointReference[];
  if (sources.length > 1) return { returnValue: 5 };
  const [reference] = sources;
  if (reference === undefined) {
    context.state.set(BOOT_CONFIG, { ...context.state.get(BOOT_CONFIG), source: undefined });
    return { returnValue: 0 };
  }
  const id = reference.selectors.get('InstanceID');
  const source = BOOT_SOURCES.find((name) => BOOT_DEVICES[name].instanceId === id);
  if (reference.resourceUri !== `${SCHEMA_BASE.CIM}CIM_BootSourceSetting` || source === undefined) return { returnValue: 4 };
  context.state.set(BOOT_CONFIG, { ...context.state.get(BOOT_CONFIG), source });
  return { returnValue: 0 };
}

export const CIM_BOOT_CONFIG_SETTING: ClassDeclaration = {
  name: 'CIM_BootConfigSetting',
  schema: 'CIM',
  summary: 'The boot configuration; ChangeBootOrder sets its one source (none clears it).',
  commonNamespace: false,
  properties: [{ name: 'ElementName', type: 'string' }, { name: 'InstanceID', type: 'string', key: true }],
  instances: () => [{ ElementName: 'Intel(r) AMT: Boot Configuration', InstanceID: CONFIGURATION_ID }],
  operations: READ,
  methods: [{
    name: 'ChangeBootOrder',
    realms: REMOTE_CONTROL_REALMS,
    inputs: [{ name: 'Source', type: 'epr', array: true }],
    outputs: [],
    returnValues: { 0: 'Completed with No Error', 4: 'Invalid Reference: not a CIM_BootSourceSetting AMT offers', 5: 'Invalid Parameter: more than one source' },
    invoke: changeBootOrder,
  }],
};

/** SetBootConfigRole roles: 1 IsNext (single use), 32768 IsNotNext; 0 IsDefault is not supported. */
const ROLE = { isDefault: 0, isNext: 1, isNotNext: 32768 } as const;

function setBootConfigRole(context: WsmanContext, input: Instance): MethodResult {
  const reference = input['BootConfigSetting'] as EndpointReference;
  const role = input['Role'];
  const isConfiguration = reference.resourceUri === `${SCHEMA_BASE.CIM}CIM_BootConfigSetting` && reference.selectors.get('InstanceID') === CONFIGURATION_ID;
  if (!isConfiguration) return { returnValue: 5 };
  if (role === ROLE.isDefault) return { returnValue: 1 };
  if (role !== ROLE.isNext && role !== ROLE.isNotNext) return { returnValue: 5 };
  context.state.set(BOOT_CONFIG, { ...context.state.get(BOOT_CONFIG), next: role === ROLE.isNext });
  return { returnValue: 0 };
}

/** CIM_BootService.EnabledState: 2 as recorded; RequestStateChange 32768..32771 sets the OCR/RPE enablement. */
const BOOT_SERVICE_STATE: StateSlot<number> = { name: 'wsman/boot-service-state', initial: () => 2 };
const OCR_STATES: readonly number[] = [32768, 32769, 32770, 32771];
const SERVICE_NAME = 'Intel(r) AMT Boot Service';

export const CIM_BOOT_SERVICE: ClassDeclaration = {
  name: 'CIM_BootService',
  schema: 'CIM',
  summary: 'Arms the boot configuration for the next boot (SetBootConfigRole); OCR/RPE enablement (RequestStateChange).',
  commonNamespace: true,
  properties: [
    SERVICE_KEYS.CreationClassName, { name: 'ElementName', type: 'string' }, { name: 'EnabledState', type: 'uint16' }, SERVICE_KEYS.Name,
    { name: 'OperationalStatus', type: 'uint16', array: true }, { name: 'RequestedState', type: 'uint16' }, SERVICE_KEYS.SystemCreationClassName,
    SERVICE_KEYS.SystemName,
  ],
  instances: (context) => [{
    ...amtServiceKeys('CIM_BootService', SERVICE_NAME), ElementName: SERVICE_NAME, EnabledState: context.state.get(BOOT_SERVICE_STATE),
    OperationalStatus: [0], RequestedState: 12,
  }],
  operations: READ,
  methods: [{
    name: 'SetBootConfigRole',
    realms: REMOTE_CONTROL_REALMS,
    inputs: [{ name: 'BootConfigSetting', type: 'epr', required: true }, { name: 'Role', type: 'uint16', required: true }],
    outputs: [],
    returnValues: { 0: 'Completed with No Error', 1: 'Not Supported: Role 0 (IsDefault); AMT boot configurations are single use', 5: 'Invalid Parameter' },
    invoke: setBootConfigRole,
  }, {
    name: 'RequestStateChange',
    realms: REMOTE_CONTROL_REALMS,
    inputs: [{ name: 'RequestedState', type: 'uint16', required: true }],
    outputs: [],
    returnValues: { 0: 'Completed with No Error', 5: 'Invalid Parameter: not 32768..32771' },
    invoke: (context, input) => {
      const requested = input['RequestedState'] as number;
      if (!OCR_STATES.includes(requested)) return { returnValue: 5 };
      context.state.set(BOOT_SERVICE_STATE, requested);
      return { returnValue: 0 };
    },
  }],
};
