/** The classes vme's WS-Man layer declares, and the registry made of them. */
import type { ClassDeclaration } from '../declaration.js';
import { createClassRegistry, type ClassRegistry } from '../registry.js';
import { AMT_AUTHORIZATION_SERVICE } from './authorization.js';
import { AMT_GENERAL_SETTINGS } from './general-settings.js';
import { ACCOUNTS_AUDIT_CLASSES } from './group-accounts-audit.js';
import { CERTIFICATES_CLASSES } from './group-certificates.js';
import { NETWORK_LOGS_CLASSES } from './group-network-logs.js';
import { POWER_BOOT_CLASSES } from './group-power-boot.js';
import { PROVISIONING_EXTRA_CLASSES } from './group-provisioning-extra.js';
import { REMOTE_ACCESS_CLASSES } from './group-remote-access.js';
import { CIM_CHASSIS, CIM_COMPUTER_SYSTEM_PACKAGE } from './hardware.js';
import { IPS_HOST_BASED_SETUP_SERVICE } from './host-based-setup.js';
import { AMT_SETUP_AND_CONFIGURATION_SERVICE } from './setup-and-configuration.js';
import { CIM_SOFTWARE_IDENTITY } from './software-identity.js';

export const AMT_CLASSES: readonly ClassDeclaration[] = [
  AMT_AUTHORIZATION_SERVICE, AMT_GENERAL_SETTINGS, AMT_SETUP_AND_CONFIGURATION_SERVICE,
  CIM_CHASSIS, CIM_COMPUTER_SYSTEM_PACKAGE, CIM_SOFTWARE_IDENTITY, IPS_HOST_BASED_SETUP_SERVICE,
  ...POWER_BOOT_CLASSES, ...NETWORK_LOGS_CLASSES, ...CERTIFICATES_CLASSES, ...ACCOUNTS_AUDIT_CLASSES, ...PROVISIONING_EXTRA_CLASSES,
  ...REMOTE_ACCESS_CLASSES,
];

/** The registry of every class above. */
export function createAmtClassRegistry(extra: readonly ClassDeclaration[] = []): ClassRegistry {
  return createClassRegistry([...AMT_CLASSES, ...extra]);
}

export { GENERAL_SETTINGS, type GeneralSettingsState } from './general-settings.js';
export { PROVISIONING, type ProvisioningStatus } from './provisioning.js';
export { CONFIGURATION_NONCE } from './host-based-setup.js';
