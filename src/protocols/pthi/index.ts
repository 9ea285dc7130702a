/** Public API of the PTHI (AMTHI) host interface: message declarations, tables and the sans-I/O server. */
export { createPthiServer, type PthiServer, type PthiServerOptions } from './server.js';
export { PTHI_COMMAND, PTHI_COMMAND_NAME, PTHI_RESPONSE_FLAG, PTHI_VERSION, AMT_STATUS, AMT_STATUS_NAME, type PthiCommandName, type AmtStatusName } from './constants.js';
export { PTHI_MESSAGES, type PthiMessageSpec } from './table.js';
export { PTHI_PRE_BOOT_ONLY } from './pre-boot.js';
export { encodeAnsiString, decodeAnsiString } from './fields.js';
export { type PlatformInfo, type LanInterfaceInfo, type FirmwareVersions, type EngineClock, splitVersion, ipv4ToNumber } from './platform.js';
export * from './messages.js';
