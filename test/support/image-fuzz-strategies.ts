/**
 * The image fuzzer's mutation strategies: random (byte flips, range overwrites, truncation,
 * oversize) and structure-aware (descriptor, GbE, FMAP, UEFI volume, $FPT, $CPD, $MN2 header,
 * key and signature, extensions, modules) plus semantic attacks (swapped partitions, another
 * platform's, key's or SVN's genuine firmware, re-signing) and update-package mutations. Offsets
 * come from the clean image's layout; structure-aware mutations often repair the cheap checksum
 * or CRC so the deeper checks get exercised. Each strategy only writes through `Patch`.
 */
import { sha256 } from '../../src/crypto/index.js';
import { ExtensionType, FPT_OFFSET, FptHeader, FptEntry, CpdHeader, CpdEntry, type CodePartitionName } from '../../src/me/index.js';
import { FmapHeader, FmapArea } from '../../src/flash/index.js';
import { PackageEntry } from '../../src/firmware/package.js';
import type { SeededRandom } from './random.js';
import type { FuzzContext, DonorName } from './image-fuzzer.js';
import type { CodePartitionLayout, Span } from './image-fuzz-layout.js';
import { Patch, fixFptChecksum, fixCpdCrc, fixVolumeChecksum, fixFfsHeaderChecksum, fixGbeChecksum, resignPartition } from './image-fuzz-patch.js';

export interface Mutation {
  readonly target: 'image' | 'package';
  /** Length of the (image or package) input the parsers see. */
  readonly length: number;
  /** `strict`: a booted partition must equal the clean one; `modules`: its modules must (genuine re-sign). */
  readonly oracle: 'strict' | 'modules';
  /** What was done, for reproducer reports. */
  readonly note: string;
}

export interface Patches {
  readonly image: Patch;
  readonly package: Patch;
}

export interface Strategy {
  readonly name: string;
  readonly description: string;
  mutate(ctx: FuzzContext, random: SeededRandom, patches: Patches): Mutation;
}

// ---- helpers ------------------------------------------------------------------------------------

const hex = (n: number): string => `0x${n.toString(16).toUpperCase()}`;
const imageMutation = (ctx: FuzzContext, note: string, oracle: Mutation['oracle'] = 'strict'): Mutation => ({ target: 'image', length: ctx.pristine.length, oracle, note });
const chance = (random: SeededRandom, p: number): boolean => random.next() < p;

/** A field of a structure: offset from the structure start and width (1, 2, 4 = integer; else bytes). */
interface Field {
  readonly name: string;
  readonly at: number;
  readonly width: number;
}
const field = (name: string, at: number, width: number): Field => ({ name, at, width });

/** A value likely to hit an edge: 0, 1, all ones, high bit, ±1, ±0x1000, a bit flip, doubled, random. */
function interestingValue(random: SeededRandom, old: number, width: 1 | 2 | 4): number {
  const modulus = 2 ** (8 * width);
  const candidates = [
    0, 1, modulus - 1, modulus / 2, old + 1, old - 1, old + 0x1000, old - 0x1000, old * 2, Math.floor(old / 2),
    (old ^ (1 << random.int(8 * width))) >>> 0, Math.floor(random.next() * modulus), Math.floor(random.next() * 0x100), 0x7fffffff,
  ];
  const value = random.pick(candidates);
  return ((value % modulus) + modulus) % modulus;
}

/** Mutate one field of a structure at `base`; returns a note. */
function mutateField(patch: Patch, random: SeededRandom, base: number, f: Field): string {
  const at = base + f.at;
  if (f.width === 1 || f.width === 2 || f.width === 4) {
    const old = patch.getUint(at, f.width);
    const value = interestingValue(random, old, f.width);
    patch.setUint(at, f.width, value);
    return `${f.name} ${hex(old)}→${hex(value)}`;
  }
  const kind = random.int(4);
  if (kind === 0) patch.fill(at, f.width, 0);
  else if (kind === 1) patch.fill(at, f.width, 0xff);
  else if (kind === 2) patch.set(at, randomBytes(random, f.width));
  else patch.setUint(at + random.int(f.width), 1, 1 + random.int(255) ^ patch.getUint(at, 1));
  return `${f.name} ${['zeroed', 'all 0xFF', 'random', 'one byte changed'][kind] ?? ''}`;
}

