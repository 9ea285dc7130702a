/**
 * Booting a whole flash image: the chipset reads the flash descriptor to find the ME region, then
 * the ROM verifies the firmware in it against the fuses. Never throws on a bad image: every
 * problem becomes a failed boot-log entry and the engine stays down.
 */
import { parseDescriptor, findRegion, type Descriptor } from '../flash/index.js';
import { romBoot, type RomBootResult, type RomFuses, type BootLogEntry } from '../rom/index.js';
import { DecodeError } from '../codec/index.js';

export interface ImageBootResult extends RomBootResult {
  descriptor?: Descriptor;
  meRegion?: { base: number; size: number };
}

const hex = (n: number): string => `0x${n.toString(16).toUpperCase()}`;

function descriptorFailure(err: unknown): ImageBootResult {
  const p = err instanceof DecodeError ? err.problem : undefined;
  const entry = (check: 'descriptor' | 'decision', message: string, extra: Partial<BootLogEntry> = {}): BootLogEntry =>
    ({ stage: 'rom', partition: null, check, ok: false, message, ...extra });
  const log = [
    entry('descriptor', err instanceof Error ? err.message : String(err), p ? { offset: p.offset, ...(p.expected ? { expected: p.expected } : {}), ...(p.actual ? { actual: p.actual } : {}) } : {}),
    entry('decision', 'engine stays down: the flash descriptor does not locate an ME region'),
  ];
  return { state: 'down', partition: null, verdicts: [], log };
}

/** Boot `image` against `fuses`: descriptor → ME region → ROM (NFTP, else FTPR, else down). */
export function bootImage(image: Uint8Array, fuses: RomFuses): ImageBootResult {
  let descriptor: Descriptor;
  let base: number;
  let size: number;
  try {
    descriptor = parseDescriptor(image);
    const me = findRegion(descriptor, 'me');
    base = me.base;
    size = me.size;
  } catch (err) {
    return descriptorFailure(err);
  }
  const first: BootLogEntry = {
    stage: 'rom', partition: null, check: 'descriptor', ok: true, offset: 0x10,
    message: `flash descriptor valid (${descriptor.locked ? 'locked' : 'unlocked'}); ME region ${hex(base)}-${hex(base + size - 1)}`,
  };
  const result = romBoot(image.subarray(base, base + size), fuses, { regionBase: base });
  return { ...result, log: [first, ...result.log], descriptor, meRegion: { base, size } };
}
