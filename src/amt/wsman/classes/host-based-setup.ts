/**
 * IPS_HostBasedSetupService (brief §3.1, §6.2): control mode state and a fresh ConfigurationNonce
 * (20 random bytes) on every read (brief §9). Setup/AdminSetup come with provisioning; the last
 * nonce handed out is kept in state for AdminSetup. Order as in `ips/hostbasedsetup/get.xml`.
 */
import { randomBytes } from 'node:crypto';
import type { ClassDeclaration } from '../declaration.js';
import type { StateSlot } from '../state.js';
import { amtServiceKeys, REALMS, SERVICE_KEYS } from './common.js';
import { PROVISIONING } from './provisioning.js';

const NAME = 'Intel(r) AMT Host Based Setup Service';

/** The ConfigurationNonce last reported (AdminSetup signs it). */
export const CONFIGURATION_NONCE: StateSlot<Uint8Array | undefined> = { name: 'wsman/hbs-configuration-nonce', initial: () => undefined };

export const IPS_HOST_BASED_SETUP_SERVICE: ClassDeclaration = {
  name: 'IPS_HostBasedSetupService',
  schema: 'IPS',
  summary: 'Host-based setup: current and allowed control modes, configuration nonce.',
  commonNamespace: true,
  properties: [
    { name: 'AllowedControlModes', type: 'uint32', array: true }, { name: 'CertChainStatus', type: 'uint32' },
    { name: 'ConfigurationNonce', type: 'base64' }, SERVICE_KEYS.CreationClassName, { name: 'CurrentControlMode', type: 'uint32' },
    { name: 'ElementName', type: 'string' }, SERVICE_KEYS.Name, SERVICE_KEYS.SystemCreationClassName, SERVICE_KEYS.SystemName,
  ],
  instances: (context) => {
    const provisioning = context.state.get(PROVISIONING);
    const nonce = Uint8Array.from(randomBytes(20));
    context.state.set(CONFIGURATION_NONCE, nonce);
    return [{
      ...amtServiceKeys('IPS_HostBasedSetupService', NAME), AllowedControlModes: provisioning.allowedControlModes, CertChainStatus: 0,
      ConfigurationNonce: nonce, CurrentControlMode: provisioning.controlMode, ElementName: NAME,
    }];
  },
  operations: {
    get: { realms: REALMS.generalInfoOrLocal },
    enumerate: { realms: REALMS.generalInfoOrLocal },
  },
  methods: [],
};
