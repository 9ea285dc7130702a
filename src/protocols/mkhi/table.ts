/**
 * MKHI dispatch table: per command its request body and reply layouts (size checks and the
 * reference doc derive from it), and the pre-boot policy with the reply each command gets after
 * End-of-POST.
 */
import type { AnyStruct } from '../pthi/table.js';
import { HMRFPO_STATUS, MKHI_RESULT, type MkhiCommandName } from './constants.js';
import type { MkhiReply } from './handlers.js';
import * as m from './messages.js';

export interface MkhiMessageSpec {
  /** Request body after the header; none = header only. */
  readonly request?: AnyStruct;
  /** Reply data after the header; none = header only. */
  readonly response?: AnyStruct;
}

export const MKHI_MESSAGES: Readonly<Record<MkhiCommandName, MkhiMessageSpec>> = {
  globalReset: { request: m.GlobalResetRequest },
  getRule: { request: m.GetRuleRequest, response: m.GetRuleResponse },
  hmrfpoEnable: { request: m.HmrfpoEnableRequest, response: m.HmrfpoEnableResponse },
  hmrfpoGetStatus: { response: m.HmrfpoGetStatusResponse },
  getBootPartitionInfo: { request: m.GetBootPartitionInfoRequest, response: m.GetBootPartitionInfoResponse },
  setBootPartitionInfo: { request: m.SetBootPartitionInfoRequest },
  dataClear: {},
  getFwVersion: { response: m.GetFwVersionResponse },
  endOfPost: { response: m.EndOfPostResponse },
  getEopState: { response: m.GetEopStateResponse },
};

/**
 * Commands legitimate only before End-of-POST and their reply after it.
 * - hmrfpoEnable: coreboot cse.h says HMRFPO_ENABLE "is only valid before EOP", and defines
 *   status 1 MKHI_HMRFPO_LOCKED ("ME Firmware locked down HMRFPO Feature"): result 0, status 1.
 * - the others (a second END_OF_POST; boot partition switch, data clear and global reset, which
 *   coreboot only issues before EOP): result 0x01 MKHI_STATUS_INVALID_STATE (intel/lms
 *   MKHIErrorException.h). Neither the brief nor these sources state the firmware's exact
 *   post-EOP result for them; this value is our inference.
 */
export const MKHI_PRE_BOOT_ONLY: Readonly<Partial<Record<MkhiCommandName, MkhiReply>>> = {
  hmrfpoEnable: { result: MKHI_RESULT.success, data: m.HmrfpoEnableResponse.serialize({ fctBase: 0, fctLimit: 0, status: HMRFPO_STATUS.locked, reserved: new Uint8Array(3) }) },
  endOfPost: { result: MKHI_RESULT.invalidState },
  setBootPartitionInfo: { result: MKHI_RESULT.invalidState },
  dataClear: { result: MKHI_RESULT.invalidState },
  globalReset: { result: MKHI_RESULT.invalidState },
};
