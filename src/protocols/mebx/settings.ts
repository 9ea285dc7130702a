/**
 * MEBX settings between the wire record (SettingsRecord) and the engine's `MebxSettings`, with the
 * checks setSettings applies: booleans are 0 or 1, enums known, and a static address is a usable
 * host address (not 0.0.0.0, not the network or broadcast address of a contiguous, non-empty
 * subnet mask) with a gateway, when given, inside that subnet.
 */
import type { Infer } from '../../codec/index.js';
import type { MebxNetwork, MebxSettings, UserConsentPolicy } from '../../amt-state/index.js';
import { NETWORK_MODE_CODE, USER_CONSENT_CODE } from './constants.js';
import type { SettingsRecord } from './messages.js';

export type SettingsWire = Infer<typeof SettingsRecord>;

/** Dotted IPv4 → number (first octet most significant), or undefined when not strictly dotted-decimal. */
export function parseIpv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^(0|[1-9][0-9]{0,2})$/.test(p) || Number(p) > 255)) return undefined;
  return parts.reduce((value, part) => ((value << 8) | Number(part)) >>> 0, 0);
}

export const formatIpv4 = (value: number): string => [24, 16, 8, 0].map((shift) => (value >>> shift) & 0xff).join('.');

const bool = (value: boolean): number => (value ? 1 : 0);
const address = (text: string | undefined): number => (text === undefined ? 0 : parseIpv4(text) ?? 0);

export function settingsToWire(settings: MebxSettings): SettingsWire {
  const network = settings.network;
  const isStatic = network.mode === 'static';
  return {
    amtEnabled: bool(settings.amtEnabled), sol: bool(settings.features.sol), ider: bool(settings.features.ider), kvm: bool(settings.features.kvm),
    userConsent: USER_CONSENT_CODE[settings.userConsent], networkMode: NETWORK_MODE_CODE[network.mode], reserved: new Uint8Array(2),
    address: isStatic ? address(network.address) : 0, subnetMask: isStatic ? address(network.subnetMask) : 0,
    gateway: isStatic ? address(network.gateway) : 0, preferredDns: isStatic ? address(network.dns[0]) : 0, alternateDns: isStatic ? address(network.dns[1]) : 0,
  };
}

/** The settings a wire record asks for, or a reason it is refused. */
export function settingsFromWire(wire: SettingsWire): { settings: MebxSettings } | { problem: string } {
  const flags = [wire.amtEnabled, wire.sol, wire.ider, wire.kvm];
  if (flags.some((flag) => flag > 1)) return { problem: 'a boolean field is not 0 or 1' };
  const consent = (Object.keys(USER_CONSENT_CODE) as UserConsentPolicy[]).find((name) => USER_CONSENT_CODE[name] === wire.userConsent);
  if (consent === undefined) return { problem: `unknown user consent ${wire.userConsent}` };
  const network = networkFromWire(wire);
  if ('problem' in network) return network;
  return {
    settings: {
      amtEnabled: wire.amtEnabled === 1,
      features: { sol: wire.sol === 1, ider: wire.ider === 1, kvm: wire.kvm === 1 },
      network: network.network, userConsent: consent,
    },
  };
}

function networkFromWire(wire: SettingsWire): { network: MebxNetwork } | { problem: string } {
  if (wire.networkMode === NETWORK_MODE_CODE.dhcp) return { network: { mode: 'dhcp' } };
  if (wire.networkMode !== NETWORK_MODE_CODE.static) return { problem: `unknown network mode ${wire.networkMode}` };
  const problem = staticProblem(wire.address, wire.subnetMask, wire.gateway);
  if (problem) return { problem };
  const dns = [wire.preferredDns, wire.alternateDns].filter((value) => value !== 0).map(formatIpv4);
  return { network: { mode: 'static', address: formatIpv4(wire.address), subnetMask: formatIpv4(wire.subnetMask), gateway: formatIpv4(wire.gateway), dns } };
}

/** Why a static address, mask and gateway do not make a usable configuration, or undefined. */
export function staticProblem(address: number, mask: number, gateway: number): string | undefined {
  const inverted = ~mask >>> 0;
  if (mask === 0 || ((inverted + 1) & inverted) !== 0) return 'the subnet mask is not a contiguous, non-empty mask';
  const host = address & inverted;
  if (address === 0 || host === 0 || host === inverted) return 'the address is not a host address in its subnet';
  if (gateway !== 0 && ((gateway & mask) >>> 0 !== (address & mask) >>> 0 || gateway === address)) return 'the gateway is not another address in the same subnet';
  return undefined;
}
