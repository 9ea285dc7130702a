/** Public API of the MKHI host interface: message declarations, tables, firmware status words and the sans-I/O server. */
export { createMkhiServer, type MkhiServer } from './server.js';
export * from './constants.js';
export * from './messages.js';
export { MKHI_MESSAGES, MKHI_PRE_BOOT_ONLY, type MkhiMessageSpec } from './table.js';
export type { MkhiReply } from './handlers.js';
export type { MkhiPlatform, MkhiServerOptions, MkhiVolatile, PartitionRange } from './platform.js';
export { firmwareStatus, Hfsts1, Hfsts3, HFSTS_OFFSETS, WORKING_STATE, OPERATING_MODE, FW_SKU, type FirmwareStatusInput } from './firmware-status.js';
