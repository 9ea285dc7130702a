/**
 * AMT_EthernetPortSettings (brief §3.6): the wired port, `Intel(r) AMT Ethernet Port Settings 0`.
 * The MAC comes from the platform facts (lower-case, dash separated); the address settings live in
 * state. With DHCP (or a static address synced from the host, IpSyncEnabled) AMT reports the
 * platform's own address; a manual static configuration reports what was set. Put follows the
 * three configurations AMT accepts (RPS `wiredNetworkConfiguration.ts` table; MeshCommander
 * `showIPSetupDlgOk` sends the same): DHCP with no static fields and SharedStaticIp false; static
 * synced from the host with no static fields; manual static with IPAddress and SubnetMask. Order as
 * in `amt/ethernetport/get.xml` / `put.xml`.
 */
import { ipv4ToNumber } from '../../../protocols/pthi/platform.js';
import type { ClassDeclaration, Instance, PropertyDecl, WsmanContext } from '../declaration.js';
import { WsmanFault } from '../faults.js';
import { defineSlot } from '../state.js';
import { REALMS } from './common.js';

export interface EthernetState {
  readonly dhcpEnabled: boolean;
  readonly ipSyncEnabled: boolean;
  readonly sharedStaticIp: boolean;
  /** Manual static configuration ('' = none); reported only while DHCP and IP sync are off. */
  readonly ipAddress: string;
  readonly subnetMask: string;
  readonly defaultGateway: string;
  readonly primaryDns: string;
  readonly secondaryDns: string;
  /** Power states the link is up in: 1 S0/AC, 14 Sx/AC, 16 S0/DC, 224 Sx/DC (MeshCommander `showLinkPolicyDlg`). */
  readonly linkPolicy: readonly number[];
}

export const ETHERNET = defineSlot<EthernetState>('wsman/ethernet-port', () => ({
  dhcpEnabled: true, ipSyncEnabled: true, sharedStaticIp: false, ipAddress: '', subnetMask: '', defaultGateway: '', primaryDns: '',
  secondaryDns: '', linkPolicy: [1, 14],
}));

const INSTANCE_ID = 'Intel(r) AMT Ethernet Port Settings 0';
const STATIC_FIELDS = ['IPAddress', 'SubnetMask', 'DefaultGateway', 'PrimaryDNS', 'SecondaryDNS'] as const;
const LINK_POLICIES: ReadonlySet<number> = new Set([1, 14, 16, 224]);
/** What a DHCP lease on vme's loopback network looks like. */
const LOOPBACK_LEASE = { SubnetMask: '255.0.0.0', DefaultGateway: '127.0.0.1', PrimaryDNS: '127.0.0.1' };

const w = (name: string, type: PropertyDecl['type'], array = false): PropertyDecl => ({ name, type, writable: true, ...(array ? { array } : {}) });
const r = (name: string, type: PropertyDecl['type']): PropertyDecl => ({ name, type });

export const formatMac = (mac: Uint8Array): string => [...mac].map((b) => b.toString(16).padStart(2, '0')).join('-');

function addresses(context: WsmanContext, s: EthernetState): Instance {
  if (s.dhcpEnabled || s.ipSyncEnabled) return { IPAddress: context.facts.networkAddress, ...LOOPBACK_LEASE };
  const manual = { IPAddress: s.ipAddress, SubnetMask: s.subnetMask, DefaultGateway: s.defaultGateway, PrimaryDNS: s.primaryDns, SecondaryDNS: s.secondaryDns };
  return Object.fromEntries(Object.entries(manual).filter(([, v]) => v !== ''));
}

function wiredInstance(context: WsmanContext): Instance {
  const s = context.state.get(ETHERNET);
  return {
    DHCPEnabled: s.dhcpEnabled, ElementName: 'Intel(r) AMT Ethernet Port Settings', InstanceID: INSTANCE_ID, IpSyncEnabled: s.ipSyncEnabled,
    LinkIsUp: true, LinkPolicy: s.linkPolicy, MACAddress: formatMac(context.facts.macAddress), PhysicalConnectionType: 0,
    SharedDynamicIP: true, SharedMAC: true, SharedStaticIp: s.sharedStaticIp, ...addresses(context, s),
  };
}

const refuse = (why: string): never => {
  throw new WsmanFault('invalidRepresentation', `AMT_EthernetPortSettings: ${why}`);
};

