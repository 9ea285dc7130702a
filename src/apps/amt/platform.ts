/**
 * What the PTHI server and the WS-Man classes need from the platform, built from the kernel's
 * `PlatformInfo` and its End-of-POST fact: firmware versions (verified manifest), the SKU word
 * rpc-go decodes, the platform UUID in the byte order GetUUID reports, and the wired LAN (the
 * shared NIC's MAC, DHCP or the static address set in MEBX). WS-Man's facts are built from the same
 * values, so both interfaces report the same versions and UUID. The Digest realm is derived from
 * the platform UUID: stable per platform, across reboots and unprovisioning.
 */
import { createHash } from 'node:crypto';
import type { PlatformInfo as KernelPlatformInfo } from '../../kernel/app-api.js';
import type { PlatformInfo as PthiPlatformInfo, LanInterfaceInfo } from '../../protocols/pthi/index.js';
import type { MebxNetwork } from '../../amt-state/index.js';
import { DEFAULT_CHASSIS, type PlatformFacts } from '../../amt/wsman/facts.js';

/** Decimal SKU word: 0x08 "AMT Pro" | 0x4000 "Corporate" (brief §7 item 2, rpc-go DecodeAMTFeatures). */
export const CORPORATE_SKU = 0x4008;
/** The engine is not told the host's SMBIOS BIOS version yet; this stands in for it. */
export const BIOS_VERSION = 'VME.BIOS.0001';

/** Canonical UUID text → the 16 bytes GetUUID returns (first three fields little-endian, as SMBIOS stores them). */
export function uuidWireBytes(text: string): Uint8Array {
  const b = Buffer.from(text.replace(/-/g, ''), 'hex');
  if (b.length !== 16) throw new RangeError(`not a UUID: ${text}`);
  return Uint8Array.of(b[3] ?? 0, b[2] ?? 0, b[1] ?? 0, b[0] ?? 0, b[5] ?? 0, b[4] ?? 0, b[7] ?? 0, b[6] ?? 0, ...b.subarray(8));
}

export const macBytes = (text: string): Uint8Array => Uint8Array.from(text.split(':').map((part) => Number.parseInt(part, 16)));

/** The wired LAN as configured in MEBX: DHCP (no address yet: AMT follows the host) or the static address. */
export function wiredLan(network: MebxNetwork, mac: Uint8Array): LanInterfaceInfo {
  return network.mode === 'static'
    ? { enabled: true, ipv4Address: network.address, dhcpEnabled: false, dhcpMode: 'passive', linkUp: true, mac }
    : { enabled: true, ipv4Address: '0.0.0.0', dhcpEnabled: true, dhcpMode: 'passive', linkUp: true, mac };
}

/** PTHI's platform view; `lan` is refreshed from the MEBX network settings before each message. */
export function pthiPlatform(platform: KernelPlatformInfo, isEndOfPost: () => boolean): PthiPlatformInfo & { lan: { wired: LanInterfaceInfo } } {
  return {
    firmware: { version: platform.firmwareVersion, sku: platform.sku === 'corporate' ? CORPORATE_SKU : 0, biosVersion: BIOS_VERSION },
    uuid: uuidWireBytes(platform.platformUuid),
    lan: { wired: wiredLan({ mode: 'dhcp' }, macBytes(platform.macAddress)) },
    isEndOfPost,
  };
}

/** The address the platform's listeners are bound to; 127.0.0.1 when the engine has no network. */
export const networkAddressOf = (platform: KernelPlatformInfo): string => platform.networkAddress ?? '127.0.0.1';

/** WS-Man's platform facts: the versions and UUID exactly as PTHI reports them. */
export function wsmanFacts(platform: KernelPlatformInfo): PlatformFacts {
  const pthi = pthiPlatform(platform, () => false);
  return { firmware: pthi.firmware, uuid: pthi.uuid, chassis: DEFAULT_CHASSIS, macAddress: macBytes(platform.macAddress), networkAddress: networkAddressOf(platform) };
}

/** `Digest:` + 32 upper-case hex, derived from the platform UUID (AMT keeps one realm per device). */
export function platformRealm(platformUuid: string): string {
  return `Digest:${createHash('sha256').update(`vme-amt-digest-realm:${platformUuid}`).digest('hex').slice(0, 32).toUpperCase()}`;
}
