/**
 * The firmware status words an MEInfo-like tool reads from PCI config space (HFSTS1..6 at 0x40,
 * 0x48, 0x60, 0x64, 0x68, 0x6C). HFSTS1 bit layout: me-internals.md §3.1 (converged-security-suite
 * hfsts.go; coreboot cse.h ME_HFS1_*). HFSTS3 FW SKU (bits 6:4) and values: coreboot cse.h
 * me_fw_sku [bit position from coreboot's me_hfsts3 union, not in the brief]. HFSTS2, 4, 5 and
 * 6 (Boot Guard, §4.5) are reported as 0 by this model.
 */
import { at, bits } from '../../codec/index.js';

export const HFSTS_OFFSETS = { hfsts1: 0x40, hfsts2: 0x48, hfsts3: 0x60, hfsts4: 0x64, hfsts5: 0x68, hfsts6: 0x6c } as const;

export const Hfsts1 = bits('HFSTS1', {
  workingState: at(0, 4), // 5 = normal
  manufacturingMode: at(4),
  fptBad: at(5),
  operatingState: at(6, 3),
  fwInitComplete: at(9),
  ftBupLoaded: at(10),
  updateInProgress: at(11),
  errorCode: at(12, 4),
  operatingMode: at(16, 4), // 0 normal, 3 soft temp disable, 5 SECOVER_MEI_MSG (HMRFPO)
  resetCount: at(20, 4),
  bootOptionPresent: at(24),
  bist: at(25, 3),
});

export const Hfsts3 = bits('HFSTS3', { fwSku: at(4, 3) });

export const WORKING_STATE = { normal: 5 } as const;
export const OPERATING_MODE = { normal: 0, softTemporaryDisable: 3, securityOverrideMeiMessage: 5 } as const;
export const FW_SKU = { consumer: 2, corporate: 3, lite: 5 } as const;

export interface FirmwareStatusInput {
  readonly recovery: boolean;
  readonly hmrfpoEnabled: boolean;
  readonly sku: keyof typeof FW_SKU;
}

/** The six status words for the engine's current state. */
export function firmwareStatus(input: FirmwareStatusInput): Record<keyof typeof HFSTS_OFFSETS, number> {
  const hfsts1 = Hfsts1.pack({
    workingState: WORKING_STATE.normal,
    fwInitComplete: 1,
    ftBupLoaded: input.recovery ? 0 : 1,
    operatingMode: input.hmrfpoEnabled ? OPERATING_MODE.securityOverrideMeiMessage : OPERATING_MODE.normal,
  });
  return { hfsts1, hfsts2: 0, hfsts3: Hfsts3.pack({ fwSku: FW_SKU[input.sku] }), hfsts4: 0, hfsts5: 0, hfsts6: 0 };
}
