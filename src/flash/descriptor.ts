/**
 * Intel Flash Descriptor IFD v2 (Sunrise Point layout): strict parse, build, lock and unlock.
 * The binary layout is declared once in `descriptor-layout.ts`.
 *
 * API:
 *   parseDescriptor(bytes, { imageSize? }): Descriptor   — regions, per-master access, density, `locked`
 *   buildDescriptor({ sizeBytes, regions, access? }): Uint8Array (4 KiB)
 *   lockDescriptor(bytes) / unlockDescriptor(bytes): Uint8Array — same FLMSTR results as `ifdtool -p sklkbl -l / -u`
 *   lockedMasterValues(usedRegions): the FLMSTR access bits `ifdtool -l` writes for that region set
 *   defaultLayout(sizeBytes): the design record's layout for 8 and 16 MiB images
 *   findRegion(descriptor, name): FlashRegion (throws FlashRangeError when missing or unused)
 *
 * `bytes` may be a whole image or just its first 4 KiB; `imageSize` (default `bytes.length`) is the
 * size the regions and the FLCOMP density are checked against. Every malformed input raises one
 * `DecodeError` naming structure, field, absolute offset, expected and actual values.
 */
import { DecodeError } from '../codec/index.js';
import { VmeError } from '../common/errors.js';
import { FlashRangeError } from './errors.js';
import {
  DESCRIPTOR_SIZE, FLVALSIG, SIGNATURE_OFFSET, FLUMAP1_OFFSET, REGION_COUNT, REGION_REGISTERS_WRITTEN, FLREG_UNUSED, PCH_STRAP_COUNT,
  CLOCK_17MHZ, DENSITY_UNUSED, DescriptorMap, ComponentSection, MasterSection, RegionRegister, StrapRegister, UpperMap,
  FLMAP0, FLMAP1, FLMAP2, FLCOMP, FLREG, FLMSTR, PCHSTRP0, densityBytes,
} from './descriptor-layout.js';
import { REGION_NAMES, MASTER_NAMES, MASTER_REGISTER, regionIndex, type RegionName, type Master } from './regions.js';

export { DESCRIPTOR_SIZE } from './descriptor-layout.js';
export type { RegionName, Master } from './regions.js';

export interface FlashRegion {
  readonly index: number;
  readonly name: RegionName;
  /** First byte (absolute); meaningful only when `used`. */
  readonly base: number;
  /** Last byte, inclusive. */
  readonly limit: number;
  readonly size: number;
  /** false for the canonical unused encoding (base > limit, e.g. 0x00007FFF). */
  readonly used: boolean;
  /** The FLREG register value. */
  readonly raw: number;
}

export interface MasterAccess {
  readonly master: Master;
  readonly register: 'FLMSTR1' | 'FLMSTR2' | 'FLMSTR3' | 'FLMSTR5';
  readonly raw: number;
  readonly read: RegionName[];
  readonly write: RegionName[];
}

export interface DescriptorMapInfo {
  readonly componentBase: number;
  readonly componentCount: number;
  readonly regionBase: number;
  readonly masterBase: number;
  readonly masterCount: number;
  readonly pchStrapBase: number;
  readonly pchStrapLength: number;
  readonly processorStrapBase: number;
  readonly processorStrapLength: number;
  readonly iccriba: number;
}

export interface Descriptor {
  readonly imageSize: number;
  readonly map: DescriptorMapInfo;
  readonly flcomp: number;
  /** Component sizes in bytes (1 or 2 components); their sum equals `imageSize`. */
  readonly components: number[];
  /** FLREG0..11, used or not, in index order. */
  readonly regions: FlashRegion[];
  readonly masters: Record<Master, MasterAccess>;
  /** FLMSTR4 (no requester uses it; kept for round trips). */
  readonly flmstr4: number;
  readonly pchStraps: number[];
  /** PCHSTRP0 bit 16, the HAP ME-disable strap. */
  readonly hap: boolean;
  /** Master access equals what `ifdtool -p sklkbl -l` writes for this region set. */
  readonly locked: boolean;
}

export interface RegionSpec {
  readonly name: RegionName;
  readonly base: number;
  /** Inclusive last byte. */
  readonly limit: number;
}

