/**
 * The chipset-to-ROM step shared by every boot path: locate the ME region (through the flash
 * descriptor; the caller decides how the bytes are read), log it, then run the ROM. A region that
 * cannot be located leaves the engine down with the reason in the boot log; never throws.
 */
import { DecodeError } from '../codec/index.js';
import type { BootLogEntry } from './boot-log.js';
import { romBoot, type RomBootResult } from './boot.js';
import type { RomFuses } from './verify.js';

export interface LocatedMeRegion {
  /** Absolute offset of the ME region in the flash image. */
  readonly base: number;
  readonly bytes: Uint8Array;
  /** How the region was found and read, for the boot log (e.g. "read as the ME master"). */
  readonly how: string;
}

const hex = (n: number): string => `0x${n.toString(16).toUpperCase()}`;

/** Locate the ME region with `locate` (which may throw a DecodeError), then boot it through the ROM. */
export function bootLocatedRegion(locate: () => LocatedMeRegion, fuses: RomFuses): RomBootResult & { region?: LocatedMeRegion } {
  let region: LocatedMeRegion;
  try {
    region = locate();
  } catch (error) {
    const problem = error instanceof DecodeError ? error.problem : undefined;
    const entry = (check: 'descriptor' | 'decision', message: string, extra: Partial<BootLogEntry> = {}): BootLogEntry =>
      ({ stage: 'rom', partition: null, check, ok: false, message, ...extra });
    const where = problem ? { offset: problem.offset, ...(problem.expected ? { expected: problem.expected } : {}), ...(problem.actual ? { actual: problem.actual } : {}) } : {};
    return {
      state: 'down', partition: null, verdicts: [],
      log: [entry('descriptor', (error as Error).message, where), entry('decision', 'engine stays down: the flash descriptor does not locate a readable ME region')],
    };
  }
  const first: BootLogEntry = {
    stage: 'rom', partition: null, check: 'descriptor', ok: true, offset: 0x10,
    message: `ME region ${hex(region.base)}-${hex(region.base + region.bytes.length - 1)} ${region.how}`,
  };
  const result = romBoot(region.bytes, fuses, { regionBase: region.base });
  return { ...result, log: [first, ...result.log], region };
}
