/**
 * Where the image fuzzer's targets are: absolute offsets of every structure the parsers read,
 * found by parsing a clean platform image (never hard-coded), plus the clean bytes the ROM must
 * see before it may boot a partition.
 */
import { parseDescriptor, findRegion, findFmap, parseFirmwareVolume, FmapHeader, FmapArea, FirmwareVolumeHeader } from '../../src/flash/index.js';
import { parseMeRegion, parseCodePartition, FPT_OFFSET, FptHeader, FptEntry, CpdHeader, CpdEntry, type CodePartitionName } from '../../src/me/index.js';

export interface Span {
  /** Absolute offset in the image. */
  readonly offset: number;
  readonly length: number;
}

export interface NamedSpan extends Span {
  readonly name: string;
}

export interface ExtensionSpan extends Span {
  readonly type: number;
}

export interface CodePartitionLayout {
  readonly name: CodePartitionName;
  /** The partition (FPT entry range), absolute. */
  readonly partition: Span;
  /** Absolute offset of this partition's `$FPT` entry. */
  readonly fptEntryOffset: number;
  /** `$CPD` header and entries. */
  readonly directory: Span;
  readonly cpdEntryCount: number;
  readonly manifest: Span;
  readonly extensions: readonly ExtensionSpan[];
  readonly modules: readonly NamedSpan[];
  readonly metadata: readonly NamedSpan[];
  /** End of the last `$CPD` file, relative to the partition: everything before it is signed or hashed. */
  readonly contentEnd: number;
}

export interface VolumeLayout {
  readonly header: Span;
  readonly headerLength: number;
  readonly files: readonly Span[];
}

export interface PlatformLayout {
  readonly imageSize: number;
  readonly descriptor: { readonly componentBase: number; readonly regionBase: number; readonly masterBase: number; readonly pchStrapBase: number };
  readonly gbe: Span;
  readonly fmap: { readonly offset: number; readonly areaCount: number };
  readonly volume: VolumeLayout;
  readonly me: Span;
  readonly fptEntryCount: number;
  readonly partitions: Readonly<Record<CodePartitionName, CodePartitionLayout>>;
}

const spanOf = (region: { base: number; size: number }): Span => ({ offset: region.base, length: region.size });

/** Parse a clean image and return where everything is. Throws if the image is not clean. */
export function describePlatform(image: Uint8Array): PlatformLayout {
  const descriptor = parseDescriptor(image);
  const bios = findRegion(descriptor, 'bios');
  const fmap = findFmap(image);
  if (!fmap) throw new Error('clean image has no FMAP');
  const me = findRegion(descriptor, 'me');
  const meBytes = image.subarray(me.base, me.limit + 1);
  const parsedMe = parseMeRegion(meBytes, me.base);
  const partition = (name: CodePartitionName): CodePartitionLayout => describeCodePartition(me.base, parsedMe, name);
  return {
    imageSize: image.length,
    descriptor: { componentBase: descriptor.map.componentBase, regionBase: descriptor.map.regionBase, masterBase: descriptor.map.masterBase, pchStrapBase: descriptor.map.pchStrapBase },
    gbe: spanOf(findRegion(descriptor, 'gbe')),
    fmap: { offset: fmap.offset, areaCount: fmap.fmap.areas.length },
    volume: describeVolume(image, bios.base, bios.limit + 1),
    me: spanOf(me),
    fptEntryCount: parsedMe.fpt.partitions.length,
    partitions: { FTPR: partition('FTPR'), NFTP: partition('NFTP') },
  };
}

/** The UEFI volume: the first `_FVH` on a 4 KiB boundary of the BIOS region. */
function describeVolume(image: Uint8Array, from: number, to: number): VolumeLayout {
  const signatureAt = FirmwareVolumeHeader.offsetOf('signature');
  for (let offset = from; offset + FirmwareVolumeHeader.size <= to; offset += 0x1000) {
    if (Buffer.from(image.subarray(offset + signatureAt, offset + signatureAt + 4)).toString('latin1') !== '_FVH') continue;
    const volume = parseFirmwareVolume(image, offset);
    return {
      header: { offset, length: FirmwareVolumeHeader.size }, headerLength: volume.headerLength,
      files: volume.files.map((f) => ({ offset: offset + f.offset, length: f.size })),
    };
  }
  throw new Error('clean image has no UEFI firmware volume');
}

function describeCodePartition(meBase: number, parsedMe: ReturnType<typeof parseMeRegion>, name: CodePartitionName): CodePartitionLayout {
  const slice = parsedMe.partitions.find((p) => p.name === name);
  const entry = parsedMe.fpt.partitions.find((p) => p.name === name);
  if (!slice || !entry) throw new Error(`clean image has no ${name}`);
  const base = meBase + slice.offset;
  const parsed = parseCodePartition(slice.bytes, name, base);
  const files = parsed.cpd.entries.map((e) => ({ name: e.name, offset: base + e.offset, length: e.length }));
  const manifestStart = base + parsed.manifestOffset;
  return {
    name, partition: { offset: base, length: slice.size }, fptEntryOffset: meBase + entry.entryOffset,
    directory: { offset: base, length: CpdHeader.size + parsed.cpd.entries.length * CpdEntry.size },
    cpdEntryCount: parsed.cpd.entries.length,
    manifest: { offset: manifestStart, length: parsed.manifest.bytes.length },
    extensions: parsed.manifest.extensions.raw.map((x) => ({ type: x.type, offset: manifestStart + x.offset, length: x.length })),
    modules: files.filter((f) => parsed.modules.some((m) => m.name === f.name)),
    metadata: files.filter((f) => f.name.endsWith('.met')),
    contentEnd: Math.max(...parsed.cpd.entries.map((e) => e.offset + e.length)),
  };
}

/** Every span a structure-aware byte mutation may aim at. */
export function structureSpans(layout: PlatformLayout): NamedSpan[] {
  const spans: NamedSpan[] = [
    { name: 'descriptor', offset: 0, length: 0x1000 },
    { name: 'gbe nvm', offset: layout.gbe.offset, length: 0x80 },
    { name: 'fmap', offset: layout.fmap.offset, length: FmapHeader.size + layout.fmap.areaCount * FmapArea.size },
    { name: 'volume header', offset: layout.volume.header.offset, length: layout.volume.headerLength },
    ...layout.volume.files.map((f, i) => ({ name: `ffs file ${i}`, offset: f.offset, length: Math.min(f.length, 0x100) })),
    { name: 'fpt', offset: layout.me.offset + FPT_OFFSET, length: FptHeader.size + layout.fptEntryCount * FptEntry.size },
  ];
  for (const p of Object.values(layout.partitions)) {
    spans.push({ name: `${p.name} $CPD`, ...p.directory }, { name: `${p.name} manifest`, ...p.manifest });
    spans.push(...p.modules.map((m) => ({ ...m, name: `${p.name} ${m.name}` })), ...p.metadata.map((m) => ({ ...m, name: `${p.name} ${m.name}` })));
  }
  return spans;
}
