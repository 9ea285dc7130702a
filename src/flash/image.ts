/**
 * Assembles a whole SPI flash image from the design record's default layout (docs/design/0001):
 * descriptor, GbE region, the caller's ME region, and a BIOS region with an FMAP at its base and a
 * UEFI firmware volume (ending in the Volume Top File) at its top. Unwritten bytes are erased (0xFF).
 *
 * API:
 *   assembleImage({ sizeBytes, meRegion, gbeRegion?, biosPayload?, access? }): Uint8Array
 *   regionBytes(image, name): Uint8Array — a view (not a copy) of one region
 *   imageRegions(image): FlashRegion[] — the used regions, in address order
 */
import { buildDescriptor, defaultLayout, parseDescriptor, findRegion, type FlashRegion, type RegionName } from './descriptor.js';
import { buildFmap, fmapForRegions, FMAP_AREA_SIZE } from './fmap.js';
import { buildFirmwareVolume } from './uefi-volume.js';
import { buildGbeRegion } from './gbe.js';
import { FlashRangeError } from './errors.js';

/** Size of the default BIOS firmware volume at the top of flash. */
export const DEFAULT_BIOS_VOLUME_SIZE = 0x10000;

export interface AssembleOptions {
  /** 8 MiB or 16 MiB (the sizes the default layout exists for). */
  readonly sizeBytes: number;
  /** ME region contents; shorter input is followed by erased bytes. */
  readonly meRegion: Uint8Array;
  /** GbE region contents (default: `buildGbeRegion()`). */
  readonly gbeRegion?: Uint8Array;
  /** Bytes placed at the top of the BIOS region (default: a minimal UEFI volume with a VTF). */
  readonly biosPayload?: Uint8Array;
  readonly access?: 'locked' | 'unlocked';
}

export function assembleImage(options: AssembleOptions): Uint8Array {
  const layout = defaultLayout(options.sizeBytes);
  const image = new Uint8Array(options.sizeBytes).fill(0xff);
  image.set(buildDescriptor({ sizeBytes: options.sizeBytes, regions: layout, access: options.access ?? 'locked' }), 0);
  const place = (name: RegionName, data: Uint8Array, atTop = false): void => {
    const region = layout.find((r) => r.name === name);
    if (!region) throw new FlashRangeError(`layout has no region ${name}`);
    const size = region.limit - region.base + 1;
    if (data.length > size) throw new FlashRangeError(`${name} region data is ${data.length} bytes, the region holds ${size}`, { region: name });
    image.set(data, atTop ? region.limit + 1 - data.length : region.base);
  };
  place('gbe', options.gbeRegion ?? buildGbeRegion());
  place('me', options.meRegion);
  const bios = layout.find((r) => r.name === 'bios');
  if (!bios) throw new FlashRangeError('layout has no BIOS region');
  const payload = options.biosPayload ?? buildFirmwareVolume({ size: DEFAULT_BIOS_VOLUME_SIZE });
  if (payload.length > bios.limit + 1 - bios.base - FMAP_AREA_SIZE) throw new FlashRangeError(`BIOS payload of ${payload.length} bytes leaves no room for the FMAP`, { region: 'bios' });
  image.set(buildFmap(fmapForRegions(layout, options.sizeBytes, bios.base)), bios.base);
  place('bios', payload, true);
  return image;
}

/** A view of one region of a flash image. @throws DecodeError (bad descriptor) or FlashRangeError (no such region) */
export function regionBytes(image: Uint8Array, name: RegionName): Uint8Array {
  const region = findRegion(parseDescriptor(image), name);
  return image.subarray(region.base, region.limit + 1);
}

/** The used regions of an image, in address order. */
export function imageRegions(image: Uint8Array): FlashRegion[] {
  return parseDescriptor(image).regions.filter((r) => r.used).sort((a, b) => a.base - b.base);
}
