/**
 * The Digest `UserDirectory` over the account table. It reads the table on every lookup, so an
 * ACL change or a new admin password applies to the very next request. There are two views:
 * the network one (admin + entries with network/any access) and the local one for LME
 * connections (admin + entries with local/any access + the local system account). Disabled
 * entries are never found.
 *
 * Realms follow Intel's rule ("Administrative Users", AMT Implementation and Reference Guide): PT
 * Administration gives every realm, except Audit Log while some other enabled entry holds the
 * Audit Log realm (the auditor); the admin is such a holder of PT Administration.
 */
import type { DigestUser, UserDirectory } from '../auth/index.js';
import { ALL_REALM_NAMES, AMT_REALMS, REALM_NAME_OF, type RealmName } from '../wsman/realms.js';
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
  const auditor = table.entries.find((e) => e.enabled && e.realms.includes(AMT_REALMS['Audit Log']));
  if (table.admin.ha1 !== undefined && table.admin.user === user) {
    return { user, passwordOrHA1: { ha1: table.admin.ha1 }, realms: administratorRealms(auditor !== undefined) };
  }
  const entry = table.entries.find((e) => e.user === user);
  if (entry !== undefined) return entry.enabled && reachable(entry, options.local) ? entryUser(entry, auditor) : undefined;
  const lsa = options.localSystemAccount;
  if (options.local && lsa !== undefined && lsa.username === user && lsa.password.length > 0) {
    return { user, passwordOrHA1: { password: lsa.password }, realms: LOCAL_SYSTEM_REALMS };
  }
  return undefined;
}

function reachable(entry: AclEntry, local: boolean): boolean {
  return entry.access === 'any' || entry.access === (local ? 'local' : 'network');
}

/** What PT Administration grants: every realm (the admin's list), less Audit Log when an auditor exists. */
function administratorRealms(auditorExists: boolean): readonly RealmName[] {
  return auditorExists ? ALL_REALM_NAMES.filter((r) => r !== 'Audit Log') : ALL_REALM_NAMES;
}

/** An entry's realms as the names principals carry (numbers that name no realm are dropped; PT Administration expands). */
export function entryRealmNames(entry: AclEntry, auditor?: AclEntry): RealmName[] {
  const names = entry.realms.flatMap((n) => REALM_NAME_OF.get(n) ?? []);
  if (!names.includes('PT Administration')) return names;
  const expanded = administratorRealms(auditor !== undefined && auditor.handle !== entry.handle).filter((r) => r !== 'Local System');
  return [...new Set([...expanded, ...names])];
}

function entryUser(entry: AclEntry, auditor: AclEntry | undefined): DigestUser {
  return { user: entry.user, passwordOrHA1: { ha1: entry.ha1 }, realms: entryRealmNames(entry, auditor) };
}