function mutateOneOf(patch: Patch, random: SeededRandom, base: number, fields: readonly Field[]): string {
  return mutateField(patch, random, base, random.pick(fields));
}

function randomBytes(random: SeededRandom, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = random.int(256);
  return out;
}

function flipBytes(patch: Patch, random: SeededRandom, span: Span, count: number): number {
  let first = -1;
  for (let i = 0; i < count; i++) {
    const at = span.offset + random.int(span.length);
    patch.setUint(at, 1, patch.getUint(at, 1) ^ (1 + random.int(255)));
    if (first < 0) first = at;
  }
  return first;
}

function fillRange(patch: Patch, random: SeededRandom, offset: number, length: number): string {
  const kind = random.int(3);
  if (kind === 0) patch.set(offset, randomBytes(random, length));
  else patch.fill(offset, length, kind === 1 ? 0x00 : 0xff);
  return `${hex(length)} bytes at ${hex(offset)} := ${['random', '0x00', '0xFF'][kind] ?? ''}`;
}

const pickPartition = (ctx: FuzzContext, random: SeededRandom): CodePartitionLayout => ctx.layout.partitions[random.pick(['FTPR', 'NFTP'] as const)];

// ---- random strategies --------------------------------------------------------------------------

const flipAnywhere: Strategy = {
  name: 'flip-anywhere',
  description: '1–8 random byte changes anywhere in the image',
  mutate(ctx, random, { image }) {
    const count = 1 + random.int(8);
    const first = flipBytes(image, random, { offset: 0, length: ctx.pristine.length }, count);
    return imageMutation(ctx, `${count} bytes changed, first at ${hex(first)}`);
  },
};

const flipStructures: Strategy = {
  name: 'flip-structures',
  description: '1–4 random byte changes inside one parsed structure (descriptor … modules)',
  mutate(ctx, random, { image }) {
    const span = random.pick(ctx.spans);
    const count = 1 + random.int(4);
    const first = flipBytes(image, random, span, count);
    return imageMutation(ctx, `${count} bytes of ${span.name} changed, first at ${hex(first)}`);
  },
};

const overwriteRange: Strategy = {
  name: 'overwrite-range',
  description: 'a random range starting in a structure overwritten with random bytes, 0x00 or 0xFF',
  mutate(ctx, random, { image }) {
    const span = random.pick(ctx.spans);
    const offset = span.offset + random.int(span.length);
    const length = 1 + random.int(Math.min(0x2000, 2 * span.length));
    return imageMutation(ctx, `${span.name}: ${fillRange(image, random, offset, length)}`);
  },
};

const truncate: Strategy = {
  name: 'truncate',
  description: 'image cut to < 4 KiB, an odd length, inside a structure, or just short of full',
  mutate(ctx, random) {
    const size = ctx.pristine.length;
    const span = random.pick(ctx.spans);
    const choices = [random.int(0x1000), random.int(size) | 1, span.offset + random.int(span.length), size - 1 - random.int(0x1000), size / 2];
    const length = random.pick(choices);
    return { ...imageMutation(ctx, `truncated to ${hex(length)} bytes`), length };
  },
};

const extend: Strategy = {
  name: 'extend',
  description: 'image extended by 1 byte … its own size, tail 0xFF, 0x00 or random',
  mutate(ctx, random, { image }) {
    const size = ctx.pristine.length;
    const extra = random.pick([1, 1 + random.int(0x10000), 0x1000 * (1 + random.int(16)), size]);
    const tail = random.int(3);
    if (tail === 1) image.fill(size, extra, 0);
    if (tail === 2) image.set(size, randomBytes(random, Math.min(extra, 0x10000)));
    return { ...imageMutation(ctx, `extended by ${hex(extra)} bytes of ${['0xFF', '0x00', 'random'][tail] ?? ''}`), length: size + extra };
  },
};

// ---- flash structures ---------------------------------------------------------------------------

