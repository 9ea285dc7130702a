/**
 * PTHI (AMTHI) command numbers and AMT status codes, each written once; reverse maps are derived.
 * Numbers: brief amt-protocol.md §5.3 (rpc-go pkg/pthi/types.go, status.go; MeshCentral
 * amt-mei.js). Status codes the brief does not list cite intel/lms
 * MEIClient/Include/StatusCodeDefinitions.h.
 */

/** Request command codes (`0x04000000 | n`; GetAMTState is in group 0x01). Brief §5.3 table. */
export const PTHI_COMMAND = {
  getAmtState: 0x01000001,
  getProvisioningMode: 0x04000008,
  unprovision: 0x04000010,
  getProvisioningState: 0x04000011,
  getCodeVersions: 0x0400001a,
  getSecurityParameters: 0x0400001b,
  getMacAddresses: 0x04000025,
  generateRngSeed: 0x04000028,
  startConfiguration: 0x04000029,
  setProvisioningServerOtp: 0x0400002a,
  getProvisioningTlsMode: 0x0400002b,
  enumerateHashHandles: 0x0400002c,
  getCertHashEntry: 0x0400002d,
  getRngSeedStatus: 0x0400002e,
  setDnsSuffix: 0x0400002f,
  getZeroTouchEnabled: 0x04000030,
  getPkiFqdnSuffix: 0x04000036,
  getDnsSuffixList: 0x0400003e,
  setEnterpriseAccess: 0x0400003f,
  openUserInitiatedConnection: 0x04000044,
  closeUserInitiatedConnection: 0x04000045,
  getRemoteAccessConnectionStatus: 0x04000046,
  getCurrentPowerPolicy: 0x04000047,
  getLanInterfaceSettings: 0x04000048,
  getFeaturesState: 0x04000049,
  getLastHostResetReason: 0x0400004a,
  getFqdn: 0x04000056,
  setHostFqdn: 0x0400005b,
  getUuid: 0x0400005c,
  stopConfiguration: 0x0400005e,
  getLocalSystemAccount: 0x04000067,
  getControlMode: 0x0400006b,
  getEhbcState: 0x04000084,
  startConfigurationHBased: 0x0400008b,
  getCiraLog: 0x0400008e,
} as const;
export type PthiCommandName = keyof typeof PTHI_COMMAND;

/** A response carries the request's command code with this bit set (brief §5.3). */
export const PTHI_RESPONSE_FLAG = 0x00800000;

/** Header version every message carries (brief §5.3: MajorVersion=1, MinorVersion=1). */
export const PTHI_VERSION = { major: 1, minor: 1 } as const;

/** AMT_STATUS values (u32). The first block is brief §5.3; the rest intel/lms StatusCodeDefinitions.h. */
export const AMT_STATUS = {
  success: 0,
  internalError: 1,
  notReady: 2,
  invalidAmtMode: 3,
  invalidMessageLength: 4,
  notPermitted: 16,
  maxLimitReached: 23,
  invalidParameter: 36,
  rngGenerationInProgress: 47,
  rngNotReady: 48,
  certificateNotReady: 49,
  invalidHandle: 2053,
  notFound: 2068,
  // intel/lms StatusCodeDefinitions.h: "The requested configuration is unsupported" (0x812); LMS
  // documents it as a host-interface reply for features a firmware SKU lacks.
  unsupported: 0x812,
  // intel/lms StatusCodeDefinitions.h: "The network interface ... does not exist (e.g. wireless
  // interface on desktop)" — the reply of GetLanInterfaceSettings for a missing interface.
  interfaceDoesNotExist: 2501,
} as const;
export type AmtStatusName = keyof typeof AMT_STATUS;

const reverse = <T extends Record<string, number>>(table: T): ReadonlyMap<number, keyof T> =>
  new Map(Object.entries(table).map(([name, value]) => [value, name as keyof T]));

/** Command code → name. */
export const PTHI_COMMAND_NAME = reverse(PTHI_COMMAND);
/** Status value → name. */
export const AMT_STATUS_NAME = reverse(AMT_STATUS);
