/**
 * The user ACL: add, update, remove, enable/disable entries, each checked the way AMT_Authorization
 * Service answers (PT_STATUS_* codes) and written to the audit log on success. At most seven
 * Digest entries (Intel SCS: "no more than seven digest users"). The HA1 arrives as the 16 raw MD5
 * bytes (DigestPassword) and is stored as hex; an entry's realms are SDK realm numbers.
 */
import type { WsmanState } from '../wsman/state.js';
import { AMT_REALMS } from '../wsman/realms.js';
import { recordAudit } from './audit-log.js';
import type { AclParameter, AuditSource } from './audit-events.js';
import { isValidAclUserName } from './names.js';
import { PT_STATUS, type PtStatus } from './status.js';
import { ACCESS_PERMISSIONS, ACCOUNTS, type AccessPermission, type AccountTable, type AclEntry } from './table.js';

export const MAX_ACL_ENTRIES = 7;
/** Realms an ACL entry may hold: every grantable realm except the local system account's own. */
const GRANTABLE: ReadonlySet<number> = new Set(Object.values(AMT_REALMS).filter((n) => n !== AMT_REALMS['Local System']));

export interface AclEntryInput {
  readonly user: string;
  /** DigestPassword: the 16 raw bytes of MD5(user:realm:password). */
  readonly ha1: Uint8Array;
  /** AccessPermission: 0 local, 1 network, 2 any. */
  readonly access: number;
  readonly realms: readonly number[];
}

export function aclEntry(state: WsmanState, handle: number): AclEntry | undefined {
  return state.get(ACCOUNTS).entries.find((e) => e.handle === handle);
}

export function aclHandles(state: WsmanState): number[] {
  return state.get(ACCOUNTS).entries.map((e) => e.handle);
}

type Checked = { readonly ok: true; readonly access: AccessPermission; readonly realms: number[]; readonly ha1: string } | { readonly ok: false; readonly status: PtStatus };

/** Validates an entry against the table (`self`: the handle being updated, which may keep its name). */
function check(table: AccountTable, input: AclEntryInput, self?: number): Checked {
  if (!isValidAclUserName(input.user)) return { ok: false, status: PT_STATUS.INVALID_NAME };
  if (input.user === table.admin.user || table.entries.some((e) => e.user === input.user && e.handle !== self)) return { ok: false, status: PT_STATUS.DUPLICATE };
  if (input.ha1.length !== 16) return { ok: false, status: PT_STATUS.INVALID_PASSWORD };
  const access = ACCESS_PERMISSIONS[input.access];
  if (access === undefined) return { ok: false, status: PT_STATUS.INVALID_PARAMETER };
  const realms = [...new Set(input.realms)].sort((a, b) => a - b);
  if (realms.length === 0 || realms.some((r) => !GRANTABLE.has(r))) return { ok: false, status: PT_STATUS.INVALID_REALM };
  return { ok: true, access, realms, ha1: Buffer.from(input.ha1).toString('hex') };
}

export function addAclEntry(state: WsmanState, input: AclEntryInput, source: AuditSource): { status: PtStatus; handle?: number } {
  const table = state.get(ACCOUNTS);
  const checked = check(table, input);
  if (!checked.ok) return { status: checked.status };
  if (table.entries.length >= MAX_ACL_ENTRIES) return { status: PT_STATUS.MAX_LIMIT_REACHED };
  const entry: AclEntry = { handle: table.nextHandle, user: input.user, ha1: checked.ha1, access: checked.access, realms: checked.realms, enabled: true };
  state.set(ACCOUNTS, { ...table, entries: [...table.entries, entry], nextHandle: table.nextHandle + 1 });
  recordAudit(state, { kind: 'acl-entry-added', user: entry.user, ...source });
  return { status: PT_STATUS.SUCCESS, handle: entry.handle };
}

/** Replaces an entry's name, access and realms; `input.ha1` undefined keeps the HA1 (only when the name is kept). */
export function updateAclEntry(state: WsmanState, handle: number, input: Omit<AclEntryInput, 'ha1'> & { readonly ha1?: Uint8Array }, source: AuditSource): PtStatus {
  const table = state.get(ACCOUNTS);
  const current = table.entries.find((e) => e.handle === handle);
  if (current === undefined) return PT_STATUS.INVALID_HANDLE;
  if (input.ha1 === undefined && input.user !== current.user) return PT_STATUS.INVALID_PASSWORD;
  const checked = check(table, { ...input, ha1: input.ha1 ?? Buffer.from(current.ha1, 'hex') }, handle);
  if (!checked.ok) return checked.status;
  const next: AclEntry = { ...current, user: input.user, ha1: checked.ha1, access: checked.access, realms: checked.realms };
  state.set(ACCOUNTS, { ...table, entries: table.entries.map((e) => (e.handle === handle ? next : e)) });
  recordAudit(state, { kind: 'acl-entry-modified', user: next.user, changed: changedParameters(current, next), ...source });
  return PT_STATUS.SUCCESS;
}

function changedParameters(before: AclEntry, after: AclEntry): AclParameter[] {
  const changed: AclParameter[] = [];
  if (before.user !== after.user) changed.push('user');
  if (before.ha1 !== after.ha1) changed.push('password');
  if (before.access !== after.access || before.realms.join() !== after.realms.join()) {
    if (after.access !== 'network') changed.push('local-realms');
    if (after.access !== 'local') changed.push('remote-realms');
  }
  return changed;
}

export function removeAclEntry(state: WsmanState, handle: number, source: AuditSource): PtStatus {
  const table = state.get(ACCOUNTS);
  const entry = table.entries.find((e) => e.handle === handle);
  if (entry === undefined) return PT_STATUS.INVALID_HANDLE;
  state.set(ACCOUNTS, { ...table, entries: table.entries.filter((e) => e.handle !== handle) });
  recordAudit(state, { kind: 'acl-entry-removed', user: entry.user, ...source });
  return PT_STATUS.SUCCESS;
}

export function setAclEntryEnabled(state: WsmanState, handle: number, enabled: boolean, source: AuditSource): PtStatus {
  const table = state.get(ACCOUNTS);
  const entry = table.entries.find((e) => e.handle === handle);
  if (entry === undefined) return PT_STATUS.INVALID_HANDLE;
  if (entry.enabled === enabled) return PT_STATUS.SUCCESS;
  state.set(ACCOUNTS, { ...table, entries: table.entries.map((e) => (e.handle === handle ? { ...e, enabled } : e)) });
  recordAudit(state, { kind: 'acl-entry-state-changed', user: entry.user, enabled, ...source });
  return PT_STATUS.SUCCESS;
}
