/**
 * What the device says about itself over HTTP. The `Server` header is an API: MeshCommander and
 * MeshCentral read the AMT version from it (3 or 4 numeric parts). Default profile: AMT 16.1, a
 * version above 15 (MeshCommander then queries CIM_BootService) and below 19 (no enforced TLS).
 */
import { VmeError } from '../../common/errors.js';

export interface AmtHttpProfile {
  /** `major.minor.patch.build`, e.g. `16.1.27.2225`. */
  readonly amtVersion: string;
  /** Largest chunk of a chunked reply body; captures show chunks of 0x220 and 0x2FA bytes. */
  readonly maxChunkBytes: number;
}

export const DEFAULT_AMT_PROFILE: AmtHttpProfile = { amtVersion: '16.1.27.2225', maxChunkBytes: 0x2fa };

export const SERVER_HEADER_PREFIX = 'Intel(R) Active Management Technology ';

/** @throws VmeError VME_ERR_USAGE when the version is not 3 or 4 dot-separated numbers. */
export function serverHeaderValue(profile: AmtHttpProfile): string {
  if (!/^\d{1,5}(\.\d{1,5}){2,3}$/.test(profile.amtVersion)) {
    throw new VmeError('VME_ERR_USAGE', `AMT version must be 3 or 4 dot-separated numbers, got ${JSON.stringify(profile.amtVersion)}`);
  }
  if (!Number.isInteger(profile.maxChunkBytes) || profile.maxChunkBytes < 1 || profile.maxChunkBytes > 0xffff) {
    throw new VmeError('VME_ERR_USAGE', `maxChunkBytes must be 1..65535, got ${profile.maxChunkBytes}`);
  }
  return `${SERVER_HEADER_PREFIX}${profile.amtVersion}`;
}
