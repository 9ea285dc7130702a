/**
 * `$MN2` manifest extensions (brief §2.5), each a TLV whose first two dwords are type and length
 * (including those 8 bytes): 0x03 Partition Information, 0x0F Signed Package Information (+ one
 * 0x34-byte entry per module) and 0x0A Module Attributes (the whole of a `<module>.met` file).
 * Hashes are stored byte-reversed. (The platform binding lives in the header: see manifest.ts.)
 */
import { struct, u8, u16, u32, bytes, ascii, parseArray, DecodeError } from '../codec/index.js';

export const ExtensionType = {
  partitionInfo: 0x03,
  moduleAttributes: 0x0a,
  signedPackageInfo: 0x0f,
} as const;

export const HASH_ALGORITHM_SHA256 = 2;
export const VENDOR_ID_INTEL = 0x8086;

export const ExtensionHeader = struct('$MN2 extension header', {
  type: u32(), // 0x00
  length: u32(), // 0x04 including this header
});

export const PartitionInfoExtension = struct('$MN2 extension 0x03 Partition Information', {
  type: u32(), // 0x00 = 0x03
  length: u32(), // 0x04 = 0x58 (no module entries)
  partitionName: ascii(4), // 0x08
  partitionSize: u32(), // 0x0C bytes from $CPD covered by the hash (see code-partition.ts)
  hash: bytes(32), // 0x10 SHA-256, reversed
  vcn: u32(), // 0x30 version control number
  partitionVersion: u32(), // 0x34
  dataFormatMinor: u16(), // 0x38
  dataFormatMajor: u16(), // 0x3A
  instanceId: u32(), // 0x3C
  flags: u32(), // 0x40
  reserved: bytes(16), // 0x44
  unknown: u32(), // 0x54
});

export const SignedPackageInfoExtension = struct('$MN2 extension 0x0F Signed Package Information', {
  type: u32(), // 0x00 = 0x0F
  length: u32(), // 0x04 = 0x34 + 0x34 per module
  partitionName: ascii(4), // 0x08
  vcn: u32(), // 0x0C
  usageBitmap: bytes(16), // 0x10 key usages this manifest serves
  arbSvn: u32(), // 0x20 anti-rollback SVN (compared with the fuse)
  reserved: bytes(16), // 0x24
});

export const SignedPackageModule = struct('$MN2 extension 0x0F module entry', {
  name: ascii(12), // 0x00
  type: u8(), // 0x0C 0 process, 1 shared lib, 2 data, 3 independent
  hashAlgorithm: u8(), // 0x0D 2 = SHA-256
  hashSize: u16(), // 0x0E 32
  metadataSize: u32(), // 0x10 length of <module>.met
  metadataHash: bytes(32), // 0x14 SHA-256 of <module>.met, reversed
});

export const ModuleAttributesExtension = struct('$MN2 extension 0x0A Module Attributes', {
  type: u32(), // 0x00 = 0x0A
  length: u32(), // 0x04 = 0x38
  compression: u8(), // 0x08 0 none
  encryption: u8(), // 0x09 0 none
  reserved: u16(), // 0x0A
  sizeUncompressed: u32(), // 0x0C
  sizeCompressed: u32(), // 0x10
  deviceId: u16(), // 0x14
  vendorId: u16(), // 0x16 0x8086
  hash: bytes(32), // 0x18 SHA-256 of the module, reversed
});

export type PartitionInfo = ReturnType<typeof PartitionInfoExtension.parse>;
export type SignedPackageInfo = ReturnType<typeof SignedPackageInfoExtension.parse> & { modules: ReturnType<typeof SignedPackageModule.parse>[] };
export type ModuleAttributes = ReturnType<typeof ModuleAttributesExtension.parse>;

/** One extension as found in a manifest: its type, offset in the manifest and bytes. */
export interface RawExtension {
  readonly type: number;
  readonly offset: number;
  readonly length: number;
}

export interface ManifestExtensions {
  readonly raw: readonly RawExtension[];
  readonly partitionInfo?: PartitionInfo;
  readonly signedPackageInfo?: SignedPackageInfo;
}

