/**
 * Shared pieces of the class declarations: CIM service keys with AMT's values (brief §3
 * conventions), the EPR of the host computer system, and the realm sets this layer requires.
 *
 * Realm choices: the brief found no capture of which realm each AMT operation needs (§8). vme
 * follows the AMT SDK's realm names: reads of identity and setup state need General Info (and the
 * Local System realm of the local system account, which rpc-go/RPS use before activation, brief
 * §3.11 B); hardware reads need Hardware Asset; changes and ACL state need PT Administration.
 */
import type { PropertyDecl } from '../declaration.js';
import { ANONYMOUS, SCHEMA_BASE } from '../namespaces.js';
import type { RealmName } from '../realms.js';
import type { EndpointReference } from '../request.js';

export const REALMS = {
  generalInfo: ['General Info'],
  generalInfoOrLocal: ['General Info', 'Local System'],
  hardwareAsset: ['Hardware Asset'],
  administration: ['PT Administration'],
  // Network, time, event log, alarm clock, redirection and consent (classes/group-network-logs.ts).
  generalInfoOrNetworkTime: ['General Info', 'Network Time'],
  networkTime: ['Network Time'],
  eventLogReader: ['Event Log Reader', 'Event Manager'],
  eventManager: ['Event Manager'],
  remoteControl: ['Remote Control'],
  remoteControlOrGeneralInfo: ['Remote Control', 'General Info'],
  redirectionOrGeneralInfo: ['Redirection', 'General Info'],
  redirectionOrAdministration: ['Redirection', 'PT Administration'],
  // Accounts and audit log (classes/authorization-methods.ts, classes/audit-log.ts).
  /** The user ACL entry methods: PT Administration or the ACL realm. */
  acl: ['PT Administration', 'ACL'],
  /** The audit log: the Audit Log realm (PT Administration holds it unless an auditor exists, src/amt/accounts). */
  auditLog: ['Audit Log'],
  // CIRA, 802.1x and Wi-Fi settings in their factory state (classes/group-remote-access.ts).
  /** Reads of those settings: PT Administration (RPS, MeshCentral) or General Info (MeshCommander's status page). */
  administrationOrGeneralInfo: ['PT Administration', 'General Info'],
} as const satisfies Record<string, readonly RealmName[]>;

/** The CIM_Service keys in AMT's (alphabetical) position: call with the rest spread between. */
export const SERVICE_KEYS = {
  CreationClassName: { name: 'CreationClassName', type: 'string', key: true },
  Name: { name: 'Name', type: 'string', key: true },
  SystemCreationClassName: { name: 'SystemCreationClassName', type: 'string', key: true },
  SystemName: { name: 'SystemName', type: 'string', key: true },
} as const satisfies Record<string, PropertyDecl>;

/** Key values of an AMT-side service: `SystemName=Intel(r) AMT` (brief §3). */
export function amtServiceKeys(className: string, name: string): { CreationClassName: string; Name: string; SystemCreationClassName: string; SystemName: string } {
  return { CreationClassName: className, Name: name, SystemCreationClassName: 'CIM_ComputerSystem', SystemName: 'Intel(r) AMT' };
}

/** Key values of a host-side service or access point: `SystemName=ManagedSystem` (brief §3: KVM SAP, alarm clock). */
export function hostServiceKeys(className: string, name: string): { CreationClassName: string; Name: string; SystemCreationClassName: string; SystemName: string } {
  return { ...amtServiceKeys(className, name), SystemName: 'ManagedSystem' };
}

/** An EPR to a CIM class instance with the given selectors. */
export function cimReference(className: string, selectors: Record<string, string>): EndpointReference {
  return { address: ANONYMOUS, resourceUri: SCHEMA_BASE.CIM + className, selectors: new Map(Object.entries(selectors)) };
}

/** The host computer system: `CIM_ComputerSystem`, `Name=ManagedSystem` (brief §3). */
export const MANAGED_SYSTEM = cimReference('CIM_ComputerSystem', { CreationClassName: 'CIM_ComputerSystem', Name: 'ManagedSystem' });
