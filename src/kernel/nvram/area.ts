/**
 * The partition's two areas: geometry, reading and writing the MAC'd area header, and erased-state
 * checks. An area is valid only when its whole header parses, matches the geometry and its MAC holds.
 */
import { DecodeError } from '../../codec/index.js';
import { NvramError } from './errors.js';
import { AreaHeader, FORMAT_VERSION, MAC_SIZE, type AreaHeaderValue } from './format.js';
import { computeMac, macEquals } from './mac.js';
import { ERASED_BYTE, type PartitionStore } from './store.js';

export type AreaNumber = 0 | 1;

export class PartitionLayout {
  readonly areaSize: number;

  constructor(readonly size: number, readonly sectorSize: number) {
    const ok = Number.isInteger(size) && Number.isInteger(sectorSize) && sectorSize > 0 && size % (2 * sectorSize) === 0 && size / 2 >= 4096 && size <= 2 ** 32;
    if (!ok) {
      throw new NvramError('VME_ERR_NVRAM_ARGUMENT', `partition of ${size} bytes cannot hold two areas of whole ${sectorSize}-byte sectors (≥ 4 KiB each)`, { size, sectorSize });
    }
    this.areaSize = size / 2;
  }

  areaOffset(area: AreaNumber): number {
    return area * this.areaSize;
  }

  areaEnd(area: AreaNumber): number {
    return this.areaOffset(area) + this.areaSize;
  }

  /** Bytes available for records in one area. */
  get capacity(): number {
    return this.areaSize - AreaHeader.size;
  }
}

export const otherArea = (area: AreaNumber): AreaNumber => (area === 0 ? 1 : 0);

export type AreaState =
  | { readonly kind: 'erased' }
  | { readonly kind: 'invalid'; readonly reason: string }
  | { readonly kind: 'valid'; readonly header: AreaHeaderValue };

const MAC_AT = AreaHeader.offsetOf('mac');

export function encodeAreaHeader(key: Buffer, layout: PartitionLayout, area: AreaNumber, fields: { generation: number; baseSequence: number; snapshotEnd: number }): Uint8Array {
  const out = AreaHeader.serialize(AreaHeader.defaults({
    version: FORMAT_VERSION, headerSize: AreaHeader.size, areaSize: layout.areaSize, ...fields,
  }));
  out.set(computeMac(key, 'area', layout.areaOffset(area), out.subarray(0, MAC_AT)), MAC_AT);
  return out;
}

export function inspectArea(store: PartitionStore, key: Buffer, layout: PartitionLayout, area: AreaNumber): AreaState {
  const raw = store.read(layout.areaOffset(area), AreaHeader.size);
  if (raw.every((b) => b === ERASED_BYTE)) return { kind: 'erased' };
  let header: AreaHeaderValue;
  try {
    header = AreaHeader.parse(raw, 0, layout.areaOffset(area));
  } catch (e) {
    if (e instanceof DecodeError) return { kind: 'invalid', reason: e.message };
    throw e;
  }
  const problem = headerProblem(header, layout);
  if (problem) return { kind: 'invalid', reason: problem };
  const mac = computeMac(key, 'area', layout.areaOffset(area), raw.subarray(0, MAC_AT));
  if (!macEquals(mac, raw.subarray(MAC_AT, MAC_AT + MAC_SIZE))) return { kind: 'invalid', reason: 'area header MAC mismatch' };
  return { kind: 'valid', header };
}

function headerProblem(header: AreaHeaderValue, layout: PartitionLayout): string | undefined {
  if (header.version !== FORMAT_VERSION) return `format version ${header.version}, expected ${FORMAT_VERSION}`;
  if (header.headerSize !== AreaHeader.size) return `header size ${header.headerSize}, expected ${AreaHeader.size}`;
  if (header.areaSize !== layout.areaSize) return `area size ${header.areaSize}, expected ${layout.areaSize}`;
  if (header.snapshotEnd < AreaHeader.size || header.snapshotEnd > layout.areaSize) return `snapshot end ${header.snapshotEnd} outside the area`;
  if (header.reserved.some((b) => b !== 0)) return 'reserved bytes not zero';
  return undefined;
}

const ERASED_CHUNK = Buffer.alloc(64 * 1024, ERASED_BYTE);

/** Absolute offset of the first byte in the range that is not erased, or -1. */
export function firstNonErased(store: PartitionStore, offset: number, length: number): number {
  const chunk = Math.min(store.sectorSize, ERASED_CHUNK.length);
  for (let at = offset; at < offset + length; at += chunk) {
    const bytes = store.read(at, Math.min(chunk, offset + length - at));
    if (ERASED_CHUNK.compare(bytes, 0, bytes.length, 0, bytes.length) === 0) continue;
    return at + bytes.findIndex((b) => b !== ERASED_BYTE);
  }
  return -1;
}

/** Erases an area sector by sector, first sector (the header) first, skipping blank sectors. */
export function eraseArea(store: PartitionStore, layout: PartitionLayout, area: AreaNumber): void {
  const start = layout.areaOffset(area);
  for (let at = start; at < start + layout.areaSize; at += store.sectorSize) {
    if (firstNonErased(store, at, store.sectorSize) >= 0) store.erase(at, store.sectorSize);
  }
}
