/**
 * Every PTHI message layout, declared once with the codec (brief amt-protocol.md §5.3; field sizes
 * from rpc-go pkg/pthi/types.go and MeshCentral amt-mei.js as the brief cites them). A request is
 * the 12-byte header plus a body; a response is the header, a u32 AMT status, then data.
 */
import { ascii, bytes, struct, u8, u16, u32 } from '../../codec/index.js';
import { u32Array } from './fields.js';

/** Common header of requests and responses (12 bytes). */
export const PthiHeader = struct('PTHI header', {
  majorVersion: u8(), // 0x00 always 1
  minorVersion: u8(), // 0x01 always 1
  reserved: u16(), // 0x02 0
  command: u32(), // 0x04 request code; | 0x00800000 in a response
  length: u32(), // 0x08 bytes after the header
});

/** Response header: the common header then the AMT status (16 bytes; data follows at 16). */
export const PthiResponseHeader = struct('PTHI response header', {
  majorVersion: u8(), // 0x00
  minorVersion: u8(), // 0x01
  reserved: u16(), // 0x02
  command: u32(), // 0x04
  length: u32(), // 0x08 status + data bytes [brief: assumed]
  status: u32(), // 0x0C AMT_STATUS
});

export const UnprovisionRequest = struct('Unprovision request', { mode: u32() });
export const UnprovisionResponse = struct('Unprovision response', { state: u32() });
export const ProvisioningStateResponse = struct('GetProvisioningState response', { provisioningState: u32() });
export const ProvisioningModeResponse = struct('GetProvisioningMode response', { provisioningMode: u32(), legacyMode: u32() });
export const ControlModeResponse = struct('GetControlMode response', { controlMode: u32() });
export const EhbcStateResponse = struct('GetEHBCState response', { ehbcState: u32() });
export const UuidResponse = struct('GetUUID response', { uuid: bytes(16) });
export const MacAddressesResponse = struct('GetMacAddresses response', { dedicatedMac: bytes(6), hostMac: bytes(6) });

/** One GetCodeVersions entry: two AMT_UNICODE_STRINGs {u16 length, char[20]}, packed (44 bytes). */
export const AmtVersionEntry = struct('AMT_VERSION_TYPE', {
  descriptionLength: u16(), // 0x00
  description: ascii(20), // 0x02 NUL-padded
  versionLength: u16(), // 0x16
  version: ascii(20), // 0x18 NUL-padded
});
export const CODE_VERSION_SLOTS = 50;

export const CodeVersionsResponse = struct('GetCodeVersions response', {
  biosVersion: ascii(65), // 0x000 NUL-padded
  versionsCount: u32(), // 0x041
  versions: bytes(CODE_VERSION_SLOTS * AmtVersionEntry.size), // 0x045 50 × AMT_VERSION_TYPE
});

export const HashHandlesResponse = struct('EnumerateHashHandles response', { count: u32(), handles: u32Array(33) });
export const CertHashEntryRequest = struct('GetCertHashEntry request', { handle: u32() });
/** Followed by the entry name as an AMT_ANSI_STRING. */
export const CertHashEntryResponse = struct('GetCertHashEntry response', {
  isDefault: u32(), // 0x00
  isActive: u32(), // 0x04
  certificateHash: bytes(64), // 0x08 digest, zero-padded
  hashAlgorithm: u8(), // 0x48 0 MD5, 1 SHA1, 2 SHA256, 3 SHA384
});

/** Followed by the MPS host name as an AMT_ANSI_STRING. */
export const RemoteAccessStatusResponse = struct('GetRemoteAccessConnectionStatus response', {
  networkStatus: u32(), // 0x00 0 direct, 1 VPN, 2 outside enterprise
  remoteStatus: u32(), // 0x04 0 not connected, 1 connecting, 2 connected
  remoteTrigger: u32(), // 0x08 0 user, 1 alert, 2 periodic, 3 provisioning
});

export const LanInterfaceSettingsRequest = struct('GetLANInterfaceSettings request', { interfaceIndex: u32() });
export const LanInterfaceSettingsResponse = struct('GetLANInterfaceSettings response', {
  enabled: u32(), // 0x00
  ipv4Address: u32(), // 0x04 first octet in the most significant byte
  dhcpEnabled: u32(), // 0x08
  dhcpIpMode: u8(), // 0x0C 1 active, 2 passive
  linkStatus: u8(), // 0x0D 1 up
  macAddress: bytes(6), // 0x0E
});

export const LocalSystemAccountRequest = struct('GetLocalSystemAccount request', { reserved: bytes(40) });
/** Exactly 68 data bytes: MeshCentral rejects any other length (brief §5.3). */
export const LocalSystemAccountResponse = struct('GetLocalSystemAccount response', {
  username: ascii(33), // 0x00 NUL-padded
  password: ascii(33), // 0x21 NUL-padded
  reserved: bytes(2), // 0x42 padding to 68
});

/** rpc-go's layout (390 bytes). */
export const StartConfigurationHBasedRequest = struct('StartConfigurationHBased request', {
  serverHashAlgorithm: u8(), // 0x000 2 SHA256, 3 SHA384
  serverCertHash: bytes(64), // 0x001
  hostVpnEnable: u8(), // 0x041 bool
  suffixListLength: u32(), // 0x042
  suffixList: bytes(320), // 0x046 NUL-separated suffixes
});
/** MeshCentral's layout: a u32 VPN flag and a suffix count, list optional (73 or 393 bytes). */
export const StartConfigurationHBasedShortRequest = struct('StartConfigurationHBased request (MeshCentral, no list)', {
  serverHashAlgorithm: u8(), // 0x00
  serverCertHash: bytes(64), // 0x01
  hostVpnEnable: u32(), // 0x41
  suffixCount: u32(), // 0x45
});
export const StartConfigurationHBasedLongRequest = struct('StartConfigurationHBased request (MeshCentral, with list)', {
  ...StartConfigurationHBasedShortRequest.fields,
  suffixList: bytes(320), // 0x49
});
/** What rpc-go and MeshCentral read after the status (65 bytes). */
export const StartConfigurationHBasedResponse = struct('StartConfigurationHBased response', {
  hashAlgorithm: u8(), // 0x00
  amtCertHash: bytes(64), // 0x01 zero-padded
});
