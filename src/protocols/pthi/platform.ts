/**
 * What the PTHI server needs from the platform: firmware versions from the verified manifest, the
 * system UUID, LAN settings (MAC from the GbE region, link state) and the End-of-POST status.
 */

export interface LanInterfaceInfo {
  readonly enabled: boolean;
  /** Dotted IPv4 address; '0.0.0.0' when none. */
  readonly ipv4Address: string;
  readonly dhcpEnabled: boolean;
  readonly dhcpMode: 'active' | 'passive';
  readonly linkUp: boolean;
  readonly mac: Uint8Array;
}

export interface FirmwareVersions {
  /** `major.minor.hotfix.build` of the running code partition, e.g. `16.1.27.2225`. */
  readonly version: string;
  /** Of the recovery partition; defaults to `version`. */
  readonly recoveryVersion?: string;
  /** Decimal SKU word rpc-go decodes into features (brief §7 item 2), e.g. 16392. */
  readonly sku: number;
  /** BIOS version string (at most 64 characters). */
  readonly biosVersion: string;
}

export interface PlatformInfo {
  readonly firmware: FirmwareVersions;
  /** 16 raw bytes, reported as-is by GetUUID. */
  readonly uuid: Uint8Array;
  readonly lan: { readonly wired: LanInterfaceInfo; readonly wireless?: LanInterfaceInfo };
  /** True once the BIOS has sent MKHI END_OF_POST. */
  isEndOfPost(): boolean;
}

/** The engine clock (ms); a HostClock satisfies it. */
export interface EngineClock {
  now(): number;
}

/** `major.minor.hotfix.build` → its four numbers (missing parts are 0). */
export function splitVersion(text: string): { major: number; minor: number; hotfix: number; build: number } {
  const [major = 0, minor = 0, hotfix = 0, build = 0] = text.split('.').map((part) => Number.parseInt(part, 10) || 0);
  return { major, minor, hotfix, build };
}

/** Dotted IPv4 → u32 with the first octet in the most significant byte (brief §5.3). */
export function ipv4ToNumber(address: string): number {
  const octets = address.split('.').map((part) => Number.parseInt(part, 10));
  if (octets.length !== 4 || octets.some((o) => !Number.isInteger(o) || o < 0 || o > 255)) throw new RangeError(`not an IPv4 address: ${address}`);
  return octets.reduce((value, octet) => ((value << 8) | octet) >>> 0, 0);
}
