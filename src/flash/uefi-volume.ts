/**
 * A minimal UEFI PI firmware volume (EFI_FIRMWARE_VOLUME_HEADER `_FVH`, FFS2, erase polarity 1)
 * holding FFS files, the last one being the Volume Top File that ends at the top of flash.
 *
 * API:
 *   buildFirmwareVolume({ size, blockSize?, files?, vtfData? }): Uint8Array
 *     files are laid out from the header (8-byte aligned), a pad file fills the gap, the VTF ends the volume.
 *   parseFirmwareVolume(bytes, offset?, base?): FirmwareVolume — checks header checksum, block map,
 *     every file's header and data checksum, state and bounds, and that free space is erased.
 */
import { struct, u8, u16, u32, u64, bytes, magicAscii, DecodeError, checksum8, sum8 } from '../codec/index.js';
import { guidToBytes, guidToText } from './guid.js';

export const FFS2_GUID = '8C8CE578-8A3D-4F1C-9935-896185C32DD3';
export const VTF_GUID = '1BA0062E-C779-4582-8566-336AE8F78F09';
export const FV_FILETYPE_RAW = 0x01;
export const FV_FILETYPE_PAD = 0xf0;
/** FFS_ATTRIB_CHECKSUM: the file checksum covers the data (otherwise it is the fixed 0xAA). */
export const FFS_ATTRIB_CHECKSUM = 0x40;
const FFS_ATTRIB_LARGE_FILE = 0x01;
const FFS_FIXED_CHECKSUM = 0xaa;
/** HEADER_CONSTRUCTION | HEADER_VALID | DATA_VALID, inverted because the erase polarity is 1. */
export const FFS_STATE_VALID = 0xf8;
/** Read/write/lock capabilities and status, memory-mapped, erase polarity 1, 16-byte alignment. */
export const FV_ATTRIBUTES = 0x0004feff;
const FV_REVISION = 2;

export const FirmwareVolumeHeader = struct('EFI firmware volume header', {
  zeroVector: bytes(16), // 0x00
  fileSystemGuid: bytes(16), // 0x10 FFS2
  fvLength: u64(), // 0x20 whole volume, header included
  signature: magicAscii('_FVH'), // 0x28
  attributes: u32(), // 0x2C EFI_FVB2_*
  headerLength: u16(), // 0x30 header + block map
  checksum: u16(), // 0x32 makes the 16-bit sum of the header zero
  extHeaderOffset: u16(), // 0x34 0 = no extended header
  reserved: u8(), // 0x36
  revision: u8(), // 0x37 = 2
});

export const BlockMapEntry = struct('EFI firmware volume block map entry', {
  blockCount: u32(), // 0x00
  blockLength: u32(), // 0x04
});

export const FfsFileHeader = struct('EFI FFS file header', {
  name: bytes(16), // 0x00 file GUID
  headerChecksum: u8(), // 0x10 header sums to 0 with state and fileChecksum taken as 0
  fileChecksum: u8(), // 0x11 data checksum-8, or 0xAA without FFS_ATTRIB_CHECKSUM
  type: u8(), // 0x12 EFI_FV_FILETYPE_*
  attributes: u8(), // 0x13 FFS_ATTRIB_*
  sizeLow: u16(), // 0x14 24-bit size (header included), low 16 bits
  sizeHigh: u8(), // 0x16 high 8 bits
  state: u8(), // 0x17 EFI_FILE_* bits, inverted (erase polarity 1)
});

export interface FfsFileSpec {
  readonly name: string;
  readonly type: number;
  readonly data: Uint8Array;
  /** Set FFS_ATTRIB_CHECKSUM and checksum the data (default true). */
  readonly checksum?: boolean;
}

export interface FfsFile {
  /** From the start of the volume. */
  readonly offset: number;
  readonly name: string;
  readonly type: number;
  readonly attributes: number;
  readonly size: number;
  readonly data: Uint8Array;
}

export interface FirmwareVolume {
  readonly length: number;
  readonly attributes: number;
  readonly headerLength: number;
  readonly blockMap: { blockCount: number; blockLength: number }[];
  readonly files: FfsFile[];
}

const align8 = (n: number): number => (n + 7) & ~7;
const headerLengthWithMap = FirmwareVolumeHeader.size + 2 * BlockMapEntry.size;

/** A Volume Top File body: 0x40 bytes ending at the top of flash, `jmp $` at the reset vector (top - 0x10). */
export function defaultVtfData(): Uint8Array {
  const data = new Uint8Array(0x40);
  data.set([0xeb, 0xfe], 0x30);
  return data;
}

