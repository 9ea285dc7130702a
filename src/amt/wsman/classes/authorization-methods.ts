/**
 * AMT_AuthorizationService's methods over the account table (src/amt/accounts): the user ACL
 * (EnumerateUserAclEntries in pages of 50 handles from StartIndex 1, Get/Add/Update/RemoveUserAclEntry(Ex),
 * Get/SetAclEnabledState) and the admin entry (GetAdminAclEntry, Get(Net)AdminAclEntryStatus,
 * SetAdminAclEntryEx). DigestPassword is the 16 raw bytes of MD5(user:DigestRealm:password) in
 * base64 (brief §3.1, §6.2); Kerberos entries are refused with PT_STATUS_NOT_PERMITTED. Shapes as in
 * `amt/authorization/*.xml`; every change is audited by the accounts module.
 */
import {
  ACCESS_PERMISSIONS, aclEntry, aclHandles, addAclEntry, adminAccount, PT_STATUS, PT_STATUS_NAME, removeAclEntry, setAclEntryEnabled, setAdminPassword,
  updateAclEntry, type AuditSource,
} from '../../accounts/index.js';
import type { Instance, MethodDecl, PropertyDecl, PropertyValue, WsmanContext } from '../declaration.js';
import { REALMS } from './common.js';

/** Handles per EnumerateUserAclEntries reply (wsman-messages: "Only 50 handles can be returned"). */
export const ACL_HANDLES_PER_PAGE = 50;

const p = (name: string, type: PropertyDecl['type'], extra: Partial<PropertyDecl> = {}): PropertyDecl => ({ name, type, ...extra });
const codes = (...values: number[]): Record<number, string> => Object.fromEntries(values.map((v) => [v, PT_STATUS_NAME.get(v) ?? String(v)]));
const num = (v: PropertyValue | undefined): number | undefined => (typeof v === 'number' ? v : undefined);
const text = (v: PropertyValue | undefined): string | undefined => (typeof v === 'string' ? v : undefined);
const bytes = (v: PropertyValue | undefined): Uint8Array | undefined => (v instanceof Uint8Array ? v : undefined);
const numbers = (v: PropertyValue | undefined): number[] => (Array.isArray(v) ? v.filter((x): x is number => typeof x === 'number') : []);
const source = (context: WsmanContext): AuditSource => ({ by: { kind: 'digest', user: context.principal.user }, at: context.device.now() });
const status = (returnValue: number, output?: Instance): { returnValue: number; output?: Instance } => (output ? { returnValue, output } : { returnValue });

const { SUCCESS, INTERNAL_ERROR, INVALID_NAME, NOT_PERMITTED, MAX_LIMIT_REACHED, INVALID_INDEX, INVALID_PARAMETER, INVALID_HANDLE, INVALID_PASSWORD, INVALID_REALM, DUPLICATE } = PT_STATUS;
const ENTRY_INPUTS: readonly PropertyDecl[] = [
  p('DigestUsername', 'string'), p('DigestPassword', 'base64'), p('KerberosUserSid', 'base64'),
  p('AccessPermission', 'uint32', { required: true }), p('Realms', 'uint32', { array: true }),
];
const ENTRY_CODES = codes(SUCCESS, INTERNAL_ERROR, INVALID_NAME, NOT_PERMITTED, INVALID_PARAMETER, INVALID_PASSWORD, INVALID_REALM, DUPLICATE);

/** The Digest part of an Add/Update input, or the status that refuses it. */
function digestInput(input: Instance): { user: string; ha1: Uint8Array | undefined; access: number; realms: number[] } | number {
  if (input['KerberosUserSid'] !== undefined) return NOT_PERMITTED;
  const user = text(input['DigestUsername']);
  if (user === undefined) return INVALID_NAME;
  return { user, ha1: bytes(input['DigestPassword']), access: num(input['AccessPermission']) ?? -1, realms: numbers(input['Realms']) };
}

const enumerateUserAclEntries: MethodDecl = {
  name: 'EnumerateUserAclEntries', realms: REALMS.acl,
  inputs: [p('StartIndex', 'uint32')],
  outputs: [p('TotalCount', 'uint32'), p('HandlesCount', 'uint32'), p('Handles', 'uint32', { array: true })],
  returnValues: codes(SUCCESS, INTERNAL_ERROR, INVALID_INDEX),
  invoke: (context, input) => {
    const start = num(input['StartIndex']) ?? 1;
    const handles = aclHandles(context.state);
    if (start < 1 || start > Math.max(handles.length, 1)) return status(INVALID_INDEX);
    const page = handles.slice(start - 1, start - 1 + ACL_HANDLES_PER_PAGE);
    return status(SUCCESS, { TotalCount: handles.length, HandlesCount: page.length, Handles: page });
  },
};

const getUserAclEntryEx: MethodDecl = {
  name: 'GetUserAclEntryEx', realms: REALMS.acl,
  inputs: [p('Handle', 'uint32', { required: true })],
  outputs: [p('DigestUsername', 'string'), p('AccessPermission', 'uint32'), p('Realms', 'uint32', { array: true })],
  returnValues: codes(SUCCESS, INTERNAL_ERROR, INVALID_HANDLE),
  invoke: (context, input) => {
    const entry = aclEntry(context.state, num(input['Handle']) ?? 0);
    if (entry === undefined) return status(INVALID_HANDLE);
    return status(SUCCESS, { DigestUsername: entry.user, AccessPermission: ACCESS_PERMISSIONS.indexOf(entry.access), Realms: entry.realms });
  },
};

