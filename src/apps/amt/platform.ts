/**
 * What the PTHI server needs from the platform, built from the kernel's `PlatformInfo` and its
 * End-of-POST fact: firmware versions (verified manifest), the SKU word rpc-go decodes, the
 * platform UUID in the byte order GetUUID reports, and the wired LAN (the shared NIC's MAC, DHCP or
 * the static address set in MEBX).
 */
import type { PlatformInfo as KernelPlatformInfo } from '../../kernel/app-api.js';
import type { PlatformInfo as PthiPlatformInfo, LanInterfaceInfo } from '../../protocols/pthi/index.js';
import type { MebxNetwork } from '../../amt-state/index.js';

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