export interface DescriptorSpec {
  readonly sizeBytes: number;
  readonly regions: readonly RegionSpec[];
  /** 'locked' (default, what real parts ship) or 'unlocked' (`ifdtool -u`). */
  readonly access?: 'locked' | 'unlocked';
}

const hex = (n: number, width = 8): string => `0x${n.toString(16).toUpperCase().padStart(width, '0')}`;
const problem = (structure: string, field: string, offset: number, reason: string, expected?: string, actual?: string): DecodeError =>
  new DecodeError({ structure, field, offset, reason, ...(expected !== undefined ? { expected, actual } : {}) });

// ---- parsing ---------------------------------------------------------------------------------

/** Parse and validate a descriptor. @throws DecodeError on any structural problem. */
export function parseDescriptor(bytes: Uint8Array, options: { imageSize?: number } = {}): Descriptor {
  const imageSize = options.imageSize ?? bytes.length;
  if (bytes.length < DESCRIPTOR_SIZE) {
    throw problem('flash descriptor', '(whole)', 0, 'truncated', `${DESCRIPTOR_SIZE} bytes`, `${bytes.length} bytes`);
  }
  const map = readMap(bytes);
  const { flcomp, components } = readComponents(bytes, map, imageSize);
  const regions = readRegions(bytes, map);
  checkRegions(regions, map, imageSize);
  const masterValues = MasterSection.parse(bytes, map.masterBase);
  const masters = Object.fromEntries(MASTER_NAMES.map((m) => [m, decodeMaster(m, masterValues[MASTER_REGISTER[m]])])) as Record<Master, MasterAccess>;
  const pchStraps = Array.from({ length: map.pchStrapLength }, (_, i) => StrapRegister.parse(bytes, map.pchStrapBase + 4 * i).strap);
  return {
    imageSize, map, flcomp, components, regions, masters, flmstr4: masterValues.flmstr4, pchStraps,
    hap: pchStraps.length > 0 && PCHSTRP0.get(pchStraps[0] ?? 0, 'hap') === 1,
    locked: isLockPattern(masterValues, usedRegionNames(regions)),
  };
}

/** The used region with this name. @throws FlashRangeError when it is absent. */
export function findRegion(descriptor: Descriptor, name: RegionName): FlashRegion {
  const region = descriptor.regions.find((r) => r.name === name);
  if (!region?.used) throw new FlashRangeError(`region ${name} is not present in this image`, { region: name });
  return region;
}

function readMap(bytes: Uint8Array): DescriptorMapInfo {
  const raw = DescriptorMap.parse(bytes, SIGNATURE_OFFSET);
  const m0 = FLMAP0.unpack(raw.flmap0);
  const m1 = FLMAP1.unpack(raw.flmap1);
  const m2 = FLMAP2.unpack(raw.flmap2);
  if (m0.nc > 1) throw problem('flash descriptor map', 'FLMAP0.NC', 0x14, 'out of range', '0 or 1 (one or two components)', String(m0.nc));
  const map: DescriptorMapInfo = {
    componentBase: m0.fcba << 4, componentCount: m0.nc + 1, regionBase: m0.frba << 4,
    masterBase: m1.fmba << 4, masterCount: m1.nm, pchStrapBase: m1.fpsba << 4, pchStrapLength: m1.psl,
    processorStrapBase: m2.fmsba << 4, processorStrapLength: m2.msl, iccriba: m2.iccriba,
  };
  checkSection('FLMAP0.FCBA', 0x14, map.componentBase, ComponentSection.size);
  checkSection('FLMAP0.FRBA', 0x14, map.regionBase, 4 * REGION_COUNT);
  checkSection('FLMAP1.FMBA', 0x18, map.masterBase, MasterSection.size);
  checkSection('FLMAP1.FPSBA', 0x18, map.pchStrapBase, 4 * map.pchStrapLength);
  checkSection('FLMAP2.FMSBA', 0x1c, map.processorStrapBase, 4 * map.processorStrapLength);
  return map;
}

/** A section pointed to by the map must lie after the map and inside the 4 KiB descriptor. */
function checkSection(field: string, offset: number, base: number, length: number): void {
  const mapEnd = SIGNATURE_OFFSET + DescriptorMap.size;
  if (base < mapEnd || base + length > DESCRIPTOR_SIZE) {
    throw problem('flash descriptor map', field, offset, 'section outside the descriptor',
      `${hex(mapEnd, 3)} <= base and base + ${hex(length, 3)} <= ${hex(DESCRIPTOR_SIZE, 3)}`, hex(base, 3));
  }
}

