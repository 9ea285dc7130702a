/**
 * A code partition (FTPR or NFTP): `$CPD` directory, signed `<PART>.man`, and for each module
 * the module bytes and its `<module>.met`. Layout from the partition start:
 *
 *   $CPD header + entries | <PART>.man | <m>.met, <m> for each module ... | 0xFF up to the FPT size
 *
 * Each file starts 16-byte aligned; gaps are 0xFF. Partition hash (ext 0x03): SHA-256 over
 * `[0, manifest start) ‖ [manifest end, PartitionSize)` where PartitionSize is the end of the last
 * file listed in `$CPD` (the "content end"). The 0xFF padding after it, up to the FPT entry's size,
 * is not covered: nothing reads it, and erased flash may differ there without changing trust.
 */
import type { KeyObject } from 'node:crypto';
import { VmeError } from '../common/errors.js';
import { DecodeError } from '../codec/index.js';
import { sha256, reversed } from '../crypto/index.js';
import { serializeCpd, cpdLength, parseCpd, type Cpd, type CpdFile } from './cpd.js';
import { buildManifest, parseManifest, Mn2Header, type FirmwareVersion, type ParsedManifest } from './manifest.js';
import {
  ExtensionType, PartitionInfoExtension, SignedPackageInfoExtension, SignedPackageModule, ModuleAttributesExtension,
  serializeSignedPackageInfo, parseModuleMetadata, HASH_ALGORITHM_SHA256, VENDOR_ID_INTEL, type ModuleAttributes,
} from './extensions.js';

export type CodePartitionName = 'FTPR' | 'NFTP';
export const CODE_PARTITION_NAMES: readonly CodePartitionName[] = ['FTPR', 'NFTP'];
/** Key usage bit each partition's manifest sets in ext 0x0F (vme's convention: FTPR 0, NFTP 1). */
export const USAGE_BIT: Record<CodePartitionName, number> = { FTPR: 0, NFTP: 1 };
export const FILE_ALIGNMENT = 0x10;
export const MODULE_NAME = /^[a-z][a-z0-9_]{0,7}$/;
export const PLATFORM_ID = /^[\x21-\x7e]{1,16}$/;

export interface ModuleInput {
  name: string;
  data: Uint8Array;
  /** 0x0F module type: 0 process (default), 1 shared lib, 2 data, 3 independent. */
  type?: number;
}

export interface CodePartitionOptions {
  name: CodePartitionName;
  version: FirmwareVersion;
  svn: number;
  arbSvn: number;
  vcn?: number;
  platformId: string;
  modules: readonly ModuleInput[];
  signingKey: KeyObject;
  partitionSize: number;
  date?: Date;
}

const align = (n: number): number => Math.ceil(n / FILE_ALIGNMENT) * FILE_ALIGNMENT;
const buildError = (message: string, details: Record<string, unknown> = {}): VmeError => new VmeError('VME_ERR_ME_BUILD', message, details);

/** Manifest length for `moduleCount` modules with vme's two extensions (0x03, 0x0F). */
export const manifestLength = (moduleCount: number): number =>
  Mn2Header.size + PartitionInfoExtension.size + SignedPackageInfoExtension.size + moduleCount * SignedPackageModule.size;

function checkInputs(opts: CodePartitionOptions): void {
  if (!CODE_PARTITION_NAMES.includes(opts.name)) throw buildError(`unknown code partition ${JSON.stringify(opts.name)}`);
  if (!PLATFORM_ID.test(opts.platformId)) throw buildError(`platform id ${JSON.stringify(opts.platformId)} must be 1-16 printable ASCII characters`);
  if (opts.modules.length === 0) throw buildError('a code partition needs at least one module');
  const seen = new Set<string>();
  for (const m of opts.modules) {
    if (!MODULE_NAME.test(m.name)) throw buildError(`module name ${JSON.stringify(m.name)} must match ${MODULE_NAME.source}`);
    if (seen.has(m.name)) throw buildError(`duplicate module ${m.name}`);
    seen.add(m.name);
  }
  for (const [field, value] of Object.entries({ svn: opts.svn, arbSvn: opts.arbSvn, vcn: opts.vcn ?? 0 })) {
    if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) throw buildError(`${field} ${value} is not a u32`);
  }
}

function metadataOf(module: ModuleInput): Uint8Array {
  return ModuleAttributesExtension.serialize(ModuleAttributesExtension.defaults({
    type: ExtensionType.moduleAttributes, length: ModuleAttributesExtension.size,
    sizeUncompressed: module.data.length, sizeCompressed: module.data.length, vendorId: VENDOR_ID_INTEL, hash: reversed(sha256(module.data)),
  }));
}

/** Plan where every file goes: returns the `$CPD` entries and the content end. */
function layout(opts: CodePartitionOptions, metadata: readonly Uint8Array[]): { files: CpdFile[]; contentEnd: number } {
  const files: CpdFile[] = [];
  let offset = align(cpdLength(1 + 2 * opts.modules.length));
  const place = (name: string, length: number): void => {
    files.push({ name, offset, length });
    offset = align(offset + length);
  };
  place(`${opts.name}.man`, manifestLength(opts.modules.length));
  opts.modules.forEach((m, i) => {
    place(`${m.name}.met`, metadata[i]?.length ?? 0);
    place(m.name, m.data.length);
  });
  const last = files[files.length - 1] as CpdFile;
  return { files, contentEnd: last.offset + last.length };
}

