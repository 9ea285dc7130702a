/**
 * Booting a whole flash image held in memory: the chipset reads the flash descriptor to find the
 * ME region, then the ROM verifies the firmware in it against the fuses. Never throws on a bad
 * image: every problem becomes a failed boot-log entry and the engine stays down.
 */
import { parseDescriptor, findRegion, type Descriptor } from '../flash/index.js';
import { bootLocatedRegion, type RomBootResult, type RomFuses } from '../rom/index.js';

export interface ImageBootResult extends RomBootResult {
  descriptor?: Descriptor;
  meRegion?: { base: number; size: number };
}

/** Boot `image` against `fuses`: descriptor → ME region → ROM (NFTP, else FTPR, else down). */
export function bootImage(image: Uint8Array, fuses: RomFuses): ImageBootResult {
  let descriptor: Descriptor | undefined;
  const { region, ...result } = bootLocatedRegion(() => {
    descriptor = parseDescriptor(image);
    const me = findRegion(descriptor, 'me');
    return { base: me.base, bytes: image.subarray(me.base, me.base + me.size), how: `(descriptor ${descriptor.locked ? 'locked' : 'unlocked'})` };
  }, fuses);
  return { ...result, ...(descriptor ? { descriptor } : {}), ...(region ? { meRegion: { base: region.base, size: region.bytes.length } } : {}) };
}
