/**
 * The `$MN2` R1 code manifest (brief §2.5): a 0x284-byte header with the RSA-2048 key block and
 * signature (little-endian), followed by TLV extensions up to Size×4. The signature covers
 * `[0, 0x80) ‖ [HeaderLength×4, Size×4)`; the key block at +0x80 is what the ROM's fuse hashes.
 *
 * Platform binding (vme convention): the manifest sets Intel's "PID-bound" flag (bit 29) and
 * carries the platform id (ASCII, ≤ 16 bytes) in the first half of the reserved block at 0x58,
 * which the signature covers. A vendor extension was tried first, but UEFIExtract A62 prints
 * "parseCpdExtensionsArea: CPD extention of unknown type found" for any type it does not know,
 * and every type it does know has Intel's meaning (0x32 "SPS Platform ID" is a 2-letter code).
 */
import type { KeyObject } from 'node:crypto';
import { struct, u16, u32, bytes, ascii, magicAscii, bits, at, DecodeError } from '../codec/index.js';
import { keyBlockOf, signSha256LE, sha256 } from '../crypto/index.js';
import { parseExtensions, type ManifestExtensions } from './extensions.js';

export const MN2_HEADER_TYPE = 4;
export const MN2_HEADER_LENGTH_DWORDS = 0xa1;
export const MN2_HEADER_VERSION = 0x10000;
export const MN2_VENDOR = 0x8086;
export const MN2_KEY_SIZE_DWORDS = 0x40;
export const MN2_EXPONENT_SIZE_DWORDS = 1;
/** Where the key block (modulus ‖ exponent) starts and how long it is. */
export const KEY_BLOCK_OFFSET = 0x80;
export const KEY_BLOCK_LENGTH = 0x104;
/** Largest manifest vme accepts (header + extensions), to bound work on hostile input. */
export const MN2_MAX_BYTES = 0x10000;

export const Mn2Header = struct('$MN2 header', {
  headerType: u16(), // 0x00 4 = code manifest
  headerSubType: u16(), // 0x02 0
  headerLength: u32(), // 0x04 0xA1 dwords = 0x284 bytes
  headerVersion: u32(), // 0x08 0x10000 (R1, RSA-2048)
  flags: u32(), // 0x0C see Mn2Flags; vme sets only pidBound
  vendor: u32(), // 0x10 0x8086
  date: u32(), // 0x14 BCD 0xYYYYMMDD
  size: u32(), // 0x18 manifest + extensions, in dwords
  tag: magicAscii('$MN2'), // 0x1C
  buildTag: u32(), // 0x20
  versionMajor: u16(), // 0x24
  versionMinor: u16(), // 0x26
  versionHotfix: u16(), // 0x28
  versionBuild: u16(), // 0x2A
  svn: u32(), // 0x2C security version number
  toolVersion: bytes(12), // 0x30 MEU tool version etc.
  generalData: bytes(28), // 0x3C GeneralData, IPSpecific0..5
  platformId: ascii(16), // 0x58 reserved in Intel's layout; vme's platform binding
  reserved: bytes(16), // 0x68
  publicKeySize: u32(), // 0x78 0x40 dwords
  exponentSize: u32(), // 0x7C 1 dword
  modulus: bytes(256), // 0x80 RSA modulus, little-endian
  exponent: u32(), // 0x180 RSA public exponent
  signature: bytes(256), // 0x184 RSASSA-PKCS1-v1_5 SHA-256, little-endian
});

export const Mn2Flags = bits('$MN2 flags', {
  preProduction: at(0), // PV bit
  pidBound: at(29), // bound to a product/platform id (vme: header.platformId)
  intelOwned: at(30),
  debugSigned: at(31),
});

export interface FirmwareVersion {
  major: number;
  minor: number;
  hotfix: number;
  build: number;
}

/** `major.minor.hotfix.build`, as MEInfo and the manifests' readers print it. */
export const versionText = (v: FirmwareVersion): string => `${v.major}.${v.minor}.${v.hotfix}.${v.build}`;

export type Mn2HeaderValue = ReturnType<typeof Mn2Header.parse>;
type Mn2Field = Extract<keyof typeof Mn2Header.fields, string>;

export interface ParsedManifest {
  readonly header: Mn2HeaderValue;
  readonly version: FirmwareVersion;
  /** The whole manifest (Size×4 bytes), a view into the input. */
  readonly bytes: Uint8Array;
  readonly extensions: ManifestExtensions;
}

/** BCD date 0xYYYYMMDD (UTC). */
export function bcdDate(date: Date): number {
  const digits = `${date.getUTCFullYear()}${String(date.getUTCMonth() + 1).padStart(2, '0')}${String(date.getUTCDate()).padStart(2, '0')}`;
  return Number.parseInt(digits, 16) >>> 0;
}

