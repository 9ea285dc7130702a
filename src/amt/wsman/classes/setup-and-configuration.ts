/**
 * AMT_SetupAndConfigurationService (brief §3.1, §6.4): ProvisioningState/Mode from state;
 * CommitChanges (staged settings take effect: the `commit` device action), Unprovision (factory
 * reset, src/amt/provisioning/unprovision.ts), SetMEBxPassword (ACM only; staged for the AMT app,
 * which owns the MEBx password store) and GetUuid (base64 of the raw 16 UUID bytes PTHI GetUUID
 * returns). Order as in `amt/setupandconfiguration/get.xml`; no ProvisioningServerOTP is set, so
 * none is written.
 */
import { checkMebxPassword } from '../../../protocols/mebx/password-rules.js';
import { SETUP_AND_CONFIGURATION_RETURN as R } from '../../provisioning/return-values.js';
import { unprovision } from '../../provisioning/unprovision.js';
import type { ClassDeclaration, MethodDecl } from '../declaration.js';
import { defineSlot } from '../state.js';
import { amtServiceKeys, REALMS, SERVICE_KEYS } from './common.js';
import { PROVISIONING } from './provisioning.js';

const NAME = 'Intel(r) AMT Setup and Configuration Service';

/**
 * A MEBx password SetMEBxPassword accepted, for the AMT app to store (MebxPasswordStore.set, an
 * asynchronous scrypt) after the request and then clear. Never reported by any class.
 */
export const PENDING_MEBX_PASSWORD = defineSlot<string | undefined>('wsman/pending-mebx-password', () => undefined);

const CODES = {
  0: 'PT_STATUS_SUCCESS', 1: 'PT_STATUS_INTERNAL_ERROR', 16: 'PT_STATUS_NOT_PERMITTED', 36: 'PT_STATUS_INVALID_PARAMETER',
  38: 'PT_STATUS_FLASH_WRITE_LIMIT_EXCEEDED', 2054: 'PT_STATUS_INVALID_PASSWORD',
} as const;
const codes = (...values: (keyof typeof CODES)[]): Record<number, string> => Object.fromEntries(values.map((v) => [v, CODES[v]]));

const METHODS: readonly MethodDecl[] = [
  {
    name: 'CommitChanges', realms: REALMS.administration, inputs: [], outputs: [], returnValues: codes(0, 1, 38),
    invoke: (context) => {
      context.device.act({ kind: 'commit' });
      return { returnValue: R.success };
    },
  },
  {
    name: 'Unprovision', realms: REALMS.administration, inputs: [{ name: 'ProvisioningMode', type: 'uint16' }], outputs: [],
    returnValues: { ...codes(0, 1, 36, 38), 16: 'PT_STATUS_NOT_PERMITTED (already pre-provisioning)' }, invoke: unprovision,
  },
  {
    name: 'SetMEBxPassword', realms: REALMS.administration, inputs: [{ name: 'Password', type: 'string', required: true }], outputs: [],
    returnValues: { ...codes(0, 1, 38), 16: 'PT_STATUS_NOT_PERMITTED (not admin control mode)', 2054: 'PT_STATUS_INVALID_PASSWORD (breaks the MEBx password rules)' },
    invoke: (context, input) => {
      const password = input['Password'];
      if (context.state.get(PROVISIONING).controlMode !== 2) return { returnValue: R.notPermitted };
      if (typeof password !== 'string' || checkMebxPassword(password) !== 'ok') return { returnValue: R.invalidPassword };
      context.state.set(PENDING_MEBX_PASSWORD, password);
      return { returnValue: R.success };
    },
  },
  {
    name: 'GetUuid', realms: REALMS.generalInfo, inputs: [], outputs: [{ name: 'UUID', type: 'base64' }], returnValues: codes(0, 1),
    invoke: (context) => ({ returnValue: R.success, output: { UUID: context.facts.uuid } }),
  },
];

export const AMT_SETUP_AND_CONFIGURATION_SERVICE: ClassDeclaration = {
  name: 'AMT_SetupAndConfigurationService',
  schema: 'AMT',
  summary: 'Provisioning state and mode; CommitChanges, Unprovision, SetMEBxPassword, GetUuid.',
  commonNamespace: true,
  properties: [
    SERVICE_KEYS.CreationClassName, { name: 'ElementName', type: 'string' }, { name: 'EnabledState', type: 'uint16' }, SERVICE_KEYS.Name,
    { name: 'PasswordModel', type: 'uint32' }, { name: 'ProvisioningMode', type: 'uint16' }, { name: 'ProvisioningServerOTP', type: 'base64' },
    { name: 'ProvisioningState', type: 'uint16' }, { name: 'RequestedState', type: 'uint16' }, SERVICE_KEYS.SystemCreationClassName,
    SERVICE_KEYS.SystemName, { name: 'ZeroTouchConfigurationEnabled', type: 'boolean' },
  ],
  instances: (context) => {
    const provisioning = context.state.get(PROVISIONING);
    return [{
      ...amtServiceKeys('AMT_SetupAndConfigurationService', NAME), ElementName: NAME, EnabledState: 5, PasswordModel: 1,
      ProvisioningMode: provisioning.mode, ProvisioningState: provisioning.state, RequestedState: 12,
      ZeroTouchConfigurationEnabled: provisioning.zeroTouchEnabled,
    }];
  },
  operations: {
    get: { realms: REALMS.generalInfoOrLocal },
    enumerate: { realms: REALMS.generalInfoOrLocal },
  },
  methods: METHODS,
};