const descriptorMap: Strategy = {
  name: 'descriptor-map',
  description: 'FLVALSIG and FLMAP0/1/2 (section bases, counts, strap lengths)',
  mutate(ctx, random, { image }) {
    const dwords = [field('FLVALSIG', 0x10, 4), field('FLMAP0', 0x14, 4), field('FLMAP1', 0x18, 4), field('FLMAP2', 0x1c, 4)];
    const bytes = ['FCBA', 'NC/NR', 'FRBA', 'NR', 'FMBA', 'NM', 'FPSBA', 'PSL', 'FMSBA', 'MSL', 'ICCRIBA', 'RIL'].map((n, i) => field(n, 0x14 + i, 1));
    return imageMutation(ctx, mutateOneOf(image, random, 0, chance(random, 0.3) ? dwords : bytes));
  },
};

const BLOCK = 0x1000;
const flreg = (base: number, limit: number): number => ((base & 0x7fff) | ((limit & 0x7fff) << 16)) >>> 0;

const descriptorRegions: Strategy = {
  name: 'descriptor-regions',
  description: 'FLREG registers: overlapping, out of range, base > limit, shifted, swapped, random',
  mutate(ctx, random, { image }) {
    const regionBase = ctx.layout.descriptor.regionBase;
    const index = chance(random, 0.8) ? random.int(4) : random.int(12);
    const at = regionBase + 4 * index;
    const old = image.getUint(at, 4);
    const [base, limit] = [old & 0x7fff, (old >>> 16) & 0x7fff];
    const blocks = ctx.pristine.length / BLOCK;
    const other = image.getUint(regionBase + 4 * random.int(4), 4);
    const variants: [string, number][] = [
      ['overlap', flreg((other & 0x7fff) + random.int(4), (other & 0x7fff) + random.int(4) + Math.max(0, limit - base))],
      ['limit out of range', flreg(base, blocks + random.int(0x100))],
      ['base > limit', flreg(limit + 1 + random.int(8), limit)],
      ['shifted', flreg(base + 1 + random.int(4), limit + 1 + random.int(4))],
      ['copied', other],
      ['random', Math.floor(random.next() * 2 ** 32)],
    ];
    const [name, value] = random.pick(variants);
    image.setUint(at, 4, value);
    return imageMutation(ctx, `FLREG${index} ${name}: ${hex(old)}→${hex(value)}`);
  },
};

const descriptorMastersDensity: Strategy = {
  name: 'descriptor-masters-density',
  description: 'FLMSTR access registers, FLCOMP densities and clocks, NC with a second component',
  mutate(ctx, random, { image }) {
    const { masterBase, componentBase } = ctx.layout.descriptor;
    const variant = random.int(3);
    if (variant === 0) return imageMutation(ctx, mutateOneOf(image, random, masterBase, [1, 2, 3, 4, 5].map((n) => field(`FLMSTR${n}`, 4 * (n - 1), 4))));
    if (variant === 1) {
      const flcomp = image.getUint(componentBase, 4);
      const value = random.pick([(flcomp & ~0xff) | random.int(256), (flcomp & ~0xf) | random.int(16), interestingValue(random, flcomp, 4)]) >>> 0;
      image.setUint(componentBase, 4, value);
      return imageMutation(ctx, `FLCOMP ${hex(flcomp)}→${hex(value)}`);
    }
    const halves = random.int(2) === 0;
    image.setUint(0x15, 1, (image.getUint(0x15, 1) & ~3) | 1);
    image.setUint(componentBase, 1, halves ? 0x33 : random.int(256));
    return imageMutation(ctx, `two components, ${halves ? 'two halves (valid)' : 'random densities'}`);
  },
};

const gbe: Strategy = {
  name: 'gbe',
  description: 'GbE NVM words (MAC, version, valid-bank signature, checksum), checksum repaired or not',
  mutate(ctx, random, { image }) {
    const fields = [field('mac', 0, 6), field('imageVersion', 0x0a, 2), field('initControl', 0x26, 2), field('checksum', 0x7e, 2), field('word', 2 * random.int(0x3f), 2)];
    const chosen = random.pick(fields);
    const note = mutateField(image, random, ctx.layout.gbe.offset, chosen);
    const repair = chosen.name !== 'checksum' && chance(random, 0.6);
    if (repair) fixGbeChecksum(image, ctx.layout);
    return imageMutation(ctx, `${note}${repair ? ', checksum repaired' : ''}`);
  },
};

