/**
 * Verifying an update package before anything is written: the container parses, it holds both
 * FTPR and NFTP, each passes every ROM check against the fuses (fused key, signature, hashes,
 * platform binding, ARB SVN >= floor), and the two partitions belong to the same release.
 */
import { VmeError } from '../common/errors.js';
import type { CodePartitionName } from '../me/code-partition.js';
import { versionText, type FirmwareVersion } from '../me/manifest.js';
import { verifyCodePartition, type PartitionVerdict, type RomFuses, type VerifiedFirmware } from '../rom/verify.js';
import { parsePackage } from './package.js';

export interface VerifiedPartition {
  bytes: Uint8Array;
  firmware: VerifiedFirmware;
}

export interface VerifiedPackage {
  platformId: string;
  raiseSvnFloor: boolean;
  version: FirmwareVersion;
  arbSvn: number;
  partitions: Record<CodePartitionName, VerifiedPartition>;
}

export { versionText };

/** The typed error for a refused partition: names the partition, the check, expected vs actual. */
export function refusal(verdict: PartitionVerdict, origin: string): VmeError {
  const failed = verdict.log.find((entry) => !entry.ok);
  const values = failed?.expected !== undefined ? ` (expected ${failed.expected}, actual ${failed.actual ?? '?'})` : '';
  const where = failed?.offset !== undefined ? ` at partition offset 0x${failed.offset.toString(16)}` : '';
  const check = verdict.failedCheck ?? 'structure';
  return new VmeError(verdict.errorCode ?? 'VME_ERR_VERIFY_STRUCTURE', `${origin} ${verdict.partition} refused: ${check} check failed: ${failed?.message ?? 'unknown'}${values}${where}`, {
    partition: verdict.partition, check, expected: failed?.expected, actual: failed?.actual, offset: failed?.offset,
  });
}

function verifiedPartition(bytes: Uint8Array | undefined, name: CodePartitionName, fuses: RomFuses): VerifiedPartition {
  if (!bytes) throw new VmeError('VME_ERR_UPDATE_PACKAGE', `update package has no ${name} partition (it must carry both FTPR and NFTP)`, { partition: name });
  const verdict = verifyCodePartition(bytes, name, fuses, 0);
  if (!verdict.ok || !verdict.firmware) throw refusal(verdict, 'package partition');
  return { bytes, firmware: verdict.firmware };
}

function checkSameRelease(platformId: string, ftpr: VerifiedFirmware, nftp: VerifiedFirmware): void {
  const fields: [string, string, string][] = [
    ['platform id', ftpr.platformId, nftp.platformId],
    ['version', versionText(ftpr.version), versionText(nftp.version)],
    ['SVN', String(ftpr.svn), String(nftp.svn)],
    ['ARB SVN', String(ftpr.arbSvn), String(nftp.arbSvn)],
  ];
  for (const [what, fromFtpr, fromNftp] of fields) {
    if (fromFtpr !== fromNftp) throw new VmeError('VME_ERR_UPDATE_PACKAGE', `package FTPR and NFTP differ in ${what}: FTPR ${fromFtpr}, NFTP ${fromNftp}`, { field: what, expected: fromFtpr, actual: fromNftp });
  }
  if (platformId !== ftpr.platformId) {
    throw new VmeError('VME_ERR_UPDATE_PACKAGE', `package header names platform ${platformId} but its manifests are bound to ${ftpr.platformId}`, { field: 'platform id', expected: ftpr.platformId, actual: platformId });
  }
}

/**
 * Parse and verify a package against the fuses.
 * @throws DecodeError (malformed container), VmeError with the failed check's code, or VME_ERR_UPDATE_PACKAGE.
 */
export function verifyPackage(packageBytes: Uint8Array, fuses: RomFuses): VerifiedPackage {
  const parsed = parsePackage(packageBytes);
  const ftpr = verifiedPartition(parsed.partitions.get('FTPR'), 'FTPR', fuses);
  const nftp = verifiedPartition(parsed.partitions.get('NFTP'), 'NFTP', fuses);
  checkSameRelease(parsed.platformId, ftpr.firmware, nftp.firmware);
  return {
    platformId: parsed.platformId, raiseSvnFloor: parsed.raiseSvnFloor,
    version: nftp.firmware.version, arbSvn: nftp.firmware.arbSvn, partitions: { FTPR: ftpr, NFTP: nftp },
  };
}
