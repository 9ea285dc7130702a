/**
 * AMT_SetupAndConfigurationService (brief §3.1): ProvisioningState/Mode from state, GetUuid from
 * the platform UUID (base64 of the raw 16 bytes, the bytes PTHI GetUUID returns). Commit,
 * Unprovision and the rest come with provisioning. Order as in `amt/setupandconfiguration/get.xml`.
 */
import type { ClassDeclaration } from '../declaration.js';
import { amtServiceKeys, REALMS, SERVICE_KEYS } from './common.js';
import { PROVISIONING } from './provisioning.js';

const NAME = 'Intel(r) AMT Setup and Configuration Service';

export const AMT_SETUP_AND_CONFIGURATION_SERVICE: ClassDeclaration = {
  name: 'AMT_SetupAndConfigurationService',
  schema: 'AMT',
  summary: 'Provisioning state and mode; GetUuid.',
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
  methods: [{
    name: 'GetUuid',
    realms: REALMS.generalInfo,
    inputs: [],
    outputs: [{ name: 'UUID', type: 'base64' }],
    returnValues: { 0: 'PT_STATUS_SUCCESS', 1: 'PT_STATUS_INTERNAL_ERROR' },
    invoke: (context) => ({ returnValue: 0, output: { UUID: context.facts.uuid } }),
  }],
};