const FMAP_HEADER_FIELDS = [
  field('signature', 0, 8), field('versionMajor', 8, 1), field('versionMinor', 9, 1), field('base.low', 0x0a, 4), field('base.high', 0x0e, 4),
  field('size', 0x12, 4), field('name', 0x16, 32), field('areaCount', 0x36, 2),
];
const FMAP_AREA_FIELDS = [field('offset', 0, 4), field('size', 4, 4), field('name', 8, 32), field('flags', 0x28, 2)];

const fmap: Strategy = {
  name: 'fmap',
  description: 'FMAP header (signature, version, size, area count) and area offset/size/name',
  mutate(ctx, random, { image }) {
    const { offset, areaCount } = ctx.layout.fmap;
    if (chance(random, 0.4)) return imageMutation(ctx, `FMAP header ${mutateOneOf(image, random, offset, FMAP_HEADER_FIELDS)}`);
    const area = random.int(areaCount);
    return imageMutation(ctx, `FMAP area ${area} ${mutateOneOf(image, random, offset + FmapHeader.size + area * FmapArea.size, FMAP_AREA_FIELDS)}`);
  },
};

const VOLUME_FIELDS = [
  field('zeroVector', 0, 16), field('fileSystemGuid', 0x10, 16), field('fvLength.low', 0x20, 4), field('fvLength.high', 0x24, 4), field('signature', 0x28, 4),
  field('attributes', 0x2c, 4), field('headerLength', 0x30, 2), field('checksum', 0x32, 2), field('extHeaderOffset', 0x34, 2), field('revision', 0x37, 1),
  field('blockMap[0].count', 0x38, 4), field('blockMap[0].length', 0x3c, 4), field('blockMap[1].count', 0x40, 4), field('blockMap[1].length', 0x44, 4),
];
const FFS_FIELDS = [
  field('name', 0, 16), field('headerChecksum', 0x10, 1), field('fileChecksum', 0x11, 1), field('type', 0x12, 1), field('attributes', 0x13, 1),
  field('sizeLow', 0x14, 2), field('sizeHigh', 0x16, 1), field('state', 0x17, 1), field('data', 0x18, 8),
];

const uefiVolume: Strategy = {
  name: 'uefi-volume',
  description: 'UEFI volume header (length, signature, header length, checksum, block map) and FFS file headers',
  mutate(ctx, random, { image }) {
    const volume = ctx.layout.volume;
    if (chance(random, 0.5)) {
      const chosen = random.pick(VOLUME_FIELDS);
      const note = mutateField(image, random, volume.header.offset, chosen);
      const repair = chosen.name !== 'checksum' && chance(random, 0.6);
      if (repair) fixVolumeChecksum(image, ctx.layout);
      return imageMutation(ctx, `volume ${note}${repair ? ', checksum repaired' : ''}`);
    }
    const file = random.pick(volume.files);
    const chosen = random.pick(FFS_FIELDS);
    const note = mutateField(image, random, file.offset, chosen);
    const repair = chosen.name !== 'headerChecksum' && chance(random, 0.6);
    if (repair) fixFfsHeaderChecksum(image, file.offset);
    return imageMutation(ctx, `FFS file at ${hex(file.offset)} ${note}${repair ? ', header checksum repaired' : ''}`);
  },
};

// ---- ME structures ------------------------------------------------------------------------------

const FPT_HEADER_FIELDS = [
  field('signature', 0, 4), field('numPartitions', 4, 4), field('headerVersion', 8, 1), field('entryVersion', 9, 1), field('headerLength', 0xa, 1),
  field('headerChecksum', 0xb, 1), field('ticksToAdd', 0xc, 2), field('flashLayout', 0x14, 4), field('fitc', 0x18, 8),
];
const FPT_ENTRY_FIELDS = [field('name', 0, 4), field('owner', 4, 4), field('offset', 8, 4), field('size', 0xc, 4), field('flags', 0x1c, 4), field('flags.type', 0x1c, 1), field('flags.entryValid', 0x1f, 1)];

const fptHeader: Strategy = {
  name: 'fpt-header',
  description: '$FPT header (signature, count, versions, header length, checksum), checksum usually repaired',
  mutate(ctx, random, { image }) {
    const chosen = random.pick(FPT_HEADER_FIELDS);
    const note = mutateField(image, random, ctx.layout.me.offset + FPT_OFFSET, chosen);
    const repair = chosen.name !== 'headerChecksum' && chance(random, 0.7);
    if (repair) fixFptChecksum(image, ctx.layout);
    return imageMutation(ctx, `$FPT ${note}${repair ? ', checksum repaired' : ''}`);
  },
};