function readComponents(bytes: Uint8Array, map: DescriptorMapInfo, imageSize: number): { flcomp: number; components: number[] } {
  const { flcomp } = ComponentSection.parse(bytes, map.componentBase);
  const codes = [FLCOMP.get(flcomp, 'comp1Density'), FLCOMP.get(flcomp, 'comp2Density')].slice(0, map.componentCount);
  codes.forEach((code, i) => {
    if (code > 7) throw problem('flash descriptor component section', `FLCOMP.comp${i + 1}Density`, map.componentBase, 'out of range', '0..7 (512 KiB..64 MiB)', hex(code, 1));
  });
  const components = codes.map(densityBytes);
  const total = components.reduce((a, b) => a + b, 0);
  if (total !== imageSize) {
    throw problem('flash descriptor component section', 'FLCOMP.comp1Density', map.componentBase, 'image size does not match density', `${hex(total)} bytes`, `${hex(imageSize)} bytes`);
  }
  return { flcomp, components };
}

function readRegions(bytes: Uint8Array, map: DescriptorMapInfo): FlashRegion[] {
  return REGION_NAMES.slice(0, REGION_COUNT).map((name, index) => {
    const raw = RegionRegister.parse(bytes, map.regionBase + 4 * index).flreg;
    const base = FLREG.get(raw, 'base') * 0x1000;
    const limit = FLREG.get(raw, 'limit') * 0x1000 + 0xfff;
    const used = base <= limit;
    return { index, name, base, limit, size: used ? limit - base + 1 : 0, used, raw };
  });
}

function checkRegions(regions: FlashRegion[], map: DescriptorMapInfo, imageSize: number): void {
  const field = (r: FlashRegion): string => `FLREG${r.index} (${r.name})`;
  const offset = (r: FlashRegion): number => map.regionBase + 4 * r.index;
  const span = (r: FlashRegion): string => `${hex(r.base)}-${hex(r.limit)}`;
  const structure = 'flash descriptor region section';
  const fd = regions[0];
  if (!fd || !fd.used || fd.base !== 0 || fd.limit !== DESCRIPTOR_SIZE - 1) {
    throw problem(structure, 'FLREG0 (fd)', map.regionBase, 'descriptor region not at 0', `${hex(0)}-${hex(DESCRIPTOR_SIZE - 1)}`, fd?.used ? span(fd) : 'unused');
  }
  const used = regions.filter((r) => r.used);
  for (const r of used) {
    if (r.limit >= imageSize) throw problem(structure, field(r), offset(r), 'region outside the image', `limit < ${hex(imageSize)}`, span(r));
  }
  for (const [i, a] of used.entries()) {
    const other = used.slice(0, i).find((b) => a.base <= b.limit && b.base <= a.limit);
    if (other) throw problem(structure, field(a), offset(a), 'regions overlap', `no overlap with ${field(other)} ${span(other)}`, span(a));
  }
}

function decodeMaster(master: Master, raw: number): MasterAccess {
  const names = (mask: number): RegionName[] => REGION_NAMES.filter((_, i) => (mask >>> i) & 1);
  const register = `FLMSTR${MASTER_REGISTER[master].slice(-1)}` as MasterAccess['register'];
  return { master, register, raw, read: names(FLMSTR.get(raw, 'read')), write: names(FLMSTR.get(raw, 'write')) };
}

const usedRegionNames = (regions: FlashRegion[]): Set<RegionName> => new Set(regions.filter((r) => r.used).map((r) => r.name));

// ---- lock / unlock (ifdtool -l / -u for SKL/KBL) ----------------------------------------------

interface LockRule {
  /** The rule applies when this region is used ('always' for the base grants). */
  readonly when: RegionName | 'always';
  readonly master: Master;
  readonly read: readonly RegionName[];
  readonly write: readonly RegionName[];
}

