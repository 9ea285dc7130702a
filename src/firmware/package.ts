/**
 * The firmware update package: a small container holding the signed code partitions (FTPR and
 * NFTP) of one firmware release for one platform. The container itself is not trusted: every
 * partition in it carries its own signed `$MN2` manifest, which the updater verifies with the
 * ROM's code before anything is written.
 *
 *   PackageHeader (0x30 bytes) | PackageEntry × count (0x30 bytes each) | partition bytes...
 */
import { struct, u8, u16, u32, bytes, ascii, magicAscii, parseArray, DecodeError } from '../codec/index.js';
import { createHash } from 'node:crypto';

export const PackageHeader = struct('firmware package header', {
  magic: magicAscii('VMEFWPKG'), // 0x00 container signature
  formatVersion: u16(), // 0x08 = 1
  entryCount: u16(), // 0x0A number of PackageEntry records
  headerLength: u32(), // 0x0C = 0x30
  platformId: ascii(16), // 0x10 platform the release is for (informational; the manifests decide)
  raiseSvnFloor: u8(), // 0x20 1 = after a successful update, raise the fuse floor to the release's ARB SVN
  reserved: bytes(15), // 0x21
});

export const PackageEntry = struct('firmware package entry', {
  name: ascii(4), // 0x00 partition name: FTPR or NFTP
  offset: u32(), // 0x04 from the start of the package
  size: u32(), // 0x08
  reserved: u32(), // 0x0C
  sha256: bytes(32), // 0x10 digest of the partition bytes (transport integrity only, not trust)
});

export const PACKAGE_FORMAT_VERSION = 1;
const PARTITION_NAMES = ['FTPR', 'NFTP'] as const;
export type PackagedPartitionName = (typeof PARTITION_NAMES)[number];

export interface FirmwarePackage {
  platformId: string;
  raiseSvnFloor: boolean;
  partitions: Map<PackagedPartitionName, Uint8Array>;
}

/** Serialize a package; partitions are written in FTPR, NFTP order. */
export function serializePackage(pkg: FirmwarePackage): Uint8Array {
  const names = PARTITION_NAMES.filter((n) => pkg.partitions.has(n));
  const tableEnd = PackageHeader.size + names.length * PackageEntry.size;
  const total = names.reduce((sum, n) => sum + (pkg.partitions.get(n)?.length ?? 0), tableEnd);
  const out = new Uint8Array(total);
  PackageHeader.serialize(PackageHeader.defaults({
    formatVersion: PACKAGE_FORMAT_VERSION, entryCount: names.length, headerLength: PackageHeader.size,
    platformId: pkg.platformId, raiseSvnFloor: pkg.raiseSvnFloor ? 1 : 0,
  }), out, 0);
  let offset = tableEnd;
  names.forEach((name, i) => {
    const data = pkg.partitions.get(name) as Uint8Array;
    PackageEntry.serialize({ name, offset, size: data.length, reserved: 0, sha256: sha256(data) }, out, PackageHeader.size + i * PackageEntry.size);
    out.set(data, offset);
    offset += data.length;
  });
  return out;
}

/**
 * Parse a package, checking the container's own consistency (lengths, names, digests).
 * @throws DecodeError naming the field and offset at fault.
 */
export function parsePackage(data: Uint8Array): FirmwarePackage {
  const header = PackageHeader.parse(data);
  const fail = (field: string, offset: number, reason: string, expected?: string, actual?: string): never => {
    throw new DecodeError({ structure: 'firmware package', field, offset, reason, expected, actual });
  };
  if (header.formatVersion !== PACKAGE_FORMAT_VERSION) fail('formatVersion', 8, 'unsupported version', String(PACKAGE_FORMAT_VERSION), String(header.formatVersion));
  if (header.headerLength !== PackageHeader.size) fail('headerLength', 0xc, 'bad header length', String(PackageHeader.size), String(header.headerLength));
  if (header.entryCount < 1 || header.entryCount > PARTITION_NAMES.length) fail('entryCount', 0xa, 'out of range', `1..${PARTITION_NAMES.length}`, String(header.entryCount));
  const entries = parseArray(PackageEntry, data, PackageHeader.size, header.entryCount);
  const partitions = new Map<PackagedPartitionName, Uint8Array>();
  entries.forEach((e, i) => {
    const at = PackageHeader.size + i * PackageEntry.size;
    if (!(PARTITION_NAMES as readonly string[]).includes(e.name)) fail(`entry[${i}].name`, at, 'unknown partition', PARTITION_NAMES.join('|'), JSON.stringify(e.name));
    if (partitions.has(e.name as PackagedPartitionName)) fail(`entry[${i}].name`, at, 'duplicate partition', undefined, e.name);
    if (e.offset < PackageHeader.size + entries.length * PackageEntry.size || e.offset + e.size > data.length || e.size === 0) {
      fail(`entry[${i}].offset`, at + 4, 'out of range', `within 0x${data.length.toString(16)} bytes`, `0x${e.offset.toString(16)}+0x${e.size.toString(16)}`);
    }
    const body = new Uint8Array(data.subarray(e.offset, e.offset + e.size)); // a plain copy, even when `data` is a Buffer
    const digest = sha256(body);
    if (!Buffer.from(digest).equals(Buffer.from(e.sha256))) fail(`entry[${i}].sha256`, at + 0x10, 'bad digest', Buffer.from(e.sha256).toString('hex'), Buffer.from(digest).toString('hex'));
    partitions.set(e.name as PackagedPartitionName, body);
  });
  return { platformId: header.platformId, raiseSvnFloor: header.raiseSvnFloor === 1, partitions };
}

function sha256(data: Uint8Array): Uint8Array {
  return createHash('sha256').update(data).digest();
}
