/**
 * The ROM (design record 0001, "ROM decision"): verify a code partition check by check — `$CPD`,
 * manifest, fused key hash, RSA signature, partition hash, `.met` hashes, module hashes, platform
 * binding, anti-rollback, app manifests — and boot NFTP, else FTPR (recovery), else stay down.
 * Never throws on bad input: every problem is a failed boot-log entry with expected/actual values.
 */
import type { KeyObject } from 'node:crypto';
import { DecodeError } from '../codec/index.js';
import { VmeError, type ErrorCode } from '../common/errors.js';
import { sha256, reversed, bytesEqual, toHex, publicKeyFromBlock, verifySha256LE } from '../crypto/index.js';
import { parseCpd } from '../me/cpd.js';
import { parseCodePartitionFiles, USAGE_BIT, type CodePartitionName, type ParsedCodePartition } from '../me/code-partition.js';
import { KEY_BLOCK_OFFSET, KEY_BLOCK_LENGTH, Mn2Header, Mn2Flags, signedParts, type FirmwareVersion, versionText } from '../me/manifest.js';
import type { PartitionInfo, SignedPackageInfo } from '../me/extensions.js';
import { checkAppManifest, checkAppSet, checkKernelConfig, type AppManifest, type KernelConfig } from '../me/app-manifest.js';
import { JsonChecker } from '../me/json-check.js';
import type { Fuses } from '../platform/fuses.js';
import { BootLogRecorder, CHECK_ERROR_CODES, type BootLogEntry, type RomCheck } from './boot-log.js';

/** What the ROM needs from the fuses. */
export type RomFuses = Pick<Fuses, 'firmwareKeyHash' | 'platformId' | 'svnFloor'>;

export interface VerifiedFirmware {
  partition: CodePartitionName;
  version: FirmwareVersion;
  svn: number;
  arbSvn: number;
  platformId: string;
  kernel: KernelConfig;
  /** Apps in `$CPD` order (the order the kernel loads them). */
  apps: AppManifest[];
}

export interface PartitionVerdict {
  partition: CodePartitionName;
  ok: boolean;
  failedCheck?: RomCheck;
  errorCode?: ErrorCode;
  firmware?: VerifiedFirmware;
  log: BootLogEntry[];
}

/** Thrown by Verification.fail after the failed entry is logged; caught in verifyCodePartition. */
class VerificationStopped extends Error {}
const STOP = new VerificationStopped('verification stopped');
const hex = (n: number): string => `0x${n.toString(16).toUpperCase()}`;

/** Public keys already proven to be the fused one, by fused hash (saves re-importing per boot). */
const trustedKeys = new Map<string, KeyObject>();

class Verification {
  check: RomCheck = 'cpd';
  readonly log: BootLogRecorder;

  constructor(readonly bytes: Uint8Array, readonly name: CodePartitionName, readonly fuses: RomFuses, readonly base: number) {
    this.log = new BootLogRecorder(name);
  }

  fail(check: RomCheck, message: string, extra: Partial<BootLogEntry> = {}): never {
    this.log.fail(check, message, extra);
    throw STOP;
  }
}

/** Verify one code partition (`bytes`, absolute offset `base`) against the fuses. Never throws. */
export function verifyCodePartition(bytes: Uint8Array, name: CodePartitionName, fuses: RomFuses, base = 0): PartitionVerdict {
  const v = new Verification(bytes, name, fuses, base);
  try {
    const parsed = parseStructure(v);
    const { partitionInfo, packageInfo } = checkManifestShape(v, parsed);
    checkKey(v, parsed);
    checkSignature(v, parsed);
    checkPartitionHash(v, parsed, partitionInfo);
    checkMetadataHashes(v, parsed, packageInfo);
    checkModuleHashes(v, parsed);
    checkPlatform(v, parsed);
    checkRollback(v, parsed, packageInfo);
    const firmware = checkApps(v, parsed, packageInfo);
    return { partition: name, ok: true, firmware, log: v.log.entries };
  } catch (err) {
    if (err !== STOP) recordUnexpected(v, err);
    const failed = v.log.entries[v.log.entries.length - 1] as BootLogEntry;
    return { partition: name, ok: false, failedCheck: failed.check, errorCode: CHECK_ERROR_CODES[failed.check], log: v.log.entries };
  }
}