/** What `ifdtool -p sklkbl -l` grants, verified against the tool (brief §1.4). */
const LOCK_RULES: readonly LockRule[] = [
  { when: 'always', master: 'host', read: ['fd', 'bios'], write: ['bios'] },
  { when: 'always', master: 'me', read: ['fd', 'me'], write: ['me'] },
  { when: 'gbe', master: 'host', read: ['gbe'], write: ['gbe'] },
  { when: 'gbe', master: 'me', read: ['gbe'], write: [] },
  { when: 'gbe', master: 'gbe', read: ['fd', 'gbe'], write: ['gbe'] },
  { when: 'pd', master: 'host', read: ['pd'], write: ['pd'] },
  { when: 'ec', master: 'host', read: ['ec'], write: [] },
  { when: 'ec', master: 'ec', read: ['fd', 'ec'], write: ['ec'] },
];

const regionMask = (names: readonly RegionName[]): number => names.reduce((mask, n) => mask | (1 << regionIndex(n)), 0);

/** The FLMSTR values (low byte 0) that `ifdtool -l` writes for a descriptor with these regions used. */
export function lockedMasterValues(used: ReadonlySet<RegionName>): Record<Master, number> {
  const out = { host: 0, me: 0, gbe: 0, ec: 0 };
  for (const rule of LOCK_RULES) {
    if (rule.when !== 'always' && !used.has(rule.when)) continue;
    out[rule.master] = FLMSTR.pack({ read: FLMSTR.get(out[rule.master], 'read') | regionMask(rule.read), write: FLMSTR.get(out[rule.master], 'write') | regionMask(rule.write) });
  }
  return out;
}

type MasterValues = ReturnType<typeof MasterSection.parse>;

function isLockPattern(values: MasterValues, used: ReadonlySet<RegionName>): boolean {
  const expected = lockedMasterValues(used);
  return MASTER_NAMES.every((m) => (values[MASTER_REGISTER[m]] & ~0xff) >>> 0 === expected[m]);
}

function rewriteMasters(bytes: Uint8Array, compute: (master: Master, raw: number, used: ReadonlySet<RegionName>) => number): Uint8Array {
  if (bytes.length < DESCRIPTOR_SIZE) throw problem('flash descriptor', '(whole)', 0, 'truncated', `${DESCRIPTOR_SIZE} bytes`, `${bytes.length} bytes`);
  const map = readMap(bytes);
  const used = usedRegionNames(readRegions(bytes, map));
  const out = Uint8Array.from(bytes);
  const values = MasterSection.parse(out, map.masterBase);
  for (const m of MASTER_NAMES) values[MASTER_REGISTER[m]] = compute(m, values[MASTER_REGISTER[m]], used);
  MasterSection.serialize(values, out, map.masterBase);
  return out;
}

/** A copy with FLMSTR1/2/3/5 set to the `ifdtool -l` pattern (low bytes kept, FLMSTR4 untouched). */
export function lockDescriptor(bytes: Uint8Array): Uint8Array {
  return rewriteMasters(bytes, (m, raw, used) => (lockedMasterValues(used)[m] | (raw & 0xff)) >>> 0);
}

/** A copy with every read/write bit of FLMSTR1/2/3/5 set, as `ifdtool -u` does on IFD v2. */
export function unlockDescriptor(bytes: Uint8Array): Uint8Array {
  return rewriteMasters(bytes, (_m, raw) => (0xffffff00 | (raw & 0xff)) >>> 0);
}

// ---- building ---------------------------------------------------------------------------------

/** Section placement used by the builder (brief §1.6): FCBA 0x30, FRBA 0x40, FMBA 0x80, FPSBA 0x100, FMSBA 0x300. */
const BUILD_MAP = { fcba: 0x03, frba: 0x04, fmba: 0x08, nm: 2, fpsba: 0x10, psl: PCH_STRAP_COUNT, fmsba: 0x30, iccriba: 0x31 } as const;

