/**
 * The `$CPD` code partition directory (brief §2.4): a 0x14-byte rev 2 header whose CRC-32 covers
 * header and entries (with the CRC field zeroed), then 0x18-byte entries naming each file of the
 * partition (manifest, modules, metadata) with its offset from `$CPD` and its length.
 */
import { struct, u8, u32, ascii, magicAscii, parseArray, bits, at, crc32, DecodeError } from '../codec/index.js';

export const CPD_HEADER_VERSION = 2;
export const CPD_ENTRY_VERSION = 1;
export const CPD_MAX_ENTRIES = 256;

export const CpdHeader = struct('$CPD header', {
  signature: magicAscii('$CPD'), // 0x00
  numEntries: u32(), // 0x04
  headerVersion: u8(), // 0x08 2
  entryVersion: u8(), // 0x09 1
  headerLength: u8(), // 0x0A 0x14
  reserved: u8(), // 0x0B
  partitionName: ascii(4), // 0x0C FTPR / NFTP
  crc32: u32(), // 0x10 CRC-32 of header + entries with this field 0
});

export const CpdEntry = struct('$CPD entry', {
  name: ascii(12), // 0x00 FTPR.man, kernel, kernel.met, ...
  offsetAttributes: u32(), // 0x0C see CpdOffset
  length: u32(), // 0x10
  reserved: u32(), // 0x14
});

export const CpdOffset = bits('$CPD entry offset', {
  offset: at(0, 25), // from the start of $CPD
  huffman: at(25), // Huffman-compressed (never used by vme)
});

export interface CpdFile {
  readonly name: string;
  readonly offset: number;
  readonly length: number;
}

export interface Cpd {
  readonly header: ReturnType<typeof CpdHeader.parse>;
  readonly entries: readonly CpdFile[];
}

/** Bytes of the directory (header + entries) for the given files, CRC filled in. */
export function serializeCpd(partitionName: string, files: readonly CpdFile[]): Uint8Array {
  const out = new Uint8Array(CpdHeader.size + files.length * CpdEntry.size);
  CpdHeader.serialize(CpdHeader.defaults({
    numEntries: files.length, headerVersion: CPD_HEADER_VERSION, entryVersion: CPD_ENTRY_VERSION, headerLength: CpdHeader.size, partitionName,
  }), out, 0);
  files.forEach((f, i) => {
    CpdEntry.serialize(CpdEntry.defaults({ name: f.name, offsetAttributes: CpdOffset.pack({ offset: f.offset }), length: f.length }), out, CpdHeader.size + i * CpdEntry.size);
  });
  new DataView(out.buffer).setUint32(CpdHeader.offsetOf('crc32'), crc32(out), true);
  return out;
}

/** The directory's byte length for `count` entries. */
export const cpdLength = (count: number): number => CpdHeader.size + count * CpdEntry.size;

const hex = (n: number): string => `0x${n.toString(16).toUpperCase()}`;

/**
 * Parse and validate a `$CPD` at the start of `partition`. `base` is the partition's absolute
 * offset (for error messages); `expectedName`, if given, must match the header's partition name.
 * @throws DecodeError for bad magic, version, CRC, entry count, names or ranges.
 */
export function parseCpd(partition: Uint8Array, base = 0, expectedName?: string): Cpd {
  const header = CpdHeader.parse(partition, 0, base);
  const fail = (field: string, offset: number, reason: string, expected?: string, actual?: string, structure = '$CPD header'): never => {
    throw new DecodeError({ structure, field, offset: base + offset, reason, expected, actual });
  };
  if (header.headerVersion !== CPD_HEADER_VERSION) fail('headerVersion', 8, 'unsupported version', String(CPD_HEADER_VERSION), String(header.headerVersion));
  if (header.entryVersion !== CPD_ENTRY_VERSION) fail('entryVersion', 9, 'unsupported version', String(CPD_ENTRY_VERSION), String(header.entryVersion));
  if (header.headerLength !== CpdHeader.size) fail('headerLength', 0xa, 'bad header length', hex(CpdHeader.size), hex(header.headerLength));
  if (expectedName !== undefined && header.partitionName !== expectedName) fail('partitionName', 0xc, 'wrong partition', expectedName, header.partitionName);
  if (header.numEntries < 1 || header.numEntries > CPD_MAX_ENTRIES) fail('numEntries', 4, 'out of range', `1..${CPD_MAX_ENTRIES}`, String(header.numEntries));
  const raw = parseArray(CpdEntry, partition, CpdHeader.size, header.numEntries, base);
  const tableEnd = cpdLength(raw.length);
  // A real copy: Buffer's slice() is a view, and zeroing the CRC field must never touch the caller's bytes.
  const copy = new Uint8Array(partition.subarray(0, tableEnd));
  copy.fill(0, CpdHeader.offsetOf('crc32'), CpdHeader.offsetOf('crc32') + 4);
  const crc = crc32(copy);
  if (crc !== header.crc32) fail('crc32', 0x10, 'bad CRC', hex(crc), hex(header.crc32));
  const seen = new Set<string>();
  const entries = raw.map((e, i): CpdFile => {
    const at = CpdHeader.size + i * CpdEntry.size;
    const structure = `$CPD entry ${JSON.stringify(e.name)}`;
    const { offset, huffman } = CpdOffset.unpack(e.offsetAttributes);
    if (e.name.length === 0 || seen.has(e.name)) fail('name', at, e.name.length === 0 ? 'empty name' : 'duplicate name', undefined, JSON.stringify(e.name), structure);
    seen.add(e.name);
    if (huffman) fail('offsetAttributes', at + 0xc, 'compressed entries are not supported', 'huffman 0', 'huffman 1', structure);
    if (offset < tableEnd || offset + e.length > partition.length) {
      fail('offsetAttributes', at + 0xc, 'out of range', `${hex(tableEnd)}..${hex(partition.length)}`, `${hex(offset)}+${hex(e.length)}`, structure);
    }
    return { name: e.name, offset, length: e.length };
  });
  return { header, entries };
}
