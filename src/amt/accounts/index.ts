/**
 * Public API of AMT accounts: the account table (admin, ACL entries) in WsmanState, the Digest
 * user directory over it, the strong-password rule, and the audit log.
 */
export { accountDirectory, entryRealmNames, LOCAL_SYSTEM_REALMS, type AccountDirectoryOptions } from './directory.js';
export { adminAccount, resetAccounts, setAdminPassword, type AdminSecret } from './admin.js';
export { checkAmtPassword } from './password-rule.js';
export { aclEntry, aclHandles, addAclEntry, MAX_ACL_ENTRIES, removeAclEntry, setAclEntryEnabled, updateAclEntry, type AclEntryInput } from './acl.js';
export { isValidAclUserName, isValidUserName, MAX_USER_NAME_LENGTH } from './names.js';
export { AUDIT_LOG, AUDIT_LOG_CAPACITY, clearAuditLog, recordAudit, recordSecurityEvent, type AuditLogState } from './audit-log.js';
export { AUDIT_EVENTS, POWER_AUDIT_ACTIONS, UNPROVISION_VIA, type AclParameter, type AuditEvent, type AuditEventDetail, type AuditSource, type PowerAuditAction, type UnprovisionVia } from './audit-events.js';
export { AUDIT_RECORD_HEAD, AUDIT_RECORD_STAMP, INITIATOR_TYPE, MC_LOCATION_TYPE, parseAuditRecord, serializeAuditRecord, type AuditInitiator, type AuditRecord } from './audit-record.js';
export { ACCESS_PERMISSIONS, ACCOUNTS, DEFAULT_ADMIN_USER, type AccessPermission, type AccountTable, type AclEntry, type AdminAccount } from './table.js';
export { PT_STATUS, PT_STATUS_NAME, type PtStatus } from './status.js';
export type { SecurityEvent } from '../auth/index.js';
