/**
 * IPS_HostBasedSetupService (brief §3.1, §6.2, §6.3): control modes, the chain's progress and a
 * fresh ConfigurationNonce (20 random bytes) on every read (brief §9), kept in state for
 * AdminSetup. Setup (CCM), AddNextCertInChain + AdminSetup (ACM) and UpgradeClientToAdmin are
 * src/amt/provisioning/activation.ts. Order as in `ips/hostbasedsetup/get.xml`.
 */
import { randomBytes } from 'node:crypto';
import { addNextCertInChain, adminSetup, setup, upgradeClientToAdmin } from '../../provisioning/activation.js';
import { ADD_CERT_RETURN_VALUES, ADMIN_SETUP_RETURN_VALUES, SETUP_RETURN_VALUES } from '../../provisioning/return-values.js';
import type { ClassDeclaration, PropertyDecl } from '../declaration.js';
import type { RealmName } from '../realms.js';
import { amtServiceKeys, REALMS, SERVICE_KEYS } from './common.js';
import { CERTIFICATE_CHAIN, CONFIGURATION_NONCE, PROVISIONING, type CertificateChainProgress } from './provisioning.js';

export { CONFIGURATION_NONCE } from './provisioning.js';

const NAME = 'Intel(r) AMT Host Based Setup Service';

/**
 * Activation runs as the local system account (Local System realm) before anyone else exists;
 * an upgrade CCM → ACM is done with the admin's credentials.
 */
const ACTIVATION_REALMS: readonly RealmName[] = ['Local System', 'PT Administration'];

/** CertChainStatus: 0 not started, 1 in progress, 2 complete (GWM hostbasedsetup decoder.go). */
const chainStatus = (progress: CertificateChainProgress): number => (progress.complete ? 2 : progress.certificates.length > 0 ? 1 : 0);

const input = (name: string, type: PropertyDecl['type']): PropertyDecl => ({ name, type, required: true });
const PASSWORD_INPUTS = [input('NetAdminPassEncryptionType', 'uint16'), input('NetworkAdminPassword', 'string')];
const PROOF_INPUTS = [input('McNonce', 'base64'), input('SigningAlgorithm', 'uint16'), input('DigitalSignature', 'base64')];

export const IPS_HOST_BASED_SETUP_SERVICE: ClassDeclaration = {
  name: 'IPS_HostBasedSetupService',
  schema: 'IPS',
  summary: 'Host-based setup: control modes, configuration nonce; CCM (Setup) and ACM (AddNextCertInChain, AdminSetup, UpgradeClientToAdmin) activation.',
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
      ...amtServiceKeys('IPS_HostBasedSetupService', NAME), AllowedControlModes: provisioning.allowedControlModes,
      CertChainStatus: chainStatus(context.state.get(CERTIFICATE_CHAIN)), ConfigurationNonce: nonce, CurrentControlMode: provisioning.controlMode, ElementName: NAME,
    }];
  },
  operations: {
    get: { realms: REALMS.generalInfoOrLocal },
    enumerate: { realms: REALMS.generalInfoOrLocal },
  },
  methods: [
    { name: 'Setup', realms: ACTIVATION_REALMS, inputs: PASSWORD_INPUTS, outputs: [], returnValues: SETUP_RETURN_VALUES, invoke: setup },
    {
      name: 'AddNextCertInChain', realms: ACTIVATION_REALMS, outputs: [], returnValues: ADD_CERT_RETURN_VALUES, invoke: addNextCertInChain,
      inputs: [input('NextCertificate', 'base64'), input('IsLeafCertificate', 'boolean'), input('IsRootCertificate', 'boolean')],
    },
    { name: 'AdminSetup', realms: ACTIVATION_REALMS, inputs: [...PASSWORD_INPUTS, ...PROOF_INPUTS], outputs: [], returnValues: ADMIN_SETUP_RETURN_VALUES, invoke: adminSetup },
    { name: 'UpgradeClientToAdmin', realms: REALMS.administration, inputs: PROOF_INPUTS, outputs: [], returnValues: ADMIN_SETUP_RETURN_VALUES, invoke: upgradeClientToAdmin },
  ],
};
