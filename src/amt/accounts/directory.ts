/**
 * The Digest `UserDirectory` over the account table. It reads the table on every lookup, so an
 * ACL change or a new admin password applies to the very next request. There are two views:
 * the network one (admin + entries with network/any access) and the local one for LME
 * connections (admin + entries with local/any access + the local system account). Disabled
 * entries are never found.
 */
import type { DigestUser, UserDirectory } from '../auth/index.js';
import { ALL_REALM_NAMES, REALM_NAME_OF, type RealmName } from '../wsman/realms.js';
import type { WsmanState } from '../wsman/state.js';
import { ACCOUNTS, type AclEntry } from './table.js';

export interface AccountDirectoryOptions {
  /** True for the local (LMS/LME) interface. */
  readonly local: boolean;
  /** The local system account (src/amt-state), passed by the AMT app; found only on the local interface. */
  readonly localSystemAccount?: { readonly username: string; readonly password: string };
}

/** Realms of the local system account: what rpc-go/RPS need before activation (realms.ts 'Local System'). */
export const LOCAL_SYSTEM_REALMS: readonly RealmName[] = ['Local System'];

export function accountDirectory(state: WsmanState, options: AccountDirectoryOptions): UserDirectory {
  return { find: (user) => findAccount(state, options, user) };
}

function findAccount(state: WsmanState, options: AccountDirectoryOptions, user: string): DigestUser | undefined {
  const table = state.get(ACCOUNTS);
  if (table.admin.ha1 !== undefined && table.admin.user === user) {
    return { user, passwordOrHA1: { ha1: table.admin.ha1 }, realms: ALL_REALM_NAMES };
  }
  const entry = table.entries.find((e) => e.user === user);
  if (entry !== undefined) return entry.enabled && reachable(entry, options.local) ? entryUser(entry) : undefined;
  const lsa = options.localSystemAccount;
  if (options.local && lsa !== undefined && lsa.username === user && lsa.password.length > 0) {
    return { user, passwordOrHA1: { password: lsa.password }, realms: LOCAL_SYSTEM_REALMS };
  }
  return undefined;
}

function reachable(entry: AclEntry, local: boolean): boolean {
  return entry.access === 'any' || entry.access === (local ? 'local' : 'network');
}

/** An entry's realms as the names principals carry (numbers that name no realm are dropped). */
export function entryRealmNames(entry: AclEntry): RealmName[] {
  return entry.realms.flatMap((n) => REALM_NAME_OF.get(n) ?? []);
}

function entryUser(entry: AclEntry): DigestUser {
  return { user: entry.user, passwordOrHA1: { ha1: entry.ha1 }, realms: entryRealmNames(entry) };
}