const fptEntries: Strategy = {
  name: 'fpt-entries',
  description: '$FPT entries: offset/size/flags/name, overlaps, swapped or duplicate names, invalid entries',
  mutate(ctx, random, { image }) {
    const table = ctx.layout.me.offset + FPT_OFFSET + FptHeader.size;
    const count = ctx.layout.fptEntryCount;
    const entry = (i: number): number => table + i * FptEntry.size;
    const [a, b] = [random.int(count), random.int(count)];
    const variant = random.int(4);
    if (variant === 0) {
      image.set(entry(a) + 8, image.buffer.slice(entry(b) + 8, entry(b) + 12));
      return imageMutation(ctx, `entry ${a} offset := entry ${b} offset (overlap)`);
    }
    if (variant === 1) {
      const names = [image.buffer.slice(entry(a), entry(a) + 4), image.buffer.slice(entry(b), entry(b) + 4)] as const;
      image.set(entry(a), names[1]);
      if (chance(random, 0.5)) image.set(entry(b), names[0]);
      return imageMutation(ctx, `entry ${a} takes entry ${b}'s name`);
    }
    if (variant === 2) {
      image.setUint(table - FptHeader.size + 4, 4, count + 1 + random.int(3));
      fixFptChecksum(image, ctx.layout);
      return imageMutation(ctx, 'more entries than written (erased entries follow)');
    }
    return imageMutation(ctx, `entry ${a} ${mutateOneOf(image, random, entry(a), FPT_ENTRY_FIELDS)}`);
  },
};

const CPD_HEADER_FIELDS = [
  field('signature', 0, 4), field('numEntries', 4, 4), field('headerVersion', 8, 1), field('entryVersion', 9, 1), field('headerLength', 0xa, 1),
  field('reserved', 0xb, 1), field('partitionName', 0xc, 4), field('crc32', 0x10, 4),
];
const CPD_ENTRY_FIELDS = [field('name', 0, 12), field('offsetAttributes', 0xc, 4), field('offset.low', 0xc, 2), field('attributes.high', 0xf, 1), field('length', 0x10, 4), field('reserved', 0x14, 4)];

const cpd: Strategy = {
  name: 'cpd',
  description: '$CPD header (count, versions, name, CRC) and entries (name, offset, length), CRC usually repaired',
  mutate(ctx, random, { image }) {
    const part = pickPartition(ctx, random);
    const headerField = chance(random, 0.4);
    const entry = random.int(part.cpdEntryCount);
    const note = headerField
      ? mutateOneOf(image, random, part.directory.offset, CPD_HEADER_FIELDS)
      : `entry ${entry} ${mutateOneOf(image, random, part.directory.offset + CpdHeader.size + entry * CpdEntry.size, CPD_ENTRY_FIELDS)}`;
    const repair = !note.startsWith('crc32') && chance(random, 0.7);
    if (repair) fixCpdCrc(image, part);
    return imageMutation(ctx, `${part.name} $CPD ${note}${repair ? ', CRC repaired' : ''}`);
  },
};

const MANIFEST_HEADER_FIELDS = [
  field('headerType', 0, 2), field('headerSubType', 2, 2), field('headerLength', 4, 4), field('headerVersion', 8, 4), field('flags', 0xc, 4),
  field('vendor', 0x10, 4), field('date', 0x14, 4), field('size', 0x18, 4), field('tag', 0x1c, 4), field('buildTag', 0x20, 4),
  field('versionMajor', 0x24, 2), field('versionBuild', 0x2a, 2), field('svn', 0x2c, 4), field('toolVersion', 0x30, 12),
  field('platformId', 0x58, 16), field('reserved', 0x68, 16), field('publicKeySize', 0x78, 4), field('exponentSize', 0x7c, 4),
];

const manifestHeader: Strategy = {
  name: 'manifest-header',
  description: '$MN2 header fields (lengths, size, key/exponent size, version, SVN, flags, platform id), not re-signed',
  mutate(ctx, random, { image }) {
    const part = pickPartition(ctx, random);
    return imageMutation(ctx, `${part.name}.man ${mutateOneOf(image, random, part.manifest.offset, MANIFEST_HEADER_FIELDS)}`);
  },
};

