/**
 * The AMT Digest realm: `Digest:` followed by 32 upper-case hex digits. It is the same string as
 * `AMT_GeneralSettings.DigestRealm`; RPS refuses devices whose realm has any other shape.
 */
import { randomBytes } from 'node:crypto';
import { VmeError } from '../../common/errors.js';

const REALM_PATTERN = /^Digest:[0-9A-F]{32}$/;

/** True when `realm` has the shape consoles accept (`Digest:` + 32 upper-case hex). */
export function isAmtRealm(realm: string): boolean {
  return REALM_PATTERN.test(realm);
}

/** A fresh random realm, as a device picks at first boot. */
export function generateAmtRealm(): string {
  return `Digest:${randomBytes(16).toString('hex').toUpperCase()}`;
}

/** @throws VmeError VME_ERR_AMT_AUTH_CONFIG when the realm has the wrong shape. */
export function assertAmtRealm(realm: string): void {
  if (!isAmtRealm(realm)) {
    throw new VmeError('VME_ERR_AMT_AUTH_CONFIG', `Digest realm must be "Digest:" plus 32 upper-case hex digits, got ${JSON.stringify(realm)}`, { realm });
  }
}
