/** Message digests over node:crypto: SHA-256 (the ME's hash), SHA-1 and SHA-384 for completeness. */
import { createHash } from 'node:crypto';

export type HashAlgorithm = 'sha1' | 'sha256' | 'sha384';

/** Digest of the concatenation of `parts` (no copy of the parts is made). */
export function digest(algorithm: HashAlgorithm, ...parts: Uint8Array[]): Uint8Array {
  const hash = createHash(algorithm);
  for (const part of parts) hash.update(part);
  return new Uint8Array(hash.digest());
}

export const sha256 = (...parts: Uint8Array[]): Uint8Array => digest('sha256', ...parts);
export const sha1 = (...parts: Uint8Array[]): Uint8Array => digest('sha1', ...parts);
export const sha384 = (...parts: Uint8Array[]): Uint8Array => digest('sha384', ...parts);

/** A copy of `data` with its bytes in reverse order (the `$MN2` stores hashes and RSA integers so). */
export function reversed(data: Uint8Array): Uint8Array {
  return Uint8Array.from(data).reverse();
}

/** Constant-length byte comparison (not secret-dependent timing-safe; digests are public). */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

export const toHex = (data: Uint8Array): string => Buffer.from(data).toString('hex');