const manifestKeySignature: Strategy = {
  name: 'manifest-key-signature',
  description: '$MN2 key block (modulus, exponent) and signature bytes, or the other partition\'s signature',
  mutate(ctx, random, { image }) {
    const part = pickPartition(ctx, random);
    const man = part.manifest.offset;
    if (chance(random, 0.15)) {
      const other = ctx.layout.partitions[part.name === 'NFTP' ? 'FTPR' : 'NFTP'].manifest.offset;
      image.set(man + 0x184, image.buffer.slice(other + 0x184, other + 0x284));
      return imageMutation(ctx, `${part.name}.man signature copied from the other partition`);
    }
    const fields = [field('modulus', 0x80, 256), field('modulus byte', 0x80 + random.int(256), 1), field('exponent', 0x180, 4), field('signature', 0x184, 256), field('signature byte', 0x184 + random.int(256), 1)];
    return imageMutation(ctx, `${part.name}.man ${mutateOneOf(image, random, man, fields)}`);
  },
};

/** Fields of one extension, by type, relative to the extension start. */
function extensionFields(type: number, length: number, random: SeededRandom): Field[] {
  const common = [field('type', 0, 4), field('length', 4, 4), field('byte', random.int(length), 1)];
  if (type === ExtensionType.partitionInfo) return [...common, field('partitionName', 8, 4), field('partitionSize', 0xc, 4), field('hash', 0x10, 32)];
  if (type !== ExtensionType.signedPackageInfo) return common;
  const module = 0x34 + 0x34 * random.int(Math.max(1, (length - 0x34) / 0x34));
  return [
    ...common, field('partitionName', 8, 4), field('usageBitmap', 0x10, 16), field('arbSvn', 0x20, 4),
    field('module.name', module, 12), field('module.hashSize', module + 0xe, 2), field('module.metadataSize', module + 0x10, 4), field('module.metadataHash', module + 0x14, 32),
  ];
}

const manifestExtensions: Strategy = {
  name: 'manifest-extensions',
  description: 'extensions 0x03/0x0F (type, length, name, size, hash, ARB SVN, module entries) and the .met 0x0A, not re-signed',
  mutate(ctx, random, { image }) {
    const part = pickPartition(ctx, random);
    if (chance(random, 0.25)) {
      const met = random.pick(part.metadata);
      const fields = [field('type', 0, 4), field('length', 4, 4), field('compression', 8, 1), field('sizeUncompressed', 0xc, 4), field('vendorId', 0x16, 2), field('hash', 0x18, 32)];
      return imageMutation(ctx, `${part.name} ${met.name} ${mutateOneOf(image, random, met.offset, fields)}`);
    }
    const extension = random.pick(part.extensions);
    return imageMutation(ctx, `${part.name}.man extension ${hex(extension.type)} ${mutateOneOf(image, random, extension.offset, extensionFields(extension.type, extension.length, random))}`);
  },
};

const modules: Strategy = {
  name: 'modules',
  description: 'module and .met bytes flipped or overwritten',
  mutate(ctx, random, { image }) {
    const part = pickPartition(ctx, random);
    const file = random.pick([...part.modules, ...part.metadata]);
    if (chance(random, 0.5)) return imageMutation(ctx, `${part.name} ${file.name} byte ${hex(flipBytes(image, random, file, 1 + random.int(3)) - file.offset)} changed`);
    const offset = file.offset + random.int(file.length);
    return imageMutation(ctx, `${part.name} ${file.name}: ${fillRange(image, random, offset, 1 + random.int(file.length))}`);
  },
};

// ---- re-signing and semantic attacks -------------------------------------------------------------

/** Insider attacks: one level of the hash chain changed, then partition hash and signature redone with the genuine key. */
const resignGenuine: Strategy = {
  name: 'resign-genuine',
  description: 'one link of the hash chain changed (module, .met, 0x0F entry, $CPD, ARB SVN, platform id), then re-signed with the genuine key',
  mutate(ctx, random, { image }) {
    const part = pickPartition(ctx, random);
    const note = insiderChange(ctx, random, image, part);
    resignPartition(image, part, ctx.keys.genuine);
    return imageMutation(ctx, `${part.name} ${note}, re-signed with the genuine key`, 'modules');
  },
};

