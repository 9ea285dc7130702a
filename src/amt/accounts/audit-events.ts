/**
 * The audit events vme records and how each becomes an AMT audit record: its AuditAppID and
 * EventID (AMT's table as MeshCommander `_AmtAuditStringTable` and GWM `AMTAuditLogEventToString`
 * list it: 16xx Security Admin, 17xx Remote Control, 18xx Redirection Manager, 20xx Security Audit Log) and its
 * ExtendedData bytes (as their decoders read them). Declared once in `AUDIT_EVENTS`.
 */
import type { AuditInitiator } from './audit-record.js';

/** Where AMT was unprovisioned from (1619 ExtendedData byte: BIOS, MEBx, Local MEI, Local WSMAN, Remote WSMAN). */
export const UNPROVISION_VIA = ['bios', 'mebx', 'local-mei', 'local-wsman', 'remote-wsman'] as const;
export type UnprovisionVia = (typeof UNPROVISION_VIA)[number];

/** Remote Control events 1700.. in EventID order. */
export const POWER_AUDIT_ACTIONS = ['power-up', 'power-down', 'power-cycle', 'reset', 'set-boot-options', 'graceful-power-down', 'graceful-reset', 'standby', 'hibernate', 'nmi'] as const;
export type PowerAuditAction = (typeof POWER_AUDIT_ACTIONS)[number];

/** Which parts of an ACL entry changed (1603 ParameterModified bits 0x01..0x08). */
export type AclParameter = 'user' | 'password' | 'local-realms' | 'remote-realms';
const PARAMETER_BIT: Readonly<Record<AclParameter, number>> = { 'user': 0x01, 'password': 0x02, 'local-realms': 0x04, 'remote-realms': 0x08 };

export type AuditEventDetail =
  | { readonly kind: 'provisioning-started' }
  | { readonly kind: 'provisioning-completed' }
  | { readonly kind: 'unprovisioning-started'; readonly via: UnprovisionVia }
  | { readonly kind: 'acl-entry-added'; readonly user: string }
  | { readonly kind: 'acl-entry-removed'; readonly user: string }
  | { readonly kind: 'acl-entry-modified'; readonly user: string; readonly changed: readonly AclParameter[] }
  | { readonly kind: 'acl-entry-state-changed'; readonly user: string; readonly enabled: boolean }
  /** Login failed until the account locked ("Authentication failed x times", brief §1.8). */
  | { readonly kind: 'invalid-credentials' }
  | { readonly kind: 'power'; readonly action: PowerAuditAction }
  | { readonly kind: 'audit-log-cleared' }
  /** An IDE redirection session opened or closed on the redirection port (Redirection Manager 1800/1801). */
  | { readonly kind: 'ider-session-opened' }
  | { readonly kind: 'ider-session-closed' }
  /** A Serial-over-LAN session opened or closed on the redirection port (Redirection Manager 1804/1805). */
  | { readonly kind: 'sol-session-opened' }
  | { readonly kind: 'sol-session-closed' }
  /** A KVM session started or ended, on port 5900 or in a redirection session (Redirection Manager 1808/1809). */
  | { readonly kind: 'kvm-session-started' }
  | { readonly kind: 'kvm-session-ended' };

export interface AuditSource {
  /** Who acted: a Digest user, or the local host. */
  readonly by: AuditInitiator;
  /** When, in ms since the epoch (the engine clock). */
  readonly at: number;
  /** The client's IP address when the request came over the network. */
  readonly address?: string;
}

export type AuditEvent = AuditEventDetail & AuditSource;
export type AuditEventKind = AuditEventDetail['kind'];

interface EventSpec<K extends AuditEventKind> {
  readonly appId: number;
  readonly eventId: (event: Extract<AuditEventDetail, { kind: K }>) => number;
  readonly extendedData: (event: Extract<AuditEventDetail, { kind: K }>) => Uint8Array;
}

