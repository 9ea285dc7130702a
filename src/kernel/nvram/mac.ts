/**
 * Keys and MACs: the MAC key is derived with HKDF-SHA-256 from the fuse secret given at mount, and
 * every area header and record is HMAC-SHA-256'd together with its absolute partition offset, so
 * bytes cannot be moved, and with its sequence number, which the anti-replay counter tracks.
 */
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { NvramError } from './errors.js';
import { LIMITS, MAC_SIZE } from './format.js';

const SALT = Buffer.from('vme/nvram/v1');
const INFO = Buffer.from('record-mac');

export function deriveMacKey(secret: Uint8Array): Buffer {
  if (secret.length < LIMITS.minSecretLength) {
    throw new NvramError('VME_ERR_NVRAM_ARGUMENT', `fuse secret must be at least ${LIMITS.minSecretLength} bytes, got ${secret.length}`, { length: secret.length });
  }
  return Buffer.from(hkdfSync('sha256', secret, SALT, INFO, 32));
}

/** HMAC over a domain tag, the absolute offset and the given parts. */
export function computeMac(key: Buffer, domain: 'area' | 'record', offset: number, ...parts: Uint8Array[]): Uint8Array {
  const hmac = createHmac('sha256', key);
  const prefix = Buffer.alloc(8);
  prefix.write(domain === 'area' ? 'NVA\0' : 'NVR\0', 0, 'latin1');
  prefix.writeUInt32LE(offset, 4);
  hmac.update(prefix);
  for (const part of parts) hmac.update(part);
  return hmac.digest();
}

export function macEquals(expected: Uint8Array, actual: Uint8Array): boolean {
  return expected.length === MAC_SIZE && actual.length === MAC_SIZE && timingSafeEqual(expected, actual);
}
