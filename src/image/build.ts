/**
 * Building a whole platform ("manufacturing"): signed firmware in an ME region, assembled into an
 * IFD v2 flash image, plus the platform's fuse file holding the firmware key hash, platform id,
 * anti-rollback floor and per-device secrets.
 */
import type { DevelopmentKeys } from '../platform/keys.js';
import { createFuses, type Fuses } from '../platform/fuses.js';
import { buildFirmwareMeRegion, DEFAULT_PLATFORM_ID, type FirmwareBuildOptions } from '../me/firmware-build.js';
import type { ManifestDefinition } from '../me/app-manifest.js';
import type { FirmwareVersion } from '../me/manifest.js';
import { assembleImage, defaultLayout } from '../flash/index.js';
import { VmeError } from '../common/errors.js';

export interface PlatformBuildOptions {
  sizeBytes: number;
  keys: DevelopmentKeys;
  definition: ManifestDefinition;
  platformId?: string;
  version?: FirmwareVersion;
  /** The manifest's SVN and the ARB SVN the ROM checks against the fuse floor. */
  firmwareSvn?: number;
  /** Fuse floor burnt at manufacturing (default: the firmware's SVN). */
  svnFloor?: number;
  access?: 'locked' | 'unlocked';
  date?: Date;
}

export interface BuiltPlatform {
  image: Uint8Array;
  fuses: Fuses;
}

/** Size of the ME region in the default layout for an image size. */
export function meRegionSize(sizeBytes: number): number {
  const me = defaultLayout(sizeBytes).find((r) => r.name === 'me');
  if (!me) throw new VmeError('VME_ERR_INTERNAL', 'default layout has no ME region');
  return me.limit - me.base + 1;
}

/** Firmware build options shared by image builds and update packages. */
export function firmwareOptions(opts: Omit<PlatformBuildOptions, 'sizeBytes' | 'svnFloor' | 'access'>): FirmwareBuildOptions {
  const svn = opts.firmwareSvn ?? 1;
  return {
    definition: opts.definition, signingKey: opts.keys.firmwareSigning.privateKey,
    platformId: opts.platformId ?? DEFAULT_PLATFORM_ID, svn, arbSvn: svn,
    ...(opts.version ? { version: opts.version } : {}), ...(opts.date ? { date: opts.date } : {}),
  };
}

/** Build the image bytes and the fuses of a new platform (nothing is written to disk). */
export function buildPlatform(opts: PlatformBuildOptions): BuiltPlatform {
  const firmware = firmwareOptions(opts);
  const meRegion = buildFirmwareMeRegion({ ...firmware, regionSize: meRegionSize(opts.sizeBytes) });
  const image = assembleImage({ sizeBytes: opts.sizeBytes, meRegion, ...(opts.access ? { access: opts.access } : {}) });
  const fuses = createFuses({
    firmwareKey: opts.keys.firmwareSigning.publicKey, oemKey: opts.keys.oem.publicKey,
    platformId: firmware.platformId ?? DEFAULT_PLATFORM_ID, svnFloor: opts.svnFloor ?? firmware.arbSvn ?? 1,
  });
  return { image, fuses };
}
