/**
 * One-call firmware builder: from a manifest definition and the signing key, build the signed
 * FTPR (kernel + recovery apps) and NFTP (kernel + every app), and optionally the whole ME region.
 */
import type { KeyObject } from 'node:crypto';
import { appsFor, encodeModule, type ManifestDefinition } from './app-manifest.js';
import { buildCodePartition, type CodePartitionName } from './code-partition.js';
import { buildMeRegion, layoutOf } from './me-region.js';
import type { FirmwareVersion } from './manifest.js';

export const DEFAULT_PLATFORM_ID = 'vme-virtual-pc';

export interface FirmwareBuildOptions {
  definition: ManifestDefinition;
  signingKey: KeyObject;
  platformId?: string;
  version?: FirmwareVersion;
  svn?: number;
  arbSvn?: number;
  date?: Date;
}

export const DEFAULT_VERSION: FirmwareVersion = { major: 1, minor: 0, hotfix: 0, build: 1 };

/** One signed code partition of its layout size. */
export function buildFirmwarePartition(name: CodePartitionName, opts: FirmwareBuildOptions): Uint8Array {
  const modules = [
    { name: 'kernel', data: encodeModule(opts.definition.kernel) },
    ...appsFor(opts.definition, name).map((app) => ({ name: app.name, data: encodeModule(app) })),
  ];
  return buildCodePartition({
    name, modules, signingKey: opts.signingKey, partitionSize: layoutOf(name).size, date: opts.date,
    version: opts.version ?? DEFAULT_VERSION, svn: opts.svn ?? 1, arbSvn: opts.arbSvn ?? 1, platformId: opts.platformId ?? DEFAULT_PLATFORM_ID,
  });
}

/** Both code partitions. */
export function buildFirmwarePartitions(opts: FirmwareBuildOptions): { ftpr: Uint8Array; nftp: Uint8Array } {
  return { ftpr: buildFirmwarePartition('FTPR', opts), nftp: buildFirmwarePartition('NFTP', opts) };
}

/** A complete ME region of `regionSize` bytes (0x2FD000 for 8 MiB, 0x4FD000 for 16 MiB images). */
export function buildFirmwareMeRegion(opts: FirmwareBuildOptions & { regionSize: number }): Uint8Array {
  return buildMeRegion({ regionSize: opts.regionSize, ...buildFirmwarePartitions(opts) });
}
