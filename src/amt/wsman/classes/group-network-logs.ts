/** The WS-Man classes for network, time, event log, alarm clock, redirection and consent settings (brief §3.5–3.6, §3.10), listed for the registry (classes/index.ts). */
import type { ClassDeclaration } from '../declaration.js';

export const NETWORK_LOGS_CLASSES: readonly ClassDeclaration[] = [];