/** Build and sign a code partition of exactly `partitionSize` bytes. @throws VmeError VME_ERR_ME_BUILD */
export function buildCodePartition(opts: CodePartitionOptions): Uint8Array {
  checkInputs(opts);
  const metadata = opts.modules.map(metadataOf);
  const { files, contentEnd } = layout(opts, metadata);
  if (contentEnd > opts.partitionSize) throw buildError(`${opts.name} content needs 0x${contentEnd.toString(16)} bytes; partition size is 0x${opts.partitionSize.toString(16)}`);
  const out = new Uint8Array(opts.partitionSize).fill(0xff);
  out.set(serializeCpd(opts.name, files), 0);
  opts.modules.forEach((m, i) => {
    out.set(metadata[i] as Uint8Array, (files[1 + 2 * i] as CpdFile).offset);
    out.set(m.data, (files[2 + 2 * i] as CpdFile).offset);
  });
  const man = files[0] as CpdFile;
  const partitionHash = sha256(out.subarray(0, man.offset), out.subarray(man.offset + man.length, contentEnd));
  const manifest = buildManifest({ version: opts.version, svn: opts.svn, platformId: opts.platformId, date: opts.date, signingKey: opts.signingKey, extensions: extensionsFor(opts, metadata, contentEnd, partitionHash) });
  out.set(manifest, man.offset);
  return out;
}

function extensionsFor(opts: CodePartitionOptions, metadata: readonly Uint8Array[], contentEnd: number, partitionHash: Uint8Array): Uint8Array[] {
  const vcn = opts.vcn ?? 0;
  const partitionInfo = PartitionInfoExtension.serialize(PartitionInfoExtension.defaults({
    type: ExtensionType.partitionInfo, length: PartitionInfoExtension.size, partitionName: opts.name, partitionSize: contentEnd, hash: reversed(partitionHash), vcn,
  }));
  const usageBitmap = new Uint8Array(16);
  usageBitmap[USAGE_BIT[opts.name] >> 3] = 1 << (USAGE_BIT[opts.name] & 7);
  const signedPackageInfo = serializeSignedPackageInfo({
    partitionName: opts.name, vcn, usageBitmap, arbSvn: opts.arbSvn, reserved: new Uint8Array(16),
    modules: opts.modules.map((m, i) => ({
      name: m.name, type: m.type ?? 0, hashAlgorithm: HASH_ALGORITHM_SHA256, hashSize: 32,
      metadataSize: (metadata[i] as Uint8Array).length, metadataHash: reversed(sha256(metadata[i] as Uint8Array)),
    })),
  });
  return [partitionInfo, signedPackageInfo];
}

export interface ParsedModule {
  readonly name: string;
  /** Offset of the module within the partition. */
  readonly offset: number;
  readonly data: Uint8Array;
  readonly metadataOffset: number;
  readonly metadata: Uint8Array;
  readonly attributes: ModuleAttributes;
}

export interface ParsedCodePartition {
  readonly name: CodePartitionName;
  readonly cpd: Cpd;
  /** Offset of `<PART>.man` within the partition. */
  readonly manifestOffset: number;
  readonly manifest: ParsedManifest;
  readonly modules: readonly ParsedModule[];
}

/**
 * Parse a code partition's structure without judging trust: `$CPD` (CRC), `<name>.man`
 * (fields and extensions), and every module with its `.met`. `base` = absolute offset of `bytes[0]`.
 * @throws DecodeError naming the structure, field and absolute offset at fault.
 */
export function parseCodePartition(bytes: Uint8Array, name: CodePartitionName, base = 0): ParsedCodePartition {
  return parseCodePartitionFiles(bytes, name, parseCpd(bytes, base, name), base);
}

/** The part of parseCodePartition after the `$CPD` directory was parsed (the ROM reports them apart). */
export function parseCodePartitionFiles(bytes: Uint8Array, name: CodePartitionName, cpd: Cpd, base = 0): ParsedCodePartition {
  const fileBytes = (f: CpdFile): Uint8Array => bytes.subarray(f.offset, f.offset + f.length);
  const man = cpd.entries.find((e) => e.name === `${name}.man`);
  if (!man) throw new DecodeError({ structure: '$CPD', field: 'entries', offset: base, reason: 'missing manifest', expected: `${name}.man` });
  const manifest = parseManifest(fileBytes(man), 0, base + man.offset);
  const modules = cpd.entries.filter((e) => e !== man && !e.name.endsWith('.met') && !e.name.endsWith('.man')).map((entry): ParsedModule => {
    const met = cpd.entries.find((e) => e.name === `${entry.name}.met`);
    if (!met) throw new DecodeError({ structure: '$CPD', field: 'entries', offset: base, reason: 'module without metadata', expected: `${entry.name}.met` });
    const metadata = fileBytes(met);
    return { name: entry.name, offset: entry.offset, data: fileBytes(entry), metadataOffset: met.offset, metadata, attributes: parseModuleMetadata(metadata, base + met.offset) };
  });
  return { name, cpd, manifestOffset: man.offset, manifest, modules };
}