function insiderChange(ctx: FuzzContext, random: SeededRandom, image: Patch, part: CodePartitionLayout): string {
  const packageInfo = part.extensions.find((x) => x.type === ExtensionType.signedPackageInfo);
  const variant = random.int(7);
  if (variant === 0) return `module ${flipInOne(image, random, part.modules)}`;
  if (variant === 1) return `.met ${flipInOne(image, random, part.metadata)}`;
  if (variant === 2 && packageInfo) return `0x0F ${mutateOneOf(image, random, packageInfo.offset, extensionFields(packageInfo.type, packageInfo.length, random).filter((f) => f.name.startsWith('module')))}`;
  if (variant === 3) {
    const note = `$CPD ${mutateOneOf(image, random, part.directory.offset + CpdHeader.size, CPD_ENTRY_FIELDS)}`;
    fixCpdCrc(image, part);
    return note;
  }
  if (variant === 4 && packageInfo) {
    const svn = random.int(ctx.fuses.svnFloor);
    image.setUint(packageInfo.offset + 0x20, 4, svn);
    return `ARB SVN lowered to ${svn}`;
  }
  if (variant === 5) {
    image.set(part.manifest.offset + 0x58, Buffer.from('other-pc\0\0\0\0\0\0\0\0', 'latin1'));
    return 'platform id other-pc';
  }
  return `header ${mutateOneOf(image, random, part.manifest.offset, [field('flags', 0xc, 4), field('versionMajor', 0x24, 2), field('date', 0x14, 4), field('svn', 0x2c, 4)])}`;
}

function flipInOne(image: Patch, random: SeededRandom, files: readonly (Span & { name: string })[]): string {
  const file = random.pick(files);
  return `${file.name} byte ${hex(flipBytes(image, random, file, 1) - file.offset)} changed`;
}

const DONORS: readonly DonorName[] = ['other-platform', 'other-key', 'old-svn'];

const semantic: Strategy = {
  name: 'semantic',
  description: 'swap FTPR/NFTP, genuine firmware of another platform/key/older SVN (whole or manifest only), re-signed with the attacker key',
  mutate(ctx, random, { image }) {
    const variant = random.int(6);
    if (variant === 0) return imageMutation(ctx, swapContents(ctx, image));
    if (variant === 1) return imageMutation(ctx, swapFptNames(ctx, image));
    if (variant === 2) return imageMutation(ctx, transplant(ctx, random, image, false));
    if (variant === 3) return imageMutation(ctx, transplant(ctx, random, image, true));
    return imageMutation(ctx, attackerSigned(ctx, random, image, variant === 5));
  },
};

function swapContents(ctx: FuzzContext, image: Patch): string {
  const { FTPR, NFTP } = ctx.layout.partitions;
  const ftpr = ctx.pristine.subarray(FTPR.partition.offset, FTPR.partition.offset + FTPR.partition.length);
  const nftp = ctx.pristine.subarray(NFTP.partition.offset, NFTP.partition.offset + FTPR.partition.length);
  image.set(FTPR.partition.offset, nftp);
  image.fill(NFTP.partition.offset, NFTP.partition.length, 0xff);
  image.set(NFTP.partition.offset, ftpr);
  return 'FTPR and NFTP contents swapped';
}

function swapFptNames(ctx: FuzzContext, image: Patch): string {
  const { FTPR, NFTP } = ctx.layout.partitions;
  image.set(FTPR.fptEntryOffset, Buffer.from('NFTP', 'latin1'));
  image.set(NFTP.fptEntryOffset, Buffer.from('FTPR', 'latin1'));
  return '$FPT entries FTPR and NFTP renamed to each other';
}

/** Copy a donor build's partition (or only its manifest) into one or both slots. */
function transplant(ctx: FuzzContext, random: SeededRandom, image: Patch, manifestOnly: boolean): string {
  const donor = random.pick(DONORS);
  const names: CodePartitionName[] = random.pick([['NFTP'], ['FTPR'], ['FTPR', 'NFTP']]);
  for (const name of names) {
    const part = ctx.layout.partitions[name];
    const bytes = ctx.donors[donor][name];
    const start = part.manifest.offset - part.partition.offset;
    image.set(manifestOnly ? part.manifest.offset : part.partition.offset, manifestOnly ? bytes.subarray(start, start + part.manifest.length) : bytes);
  }
  return `${names.join('+')} ${manifestOnly ? 'manifest' : 'partition'} from the ${donor} build`;
}

