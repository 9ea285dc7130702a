/**
 * Handlers that report platform facts: code versions (verified manifest), UUID, MAC addresses,
 * LAN interface settings (GbE region, link state), remote access status, RNG seed.
 */
import { AMT_STATUS } from './constants.js';
import { encodeAnsiString } from './fields.js';
import { concat, fail, ok, type PthiHandler } from './handler.js';
import * as m from './messages.js';
import { ipv4ToNumber, splitVersion, type FirmwareVersions } from './platform.js';

/** The description/version pairs rpc-go and MeshCentral read (brief §5.3, §7 item 2). */
export function versionEntries(firmware: FirmwareVersions): [string, string][] {
  const code = splitVersion(firmware.version);
  const recovery = splitVersion(firmware.recoveryVersion ?? firmware.version);
  const short = (v: typeof code) => `${v.major}.${v.minor}.${v.hotfix}`;
  return [
    ['Flash', `${short(code)}.${code.build}`], ['Netstack', short(code)], ['AMTApps', short(code)], ['AMT', short(code)],
    ['Sku', String(firmware.sku)], ['VendorID', '8086'], ['Build Number', String(code.build)],
    ['Recovery Version', short(recovery)], ['Recovery Build Num', String(recovery.build)], ['Legacy Mode', 'False'],
    ['AMT FW Core Version', `${short(code)}.${code.build}`],
  ];
}

/**
 * GetCodeVersions (0x0400001A), brief §5.3. Request: header only. Data (2,269 bytes):
 * BiosVersion[65], VersionsCount u32, 50 × {descLen u16, desc[20], verLen u16, ver[20]}; unused
 * slots zero.
 */
export const getCodeVersions: PthiHandler = (_body, { platform }) => {
  const entries = versionEntries(platform.firmware);
  const table = new Uint8Array(m.CODE_VERSION_SLOTS * m.AmtVersionEntry.size);
  entries.forEach(([description, version], i) => {
    m.AmtVersionEntry.serialize({ descriptionLength: description.length, description, versionLength: version.length, version }, table, i * m.AmtVersionEntry.size);
  });
  return ok(m.CodeVersionsResponse.serialize({ biosVersion: platform.firmware.biosVersion, versionsCount: entries.length, versions: table }));
};

/** GetUUID (0x0400005C), brief §5.3. Request: header only. Data: 16 raw bytes. */
export const getUuid: PthiHandler = (_body, { platform }) => ok(m.UuidResponse.serialize({ uuid: platform.uuid }));

/** GetMacAddresses (0x04000025), brief §5.3. Request: header only. Data: DedicatedMAC[6], HostMAC[6] (shared NIC: equal). */
export const getMacAddresses: PthiHandler = (_body, { platform }) =>
  ok(m.MacAddressesResponse.serialize({ dedicatedMac: platform.lan.wired.mac, hostMac: platform.lan.wired.mac }));

/**
 * GetLANInterfaceSettings (0x04000048), brief §5.3. Request: interface index u32 (0 wired, 1
 * wireless). Data: Enabled u32, Ipv4Address u32, DhcpEnabled u32, DhcpIpMode u8, LinkStatus u8,
 * MacAddress[6]. No wireless interface → INTERFACE_DOES_NOT_EXIST (intel/lms); index > 1 → INVALID_PARAMETER.
 */
export const getLanInterfaceSettings: PthiHandler = (body, { platform }) => {
  const { interfaceIndex } = m.LanInterfaceSettingsRequest.parse(body);
  if (interfaceIndex > 1) return fail(AMT_STATUS.invalidParameter);
  const lan = interfaceIndex === 0 ? platform.lan.wired : platform.lan.wireless;
  if (!lan) return fail(AMT_STATUS.interfaceDoesNotExist);
  return ok(m.LanInterfaceSettingsResponse.serialize({
    enabled: lan.enabled ? 1 : 0, ipv4Address: ipv4ToNumber(lan.ipv4Address), dhcpEnabled: lan.dhcpEnabled ? 1 : 0,
    dhcpIpMode: lan.dhcpMode === 'active' ? 1 : 2, linkStatus: lan.linkUp ? 1 : 0, macAddress: lan.mac,
  }));
};

/**
 * GetRemoteAccessConnectionStatus (0x04000046), brief §5.3. Request: header only. Data:
 * NetworkStatus u32, RemoteStatus u32, RemoteTrigger u32, MPSHostname AMT_ANSI_STRING. CIRA is not
 * built yet: direct LAN (0), not connected (0), trigger 0, no host name.
 */
export const getRemoteAccessConnectionStatus: PthiHandler = () =>
  ok(concat(m.RemoteAccessStatusResponse.serialize({ networkStatus: 0, remoteStatus: 0, remoteTrigger: 0 }), encodeAnsiString('')));

/** GenerateRngSeed (0x04000028), brief §5.3. Request: header only. Data: none. Pre-boot only (pre-boot.ts). */
export const generateRngSeed: PthiHandler = (_body, { volatile }) => {
  volatile.rngSeedReady = true;
  return ok();
};

/** GetRngSeedStatus (0x0400002E), brief §5.3. Request: header only. Status SUCCESS when a seed exists, else RNG_NOT_READY. */
export const getRngSeedStatus: PthiHandler = (_body, { volatile }) => (volatile.rngSeedReady ? ok() : fail(AMT_STATUS.rngNotReady));
