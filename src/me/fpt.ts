/**
 * The `$FPT` partition table of the ME region (brief §2.2): a 0x20-byte v2.0 header (checksum-8)
 * at ME+0x10, right after the 16-byte ROM-bypass vector, followed by 0x20-byte entries whose
 * offsets count from the start of the ME region.
 */
import { struct, u8, u16, u32, ascii, magicAscii, parseArray, bits, at, checksum8, sum8, DecodeError } from '../codec/index.js';

export const FPT_OFFSET = 0x10;
export const FPT_HEADER_VERSION = 0x20;
export const FPT_ENTRY_VERSION = 0x10;
export const FPT_MAX_ENTRIES = 64;
export const ENTRY_VALID = 0x00;
export const ENTRY_INVALID = 0xff;

export const FptHeader = struct('$FPT header', {
  signature: magicAscii('$FPT'), // 0x00
  numPartitions: u32(), // 0x04
  headerVersion: u8(), // 0x08 0x20 = v2.0 (checksum-8)
  entryVersion: u8(), // 0x09 0x10
  headerLength: u8(), // 0x0A 0x20
  headerChecksum: u8(), // 0x0B makes the 0x20 header bytes sum to 0
  ticksToAdd: u16(), // 0x0C
  tokensToAdd: u16(), // 0x0E
  umaSize: u32(), // 0x10 reserved on CSE
  flashLayout: u32(), // 0x14
  fitcMajor: u16(), // 0x18
  fitcMinor: u16(), // 0x1A
  fitcHotfix: u16(), // 0x1C
  fitcBuild: u16(), // 0x1E
});

export const FptEntry = struct('$FPT entry', {
  name: ascii(4), // 0x00 FTPR, NFTP, MFS, FLOG
  owner: u32(), // 0x04 reserved on CSE
  offset: u32(), // 0x08 from the start of the ME region
  size: u32(), // 0x0C
  startTokens: u32(), // 0x10 reserved
  maxTokens: u32(), // 0x14 reserved
  scratchSectors: u32(), // 0x18 reserved
  flags: u32(), // 0x1C see FptEntryFlags
});

export const FptEntryFlags = bits('$FPT entry flags', {
  type: at(0, 7), // 0 Code, 1 Data, 2 GLUT, 3 Generic, 4 EFFS, 5 ROM
  copyToDramCache: at(7),
  builtWithLength1: at(15),
  builtWithLength2: at(16),
  entryValid: at(24, 8), // 0xFF = invalid
});

export const PartitionType = { code: 0, data: 1, glut: 2, generic: 3, effs: 4, rom: 5 } as const;
export type PartitionTypeNumber = (typeof PartitionType)[keyof typeof PartitionType];

export interface FptPartition {
  readonly name: string;
  readonly offset: number;
  readonly size: number;
  readonly type: PartitionTypeNumber;
}

export interface FptPartitionEntry extends FptPartition {
  readonly valid: boolean;
  /** Offset of the entry itself within the ME region. */
  readonly entryOffset: number;
}

export interface Fpt {
  readonly header: ReturnType<typeof FptHeader.parse>;
  readonly partitions: readonly FptPartitionEntry[];
}

/** Header and entries, ready to be written at ME+0x10. */
export function serializeFpt(partitions: readonly FptPartition[]): Uint8Array {
  const out = new Uint8Array(FptHeader.size + partitions.length * FptEntry.size);
  FptHeader.serialize(FptHeader.defaults({
    numPartitions: partitions.length, headerVersion: FPT_HEADER_VERSION, entryVersion: FPT_ENTRY_VERSION, headerLength: FptHeader.size,
  }), out, 0);
  out[FptHeader.offsetOf('headerChecksum')] = checksum8(out.subarray(0, FptHeader.size));
  partitions.forEach((p, i) => {
    const flags = FptEntryFlags.pack({ type: p.type, entryValid: ENTRY_VALID });
    FptEntry.serialize(FptEntry.defaults({ name: p.name, offset: p.offset, size: p.size, flags }), out, FptHeader.size + i * FptEntry.size);
  });
  return out;
}

const fail = (field: string, offset: number, reason: string, expected?: string, actual?: string, structure = '$FPT header'): never => {
  throw new DecodeError({ structure, field, offset, reason, expected, actual });
};
const hex = (n: number): string => `0x${n.toString(16).toUpperCase()}`;

