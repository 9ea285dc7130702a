/**
 * coreboot FMAP v1.1 (`__FMAP__`): the flash map `ifdtool -t` compares with the descriptor
 * (brief §8.1). Area offsets are absolute within the flash image.
 *
 * API:
 *   buildFmap({ base?, size, name?, areas }): Uint8Array
 *   fmapForRegions(regions, sizeBytes, fmapOffset): Fmap — SI_DESC, SI_GBE, SI_ME, SI_BIOS (+ SI_PDR/SI_EC) and FMAP
 *   parseFmap(bytes, offset?, base?): Fmap  /  findFmap(image): { offset, fmap } | undefined (its size must be the image's)
 */
import { struct, u8, u16, u32, u64, ascii, magicAscii, parseArray, DecodeError } from '../codec/index.js';
import { FMAP_AREA_FOR_REGION, type RegionName } from './regions.js';

export const FMAP_SIGNATURE = '__FMAP__';
/** Size reserved for the FMAP area at the start of the BIOS region. */
export const FMAP_AREA_SIZE = 0x1000;

export const FmapHeader = struct('FMAP header', {
  signature: magicAscii(FMAP_SIGNATURE), // 0x00
  versionMajor: u8(), // 0x08 = 1
  versionMinor: u8(), // 0x09 = 1
  base: u64(), // 0x0A physical address of the flash (0 for an image)
  size: u32(), // 0x12 flash size in bytes
  name: ascii(32), // 0x16 e.g. "FLASH"
  areaCount: u16(), // 0x36
});

export const FmapArea = struct('FMAP area', {
  offset: u32(), // 0x00 from the start of the flash
  size: u32(), // 0x04
  name: ascii(32), // 0x08
  flags: u16(), // 0x28 FMAP_AREA_* (0 here)
});

export interface FmapAreaSpec {
  readonly name: string;
  readonly offset: number;
  readonly size: number;
  readonly flags?: number;
}

export interface Fmap {
  readonly base: bigint;
  readonly size: number;
  readonly name: string;
  readonly areas: FmapAreaSpec[];
}

/** Serialize an FMAP (header + areas). */
export function buildFmap(fmap: { base?: bigint; size: number; name?: string; areas: readonly FmapAreaSpec[] }): Uint8Array {
  const out = new Uint8Array(FmapHeader.size + FmapArea.size * fmap.areas.length);
  FmapHeader.serialize(FmapHeader.defaults({
    versionMajor: 1, versionMinor: 1, base: fmap.base ?? 0n, size: fmap.size, name: fmap.name ?? 'FLASH', areaCount: fmap.areas.length,
  }), out, 0);
  fmap.areas.forEach((a, i) => FmapArea.serialize({ offset: a.offset, size: a.size, name: a.name, flags: a.flags ?? 0 }, out, FmapHeader.size + i * FmapArea.size));
  return out;
}

/** The FMAP describing a descriptor layout: one SI_* area per region `ifdtool -t` checks, then FMAP. */
export function fmapForRegions(regions: readonly { name: RegionName; base: number; limit: number }[], sizeBytes: number, fmapOffset: number): Fmap {
  const order: RegionName[] = ['fd', 'gbe', 'me', 'pd', 'ec', 'bios'];
  const areas: FmapAreaSpec[] = [];
  for (const name of order) {
    const r = regions.find((x) => x.name === name);
    const areaName = FMAP_AREA_FOR_REGION[name];
    if (r && areaName) areas.push({ name: areaName, offset: r.base, size: r.limit - r.base + 1 });
  }
  areas.push({ name: 'FMAP', offset: fmapOffset, size: FMAP_AREA_SIZE });
  return { base: 0n, size: sizeBytes, name: 'FLASH', areas };
}

/** Parse an FMAP at `offset`; `base` is added to error offsets. @throws DecodeError */
export function parseFmap(bytes: Uint8Array, offset = 0, base = 0): Fmap {
  const header = FmapHeader.parse(bytes, offset, base);
  if (header.versionMajor !== 1) {
    throw new DecodeError({ structure: 'FMAP header', field: 'versionMajor', offset: base + offset + 8, reason: 'unsupported version', expected: '1', actual: String(header.versionMajor) });
  }
  const areasOffset = offset + FmapHeader.size;
  const areas = parseArray(FmapArea, bytes, areasOffset, header.areaCount, base).map((a, i) => {
    if (a.offset + a.size > header.size) {
      throw new DecodeError({
        structure: `FMAP area ${i} (${a.name})`, field: 'size', offset: base + areasOffset + i * FmapArea.size + 4, reason: 'area outside the flash',
        expected: `offset + size <= 0x${header.size.toString(16)}`, actual: `0x${(a.offset + a.size).toString(16)}`,
      });
    }
    return { name: a.name, offset: a.offset, size: a.size, flags: a.flags };
  });
  return { base: header.base, size: header.size, name: header.name, areas };
}

/** Locate an FMAP by its signature on a 4 KiB boundary (where vme places it). */
export function findFmap(image: Uint8Array): { offset: number; fmap: Fmap } | undefined {
  const magic = Buffer.from(FMAP_SIGNATURE, 'latin1');
  for (let offset = 0; offset + FmapHeader.size <= image.length; offset += 0x1000) {
    if (Buffer.from(image.buffer, image.byteOffset + offset, magic.length).equals(magic)) return { offset, fmap: checkFlashSize(parseFmap(image, offset), image.length, offset) };
  }
  return undefined;
}

/** An FMAP found in an image must describe that image: otherwise its areas could lie outside it. */
function checkFlashSize(fmap: Fmap, imageSize: number, offset: number): Fmap {
  if (fmap.size !== imageSize) {
    throw new DecodeError({ structure: 'FMAP header', field: 'size', offset: offset + FmapHeader.offsetOf('size'), reason: 'flash size does not match the image', expected: `0x${imageSize.toString(16)}`, actual: `0x${fmap.size.toString(16)}` });
  }
  return fmap;
}
