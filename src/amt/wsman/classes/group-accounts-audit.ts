/** The WS-Man classes for ACL accounts and the audit log (brief §1.8, §3.6), listed for the registry (classes/index.ts). */
import type { ClassDeclaration } from '../declaration.js';
import { AMT_AUDIT_LOG } from './audit-log.js';

export const ACCOUNTS_AUDIT_CLASSES: readonly ClassDeclaration[] = [AMT_AUDIT_LOG];
