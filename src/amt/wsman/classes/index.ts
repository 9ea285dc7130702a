/** The classes vme's WS-Man layer declares, and the registry made of them. */
import type { ClassDeclaration } from '../declaration.js';
import { createClassRegistry, type ClassRegistry } from '../registry.js';
import { AMT_AUTHORIZATION_SERVICE } from './authorization.js';
import { AMT_GENERAL_SETTINGS } from './general-settings.js';
import { CIM_CHASSIS, CIM_COMPUTER_SYSTEM_PACKAGE } from './hardware.js';
import { IPS_HOST_BASED_SETUP_SERVICE } from './host-based-setup.js';
import { AMT_SETUP_AND_CONFIGURATION_SERVICE } from './setup-and-configuration.js';
import { CIM_SOFTWARE_IDENTITY } from './software-identity.js';

export const AMT_CLASSES: readonly ClassDeclaration[] = [
  AMT_AUTHORIZATION_SERVICE, AMT_GENERAL_SETTINGS, AMT_SETUP_AND_CONFIGURATION_SERVICE,
  CIM_CHASSIS, CIM_COMPUTER_SYSTEM_PACKAGE, CIM_SOFTWARE_IDENTITY, IPS_HOST_BASED_SETUP_SERVICE,
];

/** The registry of every class above. */
export function createAmtClassRegistry(extra: readonly ClassDeclaration[] = []): ClassRegistry {
  return createClassRegistry([...AMT_CLASSES, ...extra]);
}

export { GENERAL_SETTINGS, type GeneralSettingsState } from './general-settings.js';
export { PROVISIONING, type ProvisioningStatus } from './provisioning.js';
export { CONFIGURATION_NONCE } from './host-based-setup.js';