const addUserAclEntryEx: MethodDecl = {
  name: 'AddUserAclEntryEx', realms: REALMS.acl,
  inputs: ENTRY_INPUTS,
  outputs: [p('Handle', 'uint32')],
  returnValues: { ...ENTRY_CODES, ...codes(MAX_LIMIT_REACHED) },
  invoke: (context, input) => {
    const digest = digestInput(input);
    if (typeof digest === 'number') return status(digest);
    if (digest.ha1 === undefined) return status(INVALID_PASSWORD);
    const added = addAclEntry(context.state, { ...digest, ha1: digest.ha1 }, source(context));
    return added.handle === undefined ? status(added.status) : status(added.status, { Handle: added.handle });
  },
};

const updateUserAclEntryEx: MethodDecl = {
  name: 'UpdateUserAclEntryEx', realms: REALMS.acl,
  inputs: [p('Handle', 'uint32', { required: true }), ...ENTRY_INPUTS],
  outputs: [],
  returnValues: { ...ENTRY_CODES, ...codes(INVALID_HANDLE) },
  invoke: (context, input) => {
    const digest = digestInput(input);
    if (typeof digest === 'number') return status(digest);
    const { ha1, ...rest } = digest;
    return status(updateAclEntry(context.state, num(input['Handle']) ?? 0, ha1 === undefined ? rest : { ...rest, ha1 }, source(context)));
  },
};

const removeUserAclEntry: MethodDecl = {
  name: 'RemoveUserAclEntry', realms: REALMS.acl,
  inputs: [p('Handle', 'uint32', { required: true })],
  outputs: [],
  returnValues: codes(SUCCESS, INTERNAL_ERROR, INVALID_HANDLE),
  invoke: (context, input) => status(removeAclEntry(context.state, num(input['Handle']) ?? 0, source(context))),
};

const getAclEnabledState: MethodDecl = {
  name: 'GetAclEnabledState', realms: REALMS.acl,
  inputs: [p('Handle', 'uint32', { required: true })],
  outputs: [p('Enabled', 'boolean')],
  returnValues: codes(SUCCESS, INTERNAL_ERROR, INVALID_HANDLE),
  invoke: (context, input) => {
    const entry = aclEntry(context.state, num(input['Handle']) ?? 0);
    return entry === undefined ? status(INVALID_HANDLE) : status(SUCCESS, { Enabled: entry.enabled });
  },
};

const setAclEnabledState: MethodDecl = {
  name: 'SetAclEnabledState', realms: REALMS.acl,
  inputs: [p('Handle', 'uint32', { required: true }), p('Enabled', 'boolean', { required: true })],
  outputs: [],
  returnValues: codes(SUCCESS, INTERNAL_ERROR, INVALID_HANDLE),
  invoke: (context, input) => status(setAclEntryEnabled(context.state, num(input['Handle']) ?? 0, input['Enabled'] === true, source(context))),
};

const getAdminAclEntry: MethodDecl = {
  name: 'GetAdminAclEntry', realms: REALMS.administration,
  inputs: [], outputs: [p('Username', 'string')],
  returnValues: codes(SUCCESS, INTERNAL_ERROR),
  invoke: (context) => status(SUCCESS, { Username: adminAccount(context.state).user }),
};

/** IsDefault: the admin password was never changed (vme keeps one admin secret for both statuses). */
const adminStatus = (name: string): MethodDecl => ({
  name, realms: REALMS.administration,
  inputs: [], outputs: [p('IsDefault', 'boolean')],
  returnValues: codes(SUCCESS, INTERNAL_ERROR),
  invoke: (context) => status(SUCCESS, { IsDefault: adminAccount(context.state).isDefault }),
});

const setAdminAclEntryEx: MethodDecl = {
  name: 'SetAdminAclEntryEx', realms: REALMS.administration,
  inputs: [p('Username', 'string', { required: true }), p('DigestPassword', 'base64', { required: true })],
  outputs: [],
  returnValues: codes(SUCCESS, INTERNAL_ERROR, INVALID_NAME, INVALID_PASSWORD, DUPLICATE),
  invoke: (context, input) => {
    const ha1 = bytes(input['DigestPassword']);
    if (ha1 === undefined || ha1.length !== 16) return status(INVALID_PASSWORD);
    const user = text(input['Username']) ?? '';
    return status(setAdminPassword(context.state, context.digestRealm, { user, ha1: Buffer.from(ha1).toString('hex') }, source(context)));
  },
};

export const AUTHORIZATION_METHODS: readonly MethodDecl[] = [
  addUserAclEntryEx, enumerateUserAclEntries, getAclEnabledState, getAdminAclEntry, adminStatus('GetAdminAclEntryStatus'),
  adminStatus('GetAdminNetAclEntryStatus'), getUserAclEntryEx, removeUserAclEntry, setAclEnabledState, setAdminAclEntryEx, updateUserAclEntryEx,
];
