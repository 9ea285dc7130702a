/**
 * The ME region (design record 0001): 16 zero bytes of ROM-bypass vector, `$FPT` at 0x10, then
 * the partitions at fixed offsets: FTPR and NFTP (code), MFS and FLOG (data, erased to 0xFF).
 * Everything not written is 0xFF, as erased flash reads.
 */
import { VmeError } from '../common/errors.js';
import { FPT_OFFSET, PartitionType, serializeFpt, parseFpt, type Fpt, type FptPartition } from './fpt.js';

export const ROM_BYPASS_LENGTH = 16;

/** The partition layout of the design record (offsets from the start of the ME region). */
export const ME_LAYOUT: readonly FptPartition[] = [
  { name: 'FTPR', offset: 0x01000, size: 0x80000, type: PartitionType.code },
  { name: 'NFTP', offset: 0x81000, size: 0x100000, type: PartitionType.code },
  { name: 'MFS', offset: 0x181000, size: 0x80000, type: PartitionType.data },
  { name: 'FLOG', offset: 0x201000, size: 0x10000, type: PartitionType.data },
];

/** The layout entry for `name` (throws for a name not in ME_LAYOUT). */
export function layoutOf(name: string): FptPartition {
  const entry = ME_LAYOUT.find((p) => p.name === name);
  if (!entry) throw new RangeError(`no partition ${name} in the ME layout`);
  return entry;
}

export interface MeRegionOptions {
  regionSize: number;
  /** Code partitions (at most their layout size; shorter ones are padded with 0xFF). */
  ftpr: Uint8Array;
  nftp: Uint8Array;
  /** Initial contents of the data partitions (default: erased). */
  mfs?: Uint8Array;
  flog?: Uint8Array;
}

/** Assemble an ME region. @throws VmeError VME_ERR_ME_BUILD when a part does not fit. */
export function buildMeRegion(opts: MeRegionOptions): Uint8Array {
  const end = Math.max(...ME_LAYOUT.map((p) => p.offset + p.size));
  if (opts.regionSize < end) throw new VmeError('VME_ERR_ME_BUILD', `ME region of 0x${opts.regionSize.toString(16)} bytes is smaller than the layout (0x${end.toString(16)})`);
  const region = new Uint8Array(opts.regionSize).fill(0xff);
  region.fill(0, 0, ROM_BYPASS_LENGTH);
  region.set(serializeFpt(ME_LAYOUT), FPT_OFFSET);
  const contents: Record<string, Uint8Array | undefined> = { FTPR: opts.ftpr, NFTP: opts.nftp, MFS: opts.mfs, FLOG: opts.flog };
  for (const p of ME_LAYOUT) {
    const data = contents[p.name];
    if (!data) continue;
    if (data.length > p.size) throw new VmeError('VME_ERR_ME_BUILD', `${p.name} is 0x${data.length.toString(16)} bytes; its partition holds 0x${p.size.toString(16)}`);
    region.set(data, p.offset);
  }
  return region;
}

export interface MePartitionSlice extends FptPartition {
  /** A view of the partition's bytes inside the region. */
  readonly bytes: Uint8Array;
}

export interface ParsedMeRegion {
  readonly fpt: Fpt;
  readonly partitions: readonly MePartitionSlice[];
}

/**
 * Parse the region's `$FPT` and slice out every valid partition (contents are not parsed).
 * @throws DecodeError with offsets absolute to `regionBase`.
 */
export function parseMeRegion(region: Uint8Array, regionBase = 0): ParsedMeRegion {
  const fpt = parseFpt(region, regionBase);
  const partitions = fpt.partitions.filter((p) => p.valid).map((p) => ({
    name: p.name, offset: p.offset, size: p.size, type: p.type, bytes: region.subarray(p.offset, p.offset + p.size),
  }));
  return { fpt, partitions };
}
