/**
 * The account table as plain JSON-able data in one WsmanState slot: the admin account (name and
 * HA1 only, never a password), the user ACL entries (handle, name, HA1, access permission, realm
 * numbers, enabled state). HA1 = MD5(user:DigestRealm:password) as 32 lower-case hex (brief §6.2).
 */
import type { StateSlot } from '../wsman/state.js';

/** AMT_AuthorizationService AccessPermission: 0 LocalAccessPermission, 1 Network, 2 Any (GWM authorization/types.go). */
export type AccessPermission = 'local' | 'network' | 'any';
export const ACCESS_PERMISSIONS: readonly AccessPermission[] = ['local', 'network', 'any'];

export interface AclEntry {
  /** AMT's handle: 1, 2, ... never reused while the table lives. */
  readonly handle: number;
  readonly user: string;
  readonly ha1: string;
  readonly access: AccessPermission;
  /** SDK realm numbers (AMT_REALMS values). */
  readonly realms: readonly number[];
  /** SetAclEnabledState: a disabled entry cannot log in. */
  readonly enabled: boolean;
}

export interface AdminAccount {
  readonly user: string;
  /** Absent until activation sets it: nobody logs in as admin before that. */
  readonly ha1?: string;
  /** GetAdminAclEntryStatus/GetAdminNetAclEntryStatus IsDefault: never changed since the factory. */
  readonly isDefault: boolean;
}

export interface AccountTable {
  readonly admin: AdminAccount;
  readonly entries: readonly AclEntry[];
  readonly nextHandle: number;
}

export const DEFAULT_ADMIN_USER = 'admin';

export const ACCOUNTS: StateSlot<AccountTable> = {
  name: 'amt/accounts',
  initial: () => ({ admin: { user: DEFAULT_ADMIN_USER, isDefault: true }, entries: [], nextHandle: 1 }),
};

/** HA1 as stored: 32 lower-case hex digits. */
export const HA1_PATTERN = /^[0-9a-f]{32}$/;