/** Serialize one FFS file (header + data) with correct checksums and the valid state. */
export function buildFfsFile(spec: FfsFileSpec): Uint8Array {
  const size = FfsFileHeader.size + spec.data.length;
  if (size > 0xffffff) throw new RangeError(`FFS file ${spec.name} is too large for a 24-bit size`);
  const withChecksum = spec.checksum ?? true;
  const header = {
    name: guidToBytes(spec.name), headerChecksum: 0, fileChecksum: 0, type: spec.type,
    attributes: withChecksum ? FFS_ATTRIB_CHECKSUM : 0, sizeLow: size & 0xffff, sizeHigh: size >>> 16, state: 0,
  };
  header.headerChecksum = checksum8(FfsFileHeader.serialize(header));
  header.fileChecksum = withChecksum ? checksum8(spec.data) : FFS_FIXED_CHECKSUM;
  header.state = FFS_STATE_VALID;
  const out = new Uint8Array(size);
  FfsFileHeader.serialize(header, out, 0);
  out.set(spec.data, FfsFileHeader.size);
  return out;
}

/** Build a volume of `size` bytes: files, a pad file, and the VTF ending exactly at the top. */
export function buildFirmwareVolume(spec: { size: number; blockSize?: number; files?: readonly FfsFileSpec[]; vtfData?: Uint8Array }): Uint8Array {
  const blockSize = spec.blockSize ?? 0x1000;
  if (spec.size % blockSize !== 0 || spec.size < blockSize) throw new RangeError(`volume size ${spec.size} is not a whole number of ${blockSize}-byte blocks`);
  const out = new Uint8Array(spec.size).fill(0xff);
  writeVolumeHeader(out, spec.size, blockSize);
  let position = headerLengthWithMap;
  for (const file of spec.files ?? []) {
    position = align8(position);
    const built = buildFfsFile(file);
    out.set(built, position);
    position += built.length;
  }
  const vtf = buildFfsFile({ name: VTF_GUID, type: FV_FILETYPE_RAW, data: spec.vtfData ?? defaultVtfData() });
  const vtfStart = spec.size - vtf.length;
  if (vtfStart % 8 !== 0) throw new RangeError(`VTF of ${vtf.length} bytes would not start 8-byte aligned`);
  fillGap(out, align8(position), vtfStart);
  out.set(vtf, vtfStart);
  return out;
}

function writeVolumeHeader(out: Uint8Array, size: number, blockSize: number): void {
  const header = FirmwareVolumeHeader.defaults({
    fileSystemGuid: guidToBytes(FFS2_GUID), fvLength: BigInt(size), attributes: FV_ATTRIBUTES,
    headerLength: headerLengthWithMap, revision: FV_REVISION,
  });
  FirmwareVolumeHeader.serialize(header, out, 0);
  BlockMapEntry.serialize({ blockCount: size / blockSize, blockLength: blockSize }, out, FirmwareVolumeHeader.size);
  BlockMapEntry.serialize({ blockCount: 0, blockLength: 0 }, out, FirmwareVolumeHeader.size + BlockMapEntry.size);
  header.checksum = (0x10000 - sum16(out.subarray(0, headerLengthWithMap))) & 0xffff;
  FirmwareVolumeHeader.serialize(header, out, 0);
}

/** Fill [from, to) with a pad file (erased body), as GenFv does before a VTF. */
function fillGap(out: Uint8Array, from: number, to: number): void {
  const gap = to - from;
  if (gap < 0) throw new RangeError(`FFS files overlap the VTF by ${-gap} bytes`);
  if (gap === 0) return;
  if (gap < FfsFileHeader.size) throw new RangeError(`a ${gap}-byte gap before the VTF is too small for a pad file`);
  const pad = buildFfsFile({ name: '00000000-0000-0000-0000-000000000000', type: FV_FILETYPE_PAD, data: new Uint8Array(gap - FfsFileHeader.size).fill(0xff), checksum: false });
  out.set(pad, from);
}

function sum16(data: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i + 1 < data.length; i += 2) sum = (sum + (data[i] ?? 0) + ((data[i + 1] ?? 0) << 8)) & 0xffff;
  return sum;
}

// ---- parsing ---------------------------------------------------------------------------------