/** Serialize 0x0F with its module entries (length filled in). */
export function serializeSignedPackageInfo(info: Omit<SignedPackageInfo, 'type' | 'length'>): Uint8Array {
  const length = SignedPackageInfoExtension.size + info.modules.length * SignedPackageModule.size;
  const out = new Uint8Array(length);
  SignedPackageInfoExtension.serialize({ ...info, type: ExtensionType.signedPackageInfo, length }, out, 0);
  info.modules.forEach((m, i) => SignedPackageModule.serialize(m, out, SignedPackageInfoExtension.size + i * SignedPackageModule.size));
  return out;
}

const hex = (n: number): string => `0x${n.toString(16).toUpperCase()}`;

/**
 * Walk the TLV list in `data[start, end)` and decode the extensions vme knows.
 * `base` is the absolute offset of `data[0]` (for errors).
 * @throws DecodeError for a bad length, a duplicate or a malformed known extension.
 */
export function parseExtensions(data: Uint8Array, start: number, end: number, base: number): ManifestExtensions {
  const raw: RawExtension[] = [];
  const found: { partitionInfo?: PartitionInfo; signedPackageInfo?: SignedPackageInfo } = {};
  for (let offset = start; offset < end;) {
    const header = ExtensionHeader.parse(data.subarray(0, end), offset, base);
    if (header.length < ExtensionHeader.size || header.length % 4 !== 0 || offset + header.length > end) {
      throw new DecodeError({ structure: `$MN2 extension ${hex(header.type)}`, field: 'length', offset: base + offset + 4, reason: 'out of range', expected: `multiple of 4 in 8..${hex(end - offset)}`, actual: hex(header.length) });
    }
    if (raw.some((r) => r.type === header.type)) {
      throw new DecodeError({ structure: `$MN2 extension ${hex(header.type)}`, field: 'type', offset: base + offset, reason: 'duplicate extension' });
    }
    raw.push({ type: header.type, offset, length: header.length });
    decodeKnown(data.subarray(0, offset + header.length), offset, header, base, found);
    offset += header.length;
  }
  return { raw, ...found };
}

function decodeKnown(data: Uint8Array, offset: number, header: { type: number; length: number }, base: number, found: {
  partitionInfo?: PartitionInfo; signedPackageInfo?: SignedPackageInfo;
}): void {
  if (header.type === ExtensionType.partitionInfo) {
    found.partitionInfo = PartitionInfoExtension.parse(data, offset, base);
  } else if (header.type === ExtensionType.signedPackageInfo) {
    const info = SignedPackageInfoExtension.parse(data, offset, base);
    const tableBytes = header.length - SignedPackageInfoExtension.size;
    if (tableBytes % SignedPackageModule.size !== 0) {
      throw new DecodeError({ structure: SignedPackageInfoExtension.name, field: 'length', offset: base + offset + 4, reason: 'not header + whole module entries', actual: hex(header.length) });
    }
    const modules = parseArray(SignedPackageModule, data, offset + SignedPackageInfoExtension.size, tableBytes / SignedPackageModule.size, base);
    found.signedPackageInfo = { ...info, modules };
  }
}

/**
 * Parse a `<module>.met` file: exactly one 0x0A Module Attributes extension.
 * @throws DecodeError when the type, length or size is wrong.
 */
export function parseModuleMetadata(met: Uint8Array, base: number): ModuleAttributes {
  const value = ModuleAttributesExtension.parse(met, 0, base);
  const fail = (field: string, at: number, expected: string, actual: string): never => {
    throw new DecodeError({ structure: ModuleAttributesExtension.name, field, offset: base + at, reason: 'bad value', expected, actual });
  };
  if (value.type !== ExtensionType.moduleAttributes) fail('type', 0, hex(ExtensionType.moduleAttributes), hex(value.type));
  if (value.length !== ModuleAttributesExtension.size || met.length !== ModuleAttributesExtension.size) fail('length', 4, hex(ModuleAttributesExtension.size), hex(value.length));
  if (value.compression !== 0) fail('compression', 8, '0 (none)', String(value.compression));
  return value;
}
