/**
 * MKHI numbers, each written once: groups and commands (brief amt-protocol.md §5.4, me-internals.md
 * §3.6, from coreboot src/soc/intel/common/block/include/intelblocks/cse.h), result codes and
 * capability bits (intel/lms MEIClient/MKHIClient: MKHIErrorException.h, GetFWCapsCommand.h,
 * GetEOPStateCommand.h; coreboot cse.h HMRFPO statuses, cse_lite.h boot partition statuses).
 */

export const MKHI_GROUP = { cbm: 0x00, fwcaps: 0x03, hmrfpo: 0x05, bupCommon: 0xf0, gen: 0xff } as const;

/** Each command: its group and 7-bit command number. */
export const MKHI_COMMAND = {
  globalReset: { group: MKHI_GROUP.cbm, command: 0x0b },
  getRule: { group: MKHI_GROUP.fwcaps, command: 0x02 },
  hmrfpoEnable: { group: MKHI_GROUP.hmrfpo, command: 0x01 },
  hmrfpoGetStatus: { group: MKHI_GROUP.hmrfpo, command: 0x03 },
  getBootPartitionInfo: { group: MKHI_GROUP.bupCommon, command: 0x1c },
  setBootPartitionInfo: { group: MKHI_GROUP.bupCommon, command: 0x1d },
  dataClear: { group: MKHI_GROUP.bupCommon, command: 0x20 },
  getFwVersion: { group: MKHI_GROUP.gen, command: 0x02 },
  endOfPost: { group: MKHI_GROUP.gen, command: 0x0c },
  getEopState: { group: MKHI_GROUP.gen, command: 0x1d },
} as const;
export type MkhiCommandName = keyof typeof MKHI_COMMAND;

/** Bit 7 of the command byte marks a response (brief §5.4). */
export const MKHI_RESPONSE_BIT = 0x80;

/** Result byte of the header (intel/lms MKHIErrorException.h MKHI_STATUS). */
export const MKHI_RESULT = {
  success: 0x00,
  invalidState: 0x01,
  messageSkipped: 0x02,
  sizeError: 0x05,
  notFound: 0x81,
  invalidAccess: 0x84,
  invalidParams: 0x85,
  notReady: 0x88,
  notSupported: 0x89,
  invalidCommand: 0x8d,
  generalError: 0xff,
} as const;

/** FWCAPS rule ids (intel/lms MKHICommand.h MEFWCAPS_*_RULE; coreboot ME_FEATURE_STATE_RULE_ID 0x20). */
export const FWCAPS_RULE = { fwSku: 0, fwUpdate: 7, featureState: 0x20 } as const;

/** Feature bits of the FW SKU / feature-state rules (intel/lms GetFWCapsCommand.h; coreboot PSR bit 5, PTT bit 29). */
export const FEATURE_BIT = { amt: 2, psr: 5, pavp: 12, ipv6: 17, kvm: 18, dal: 20, tls: 21, ptt: 29 } as const;
export type FeatureName = keyof typeof FEATURE_BIT;

/** HMRFPO_GET_STATUS / HMRFPO_ENABLE status (coreboot cse.h MKHI_HMRFPO_*). */
export const HMRFPO_STATUS = { disabled: 0, locked: 1, enabled: 2 } as const;

/** END_OF_POST requested action (coreboot cse_eop.c). */
export const EOP_ACTION = { continueBoot: 0, globalReset: 1 } as const;

/** Boot partition entry status (coreboot cse_lite.h BP_STATUS_*). */
export const BOOT_PARTITION_STATUS = { success: 0, generalFailure: 1, notPresent: 2, dataFailure: 3 } as const;

const key = (group: number, command: number): number => (group << 8) | command;
/** (group, command) → command name. */
export const MKHI_COMMAND_BY_CODE: ReadonlyMap<number, MkhiCommandName> = new Map(
  Object.entries(MKHI_COMMAND).map(([name, c]) => [key(c.group, c.command), name as MkhiCommandName]),
);
export const mkhiCode = key;
