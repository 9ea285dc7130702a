/** The WS-Man classes for certificates and TLS (brief §3.7), listed for the registry (classes/index.ts). */
import type { ClassDeclaration } from '../declaration.js';

export const CERTIFICATES_CLASSES: readonly ClassDeclaration[] = [];
