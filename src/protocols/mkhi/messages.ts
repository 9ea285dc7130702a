/**
 * MKHI message layouts, declared once with the codec. Header: brief amt-protocol.md §5.4 /
 * me-internals.md §3.6; bodies: coreboot cse.h, cse.c, cse_eop.c, cse_lite.h; intel/lms
 * MKHIClient headers (FWCAPS rule replies, GetEOPState).
 */
import { bytes, struct, u8, u16, u32 } from '../../codec/index.js';

/** Every MKHI message starts with this 4-byte header. */
export const MkhiHeader = struct('MKHI header', {
  groupId: u8(), // 0x00
  command: u8(), // 0x01 bits 0-6 command, bit 7 is_response
  reserved: u8(), // 0x02
  result: u8(), // 0x03 0 = success
});

/** GEN GET_FW_VERSION reply: code, recovery and FITC versions, each minor-first. */
export const GetFwVersionResponse = struct('GET_FW_VERSION response', {
  codeMinor: u16(), codeMajor: u16(), codeBuild: u16(), codeHotfix: u16(), // 0x00
  recoveryMinor: u16(), recoveryMajor: u16(), recoveryBuild: u16(), recoveryHotfix: u16(), // 0x08
  fitcMinor: u16(), fitcMajor: u16(), fitcBuild: u16(), fitcHotfix: u16(), // 0x10
});

/** GEN END_OF_POST reply (coreboot cse_eop.c end_of_post_resp). */
export const EndOfPostResponse = struct('END_OF_POST response', { requestedActions: u32() });
/** GEN GET_EOP_STATE reply (intel/lms GetEOPStateCommand.h). */
export const GetEopStateResponse = struct('GET_EOP_STATE response', { eopState: u8(), reserved: bytes(3) });

/** FWCAPS GET_RULE (coreboot cse.c fw_feature_state_msg / _resp). */
export const GetRuleRequest = struct('FWCAPS GET_RULE request', { ruleId: u32() });
export const GetRuleResponse = struct('FWCAPS GET_RULE response', {
  ruleId: u32(), // 0x00 echoes the request
  ruleDataLength: u8(), // 0x04 4
  ruleData: u32(), // 0x05
});

/** HMRFPO ENABLE (coreboot cse.c hmrfpo_enable_msg / _resp). */
export const HmrfpoEnableRequest = struct('HMRFPO_ENABLE request', { nonce: bytes(8) });
export const HmrfpoEnableResponse = struct('HMRFPO_ENABLE response', {
  fctBase: u32(), // 0x00 factory data area, 0 on client SKUs
  fctLimit: u32(), // 0x04
  status: u8(), // 0x08 0 success, 1 locked
  reserved: bytes(3), // 0x09
});
export const HmrfpoGetStatusResponse = struct('HMRFPO_GET_STATUS response', { status: u8(), reserved: bytes(3) });

/** BUP_COMMON GET_BOOT_PARTITION_INFO (coreboot cse_lite.h). */
export const GetBootPartitionInfoRequest = struct('GET_BOOT_PARTITION_INFO request', { reserved: bytes(4) });
export const BootPartitionEntry = struct('cse_bp_entry', {
  major: u16(), minor: u16(), hotfix: u16(), build: u16(), // 0x00 fw_version
  status: u32(), // 0x08
  startOffset: u32(), // 0x0C within the ME region
  endOffset: u32(), // 0x10
  reserved: bytes(12), // 0x14
});
export const BOOT_PARTITION_SLOTS = 3;
export const GetBootPartitionInfoResponse = struct('GET_BOOT_PARTITION_INFO response', {
  totalNumberOfBp: u8(), // 0x00
  currentBp: u8(), // 0x01 0 RO (recovery), 1 RW
  nextBp: u8(), // 0x02
  flags: u8(), // 0x03 bit 0 redundancy
  entries: bytes(BOOT_PARTITION_SLOTS * BootPartitionEntry.size), // 0x04 3 × cse_bp_entry
});
export const SetBootPartitionInfoRequest = struct('SET_BOOT_PARTITION_INFO request', { nextBp: u8(), reserved: bytes(3) });

/** CBM GLOBAL_RESET (coreboot cse.c reset_message). */
export const GlobalResetRequest = struct('GLOBAL_RESET request', { requestOrigin: u8(), resetType: u8() });
