/**
 * AMT_GeneralSettings (brief §3.1): the singleton `Intel(r) AMT: General Settings`. DigestRealm is
 * the HTTP Digest realm (brief §7 item 3); HostName/DomainName and the other writable settings
 * live in state and change with Put (MeshCentral renames hosts this way). Property order and
 * defaults follow the recorded reply `amt/general/get.xml`.
 */
import type { ClassDeclaration, Instance, PropertyDecl } from '../declaration.js';
import { WsmanFault } from '../faults.js';
import type { StateSlot } from '../state.js';
import { REALMS } from './common.js';

export interface GeneralSettingsState {
  readonly AMTNetworkEnabled: number;
  readonly DDNSPeriodicUpdateInterval: number;
  readonly DDNSTTL: number;
  readonly DDNSUpdateByDHCPServerEnabled: boolean;
  readonly DDNSUpdateEnabled: boolean;
  readonly DHCPv6ConfigurationTimeout: number;
  readonly DomainName: string;
  readonly HostName: string;
  readonly HostOSFQDN: string;
  readonly IdleWakeTimeout: number;
  readonly PingResponseEnabled: boolean;
  readonly PreferredAddressFamily: number;
  readonly PresenceNotificationInterval: number;
  readonly PrivacyLevel: number;
  readonly RmcpPingResponseEnabled: boolean;
  readonly SharedFQDN: boolean;
  readonly ThunderboltDockEnabled: number;
  readonly WsmanOnlyMode: boolean;
}

export const GENERAL_SETTINGS: StateSlot<GeneralSettingsState> = {
  name: 'wsman/general-settings',
  initial: () => ({
    AMTNetworkEnabled: 1, DDNSPeriodicUpdateInterval: 1440, DDNSTTL: 900, DDNSUpdateByDHCPServerEnabled: true, DDNSUpdateEnabled: false,
    DHCPv6ConfigurationTimeout: 0, DomainName: '', HostName: '', HostOSFQDN: '', IdleWakeTimeout: 1, PingResponseEnabled: true,
    PreferredAddressFamily: 0, PresenceNotificationInterval: 0, PrivacyLevel: 0, RmcpPingResponseEnabled: true, SharedFQDN: true,
    ThunderboltDockEnabled: 0, WsmanOnlyMode: false,
  }),
};

const INSTANCE_ID = 'Intel(r) AMT: General Settings';
const w = (name: string, type: PropertyDecl['type']): PropertyDecl => ({ name, type, writable: true });
const r = (name: string, type: PropertyDecl['type']): PropertyDecl => ({ name, type });

/** Host and domain names are DNS labels/names (at most 63 and 191 characters, brief has no limit: RFC 1035). */
function checkNames(changes: Instance): void {
  const host = changes['HostName'];
  const domain = changes['DomainName'];
  if (typeof host === 'string' && (host.length > 63 || !/^[A-Za-z0-9-]*$/.test(host))) throw new WsmanFault('invalidRepresentation', 'HostName is not a DNS label');
  if (typeof domain === 'string' && (domain.length > 191 || !/^[A-Za-z0-9.-]*$/.test(domain))) throw new WsmanFault('invalidRepresentation', 'DomainName is not a DNS name');
}

export const AMT_GENERAL_SETTINGS: ClassDeclaration = {
  name: 'AMT_GeneralSettings',
  schema: 'AMT',
  summary: 'Network identity and general settings; DigestRealm is the HTTP Digest realm.',
  commonNamespace: false,
  properties: [
    w('AMTNetworkEnabled', 'uint32'), w('DDNSPeriodicUpdateInterval', 'uint32'), w('DDNSTTL', 'uint32'), w('DDNSUpdateByDHCPServerEnabled', 'boolean'),
    w('DDNSUpdateEnabled', 'boolean'), r('DHCPSyncRequiresHostname', 'uint32'), w('DHCPv6ConfigurationTimeout', 'uint32'), r('DigestRealm', 'string'),
    w('DomainName', 'string'), r('ElementName', 'string'), w('HostName', 'string'), w('HostOSFQDN', 'string'), w('IdleWakeTimeout', 'uint32'),
    { name: 'InstanceID', type: 'string', key: true }, r('NetworkInterfaceEnabled', 'boolean'), w('PingResponseEnabled', 'boolean'), r('PowerSource', 'uint32'),
    w('PreferredAddressFamily', 'uint32'), w('PresenceNotificationInterval', 'uint32'), w('PrivacyLevel', 'uint32'), w('RmcpPingResponseEnabled', 'boolean'),
    w('SharedFQDN', 'boolean'), w('ThunderboltDockEnabled', 'uint32'), w('WsmanOnlyMode', 'boolean'),
  ],
  instances: (context) => [{
    ...context.state.get(GENERAL_SETTINGS),
    DHCPSyncRequiresHostname: 1, DigestRealm: context.digestRealm, ElementName: INSTANCE_ID, InstanceID: INSTANCE_ID,
    NetworkInterfaceEnabled: true, PowerSource: 0,
  }],
  operations: {
    get: { realms: REALMS.generalInfoOrLocal },
    enumerate: { realms: REALMS.generalInfoOrLocal },
    put: {
      realms: REALMS.administration,
      apply: (context, current, changes) => {
        checkNames(changes);
        const next = { ...context.state.get(GENERAL_SETTINGS), ...changes } as GeneralSettingsState;
        context.state.set(GENERAL_SETTINGS, next);
        return { ...current, ...changes };
      },
    },
  },
  methods: [],
};