/** Parse and check a volume at `offset`; `base` is added to error offsets. @throws DecodeError */
export function parseFirmwareVolume(data: Uint8Array, offset = 0, base = 0): FirmwareVolume {
  const at = base + offset;
  const header = FirmwareVolumeHeader.parse(data, offset, base);
  const fail = (field: string, rel: number, reason: string, expected: string, actual: string): DecodeError =>
    new DecodeError({ structure: 'EFI firmware volume header', field, offset: at + rel, reason, expected, actual });
  if (guidToText(header.fileSystemGuid) !== FFS2_GUID) throw fail('fileSystemGuid', 0x10, 'unsupported file system', FFS2_GUID, guidToText(header.fileSystemGuid));
  const length = Number(header.fvLength);
  if (length > data.length - offset || length < headerLengthWithMap) throw fail('fvLength', 0x20, 'volume outside the input', `<= 0x${(data.length - offset).toString(16)}`, `0x${length.toString(16)}`);
  if (header.revision !== FV_REVISION) throw fail('revision', 0x37, 'unsupported revision', '2', String(header.revision));
  if (header.extHeaderOffset !== 0) throw fail('extHeaderOffset', 0x34, 'extended headers are not supported', '0', String(header.extHeaderOffset));
  if (header.headerLength % 8 !== 0 || header.headerLength < headerLengthWithMap || header.headerLength > length) {
    throw fail('headerLength', 0x30, 'out of range', `8-aligned, 0x${headerLengthWithMap.toString(16)}..fvLength`, `0x${header.headerLength.toString(16)}`);
  }
  const volume = data.subarray(offset, offset + length);
  const sum = sum16(volume.subarray(0, header.headerLength));
  if (sum !== 0) throw fail('checksum', 0x32, 'bad checksum', '16-bit header sum 0x0000', `0x${sum.toString(16).padStart(4, '0')}`);
  const blockMap = parseBlockMap(volume, header.headerLength, at);
  const mapped = blockMap.reduce((a, b) => a + b.blockCount * b.blockLength, 0);
  if (mapped !== length) throw fail('blockMap', FirmwareVolumeHeader.size, 'block map does not cover the volume', `0x${length.toString(16)}`, `0x${mapped.toString(16)}`);
  return { length, attributes: header.attributes, headerLength: header.headerLength, blockMap, files: parseFiles(volume, header.headerLength, at) };
}

function parseBlockMap(volume: Uint8Array, headerLength: number, at: number): { blockCount: number; blockLength: number }[] {
  const entries: { blockCount: number; blockLength: number }[] = [];
  for (let pos = FirmwareVolumeHeader.size; pos + BlockMapEntry.size <= headerLength; pos += BlockMapEntry.size) {
    const entry = BlockMapEntry.parse(volume, pos, at);
    if (entry.blockCount === 0 && entry.blockLength === 0) return entries;
    entries.push(entry);
  }
  throw new DecodeError({ structure: 'EFI firmware volume block map', field: '(terminator)', offset: at + FirmwareVolumeHeader.size, reason: 'missing {0, 0} terminator inside headerLength' });
}

function parseFiles(volume: Uint8Array, start: number, at: number): FfsFile[] {
  const files: FfsFile[] = [];
  let pos = align8(start);
  while (pos + FfsFileHeader.size <= volume.length) {
    if (volume.subarray(pos, pos + FfsFileHeader.size).every((b) => b === 0xff)) {
      checkErased(volume, pos, at);
      break;
    }
    const file = parseFile(volume, pos, at);
    files.push(file);
    pos = align8(pos + file.size);
  }
  return files;
}

function parseFile(volume: Uint8Array, pos: number, at: number): FfsFile {
  const header = FfsFileHeader.parse(volume, pos, at);
  const size = header.sizeLow | (header.sizeHigh << 16);
  const name = guidToText(header.name);
  const fail = (field: string, rel: number, reason: string, expected: string, actual: string): DecodeError =>
    new DecodeError({ structure: `EFI FFS file ${name}`, field, offset: at + pos + rel, reason, expected, actual });
  if (header.attributes & FFS_ATTRIB_LARGE_FILE) throw fail('attributes', 0x13, 'large files are not supported', 'FFS_ATTRIB_LARGE_FILE clear', `0x${header.attributes.toString(16)}`);
  if (size < FfsFileHeader.size || pos + size > volume.length) throw fail('size', 0x14, 'file outside the volume', `0x18..0x${(volume.length - pos).toString(16)}`, `0x${size.toString(16)}`);
  const headerBytes = Uint8Array.from(volume.subarray(pos, pos + FfsFileHeader.size));
  headerBytes[0x11] = 0;
  headerBytes[0x17] = 0;
  if (sum8(headerBytes) !== 0) throw fail('headerChecksum', 0x10, 'bad checksum', 'header sum 0x00', `0x${sum8(headerBytes).toString(16)}`);
  const data = volume.subarray(pos + FfsFileHeader.size, pos + size);
  const expectedFileChecksum = header.attributes & FFS_ATTRIB_CHECKSUM ? checksum8(data) : FFS_FIXED_CHECKSUM;
  if (header.fileChecksum !== expectedFileChecksum) throw fail('fileChecksum', 0x11, 'bad checksum', `0x${expectedFileChecksum.toString(16)}`, `0x${header.fileChecksum.toString(16)}`);
  if (header.state !== FFS_STATE_VALID) throw fail('state', 0x17, 'file not in the valid state', `0x${FFS_STATE_VALID.toString(16)}`, `0x${header.state.toString(16)}`);
  return { offset: pos, name, type: header.type, attributes: header.attributes, size, data: Uint8Array.from(data) };
}

function checkErased(volume: Uint8Array, from: number, at: number): void {
  const dirty = volume.subarray(from).findIndex((b) => b !== 0xff);
  if (dirty >= 0) {
    throw new DecodeError({ structure: 'EFI firmware volume free space', field: '(data)', offset: at + from + dirty, reason: 'non-erased data in free space', expected: '0xFF', actual: `0x${(volume[from + dirty] ?? 0).toString(16)}` });
  }
}
