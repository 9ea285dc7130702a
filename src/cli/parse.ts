/** Parsers for option values shared by several commands; bad values are usage errors. */
import { VmeError } from '../common/errors.js';
import type { FirmwareVersion } from '../me/index.js';

/** The firmware version the CLI builds when none is given: the AMT 16.1 profile's (as its `Server` header says). */
export const DEFAULT_FIRMWARE_VERSION_TEXT = '16.1.27.2225';

/** `a.b.c.d` with each part 0..65535. */
export function parseVersion(text: string): FirmwareVersion {
  const parts = text.split('.').map((p) => (/^\d{1,5}$/.test(p) ? Number(p) : NaN));
  const [major, minor, hotfix, build] = parts;
  if (parts.length !== 4 || parts.some((p) => !(p >= 0 && p <= 0xffff)) || major === undefined || minor === undefined || hotfix === undefined || build === undefined) {
    throw new VmeError('VME_ERR_USAGE', `version must be four numbers 0-65535 like 16.1.27.2225, got ${JSON.stringify(text)}`);
  }
  return { major, minor, hotfix, build };
}

/** A non-negative 32-bit integer. */
export function parseCount(text: string, option: string): number {
  if (!/^\d{1,10}$/.test(text) || Number(text) > 0xffffffff) throw new VmeError('VME_ERR_USAGE', `${option} must be an integer 0-4294967295, got ${JSON.stringify(text)}`);
  return Number(text);
}