/**
 * Parse and validate the `$FPT` at ME+0x10 of `region`; `regionBase` makes error offsets absolute.
 * @throws DecodeError for bad magic, version, checksum, entry count, range, overlap or validity.
 */
export function parseFpt(region: Uint8Array, regionBase = 0): Fpt {
  const header = FptHeader.parse(region, FPT_OFFSET, regionBase);
  checkHeader(region, header, regionBase + FPT_OFFSET);
  const tableOffset = FPT_OFFSET + FptHeader.size;
  const raw = parseArray(FptEntry, region, tableOffset, header.numPartitions, regionBase);
  const tableEnd = tableOffset + raw.length * FptEntry.size;
  const partitions = raw.map((e, i) => checkEntry(e, tableOffset + i * FptEntry.size, tableEnd, region.length, regionBase));
  checkNamesAndOverlaps(partitions, regionBase);
  return { header, partitions };
}

function checkHeader(region: Uint8Array, header: Fpt['header'], at: number): void {
  if (header.headerVersion !== FPT_HEADER_VERSION) fail('headerVersion', at + 8, 'unsupported version', hex(FPT_HEADER_VERSION), hex(header.headerVersion));
  if (header.entryVersion !== FPT_ENTRY_VERSION) fail('entryVersion', at + 9, 'unsupported version', hex(FPT_ENTRY_VERSION), hex(header.entryVersion));
  if (header.headerLength !== FptHeader.size) fail('headerLength', at + 0xa, 'bad header length', hex(FptHeader.size), hex(header.headerLength));
  const sum = sum8(region.subarray(FPT_OFFSET, FPT_OFFSET + FptHeader.size));
  if (sum !== 0) fail('headerChecksum', at + 0xb, 'bad checksum', 'byte sum 0x00', `byte sum ${hex(sum)}`);
  if (header.numPartitions < 1 || header.numPartitions > FPT_MAX_ENTRIES) {
    fail('numPartitions', at + 4, 'out of range', `1..${FPT_MAX_ENTRIES}`, String(header.numPartitions));
  }
}

function checkEntry(e: ReturnType<typeof FptEntry.parse>, entryOffset: number, tableEnd: number, regionLength: number, base: number): FptPartitionEntry {
  const at = base + entryOffset;
  const structure = `$FPT entry ${JSON.stringify(e.name)}`;
  const { type, entryValid } = FptEntryFlags.unpack(e.flags);
  if (entryValid !== ENTRY_VALID && entryValid !== ENTRY_INVALID) fail('flags.entryValid', at + 0x1c, 'bad value', '0x00 or 0xFF', hex(entryValid), structure);
  if (!/^[A-Z0-9]{3,4}$/.test(e.name)) fail('name', at, 'bad name', '3-4 upper-case letters or digits', JSON.stringify(e.name), structure);
  if (type > PartitionType.rom) fail('flags.type', at + 0x1c, 'unknown partition type', '0..5', String(type), structure);
  const valid = entryValid === ENTRY_VALID;
  if (valid && (e.offset < tableEnd || e.offset >= regionLength)) {
    fail('offset', at + 8, 'out of range', `${hex(tableEnd)}..${hex(regionLength - 1)}`, hex(e.offset), structure);
  }
  if (valid && (e.size === 0 || e.offset + e.size > regionLength)) {
    fail('size', at + 0xc, 'out of range', `1..${hex(regionLength - e.offset)}`, hex(e.size), structure);
  }
  return { name: e.name, offset: e.offset, size: e.size, type: type as PartitionTypeNumber, valid, entryOffset };
}

function checkNamesAndOverlaps(partitions: readonly FptPartitionEntry[], base: number): void {
  const valid = partitions.filter((p) => p.valid);
  valid.forEach((p, i) => {
    for (const q of valid.slice(0, i)) {
      const structure = `$FPT entry ${JSON.stringify(p.name)}`;
      if (q.name === p.name) fail('name', base + p.entryOffset, 'duplicate partition', undefined, p.name, structure);
      if (p.offset < q.offset + q.size && q.offset < p.offset + p.size) {
        fail('offset', base + p.entryOffset + 8, `overlaps ${q.name}`, `outside ${hex(q.offset)}..${hex(q.offset + q.size - 1)}`, `${hex(p.offset)}..${hex(p.offset + p.size - 1)}`, structure);
      }
    }
  });
}

/** The valid entry named `name`, if any. */
export function findPartition(fpt: Fpt, name: string): FptPartitionEntry | undefined {
  return fpt.partitions.find((p) => p.valid && p.name === name);
}