/** Change the manifest (platform, SVN or version), redo the hash and sign with the attacker's key. */
function attackerSigned(ctx: FuzzContext, random: SeededRandom, image: Patch, embedAttackerKey: boolean): string {
  const part = ctx.layout.partitions[random.pick(['FTPR', 'NFTP'] as const)];
  const note = random.pick(['svn', 'versionMajor', 'nothing']);
  if (note !== 'nothing') image.setUint(part.manifest.offset + (note === 'svn' ? 0x2c : 0x24), note === 'svn' ? 4 : 2, 7);
  resignPartition(image, part, ctx.keys.attacker, embedAttackerKey ? { embedKeyOf: ctx.keys.attacker } : {});
  return `${part.name} ${note} changed, signed with the attacker key${embedAttackerKey ? ' and key block swapped' : ''}`;
}

// ---- update packages ----------------------------------------------------------------------------

const PACKAGE_HEADER_FIELDS = [
  field('magic', 0, 8), field('formatVersion', 8, 2), field('entryCount', 0xa, 2), field('headerLength', 0xc, 4),
  field('platformId', 0x10, 16), field('raiseSvnFloor', 0x20, 1), field('reserved', 0x21, 15),
];
const PACKAGE_ENTRY_FIELDS = [field('name', 0, 4), field('offset', 4, 4), field('size', 8, 4), field('reserved', 0xc, 4), field('sha256', 0x10, 32)];

const packageStrategy: Strategy = {
  name: 'package',
  description: 'update package: header and entry fields, truncation, tampered or foreign bodies with a repaired digest',
  mutate(ctx, random, patches) {
    const pkg = ctx.package;
    const entry = random.pick(pkg.entries);
    const variant = random.int(5);
    let note: string;
    let length = pkg.pristine.length;
    if (variant === 0) note = `header ${mutateOneOf(patches.package, random, 0, PACKAGE_HEADER_FIELDS)}`;
    else if (variant === 1) note = `entry ${entry.name} ${mutateOneOf(patches.package, random, entry.entryOffset, PACKAGE_ENTRY_FIELDS)}`;
    else if (variant === 2) {
      length = random.pick([random.int(0x100), random.int(length), entry.offset + random.int(entry.size)]);
      note = `truncated to ${hex(length)}`;
    } else note = packageBody(ctx, random, patches.package, entry, variant === 3);
    return { target: 'package', length, oracle: 'strict', note };
  },
};

function packageBody(ctx: FuzzContext, random: SeededRandom, patch: Patch, entry: FuzzContext['package']['entries'][number], foreign: boolean): string {
  const name = entry.name === 'FTPR' ? 'FTPR' : 'NFTP';
  let note: string;
  if (foreign) {
    const donor = random.pick(DONORS);
    patch.set(entry.offset, ctx.donors[donor][name]);
    note = `${name} body from the ${donor} build`;
  } else {
    const span = { offset: entry.offset, length: chance(random, 0.8) ? ctx.layout.partitions[name].contentEnd : entry.size };
    note = `${name} body byte ${hex(flipBytes(patch, random, span, 1 + random.int(3)) - entry.offset)} changed`;
  }
  if (chance(random, 0.8)) {
    patch.set(entry.entryOffset + PackageEntry.offsetOf('sha256'), sha256(patch.buffer.subarray(entry.offset, entry.offset + entry.size)));
    note += ', digest repaired';
  }
  return note;
}

/** Every strategy, in the order campaigns cycle through them. */
export const STRATEGIES: readonly Strategy[] = [
  flipAnywhere, flipStructures, overwriteRange, truncate, extend,
  descriptorMap, descriptorRegions, descriptorMastersDensity, gbe, fmap, uefiVolume,
  fptHeader, fptEntries, cpd, manifestHeader, manifestKeySignature, manifestExtensions, modules,
  resignGenuine, semantic, packageStrategy,
];