/** Build a 4 KiB IFD v2 descriptor. @throws VmeError VME_ERR_USAGE for an impossible spec. */
export function buildDescriptor(spec: DescriptorSpec): Uint8Array {
  const densityCode = checkSpec(spec);
  const out = new Uint8Array(DESCRIPTOR_SIZE).fill(0xff);
  DescriptorMap.serialize({
    flvalsig: FLVALSIG,
    flmap0: FLMAP0.pack({ fcba: BUILD_MAP.fcba, nc: 0, frba: BUILD_MAP.frba, nr: 0 }),
    flmap1: FLMAP1.pack({ fmba: BUILD_MAP.fmba, nm: BUILD_MAP.nm, fpsba: BUILD_MAP.fpsba, psl: BUILD_MAP.psl }),
    flmap2: FLMAP2.pack({ fmsba: BUILD_MAP.fmsba, msl: 0, iccriba: BUILD_MAP.iccriba, ril: 0 }),
  }, out, SIGNATURE_OFFSET);
  const clocks = { readClock: CLOCK_17MHZ, fastReadClock: CLOCK_17MHZ, writeEraseClock: CLOCK_17MHZ, readIdStatusClock: CLOCK_17MHZ };
  const flcomp = FLCOMP.pack({ comp1Density: densityCode, comp2Density: DENSITY_UNUSED, ...clocks });
  ComponentSection.serialize({ flcomp, flill: 0, flill1: 0 }, out, BUILD_MAP.fcba << 4);
  for (let i = 0; i < REGION_REGISTERS_WRITTEN; i++) {
    const region = spec.regions.find((r) => regionIndex(r.name) === i);
    const flreg = region ? FLREG.pack({ base: region.base / 0x1000, limit: (region.limit - 0xfff) / 0x1000 }) : FLREG_UNUSED;
    RegionRegister.serialize({ flreg }, out, (BUILD_MAP.frba << 4) + 4 * i);
  }
  MasterSection.serialize(MasterSection.defaults(), out, BUILD_MAP.fmba << 4);
  for (let i = 0; i < PCH_STRAP_COUNT; i++) StrapRegister.serialize({ strap: 0 }, out, (BUILD_MAP.fpsba << 4) + 4 * i);
  UpperMap.serialize({ flumap1: 0 }, out, FLUMAP1_OFFSET);
  return spec.access === 'unlocked' ? unlockDescriptor(out) : lockDescriptor(out);
}

const usage = (message: string): VmeError => new VmeError('VME_ERR_USAGE', message);

/** The FLCOMP density code for an image size. @throws VmeError unless 512 KiB << 0..7. */
export function densityCodeFor(sizeBytes: number): number {
  for (let code = 0; code <= 7; code++) if (densityBytes(code) === sizeBytes) return code;
  throw usage(`flash size ${sizeBytes} bytes is not a single-component IFD density (512 KiB, 1, 2, 4, 8, 16, 32 or 64 MiB)`);
}

function checkSpec(spec: DescriptorSpec): number {
  const code = densityCodeFor(spec.sizeBytes);
  const names = new Set<string>();
  for (const r of spec.regions) {
    if (names.has(r.name)) throw usage(`region ${r.name} is listed twice`);
    names.add(r.name);
    if (r.base % 0x1000 !== 0 || (r.limit + 1) % 0x1000 !== 0 || r.base > r.limit || r.limit >= spec.sizeBytes) {
      throw usage(`region ${r.name} ${hex(r.base)}-${hex(r.limit)} must be 4 KiB aligned, non-empty and inside ${hex(spec.sizeBytes)} bytes`);
    }
    const clash = spec.regions.find((o) => o !== r && r.base <= o.limit && o.base <= r.limit);
    if (clash) throw usage(`regions ${r.name} and ${clash.name} overlap`);
  }
  const fd = spec.regions.find((r) => r.name === 'fd');
  if (!fd || fd.base !== 0 || fd.limit !== DESCRIPTOR_SIZE - 1) throw usage('the descriptor region fd must be 0x00000000-0x00000FFF');
  return code;
}

/** The design record's layout (docs/design/0001): fd, GbE, ME, BIOS for 8 or 16 MiB images. */
export function defaultLayout(sizeBytes: number): RegionSpec[] {
  const meLimit = { [8 * 1024 * 1024]: 0x2fffff, [16 * 1024 * 1024]: 0x4fffff }[sizeBytes];
  if (meLimit === undefined) throw usage(`no default flash layout for ${sizeBytes} bytes: use 8 MiB (8388608) or 16 MiB (16777216)`);
  return [
    { name: 'fd', base: 0, limit: 0xfff },
    { name: 'gbe', base: 0x1000, limit: 0x2fff },
    { name: 'me', base: 0x3000, limit: meLimit },
    { name: 'bios', base: meLimit + 1, limit: sizeBytes - 1 },
  ];
}
