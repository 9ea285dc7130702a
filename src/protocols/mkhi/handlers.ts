/** MKHI command handlers: body in (checked against the declared size), result and reply data out. */
import { splitVersion } from '../pthi/platform.js';
import { BOOT_PARTITION_STATUS, EOP_ACTION, FEATURE_BIT, FWCAPS_RULE, HMRFPO_STATUS, MKHI_RESULT, type MkhiCommandName } from './constants.js';
import * as m from './messages.js';
import type { MkhiServerOptions, MkhiVolatile } from './platform.js';

export interface MkhiReply {
  readonly result: number;
  readonly data?: Uint8Array;
}
export interface MkhiContext extends MkhiServerOptions {
  readonly volatile: MkhiVolatile;
}
export type MkhiHandler = (body: Uint8Array, context: MkhiContext) => MkhiReply;

const ok = (data?: Uint8Array): MkhiReply => (data ? { result: MKHI_RESULT.success, data } : { result: MKHI_RESULT.success });

/** GEN GET_FW_VERSION (0xFF/0x02), brief §5.4, me-internals §3.6. Request: header. Reply: code, recovery, FITC {minor, major, build, hotfix} u16. */
const getFwVersion: MkhiHandler = (_body, { platform }) => {
  const code = splitVersion(platform.firmware.version);
  const recovery = splitVersion(platform.firmware.recoveryVersion ?? platform.firmware.version);
  const fitc = splitVersion(platform.firmware.fitcVersion ?? platform.firmware.version);
  return ok(m.GetFwVersionResponse.serialize({
    codeMinor: code.minor, codeMajor: code.major, codeBuild: code.build, codeHotfix: code.hotfix,
    recoveryMinor: recovery.minor, recoveryMajor: recovery.major, recoveryBuild: recovery.build, recoveryHotfix: recovery.hotfix,
    fitcMinor: fitc.minor, fitcMajor: fitc.major, fitcBuild: fitc.build, fitcHotfix: fitc.hotfix,
  }));
};

/** GEN END_OF_POST (0xFF/0x0C), brief §5.4. Request: header. Reply: requested_actions u32 (0 continue). Pre-boot only. */
const endOfPost: MkhiHandler = (_body, { onEndOfPost }) => {
  onEndOfPost();
  return ok(m.EndOfPostResponse.serialize({ requestedActions: EOP_ACTION.continueBoot }));
};

/** GEN GET_EOP_STATE (0xFF/0x1D), intel/lms GetEOPStateCommand.h. Request: header. Reply: EopState u8 (1 after EOP), 3 reserved. */
const getEopState: MkhiHandler = (_body, { platform }) =>
  ok(m.GetEopStateResponse.serialize({ eopState: platform.isEndOfPost() ? 1 : 0, reserved: new Uint8Array(3) }));

/**
 * FWCAPS GET_RULE (0x03/0x02), brief §5.4 "get FW feature state". Request: rule id u32. Reply:
 * rule id u32, data length u8 (4), data u32. Rules 0 (SKU capable) and 0x20 (feature state) give
 * the feature bits; 7 the FW update state. Other rules: INVALID_PARAMS.
 */
const getRule: MkhiHandler = (body, { platform }) => {
  const { ruleId } = m.GetRuleRequest.parse(body);
  const features = platform.features().reduce((word, name) => (word | (1 << FEATURE_BIT[name])) >>> 0, 0);
  const data = ruleId === FWCAPS_RULE.fwSku || ruleId === FWCAPS_RULE.featureState ? features
    : ruleId === FWCAPS_RULE.fwUpdate ? (platform.firmwareUpdateEnabled ? 1 : 0) : undefined;
  if (data === undefined) return { result: MKHI_RESULT.invalidParams };
  return ok(m.GetRuleResponse.serialize({ ruleId, ruleDataLength: 4, ruleData: data }));
};

