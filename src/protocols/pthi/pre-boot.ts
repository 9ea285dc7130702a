/**
 * PTHI commands legitimate only before End-of-POST, and the status they get after it.
 *
 * Neither the brief (§5.3) nor its sources (rpc-go, MeshCentral, intel/lms) mark any AMTHI command
 * as BIOS-only — the OS tools call all the commands they use after End-of-POST, so none of those
 * may be here. This table is our inference: RNG seed generation is a platform-boot duty in this
 * model. The status is AMT_STATUS_NOT_PERMITTED (16, brief §5.3; intel/lms
 * StatusCodeDefinitions.h: "the requesting application is not permitted to request execution of
 * the specified operation"); the exact value real firmware returns is unverified.
 */
import { AMT_STATUS, type PthiCommandName } from './constants.js';

export const PTHI_PRE_BOOT_ONLY: Readonly<Partial<Record<PthiCommandName, number>>> = {
  generateRngSeed: AMT_STATUS.notPermitted,
};