function recordUnexpected(v: Verification, err: unknown): void {
  if (err instanceof DecodeError) {
    const p = err.problem;
    v.log.fail(v.check, err.message, { offset: p.offset, ...(p.expected !== undefined ? { expected: p.expected } : {}), ...(p.actual !== undefined ? { actual: p.actual } : {}) });
  } else {
    v.log.fail(v.check, `unexpected error: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function parseStructure(v: Verification): ParsedCodePartition {
  const cpd = parseCpd(v.bytes, v.base, v.name);
  v.log.pass('cpd', `$CPD rev 2, ${cpd.entries.length} entries, CRC-32 ${hex(cpd.header.crc32)} holds`, { offset: v.base });
  v.check = 'manifest';
  return parseCodePartitionFiles(v.bytes, v.name, cpd, v.base);
}

function checkManifestShape(v: Verification, parsed: ParsedCodePartition): { partitionInfo: PartitionInfo; packageInfo: SignedPackageInfo } {
  const at = v.base + parsed.manifestOffset;
  const { partitionInfo, signedPackageInfo } = parsed.manifest.extensions;
  if (!partitionInfo) v.fail('manifest', 'manifest has no Partition Information extension (0x03)', { offset: at, expected: 'extension 0x03', actual: 'absent' });
  if (!signedPackageInfo) v.fail('manifest', 'manifest has no Signed Package Information extension (0x0F)', { offset: at, expected: 'extension 0x0F', actual: 'absent' });
  for (const [what, actual] of [['0x03 partition name', partitionInfo.partitionName], ['0x0F partition name', signedPackageInfo.partitionName]] as const) {
    if (actual !== v.name) v.fail('manifest', `manifest ${what} does not match the partition`, { offset: at, expected: v.name, actual });
  }
  const usageBit = USAGE_BIT[v.name];
  if (((signedPackageInfo.usageBitmap[usageBit >> 3] ?? 0) >> (usageBit & 7) & 1) === 0) {
    v.fail('manifest', `manifest is not signed for ${v.name} use`, { offset: at, expected: `usage bit ${usageBit} set`, actual: toHex(signedPackageInfo.usageBitmap) });
  }
  v.log.pass('manifest', `$MN2 version ${versionText(parsed.manifest.version)}, ${parsed.manifest.header.size * 4} bytes, ${parsed.manifest.extensions.raw.length} extensions`, { offset: at });
  return { partitionInfo, packageInfo: signedPackageInfo };
}

function checkKey(v: Verification, parsed: ParsedCodePartition): void {
  v.check = 'key';
  const block = parsed.manifest.bytes.subarray(KEY_BLOCK_OFFSET, KEY_BLOCK_OFFSET + KEY_BLOCK_LENGTH);
  const actual = toHex(sha256(block));
  const offset = v.base + parsed.manifestOffset + KEY_BLOCK_OFFSET;
  if (actual !== v.fuses.firmwareKeyHash) v.fail('key', 'manifest key is not the fused firmware key', { offset, expected: v.fuses.firmwareKeyHash, actual });
  v.log.pass('key', 'manifest key block hash equals the fused firmware key hash', { offset, actual });
}

function checkSignature(v: Verification, parsed: ParsedCodePartition): void {
  v.check = 'signature';
  const { header, bytes } = parsed.manifest;
  let key = trustedKeys.get(v.fuses.firmwareKeyHash);
  if (!key) {
    key = publicKeyFromBlock({ modulusLE: header.modulus, exponent: header.exponent });
    if (trustedKeys.size >= 16) trustedKeys.clear();
    trustedKeys.set(v.fuses.firmwareKeyHash, key);
  }
  const message = Buffer.concat(signedParts(bytes, header.headerLength * 4, header.size * 4));
  const offset = v.base + parsed.manifestOffset + Mn2Header.offsetOf('signature');
  if (!verifySha256LE(key, message, header.signature)) {
    v.fail('signature', 'RSA-2048 PKCS#1 v1.5 SHA-256 signature does not verify', { offset, expected: `signature over SHA-256 ${toHex(sha256(message))}`, actual: 'no match' });
  }
  v.log.pass('signature', 'manifest signature verifies (RSA-2048, PKCS#1 v1.5, SHA-256)', { offset });
}

function checkPartitionHash(v: Verification, parsed: ParsedCodePartition, info: PartitionInfo): void {
  v.check = 'partition-hash';
  const manStart = parsed.manifestOffset;
  const manEnd = manStart + parsed.manifest.bytes.length;
  const offset = v.base + manStart + Mn2Header.size;
  if (info.partitionSize < manEnd || info.partitionSize > v.bytes.length) {
    v.fail('partition-hash', 'signed partition size is out of range', { offset, expected: `${hex(manEnd)}..${hex(v.bytes.length)}`, actual: hex(info.partitionSize) });
  }
  const actual = sha256(v.bytes.subarray(0, manStart), v.bytes.subarray(manEnd, info.partitionSize));
  const expected = reversed(info.hash);
  if (!bytesEqual(actual, expected)) v.fail('partition-hash', `partition hash over ${hex(info.partitionSize)} bytes does not match extension 0x03`, { offset, expected: toHex(expected), actual: toHex(actual) });
  v.log.pass('partition-hash', `partition hash over ${hex(info.partitionSize)} bytes matches extension 0x03`, { offset, actual: toHex(actual) });
}

function checkMetadataHashes(v: Verification, parsed: ParsedCodePartition, info: SignedPackageInfo): void {
  v.check = 'metadata-hash';
  const signedNames = info.modules.map((m) => m.name).join(',');
  const presentNames = parsed.modules.map((m) => m.name).join(',');
  if (signedNames !== presentNames) v.fail('metadata-hash', 'modules in $CPD differ from the signed module list (0x0F)', { offset: v.base, expected: signedNames, actual: presentNames });
  info.modules.forEach((entry, i) => {
    const module = parsed.modules[i];
    if (!module) return;
    const offset = v.base + module.metadataOffset;
    const actual = sha256(module.metadata);
    const expected = reversed(entry.metadataHash);
    if (entry.metadataSize !== module.metadata.length || !bytesEqual(actual, expected)) {
      v.fail('metadata-hash', `${module.name}.met does not match its signed hash`, { offset, expected: `${toHex(expected)} (${entry.metadataSize} bytes)`, actual: `${toHex(actual)} (${module.metadata.length} bytes)` });
    }
    v.log.pass('metadata-hash', `${module.name}.met matches extension 0x0F`, { offset, actual: toHex(actual) });
  });
}

function checkModuleHashes(v: Verification, parsed: ParsedCodePartition): void {
  v.check = 'module-hash';
  for (const module of parsed.modules) {
    const offset = v.base + module.offset;
    const actual = sha256(module.data);
    const expected = reversed(module.attributes.hash);
    if (module.attributes.sizeUncompressed !== module.data.length || !bytesEqual(actual, expected)) {
      v.fail('module-hash', `module ${module.name} does not match the hash in ${module.name}.met`, { offset, expected: `${toHex(expected)} (${module.attributes.sizeUncompressed} bytes)`, actual: `${toHex(actual)} (${module.data.length} bytes)` });
    }
    v.log.pass('module-hash', `module ${module.name} matches ${module.name}.met (0x0A)`, { offset, actual: toHex(actual) });
  }
}

function checkPlatform(v: Verification, parsed: ParsedCodePartition): void {
  v.check = 'platform';
  const { header } = parsed.manifest;
  const offset = v.base + parsed.manifestOffset + Mn2Header.offsetOf('platformId');
  if (Mn2Flags.get(header.flags, 'pidBound') !== 1) v.fail('platform', 'manifest is not platform-bound (flags bit 29 clear)', { offset: v.base + parsed.manifestOffset + Mn2Header.offsetOf('flags'), expected: 'PID-bound', actual: hex(header.flags) });
  if (header.platformId !== v.fuses.platformId) v.fail('platform', 'firmware is bound to another platform', { offset, expected: v.fuses.platformId, actual: header.platformId });
  v.log.pass('platform', `firmware is bound to platform ${header.platformId}`, { offset, actual: header.platformId });
}

function checkRollback(v: Verification, parsed: ParsedCodePartition, info: SignedPackageInfo): void {
  v.check = 'rollback';
  const offset = v.base + parsed.manifestOffset;
  if (info.arbSvn < v.fuses.svnFloor) v.fail('rollback', 'ARB SVN is below the anti-rollback fuse', { offset, expected: `>= ${v.fuses.svnFloor}`, actual: String(info.arbSvn) });
  v.log.pass('rollback', `ARB SVN ${info.arbSvn} >= fused floor ${v.fuses.svnFloor}`, { offset, actual: String(info.arbSvn) });
}

const moduleCheck = new JsonChecker('VME_ERR_VERIFY_STRUCTURE', 'firmware module');
const decoder = new TextDecoder('utf-8', { fatal: true });

function checkApps(v: Verification, parsed: ParsedCodePartition, info: SignedPackageInfo): VerifiedFirmware {
  v.check = 'apps';
  const json = (data: Uint8Array, name: string, offset: number): unknown => {
    try {
      return JSON.parse(decoder.decode(data));
    } catch (err) {
      return v.fail('apps', `module ${name} is not UTF-8 JSON: ${(err as Error).message}`, { offset });
    }
  };
  try {
    const kernelModule = parsed.modules.find((m) => m.name === 'kernel');
    if (!kernelModule) return v.fail('apps', 'no kernel module', { offset: v.base, expected: 'kernel', actual: parsed.modules.map((m) => m.name).join(',') });
    const kernel = checkKernelConfig(json(kernelModule.data, 'kernel', v.base + kernelModule.offset), 'kernel', moduleCheck);
    const apps = parsed.modules.filter((m) => m !== kernelModule).map((m) => {
      const app = checkAppManifest(json(m.data, m.name, v.base + m.offset), m.name, moduleCheck);
      if (app.name !== m.name) v.fail('apps', `module ${m.name} declares app ${app.name}`, { offset: v.base + m.offset, expected: m.name, actual: app.name });
      return app;
    });
    checkAppSet(apps, 'apps', moduleCheck);
    v.log.pass('apps', `kernel config and ${apps.length} app manifests parse: ${apps.map((a) => a.name).join(', ') || '(none)'}`);
    const { header, version } = parsed.manifest;
    return { partition: v.name, version, svn: header.svn, arbSvn: info.arbSvn, platformId: header.platformId, kernel, apps };
  } catch (err) {
    if (err instanceof VmeError && !(err instanceof DecodeError)) v.fail('apps', err.message);
    throw err;
  }
}