function ipv4(text: string, what: string): number {
  try {
    return ipv4ToNumber(text);
  } catch {
    return refuse(`${what} ${JSON.stringify(text)} is not an IPv4 address`);
  }
}

/** A manual static configuration: a unicast address and a contiguous mask; gateway and DNS optional ('' = none). */
function checkManual(next: EthernetState): void {
  if (next.ipAddress === '' || next.subnetMask === '') refuse('a static configuration without IP sync needs IPAddress and SubnetMask');
  const address = ipv4(next.ipAddress, 'IPAddress');
  const mask = ipv4(next.subnetMask, 'SubnetMask');
  const hostBits = ~mask >>> 0;
  if (mask === 0 || (hostBits & (hostBits + 1)) !== 0) refuse(`SubnetMask ${next.subnetMask} is not contiguous`);
  const broadcast = hostBits !== 0 && (address & hostBits) >>> 0 === hostBits;
  if (address === 0 || address >>> 28 >= 0xe || broadcast) refuse(`IPAddress ${next.ipAddress} is not a host address`);
  for (const [text, what] of [[next.defaultGateway, 'DefaultGateway'], [next.primaryDns, 'PrimaryDNS'], [next.secondaryDns, 'SecondaryDNS']] as const) {
    if (text !== '') ipv4(text, what);
  }
}

function applyPut(context: WsmanContext, changes: Instance): Instance {
  const s = context.state.get(ETHERNET);
  const text = (name: string, held: string): string => {
    const value = changes[name];
    return typeof value === 'string' ? value.trim() : held;
  };
  const flag = (name: string, held: boolean): boolean => {
    const value = changes[name];
    return typeof value === 'boolean' ? value : held;
  };
  const policy = changes['LinkPolicy'];
  const next: EthernetState = {
    dhcpEnabled: flag('DHCPEnabled', s.dhcpEnabled), ipSyncEnabled: flag('IpSyncEnabled', s.ipSyncEnabled), sharedStaticIp: flag('SharedStaticIp', s.sharedStaticIp),
    ipAddress: text('IPAddress', s.ipAddress), subnetMask: text('SubnetMask', s.subnetMask), defaultGateway: text('DefaultGateway', s.defaultGateway),
    primaryDns: text('PrimaryDNS', s.primaryDns), secondaryDns: text('SecondaryDNS', s.secondaryDns),
    linkPolicy: Array.isArray(policy) ? policy.map(Number) : s.linkPolicy,
  };
  const staticGiven = STATIC_FIELDS.filter((name) => typeof changes[name] === 'string' && changes[name] !== '');
  if (next.linkPolicy.some((p) => !LINK_POLICIES.has(p))) refuse(`LinkPolicy values are ${[...LINK_POLICIES].join(', ')}`);
  if (next.dhcpEnabled && next.sharedStaticIp) refuse('SharedStaticIp needs a static configuration');
  if ((next.dhcpEnabled || next.ipSyncEnabled) && staticGiven.length > 0) refuse(`${staticGiven.join(', ')} must be absent with DHCP or IP sync`);
  if (!next.dhcpEnabled && !next.ipSyncEnabled) checkManual(next);
  context.state.set(ETHERNET, next);
  return wiredInstance(context);
}

export const AMT_ETHERNET_PORT_SETTINGS: ClassDeclaration = {
  name: 'AMT_EthernetPortSettings',
  schema: 'AMT',
  summary: 'The wired LAN port: MAC, DHCP or static IPv4 settings, link policy.',
  commonNamespace: false,
  properties: [
    w('DHCPEnabled', 'boolean'), w('DefaultGateway', 'string'), r('ElementName', 'string'), w('IPAddress', 'string'),
    { name: 'InstanceID', type: 'string', key: true }, w('IpSyncEnabled', 'boolean'), r('LinkIsUp', 'boolean'), w('LinkPolicy', 'uint8', true),
    r('MACAddress', 'string'), r('PhysicalConnectionType', 'uint32'), w('PrimaryDNS', 'string'), w('SecondaryDNS', 'string'),
    r('SharedDynamicIP', 'boolean'), r('SharedMAC', 'boolean'), w('SharedStaticIp', 'boolean'), w('SubnetMask', 'string'),
  ],
  instances: (context) => [wiredInstance(context)],
  operations: {
    get: { realms: REALMS.generalInfo },
    enumerate: { realms: REALMS.generalInfo },
    put: { realms: REALMS.administration, apply: (context, _current, changes) => applyPut(context, changes) },
  },
  methods: [],
};
