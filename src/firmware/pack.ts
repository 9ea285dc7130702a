/**
 * Packing a firmware release: build and sign FTPR and NFTP exactly as an image build would
 * (`firmwareOptions`), and wrap them in the update package container.
 */
import type { DevelopmentKeys } from '../platform/keys.js';
import type { ManifestDefinition } from '../me/app-manifest.js';
import type { FirmwareVersion } from '../me/manifest.js';
import { buildFirmwarePartitions, DEFAULT_PLATFORM_ID, DEFAULT_VERSION } from '../me/firmware-build.js';
import { firmwareOptions } from '../image/build.js';
import { serializePackage } from './package.js';

export interface PackOptions {
  keys: DevelopmentKeys;
  definition: ManifestDefinition;
  /** Platform the release is bound to (default: the default platform id). */
  platformId?: string;
  version?: FirmwareVersion;
  /** Manifest SVN and ARB SVN (default 1). */
  svn?: number;
  /** Ask the updater to raise the fuse floor to `svn` once both partitions are written. */
  raiseSvnFloor?: boolean;
  date?: Date;
}

/** Build, sign and package both code partitions. */
export function packFirmware(opts: PackOptions): Uint8Array {
  const platformId = opts.platformId ?? DEFAULT_PLATFORM_ID;
  const firmware = firmwareOptions({
    keys: opts.keys, definition: opts.definition, platformId, version: opts.version ?? DEFAULT_VERSION,
    firmwareSvn: opts.svn ?? 1, ...(opts.date ? { date: opts.date } : {}),
  });
  const { ftpr, nftp } = buildFirmwarePartitions(firmware);
  return serializePackage({
    platformId, raiseSvnFloor: opts.raiseSvnFloor ?? false,
    partitions: new Map([['FTPR', ftpr], ['NFTP', nftp]]),
  });
}