/** HMRFPO ENABLE (0x05/0x01), brief §5.4. Request: nonce[8]. Reply: fct_base, fct_limit u32, status u8, 3 reserved. Pre-boot only. */
const hmrfpoEnable: MkhiHandler = (_body, { volatile }) => {
  volatile.hmrfpoEnabled = true;
  return ok(m.HmrfpoEnableResponse.serialize({ fctBase: 0, fctLimit: 0, status: 0, reserved: new Uint8Array(3) }));
};

/** HMRFPO GET_STATUS (0x05/0x03), brief §5.4. Request: header. Reply: status u8 (0 disabled, 1 locked after EOP, 2 enabled), 3 reserved. */
const hmrfpoGetStatus: MkhiHandler = (_body, { platform, volatile }) => {
  const status = volatile.hmrfpoEnabled ? HMRFPO_STATUS.enabled : platform.isEndOfPost() ? HMRFPO_STATUS.locked : HMRFPO_STATUS.disabled;
  return ok(m.HmrfpoGetStatusResponse.serialize({ status, reserved: new Uint8Array(3) }));
};

/** BUP_COMMON GET_BOOT_PARTITION_INFO (0xF0/0x1C), brief §5.4. Request: 4 reserved. Reply: count, current, next, flags u8, 3 × cse_bp_entry. */
const getBootPartitionInfo: MkhiHandler = (_body, { platform, volatile }) => {
  const current = platform.partition === 'FTPR' ? 0 : 1;
  const entries = new Uint8Array(m.BOOT_PARTITION_SLOTS * m.BootPartitionEntry.size);
  (['FTPR', 'NFTP'] as const).forEach((name, index) => {
    const version = splitVersion(name === 'FTPR' ? platform.firmware.recoveryVersion ?? platform.firmware.version : platform.firmware.version);
    const range = platform.partitionRanges?.[name] ?? { start: 0, end: 0 };
    m.BootPartitionEntry.serialize({ ...version, status: BOOT_PARTITION_STATUS.success, startOffset: range.start, endOffset: range.end, reserved: new Uint8Array(12) }, entries, index * m.BootPartitionEntry.size);
  });
  return ok(m.GetBootPartitionInfoResponse.serialize({ totalNumberOfBp: 2, currentBp: current, nextBp: volatile.nextBootPartition ?? current, flags: 1, entries }));
};

/** BUP_COMMON SET_BOOT_PARTITION_INFO (0xF0/0x1D), brief §5.4. Request: next_bp u8, 3 reserved. Reply: header. Pre-boot only. */
const setBootPartitionInfo: MkhiHandler = (body, { volatile }) => {
  const { nextBp } = m.SetBootPartitionInfoRequest.parse(body);
  if (nextBp > 1) return { result: MKHI_RESULT.invalidParams };
  volatile.nextBootPartition = nextBp;
  return ok();
};

/** BUP_COMMON DATA_CLEAR (0xF0/0x20), brief §5.4. Request: header. Reply: header. Pre-boot only. */
const dataClear: MkhiHandler = (_body, { onDataClear }) => {
  onDataClear?.();
  return ok();
};

/** CBM GLOBAL_RESET (0x00/0x0B), brief §5.4. Request: origin u8, reset type u8 (1 global, 3 CSE only). Reply: header. Pre-boot only. */
const globalReset: MkhiHandler = (body, { onGlobalReset }) => {
  const { resetType } = m.GlobalResetRequest.parse(body);
  if (resetType !== 1 && resetType !== 3) return { result: MKHI_RESULT.invalidParams };
  onGlobalReset?.(resetType);
  return ok();
};

export const MKHI_HANDLERS: Readonly<Record<MkhiCommandName, MkhiHandler>> = {
  globalReset, getRule, hmrfpoEnable, hmrfpoGetStatus, getBootPartitionInfo, setBootPartitionInfo, dataClear, getFwVersion, endOfPost, getEopState,
};