const NONE = (): Uint8Array => new Uint8Array();
/** An ACL entry in ExtendedData: type 0 (Digest), name length, name (MeshCommander reads data[0] == 0 as Digest). */
const digestEntry = (user: string): number[] => {
  const name = [...Buffer.from(user, 'latin1')].slice(0, 16);
  return [0, name.length, ...name];
};
const SECURITY_ADMIN = 16;
const REMOTE_CONTROL = 17;
const REDIRECTION_MANAGER = 18;
const SECURITY_AUDIT_LOG = 20;

export const AUDIT_EVENTS: { readonly [K in AuditEventKind]: EventSpec<K> } = {
  'provisioning-started': { appId: SECURITY_ADMIN, eventId: () => 0, extendedData: NONE },
  'provisioning-completed': { appId: SECURITY_ADMIN, eventId: () => 1, extendedData: NONE },
  'acl-entry-added': { appId: SECURITY_ADMIN, eventId: () => 2, extendedData: (e) => Uint8Array.from(digestEntry(e.user)) },
  'acl-entry-modified': {
    appId: SECURITY_ADMIN, eventId: () => 3,
    extendedData: (e) => Uint8Array.from([e.changed.reduce((bits, p) => bits | PARAMETER_BIT[p], 0), ...digestEntry(e.user)]),
  },
  'acl-entry-removed': { appId: SECURITY_ADMIN, eventId: () => 4, extendedData: (e) => Uint8Array.from(digestEntry(e.user)) },
  /** ExtendedData 0 = "Invalid ME access" (1 would be MEBx). */
  'invalid-credentials': { appId: SECURITY_ADMIN, eventId: () => 5, extendedData: () => Uint8Array.of(0) },
  'acl-entry-state-changed': { appId: SECURITY_ADMIN, eventId: () => 6, extendedData: (e) => Uint8Array.from([e.enabled ? 1 : 0, ...digestEntry(e.user)]) },
  'unprovisioning-started': { appId: SECURITY_ADMIN, eventId: () => 19, extendedData: (e) => Uint8Array.of(UNPROVISION_VIA.indexOf(e.via)) },
  'power': { appId: REMOTE_CONTROL, eventId: (e) => POWER_AUDIT_ACTIONS.indexOf(e.action), extendedData: NONE },
  'audit-log-cleared': { appId: SECURITY_AUDIT_LOG, eventId: () => 0, extendedData: NONE },
  /** "IDER Session Opened" / "IDER Session Closed" (MeshCommander `_AmtAuditStringTable` 1800, 1801). */
  'ider-session-opened': { appId: REDIRECTION_MANAGER, eventId: () => 0, extendedData: NONE },
  'ider-session-closed': { appId: REDIRECTION_MANAGER, eventId: () => 1, extendedData: NONE },
  /** "SoL Session Opened" / "SoL Session Closed" (MeshCommander `_AmtAuditStringTable` 1804, 1805). */
  'sol-session-opened': { appId: REDIRECTION_MANAGER, eventId: () => 4, extendedData: NONE },
  'sol-session-closed': { appId: REDIRECTION_MANAGER, eventId: () => 5, extendedData: NONE },
  /** "KVM Session Started" / "KVM Session Ended" (MeshCommander `_AmtAuditStringTable` 1808, 1809). */
  'kvm-session-started': { appId: REDIRECTION_MANAGER, eventId: () => 8, extendedData: NONE },
  'kvm-session-ended': { appId: REDIRECTION_MANAGER, eventId: () => 9, extendedData: NONE },
};

/** AuditAppID, EventID and ExtendedData of `event`. */
export function auditCodes(event: AuditEventDetail): { appId: number; eventId: number; extendedData: Uint8Array } {
  const spec = AUDIT_EVENTS[event.kind] as EventSpec<typeof event.kind>;
  return { appId: spec.appId, eventId: spec.eventId(event as never), extendedData: spec.extendedData(event as never) };
}