/** The 0x104-byte key block (modulus LE ‖ exponent u32) of an RSA-2048 key, as at manifest+0x80. */
export function keyBlockBytes(key: KeyObject): Uint8Array {
  const block = keyBlockOf(key);
  const out = new Uint8Array(KEY_BLOCK_LENGTH);
  out.set(block.modulusLE, 0);
  new DataView(out.buffer).setUint32(0x100, block.exponent, true);
  return out;
}

/** SHA-256 of a key's key block: the value the firmware-key fuse holds. */
export const keyBlockHash = (key: KeyObject): Uint8Array => sha256(keyBlockBytes(key));

/** The two byte ranges the signature covers. */
export function signedParts(manifest: Uint8Array, headerLengthBytes: number, sizeBytes: number): [Uint8Array, Uint8Array] {
  return [manifest.subarray(0, KEY_BLOCK_OFFSET), manifest.subarray(headerLengthBytes, sizeBytes)];
}

export interface BuildManifestOptions {
  version: FirmwareVersion;
  svn: number;
  platformId: string;
  date?: Date;
  extensions: readonly Uint8Array[];
  signingKey: KeyObject;
}

/** Build and sign a manifest with the given (already serialized) extensions. */
export function buildManifest(opts: BuildManifestOptions): Uint8Array {
  const extensionBytes = opts.extensions.reduce((n, e) => n + e.length, 0);
  const total = Mn2Header.size + extensionBytes;
  if (extensionBytes % 4 !== 0) throw new RangeError('extensions must be a whole number of dwords');
  const block = keyBlockOf(opts.signingKey);
  const out = new Uint8Array(total);
  Mn2Header.serialize(Mn2Header.defaults({
    headerType: MN2_HEADER_TYPE, headerLength: MN2_HEADER_LENGTH_DWORDS, headerVersion: MN2_HEADER_VERSION, vendor: MN2_VENDOR,
    date: bcdDate(opts.date ?? new Date()), size: total / 4, flags: Mn2Flags.pack({ pidBound: 1 }), platformId: opts.platformId,
    versionMajor: opts.version.major, versionMinor: opts.version.minor, versionHotfix: opts.version.hotfix, versionBuild: opts.version.build,
    svn: opts.svn, publicKeySize: MN2_KEY_SIZE_DWORDS, exponentSize: MN2_EXPONENT_SIZE_DWORDS, modulus: block.modulusLE, exponent: block.exponent,
  }), out, 0);
  let offset = Mn2Header.size;
  for (const e of opts.extensions) {
    out.set(e, offset);
    offset += e.length;
  }
  const message = Buffer.concat(signedParts(out, Mn2Header.size, total));
  out.set(signSha256LE(opts.signingKey, message), Mn2Header.offsetOf('signature'));
  return out;
}

const hex = (n: number): string => `0x${n.toString(16).toUpperCase()}`;

/**
 * Parse a manifest starting at `offset` of `data` (which must not extend past its `$CPD` entry).
 * Checks the fixed fields and the extension list; does not judge key, signature or hashes.
 * @throws DecodeError naming the field and absolute offset (`base` + position).
 */
export function parseManifest(data: Uint8Array, offset: number, base: number): ParsedManifest {
  const header = Mn2Header.parse(data, offset, base);
  const at = (field: Mn2Field): number => base + offset + Mn2Header.offsetOf(field);
  const expect = (field: Mn2Field, expected: number, actual: number): void => {
    if (expected !== actual) throw new DecodeError({ structure: '$MN2 header', field, offset: at(field), reason: 'bad value', expected: hex(expected), actual: hex(actual) });
  };
  expect('headerType', MN2_HEADER_TYPE, header.headerType);
  expect('headerLength', MN2_HEADER_LENGTH_DWORDS, header.headerLength);
  expect('headerVersion', MN2_HEADER_VERSION, header.headerVersion);
  expect('vendor', MN2_VENDOR, header.vendor);
  expect('publicKeySize', MN2_KEY_SIZE_DWORDS, header.publicKeySize);
  expect('exponentSize', MN2_EXPONENT_SIZE_DWORDS, header.exponentSize);
  const sizeBytes = header.size * 4;
  const available = Math.min(data.length - offset, MN2_MAX_BYTES);
  if (sizeBytes < Mn2Header.size || sizeBytes > available) {
    throw new DecodeError({ structure: '$MN2 header', field: 'size', offset: at('size'), reason: 'out of range', expected: `${hex(Mn2Header.size / 4)}..${hex(Math.floor(available / 4))} dwords`, actual: hex(header.size) });
  }
  const bytes = data.subarray(offset, offset + sizeBytes);
  const extensions = parseExtensions(bytes, Mn2Header.size, sizeBytes, base + offset);
  const version = { major: header.versionMajor, minor: header.versionMinor, hotfix: header.versionHotfix, build: header.versionBuild };
  return { header, version, bytes, extensions };
}
