/**
 * Public API of AMT accounts: the account table (admin, ACL entries) in WsmanState, the Digest
 * user directory over it, the strong-password rule, and the audit log.
 */
export { accountDirectory, LOCAL_SYSTEM_REALMS, type AccountDirectoryOptions } from './directory.js';
export { adminAccount, resetAccounts, setAdminPassword, type AdminSecret } from './admin.js';
export { checkAmtPassword } from './password-rule.js';
export { AUDIT_LOG, AUDIT_LOG_CAPACITY, clearAuditLog, recordAudit, recordSecurityEvent, type AuditLogState } from './audit-log.js';
export { AUDIT_EVENTS, POWER_AUDIT_ACTIONS, UNPROVISION_VIA, type AclParameter, type AuditEvent, type AuditEventDetail, type AuditSource, type PowerAuditAction, type UnprovisionVia } from './audit-events.js';
export { parseAuditRecord, serializeAuditRecord, type AuditInitiator, type AuditRecord } from './audit-record.js';
export { ACCOUNTS, DEFAULT_ADMIN_USER, type AccessPermission, type AccountTable, type AclEntry, type AdminAccount } from './table.js';
export { PT_STATUS, type PtStatus } from './status.js';
export type { SecurityEvent } from '../auth/index.js';
