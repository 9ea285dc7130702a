/** The WS-Man classes for provisioning classes beyond the setup services (brief §6), listed for the registry (classes/index.ts). */
import type { ClassDeclaration } from '../declaration.js';

export const PROVISIONING_EXTRA_CLASSES: readonly ClassDeclaration[] = [];
