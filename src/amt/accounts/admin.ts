/**
 * The built-in admin account: its name and HA1, set by activation (Setup/AdminSetup hand over the
 * HA1) and by SetAdminAclEntryEx, or from a plain password (MEBX, tests) that is hashed at once
 * and never stored. Unprovisioning resets the whole table.
 */
import type { WsmanState } from '../wsman/state.js';
import { userHA1 } from '../auth/users.js';
import { recordAudit } from './audit-log.js';
import type { AclParameter, AuditSource } from './audit-events.js';
import { isValidUserName } from './names.js';
import { checkAmtPassword } from './password-rule.js';
import { PT_STATUS, type PtStatus } from './status.js';
import { ACCOUNTS, HA1_PATTERN, type AdminAccount } from './table.js';

export interface AdminSecret {
  /** New admin name; default: keep the current one. */
  readonly user?: string;
  /** A plain password (checked against the strong-password rule, then hashed). */
  readonly password?: string;
  /** A ready HA1 = MD5(user:realm:password), 32 lower-case hex. */
  readonly ha1?: string;
}

export function adminAccount(state: WsmanState): AdminAccount {
  return state.get(ACCOUNTS).admin;
}

/**
 * Sets the admin name and secret. Returns PT_STATUS_SUCCESS, INVALID_NAME (bad name or a `$$`
 * system name such as the local system account's), DUPLICATE
 * (an ACL entry has the name) or INVALID_PASSWORD (weak password, malformed HA1, or neither
 * given). With a `source` the change goes to the audit log ("ACL Entry Modified").
 */
export function setAdminPassword(state: WsmanState, realm: string, secret: AdminSecret, source?: AuditSource): PtStatus {
  const table = state.get(ACCOUNTS);
  const user = secret.user ?? table.admin.user;
  if (!isValidUserName(user) || user.startsWith('$$')) return PT_STATUS.INVALID_NAME;
  if (table.entries.some((e) => e.user === user)) return PT_STATUS.DUPLICATE;
  const ha1 = adminHA1(user, realm, secret);
  if (ha1 === undefined) return PT_STATUS.INVALID_PASSWORD;
  state.set(ACCOUNTS, { ...table, admin: { user, ha1, isDefault: false } });
  if (source !== undefined) {
    const changed: AclParameter[] = user === table.admin.user ? ['password'] : ['user', 'password'];
    recordAudit(state, { kind: 'acl-entry-modified', user, changed, ...source });
  }
  return PT_STATUS.SUCCESS;
}

function adminHA1(user: string, realm: string, secret: AdminSecret): string | undefined {
  if (secret.ha1 !== undefined) return HA1_PATTERN.test(secret.ha1) ? secret.ha1 : undefined;
  if (secret.password === undefined || checkAmtPassword(secret.password) !== undefined) return undefined;
  return userHA1({ user, passwordOrHA1: { password: secret.password }, realms: [] }, realm);
}

/** Unprovision: back to the factory table (no admin secret, no ACL entries). */
export function resetAccounts(state: WsmanState): void {
  state.set(ACCOUNTS, ACCOUNTS.initial());
}
